"""Scores a model artifact's ONNX file on the validation reviews, the short-text validation set
and the test split, as train.py measures its own model: accuracy and expected calibration error.
For comparing artifacts on the same data (an older model has no such figures in its card).

    model/train/.venv/bin/python model/train/score.py model/artifacts/rnn-v3 model/artifacts/seed-lstm
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batches import batches, reviews, short_validation  # noqa: E402
from calibration import reliability  # noqa: E402
from prepared import load_prepared  # noqa: E402
from splits import split_validation  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def score(folder: Path, data_dir: Path) -> dict:
    import onnxruntime as ort

    session = ort.InferenceSession(str(folder / "model.onnx"), providers=["CPUExecutionProvider"])
    data = load_prepared(data_dir, splits=("train", "test"))
    vocab = json.loads((folder / "vocab.json").read_text("utf-8"))
    if vocab["tokens"] != data.vocab["tokens"] or vocab["maxLength"] != data.vocab["maxLength"]:
        raise SystemExit(f"error: {folder} was trained on another vocabulary or length rule than {data_dir}; prepare its data first.")
    train, test = data.splits["train"], data.splits["test"]
    _, val_rows = split_validation(len(train))
    sets = {"validation reviews": (train, reviews(train, val_rows)),
            "short-text validation": (train, short_validation(train, val_rows, data.vocab)),
            "test": (test, reviews(test, np.arange(len(test))))}
    out = {}
    for name, (split, examples) in sets.items():
        scores = np.zeros(len(examples))
        for group, (ids, lengths, _) in batches(split, examples, 64, None):
            scores[group] = session.run(["positive"], {"ids": ids.numpy(), "lengths": lengths.numpy()})[0]
        out[name] = {"examples": len(examples), "accuracy": float(np.mean((scores >= 0.5) == (examples.labels >= 0.5))),
                     "ece": reliability(scores, examples.labels)["ece"]}
    return out


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    print("| model | set | examples | accuracy | ECE |\n| --- | --- | --- | --- | --- |")
    for arg in sys.argv[1:]:
        folder = Path(arg)
        version = json.loads((folder / "card.json").read_text())["version"]
        for name, figures in score(folder, ROOT / "model" / "prepared").items():
            print(f"| {version} | {name} | {figures['examples']:,} | {100 * figures['accuracy']:.2f}% | {figures['ece']:.4f} |", flush=True)
