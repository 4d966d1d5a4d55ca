"""Chooses the band of calibrated scores around 0.5 in which ReelSense answers "mixed" instead of
a side: the scores where the model is right less than TARGET of the time, measured on the
validation reviews and the short-text validation set together (never the test split). Going out
from 0.5 in rings of STEP, the band takes each ring whose accuracy is below TARGET and ends at the
first ring where the model is right TARGET of the time or more. (The accuracy of the whole band
would be the wrong test: the near-coin-flips at its centre would pull in confident rings.)
Prints accuracy by distance from 0.5, then the band; --write-card puts it in the card as
`mixed_band`, which inference reads (model/inference/card.ts). card.json is not among the hashed
files, so the artifact stays valid.

    model/train/.venv/bin/python model/train/mixed_band.py [model/artifacts/rnn-v3] [--write-card]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batches import batches, reviews, short_validation  # noqa: E402
from prepared import load_prepared  # noqa: E402
from splits import split_validation  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TARGET = 0.70  # "right less than about 70% of the time"
STEP = 0.025  # band half-widths tried: 0.025, 0.05, ...


def validation_scores(folder: Path) -> tuple[np.ndarray, np.ndarray]:
    import onnxruntime as ort

    session = ort.InferenceSession(str(folder / "model.onnx"), providers=["CPUExecutionProvider"])
    data = load_prepared(ROOT / "model" / "prepared", splits=("train",))
    train = data.splits["train"]
    _, val_rows = split_validation(len(train))
    scores, labels = [], []
    for examples in (reviews(train, val_rows), short_validation(train, val_rows, data.vocab)):
        s = np.zeros(len(examples))
        for group, (ids, lengths, _) in batches(train, examples, 64, None):
            s[group] = session.run(["positive"], {"ids": ids.numpy(), "lengths": lengths.numpy()})[0]
        scores.append(s)
        labels.append(examples.labels >= 0.5)
    return np.concatenate(scores), np.concatenate(labels)


def choose_band(scores: np.ndarray, labels: np.ndarray) -> float:
    """The half-width w of the band: rings out from 0.5 until one is right >= TARGET of the time."""
    right = (scores >= 0.5) == labels
    best, open_band = 0.0, True
    print("| half-width | examples in band | accuracy in band | accuracy of the ring |\n| --- | --- | --- | --- |")
    previous = 0.0
    for w in np.arange(STEP, 0.5, STEP):
        band = np.abs(scores - 0.5) <= w
        ring = band & (np.abs(scores - 0.5) > previous)
        acc = float(right[band].mean()) if band.any() else float("nan")
        ring_acc = float(right[ring].mean()) if ring.any() else float("nan")
        print(f"| {w:.3f} | {int(band.sum()):,} | {100 * acc:.1f}% | {100 * ring_acc:.1f}% |")
        if open_band and ring.any():
            if ring_acc < TARGET:
                best = float(w)
            else:
                open_band = False
        previous = w
    return best


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    folder = Path(args[0]) if args else ROOT / "model" / "artifacts" / "rnn-v3"
    card = json.loads((folder / "card.json").read_text("utf-8"))
    scores, labels = validation_scores(folder)
    w = choose_band(scores, labels)
    share = float((np.abs(scores - 0.5) <= w).mean())
    print(f"\n{card['version']}: mixed when {0.5 - w:.3f} <= score <= {0.5 + w:.3f} "
          f"({100 * share:.1f}% of {len(scores):,} validation examples)")
    if "--write-card" in sys.argv:
        card["mixed_band"] = {"low": round(0.5 - w, 4), "high": round(0.5 + w, 4), "target_accuracy": TARGET,
                              "validation_share": round(share, 4), "chosen_on": "validation reviews and short-text validation",
                              "command": "model/train/.venv/bin/python model/train/mixed_band.py --write-card"}
        (folder / "card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", "utf-8")
