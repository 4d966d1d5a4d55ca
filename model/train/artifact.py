"""Writes the artifact folder: model.onnx (checked against PyTorch), vocab.json and card.json
(settings, metrics, calibration and the sha256 of every file; model/inference/card.ts reads it)."""
from __future__ import annotations

import json
import os
import platform
import shutil
import time
from pathlib import Path

import numpy as np
import torch

from batches import collate, reviews
from export import export_onnx
from prepared import PreparedData, sha256_of


def write_artifact(model, train_data: PreparedData, test_data: PreparedData, out: Path, result: dict) -> None:
    model.eval()
    split = test_data.splits.get("test") or train_data.splits["train"]
    sample = reviews(split, np.arange(min(1000, len(split))))
    groups = [np.arange(i, min(i + 100, len(sample))) for i in range(0, len(sample), 100)]
    parity = export_onnx(model, out / "model.onnx", [collate(split, sample, g) for g in groups])
    shutil.copyfile(train_data.directory / "vocab.json", out / "vocab.json")
    files = {name: sha256_of(out / name) for name in ("model.onnx", "vocab.json")}
    config, evaluation = result["config"], result["evaluation"]
    card = {
        "format": "reelsense-model-card",
        "version": config["version"],
        "preset": config["preset"],
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "dataset": {"name": "IMDB Large Movie Review Dataset (aclImdb v1)", "splits": train_data.manifest["source"]["files"]},
        "textPipeline": train_data.manifest["textPipeline"],
        "vocabulary": {k: train_data.manifest["vocabulary"][k] for k in ("size", "maxSize", "minCount", "maxLength")},
        "encoder": result["encoder"],
        "model": result["model"],
        "parameters": result["parameters"],
        "calibration": {**result["calibration"], "rule": "P = sigmoid(logit / exp(a + b * ln(tokens)))"},
        "training": {"hyperparameters": {k: v for k, v in config.items() if k not in ("data_dir", "test_dir", "out_dir", "encoder_dir")},
                     "seconds": result["training_seconds"], "best_epochs": result["best_epochs"], "history": result["history"],
                     "machine": f"{platform.machine()} {os.cpu_count()} cores, torch {torch.__version__}, {torch.get_num_threads()} threads"},
        "metrics": {"validation_accuracy": evaluation["validation"]["reviews"]["accuracy"],
                    "validation": evaluation["validation"],
                    **({"test": evaluation["test"]} if "test" in evaluation else {}),
                    "branches": evaluation["branches"], "ngram": evaluation["ngram"]},
        "onnx": parity,
        "files": files,
    }
    (out / "card.json").write_text(json.dumps(card, indent=2) + "\n")
    print(f"wrote {out}/model.onnx ({(out / 'model.onnx').stat().st_size / 1e6:.2f} MB), vocab.json, card.json")
