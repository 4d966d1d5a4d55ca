"""Calibration: a temperature that depends on input length, fitted on validation data holding
long reviews and short spans alike, and the expected calibration error that checks it.

The calibrated logit is logit / T(n) with T(n) = exp(a + b * log(n)) for an input of n tokens:
one number (b = 0) is plain temperature scaling (Guo et al. 2017); b lets short text, where the
model is less sure than its raw score says, be softened more than a long review.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

BINS = 15


def fit_temperature(logits: np.ndarray, lengths: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """(a, b) minimising the log loss of sigmoid(logit / exp(a + b log n)) on the data given."""
    x = torch.tensor(logits, dtype=torch.float64)
    log_n = torch.tensor(np.log(np.maximum(lengths, 1)), dtype=torch.float64)
    y = torch.tensor(labels, dtype=torch.float64)
    params = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.LBFGS([params], lr=0.5, max_iter=200)

    def closure():
        optimizer.zero_grad()
        loss = F.binary_cross_entropy_with_logits(x / torch.exp(params[0] + params[1] * log_n), y)
        loss.backward()
        return loss

    optimizer.step(closure)
    a, b = (float(v) for v in params.detach())
    return a, b


def calibrated(logits: np.ndarray, lengths: np.ndarray, a: float, b: float) -> np.ndarray:
    return 1 / (1 + np.exp(-logits / np.exp(a + b * np.log(np.maximum(lengths, 1)))))


def reliability(scores: np.ndarray, labels: np.ndarray, bins: int = BINS) -> dict:
    """ECE over `bins` equal-width bins of the predicted label's confidence, and the bins."""
    confidence = np.maximum(scores, 1 - scores)
    correct = (scores >= 0.5) == (labels == 1)
    edges = np.linspace(0.0, 1.0, bins + 1)  # as Guo et al. (2017); confidences fill the upper half
    index = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    table, ece = [], 0.0
    for b in range(bins):
        members = index == b
        if not members.any():
            continue
        conf, acc = float(confidence[members].mean()), float(correct[members].mean())
        ece += members.mean() * abs(conf - acc)
        table.append({"low": float(edges[b]), "high": float(edges[b + 1]), "count": int(members.sum()), "confidence": conf, "accuracy": acc})
    return {"ece": float(ece), "bins": table}
