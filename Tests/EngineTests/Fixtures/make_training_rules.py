#!/usr/bin/env python3
"""Writes training_rules.json: PyTorch's learning-rate schedulers and its Nesterov and AdamW steps, the oracle
for LearningRateScheduleTests and OptimizerPyTorchTests.

Schedules: the rate of every update of a 40-update run with 7 updates per epoch, for StepLR(step_size=2,
gamma=0.5) and ExponentialLR(gamma=0.8) stepped once per epoch, CosineAnnealingLR(T_max=40, eta_min=0.001)
stepped per update, and OneCycleLR(max_lr=0.2, total_steps=40, cycle_momentum=False) stepped per update;
base rate 0.1. Optimizers: a 2 -> 2 linear layer (weights [[1, 2], [3, 4]], biases [0.5, -0.5]) given the
same gradient three times, weight decay on the weights only, float32; the parameters after each step.
Run: python3 make_training_rules.py (needs torch).
"""
import json
import torch

RUN, PER_EPOCH, BASE = 40, 7, 0.1


def rates(make, per_epoch):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=BASE)
    sched = make(opt)
    out = []
    for update in range(RUN):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        if not per_epoch or (update + 1) % PER_EPOCH == 0:
            sched.step()
    return out


schedules = {
    "step": rates(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.5), True),
    "exponential": rates(lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.8), True),
    "cosine": rates(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=RUN, eta_min=0.001), False),
    "one_cycle": rates(lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=0.2, total_steps=RUN, cycle_momentum=False), False),
}

GRAD_W, GRAD_B = [[0.1, -0.2], [0.3, 0.4]], [0.25, 0.75]


def steps(make):
    w = torch.nn.Parameter(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    b = torch.nn.Parameter(torch.tensor([0.5, -0.5]))
    opt = make([{"params": [w]}, {"params": [b], "weight_decay": 0.0}])
    out = []
    for _ in range(3):
        w.grad = torch.tensor(GRAD_W)
        b.grad = torch.tensor(GRAD_B)
        opt.step()
        out.append(w.detach().flatten().tolist() + b.detach().tolist())
    return out


optimizers = {
    "nesterov": steps(lambda g: torch.optim.SGD(g, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.05)),
    "adamw": steps(lambda g: torch.optim.AdamW(g, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    "adam_betas": steps(lambda g: torch.optim.Adam(g, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
}

with open("training_rules.json", "w") as f:
    json.dump({"torch": torch.__version__, "run": RUN, "per_epoch": PER_EPOCH, "base": BASE,
               "schedules": schedules, "gradients": [x for row in GRAD_W for x in row] + GRAD_B,
               "optimizers": optimizers}, f, indent=1)
