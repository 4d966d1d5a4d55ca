"""The n-gram branch's prior: naive-Bayes log-count ratios (NBSVM, Wang and Manning 2012) that
scale each unigram and hashed-bigram weight of model.py's n-gram branch."""
from __future__ import annotations

import numpy as np
import torch


def ngram_prior(model, split, indices: np.ndarray, alpha: float = 1.0) -> tuple[torch.Tensor, torch.Tensor]:
    """log((p / |p|) / (q / |q|)) of each unigram and bigram bucket, where p and q count the
    positive and negative reviews among `indices` that contain it, plus alpha."""
    counts = {"unigram": np.full((2, model.config.vocab_size), alpha), "bigram": np.full((2, model.config.ngram_buckets), alpha)}
    for i in indices:
        review = torch.from_numpy(split.review(int(i)).astype(np.int64)).unsqueeze(0)
        label = int(split.labels[i])
        np.add.at(counts["unigram"][label], np.unique(review.numpy()), 1.0)
        np.add.at(counts["bigram"][label], np.unique(model.bigram_buckets(review).numpy()), 1.0)
    ratio = {}
    for name, (negative, positive) in counts.items():
        ratio[name] = torch.tensor(np.log((positive / positive.sum()) / (negative / negative.sum())), dtype=torch.float32)
    return ratio["unigram"], ratio["bigram"]
