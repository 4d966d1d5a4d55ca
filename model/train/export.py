"""ONNX export of the model, with a parity check against PyTorch."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

OPSET = 17


def export_onnx(model: torch.nn.Module, path: Path, samples: list) -> dict:
    """Writes model.onnx (inputs ids [batch, length] int64 and lengths [batch] int64, output
    positive [batch] float32) and returns the largest |ONNX - PyTorch| over `samples`."""
    import onnxruntime as ort

    model.eval()
    ids, lengths, _ = samples[0]
    torch.onnx.export(
        model, (ids, lengths), str(path), dynamo=False, opset_version=OPSET,
        input_names=["ids", "lengths"], output_names=["positive"],
        dynamic_axes={"ids": {0: "batch", 1: "length"}, "lengths": {0: "batch"}, "positive": {0: "batch"}},
    )
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    worst, count = 0.0, 0
    with torch.no_grad():
        for ids, lengths, _ in samples:
            expected = model(ids, lengths).numpy()
            got = session.run(["positive"], {"ids": ids.numpy(), "lengths": lengths.numpy()})[0]
            worst = max(worst, float(np.max(np.abs(expected - got))))
            count += len(ids)
    return {"opset": OPSET, "parity_reviews": count, "parity_max_abs_diff": worst}
