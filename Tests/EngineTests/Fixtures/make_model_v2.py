#!/usr/bin/env python3
"""Writes model_v2.json: a small PyTorch CNN in the mnistd-net-v2 export format, and its probabilities for four
fixed images, the oracle for ModelV2Tests.

1x28x28 -> conv 4 5x5 pad 2, relu -> maxpool 2 -> conv 6 3x2 pad "same", tanh -> avgpool 2 -> dropout 0.25
-> flatten (NCHW order) -> dense 16, leaky_relu 0.1 -> dense 10, softmax. PyTorch's default init with seed 7
(float32 weights) scaled up 2-4x in the later layers so the answers are confident, biases redrawn so none
is near zero. The images are deterministic integer pixels 0..255,
normalized "unit" (x / 255 in float32, as the service does).

The reference is the float32 weights and inputs evaluated in float64 (`probabilities`); PyTorch's own float32
answer is kept beside it (`probabilities_float32`). `bounds` holds, for each probability, how far any correct
float32 evaluation can land from the reference, whatever its summation order or FMA use (see error_bound):
the Swift test holds the engine to it. Run: python3 make_model_v2.py (needs torch).
"""
import json
import math
import torch

U = 2.0 ** -24  # unit roundoff of float32


def gamma(n):
    """Higham's gamma_n: the relative error bound of a sum or dot product of n terms in any order."""
    return n * U / (1 - n * U)


torch.manual_seed(7)
conv1 = torch.nn.Conv2d(1, 4, 5, padding=2)
conv2 = torch.nn.Conv2d(4, 6, (3, 2), padding="same")
dense1 = torch.nn.Linear(6 * 7 * 7, 16)
dense2 = torch.nn.Linear(16, 10)
with torch.no_grad():
    for layer in (conv1, conv2, dense1, dense2):
        layer.bias.uniform_(0.05, 0.3)
        layer.bias.mul_(torch.where(torch.rand_like(layer.bias) < 0.5, -1.0, 1.0))
    # Larger weights than the default init gives, so the answers are confident and differ between images.
    conv2.weight.mul_(2)
    dense1.weight.mul_(3)
    dense2.weight.mul_(4)
model = torch.nn.Sequential(
    conv1, torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    conv2, torch.nn.Tanh(), torch.nn.AvgPool2d(2),
    torch.nn.Dropout(0.25), torch.nn.Flatten(),
    dense1, torch.nn.LeakyReLU(0.1),
    dense2,
).eval()

# Four images: strokes of varying thickness over faint noise, like handwriting on a scan.
g = torch.Generator().manual_seed(11)
rows = torch.arange(28.0).view(28, 1)
cols = torch.arange(28.0).view(1, 28)
images = []
for k in range(4):
    a, b = 0.3 + 0.4 * torch.rand(2, generator=g)
    line = torch.exp(-((rows - 4 - 20 * a) * math.cos(k) - (cols - 4 - 20 * b) * math.sin(k)) ** 2 / (2 + k))
    ring = torch.exp(-(((rows - 14) ** 2 + (cols - 14) ** 2).sqrt() - 4 - 2 * k) ** 2 / 3)
    noise = torch.rand(28, 28, generator=g) * (torch.rand(28, 28, generator=g) < 0.1)
    images.append((255 * torch.clamp(line + ring * (k % 2) + 0.3 * noise, 0, 1)).round())
pixels = torch.stack(images).view(4, 1, 28, 28)
x32 = pixels.float() / 255  # what the engine gets: float32, correctly rounded

with torch.no_grad():
    p32 = torch.softmax(model(x32), 1)
    model.double()  # in place: from here on the same float32 values, held and computed in float64
    z64 = model(x32.double())
    p64 = torch.softmax(z64, 1)


