"""Prints a Markdown table of model cards side by side: test accuracy, ROC AUC, F1, each
branch's test accuracy (the ablation), size, parameters and training time.

    model/train/.venv/bin/python model/train/report.py model/artifacts/rnn-v1 model/runs/seed
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def row(folder: Path) -> str:
    card = json.loads((folder / "card.json").read_text())
    test = card["metrics"].get("test", {})
    branches = card["metrics"].get("branches", {}).get("test", {})
    pct = lambda x: f"{100 * x:.2f}%" if isinstance(x, (int, float)) else "-"  # noqa: E731
    size = (folder / "model.onnx").stat().st_size / 1e6
    return (f"| {card['version']} ({card['preset']}) | {pct(test.get('accuracy'))} | {test.get('roc_auc', float('nan')):.4f} | "
            f"{test.get('f1', float('nan')):.4f} | {pct(branches.get('recurrent'))} | {pct(branches.get('ngram'))} | "
            f"{size:.2f} MB | {card['parameters']:,} | {card['training']['seconds'] / 60:.1f} min |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    print("| model | test accuracy | ROC AUC | F1 | recurrent branch alone | n-gram branch alone | model.onnx | parameters | training |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for folder in sys.argv[1:]:
        print(row(Path(folder)))
