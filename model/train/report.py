"""Prints a Markdown table of model cards side by side: test accuracy, ROC AUC, F1, each
branch's test accuracy alone and mixed (the ablation), calibration error on the test split and
on short text, size, parameters and training time.

    model/train/.venv/bin/python model/train/report.py model/artifacts/rnn-v3 model/artifacts/seed-lstm
    model/train/.venv/bin/python model/train/report.py --attach-baseline model/artifacts/seed-lstm model/artifacts/rnn-v3

--attach-baseline writes the first card's test metrics into the second card under "baselines"
(card.json is not among the hashed files, so the artifact stays valid): the seed preset and
the shipped model side by side in the shipped card.
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
    ece = lambda figures: f"{figures['ece']['ece']:.4f}" if isinstance(figures, dict) and "ece" in figures else "-"  # noqa: E731
    short = card["metrics"].get("validation", {}).get("short", {})
    size = (folder / "model.onnx").stat().st_size / 1e6
    return (f"| {card['version']} ({card['preset']}) | {pct(test.get('accuracy'))} | {test.get('roc_auc', float('nan')):.4f} | "
            f"{test.get('f1', float('nan')):.4f} | {pct(branches.get('recurrent'))} | {pct(branches.get('ngram'))} | "
            f"{pct(branches.get('mixed'))} | {ece(test)} | {pct(short.get('accuracy'))} | {ece(short)} | "
            f"{size:.2f} MB | {card['parameters']:,} | {card['training']['seconds'] / 60:.1f} min |")


def attach_baseline(baseline: Path, target: Path) -> None:
    source = json.loads((baseline / "card.json").read_text())
    card_path = target / "card.json"
    card = json.loads(card_path.read_text())
    card.setdefault("baselines", {})[source["preset"]] = {
        "version": source["version"], "model": source["model"], "parameters": source["parameters"],
        "training_seconds": source["training"]["seconds"], "test": source["metrics"].get("test"),
    }
    card_path.write_text(json.dumps(card, indent=2) + "\n")
    print(f"attached {source['version']} ({source['preset']}) to {card_path}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--attach-baseline":
        attach_baseline(Path(sys.argv[2]), Path(sys.argv[3]))
        raise SystemExit(0)
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    print("| model | test accuracy | ROC AUC | F1 | recurrent alone | n-gram alone | mixed | test ECE | short-text validation accuracy | short-text ECE | model.onnx | parameters | training |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for folder in sys.argv[1:]:
        print(row(Path(folder)))
