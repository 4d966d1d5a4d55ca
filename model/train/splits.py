"""The one validation split of the IMDB training reviews, shared by pretraining and fine-tuning:
the reviews held out to choose the classifier are also held out of the language model, whose
held-out perplexity is measured on them. The test split is never read by either."""
from __future__ import annotations

import numpy as np

SPLIT_SEED = 1337
VAL_FRACTION = 0.1


def split_validation(n: int, fraction: float = VAL_FRACTION, seed: int = SPLIT_SEED) -> tuple[np.ndarray, np.ndarray]:
    """(train rows, validation rows), each sorted; the same for the same n, fraction and seed."""
    order = np.random.default_rng(seed).permutation(n)
    n_val = int(round(n * fraction))
    return np.sort(order[n_val:]), np.sort(order[:n_val])
