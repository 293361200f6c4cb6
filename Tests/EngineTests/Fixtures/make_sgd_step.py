#!/usr/bin/env python3
"""Writes sgd_step.json: one SGD step of a small MLP in PyTorch (float32), the oracle for SGDStepTests.

784 is not needed to pin the semantics: 6 inputs -> 5 relu -> 4 relu -> 3 softmax, cross-entropy (mean over
the batch), batch 4, lr 0.1. The fixture holds the initial weights, the batch, the loss, every gradient and
the weights after optimizer.step(). Run: python3 make_sgd_step.py (needs torch).
"""
import json
import torch

torch.manual_seed(3)
model = torch.nn.Sequential(
    torch.nn.Linear(6, 5), torch.nn.ReLU(),
    torch.nn.Linear(5, 4), torch.nn.ReLU(),
    torch.nn.Linear(4, 3),
)
with torch.no_grad():
    for p in model.parameters():  # non-zero biases, so the bias update is visible
        p.uniform_(-0.8, 0.8)
x = torch.rand(4, 6)
y = torch.tensor([0, 2, 1, 2])
linears = [m for m in model if isinstance(m, torch.nn.Linear)]
before = [{"weight": l.weight.tolist(), "bias": l.bias.tolist()} for l in linears]
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
optimizer.zero_grad()
loss = torch.nn.functional.cross_entropy(model(x), y)
loss.backward()
grads = [{"weight": l.weight.grad.tolist(), "bias": l.bias.grad.tolist()} for l in linears]
optimizer.step()
after = [{"weight": l.weight.tolist(), "bias": l.bias.tolist()} for l in linears]
fixture = {"torch": torch.__version__, "learning_rate": 0.1, "inputs": x.tolist(), "labels": y.tolist(),
           "loss": loss.item(), "before": before, "gradients": grads, "after": after}
with open(__file__.replace("make_sgd_step.py", "sgd_step.json"), "w") as f:
    json.dump(fixture, f, indent=1)
