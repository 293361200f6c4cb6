#!/usr/bin/env python3
"""Writes conv_step.json: one SGD step of a small CNN in PyTorch, in float64, the oracle for ConvStepTests.

1x12x12 images -> conv 3 3x3 pad 1, relu -> maxpool 2 -> conv 4 3x3, tanh -> avgpool 2 -> flatten (NCHW
order) -> dense 5, relu -> dense 3 (softmax cross-entropy, mean over the batch); batch 4, lr 0.1. Float64 so
the engine's Double network can be held to double rounding. The fixture holds the initial parameters (flat, in
PyTorch's layout: conv [out][in][kh][kw], dense [out][in]), the batch, the loss, every gradient and the
parameters after optimizer.step(). Run: python3 make_conv_step.py (needs torch).
"""
import json
import torch

torch.manual_seed(5)
torch.set_default_dtype(torch.float64)
model = torch.nn.Sequential(
    torch.nn.Conv2d(1, 3, 3, padding=1), torch.nn.ReLU(),
    torch.nn.MaxPool2d(2),
    torch.nn.Conv2d(3, 4, 3), torch.nn.Tanh(),
    torch.nn.AvgPool2d(2),
    torch.nn.Flatten(),
    torch.nn.Linear(16, 5), torch.nn.ReLU(),
    torch.nn.Linear(5, 3),
)
with torch.no_grad():
    for p in model.parameters():  # non-zero biases, so every bias gradient is visible
        p.uniform_(-0.6, 0.6)
x = torch.rand(4, 1, 12, 12)
y = torch.tensor([0, 2, 1, 2])
layers = [m for m in model if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]


def tensors(values):
    return [{"weight": w.flatten().tolist(), "bias": b.flatten().tolist()} for w, b in values]


before = tensors((l.weight, l.bias) for l in layers)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
optimizer.zero_grad()
loss = torch.nn.functional.cross_entropy(model(x), y)
loss.backward()
grads = tensors((l.weight.grad, l.bias.grad) for l in layers)
optimizer.step()
after = tensors((l.weight, l.bias) for l in layers)
fixture = {"torch": torch.__version__, "learning_rate": 0.1, "inputs": x.reshape(4, -1).tolist(),
           "labels": y.tolist(), "loss": loss.item(), "before": before, "gradients": grads, "after": after}
with open(__file__.replace("make_conv_step.py", "conv_step.json"), "w") as f:
    json.dump(fixture, f, indent=1)