def error_bound(x):
    """Forward pass in float64 carrying e, an elementwise bound on |float32 result - exact result|.

    A dense or conv output sums n = fan-in products and the bias: |error| <= |W| e + gamma(n+1) (|W| (|x| + e)
    + |b|). relu, maxpool, dropout and flatten are 1-Lipschitz and exact; leaky_relu adds two roundings (its slope
    0.1 held in float32, and the product: 2 u |y|);
    tanh is 1-Lipschitz and its libm value is within 2 ulp (4 u |y|, doubled for margin); a 2x2 average sums 4
    values and scales by 1/4 (gamma(4)). The logits' bound then turns into the probabilities' (see below).
    """
    e = torch.zeros_like(x)
    for layer in model:
        if isinstance(layer, (torch.nn.Conv2d, torch.nn.Linear)):
            n = layer.weight[0].numel() + 1
            W, b = layer.weight.abs(), layer.bias.abs()
            if isinstance(layer, torch.nn.Conv2d):
                op = lambda v, w, bias: torch.nn.functional.conv2d(v, w, bias, padding=layer.padding)
            else:
                op = torch.nn.functional.linear
            e = op(e, W, None) + gamma(n) * op(x.abs() + e, W, b)
            x = layer(x)
        elif isinstance(layer, torch.nn.LeakyReLU):
            x = layer(x)
            e = e + 2 * U * x.abs()
        elif isinstance(layer, torch.nn.Tanh):
            x = layer(x)
            e = e + 8 * U * x.abs()
        elif isinstance(layer, torch.nn.MaxPool2d):
            x, e = layer(x), layer(e)
        elif isinstance(layer, torch.nn.AvgPool2d):
            e = layer(e) + gamma(4) * layer(x.abs())
            x = layer(x)
        else:  # ReLU, Dropout (eval), Flatten
            x, e = layer(x), layer(e)
    return x, e


with torch.no_grad():
    z, e = error_bound(x32.double())
    assert torch.allclose(z, z64, rtol=0, atol=1e-12)
    # Logits off by at most d move each probability by a factor within e^(+-2d). The float softmax itself
    # (log-sum-exp, subtraction, exp, and the test's renormalization in double) adds a relative error of about
    # u (|lse| + |z| + |z - lse| + 20), doubled for the renormalization.
    d = e.max(1, keepdim=True).values
    lse = torch.logsumexp(z, 1, keepdim=True)
    relative = torch.expm1(2 * d) + 2 * U * (lse.abs() + z.abs() + (z - lse).abs() + 20)
    bounds = p64 * relative + 1e-37
    assert ((p32.double() - p64).abs() <= bounds).all(), "PyTorch's float32 answer breaks the bound"


def nested(t):
    return t.tolist()


export = {
    "format": "mnistd-net-v2", "input": [1, 28, 28], "normalize": "unit", "output": "softmax",
    "layers": [
        {"type": "conv2d", "kernel": [5, 5], "stride": [1, 1], "padding": [2, 2], "activation": "relu",
         "weights": nested(conv1.weight), "bias": nested(conv1.bias)},
        {"type": "maxpool", "size": [2, 2], "stride": [2, 2]},
        {"type": "conv2d", "kernel": [3, 2], "stride": [1, 1], "padding": "same", "activation": "tanh",
         "weights": nested(conv2.weight), "bias": nested(conv2.bias)},
        {"type": "avgpool", "size": [2, 2], "stride": [2, 2]},
        {"type": "dropout", "rate": 0.25},
        {"type": "flatten"},
        {"type": "dense", "activation": "leaky_relu", "leaky_slope": 0.1,
         "weights": nested(dense1.weight), "bias": nested(dense1.bias)},
        {"type": "dense", "activation": "softmax", "weights": nested(dense2.weight), "bias": nested(dense2.bias)},
    ],
}
fixture = {"torch": torch.__version__, "model": export, "pixels": pixels.view(4, -1).int().tolist(),
           "probabilities": p64.tolist(), "probabilities_float32": p32.double().tolist(), "bounds": bounds.tolist(),
           "logit_bounds": d.view(-1).tolist()}
print("logit bounds", d.view(-1).tolist(), "largest probability bound", bounds.max().item(),
      "PyTorch float32 off by", (p32.double() - p64).abs().max().item())
with open(__file__.replace("make_model_v2.py", "model_v2.json"), "w") as f:
    json.dump(fixture, f)
