"""Mixing the recurrent and n-gram branches: logit = a * recurrent + b * n-gram + c, a
logistic regression on two inputs fitted on validation data, never on what either branch
trained on. It exists to show whether the n-gram branch adds anything (the card reports both)."""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F


def fit_mix(mix: torch.nn.Linear, recurrent: np.ndarray, ngram: np.ndarray, labels: np.ndarray) -> None:
    x = torch.tensor(np.stack([recurrent, ngram], axis=1), dtype=torch.float32)
    target = torch.tensor(labels == 1, dtype=torch.float32)
    mix.requires_grad_(True)
    optimizer = torch.optim.LBFGS(mix.parameters(), lr=0.5, max_iter=100)

    def closure():
        optimizer.zero_grad()
        loss = F.binary_cross_entropy_with_logits(mix(x).squeeze(1), target)
        loss.backward()
        return loss

    optimizer.step(closure)
    mix.requires_grad_(False)
