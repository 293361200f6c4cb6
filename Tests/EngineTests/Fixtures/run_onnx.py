"""Checks an ONNX model with onnx.checker (full_check: shapes inferred too) and runs it in onnxruntime.

usage: run_onnx.py MODEL.onnx IMAGES.json
IMAGES.json is a list of images, each 784 float32 values already normalised. Prints a JSON object with the
model's opset and ir_version and "probabilities": one row per image, each float32 value as a float.
"""
import json
import sys

import numpy as np
import onnx
import onnxruntime


def main():
    path, images_path = sys.argv[1], sys.argv[2]
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    with open(images_path) as f:
        images = np.array(json.load(f), dtype=np.float32).reshape(-1, 1, 28, 28)
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    inputs = [i.name for i in session.get_inputs()]
    outputs = [o.name for o in session.get_outputs()]
    (probabilities,) = session.run(["probabilities"], {"image": images})
    json.dump({"inputs": inputs, "outputs": outputs, "ir_version": model.ir_version,
               "opset": [o.version for o in model.opset_import],
               "probabilities": probabilities.astype(np.float64).tolist()}, sys.stdout)


if __name__ == "__main__":
    main()
