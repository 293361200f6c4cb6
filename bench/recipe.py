#!/usr/bin/env python3
"""The CNN presets' recipes in PyTorch on this machine: the same network, optimizer, schedule and augmentation as
`{"preset": NAME}`, trained for the same epochs on the full MNIST, with the wall time and the test accuracy, so
the README can set mnistd's run beside PyTorch's.

Recipe (as the presets define it): AdamW (weight decay 0.05 on weights, not biases), OneCycleLR(max_lr, its
defaults, cycle_momentum=False) stepped per batch, a random affine per sample per step (±1.5 px, ±8°, scale
±8%, bilinear, zero-padded in pixel space) drawn with affine_grid/grid_sample, inputs standardized with
(0.1307, 0.3081), shuffled batches, the last partial batch kept.
Usage: python3 bench/recipe.py [--preset lenet5|cnn_wide] [--threads 2] [--seed 0] [--data-dir DIR]
"""
import argparse, gzip, math, os, time
import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RECIPES = {
    "lenet5": dict(epochs=7, batch=64, peak=0.004),
    "cnn_wide": dict(epochs=5, batch=128, peak=0.006),
}


def network(name):
    nn = torch.nn
    if name == "lenet5":
        return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                             nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                             nn.Linear(84, 10))
    return nn.Sequential(nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 5, padding=2),
                         nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Dropout(0.25),
                         nn.Linear(128, 10))


def idx(data, name, offset):
    with gzip.open(os.path.join(data, name + ".gz"), "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def augment(x, generator):
    """x: (n, 1, 28, 28) in [0, 1]; each sample rotated, scaled and shifted about the centre."""
    n = x.shape[0]
    angle = (torch.rand(n, generator=generator) * 2 - 1) * (8 * math.pi / 180)
    scale = 1 + (torch.rand(n, generator=generator) * 2 - 1) * 0.08
    shift = (torch.rand(n, 2, generator=generator) * 2 - 1) * 1.5 * (2 / 28)  # pixels in grid units
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin, -shift[:, 0]], 1), torch.stack([sin, cos, -shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, x.shape, align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--preset", default="lenet5", choices=sorted(RECIPES))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", default=os.environ.get("MNISTD_DATA_DIR", os.path.join(ROOT, "..", "shared", "mnist")))
    args = parser.parse_args()
    recipe = RECIPES[args.preset]
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    train_x = torch.from_numpy(idx(args.data_dir, "train-images-idx3-ubyte", 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255)
    train_y = torch.from_numpy(idx(args.data_dir, "train-labels-idx1-ubyte", 8).astype(np.int64))
    test_x = torch.from_numpy(idx(args.data_dir, "t10k-images-idx3-ubyte", 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255)
    test_y = torch.from_numpy(idx(args.data_dir, "t10k-labels-idx1-ubyte", 8).astype(np.int64))
    norm = lambda x: (x - 0.1307) / 0.3081
    model = network(args.preset)
    weights = [p for n, p in model.named_parameters() if n.endswith("weight")]
    biases = [p for n, p in model.named_parameters() if n.endswith("bias")]
    optimizer = torch.optim.AdamW([{"params": weights, "weight_decay": 0.05}, {"params": biases, "weight_decay": 0.0}],
                                  lr=recipe["peak"])
    per_epoch = math.ceil(len(train_y) / recipe["batch"])
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=recipe["peak"], total_steps=recipe["epochs"] * per_epoch,
                                                   cycle_momentum=False)
    start = time.perf_counter()
    for epoch in range(recipe["epochs"]):
        model.train()
        order = torch.randperm(len(train_y), generator=generator)
        for b in range(per_epoch):
            rows = order[b * recipe["batch"]:(b + 1) * recipe["batch"]]
            x = norm(augment(train_x[rows], generator))
            optimizer.zero_grad(set_to_none=True)
            F.cross_entropy(model(x), train_y[rows]).backward()
            optimizer.step()
            schedule.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(norm(test_x[i:i + 1000])).argmax(1) == test_y[i:i + 1000]).sum().item() for i in range(0, 10000, 1000))
    seconds = time.perf_counter() - start
    print(f"preset={args.preset} threads={args.threads} epochs={recipe['epochs']} seconds={seconds:.1f} "
          f"test_accuracy={correct / 10000:.4f} torch={torch.__version__}")


if __name__ == "__main__":
    main()
