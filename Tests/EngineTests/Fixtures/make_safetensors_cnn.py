"""Trains a small CNN on MNIST in PyTorch and saves it with safetensors.torch as mnistd imports it.

1x28x28 -> conv 4 5x5 pad 2, relu -> maxpool 2 -> conv 8 3x3, relu -> maxpool 2 -> flatten -> dense 32, relu
-> dense 10, softmax. 400 Adam steps of 64 images (seed 23) from the first 20,000 training images, x/255.
Writes cnn.safetensors (tensors layers.{i}.weight / layers.{i}.bias, i = index in the architecture's layers,
the architecture JSON in __metadata__.architecture) and cnn_predictions.json: for the first 32 test images,
PyTorch's softmax of the float32 weights evaluated in float64 (the reference) and its labels.

usage: python3 make_safetensors_cnn.py MNIST_DIR   (the directory holding the four .gz IDX files)
"""
import gzip
import json
import os
import sys

import numpy as np
import torch
from safetensors.torch import save_file


def idx(path):
    with gzip.open(path) as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    mnist = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    train_x = torch.tensor(idx(os.path.join(mnist, "train-images-idx3-ubyte.gz"))[:20000], dtype=torch.float32) / 255
    train_y = torch.tensor(idx(os.path.join(mnist, "train-labels-idx1-ubyte.gz"))[:20000], dtype=torch.long)
    test_x = torch.tensor(idx(os.path.join(mnist, "t10k-images-idx3-ubyte.gz"))[:32], dtype=torch.float32) / 255
    torch.manual_seed(23)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 4, 5, padding=2), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(4, 8, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(8 * 6 * 6, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
    optimizer = torch.optim.Adam(net.parameters(), lr=0.003)
    generator = torch.Generator().manual_seed(23)
    for _ in range(400):
        batch = torch.randint(0, 20000, (64,), generator=generator)
        loss = torch.nn.functional.cross_entropy(net(train_x[batch].unsqueeze(1)), train_y[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    # The architecture's layers; torch's Sequential index -> ours (ReLU is the layers' activation, not a layer).
    architecture = {"format": "mnistd-net-v2", "input": [1, 28, 28], "normalize": "unit", "output": "softmax", "layers": [
        {"type": "conv2d", "kernel": [5, 5], "stride": [1, 1], "padding": [2, 2], "activation": "relu"},
        {"type": "maxpool", "size": [2, 2], "stride": [2, 2]},
        {"type": "conv2d", "kernel": [3, 3], "stride": [1, 1], "padding": [0, 0], "activation": "relu"},
        {"type": "maxpool", "size": [2, 2], "stride": [2, 2]},
        {"type": "flatten"},
        {"type": "dense", "activation": "relu"},
        {"type": "dense", "activation": "softmax"},
    ]}
    ours = {0: 0, 3: 2, 7: 5, 9: 6}
    tensors = {}
    for name, value in net.state_dict().items():
        index, kind = name.split(".")
        tensors[f"layers.{ours[int(index)]}.{kind}"] = value.detach().contiguous()
    save_file(tensors, os.path.join(here, "cnn.safetensors"), metadata={"architecture": json.dumps(architecture)})

    with torch.no_grad():
        reference = torch.softmax(net.double()(test_x.double().unsqueeze(1)), dim=1)
    json.dump({"torch": torch.__version__, "test_indices": list(range(32)),
               "probabilities": reference.tolist(), "labels": reference.argmax(1).tolist()},
              open(os.path.join(here, "cnn_predictions.json"), "w"))
    print("loss", float(loss), "labels", reference.argmax(1).tolist())


if __name__ == "__main__":
    main()
