"""Training examples as slices of a prepared split, and batches of them.

An example is (start, end, label): ids[start:end] of the split's flat id array. A whole review is
one example; a span is a window of one to a few of its sentences, cut at the ids of ".", "!",
"?" and "..." (Python sees ids only: the sentence ends are looked up in vocab.json), so that
one-sentence input, what the extension mostly sees, is in the training distribution.
"""
from __future__ import annotations

import numpy as np
import torch

SENTENCE_ENDS = (".", "!", "?", "...")


class Examples:
    def __init__(self, starts, ends, labels):
        self.starts = np.asarray(starts, dtype=np.int64)
        self.ends = np.asarray(ends, dtype=np.int64)
        self.labels = np.asarray(labels, dtype=np.float32)

    def __len__(self) -> int:
        return len(self.starts)

    def lengths(self) -> np.ndarray:
        return self.ends - self.starts

    @staticmethod
    def concat(parts: list["Examples"]) -> "Examples":
        return Examples(*(np.concatenate([getattr(p, k) for p in parts]) for k in ("starts", "ends", "labels")))


def reviews(split, rows: np.ndarray) -> Examples:
    return Examples(split.offsets[rows], split.offsets[rows + 1], split.labels[rows])


def sentence_end_ids(vocab: dict) -> np.ndarray:
    tokens = vocab["tokens"]
    return np.array([tokens.index(t) for t in SENTENCE_ENDS if t in tokens], dtype=np.int32)


def sentences(split, row: int, ends: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a review, in the split's flat coordinates."""
    base = int(split.offsets[row])
    review = split.review(row)
    cuts = np.flatnonzero(np.isin(review, ends)) + 1
    bounds = [0, *[int(c) for c in cuts if c < len(review)], len(review)]
    return [(base + a, base + b) for a, b in zip(bounds[:-1], bounds[1:]) if b - a >= 3]


def spans(split, rows: np.ndarray, ends: np.ndarray, rng: np.random.Generator, strong_only: bool,
          max_sentences: int = 3, max_tokens: int = 80) -> Examples:
    """One window of 1..max_sentences sentences from each review, labelled with the review's label.
    strong_only keeps reviews rated 1-2 or 9-10, whose sentences carry the verdict most often."""
    starts, stops, labels = [], [], []
    for row in rows:
        row = int(row)
        if strong_only and split.ratings is not None and 3 <= split.ratings[row] <= 8:
            continue
        parts = sentences(split, row, ends)
        if len(parts) < 2:
            continue  # a one-sentence review is already a span
        first = int(rng.integers(len(parts)))
        last = min(len(parts), first + int(rng.integers(1, max_sentences + 1))) - 1
        start, stop = parts[first][0], min(parts[last][1], parts[first][0] + max_tokens)
        starts.append(start)
        stops.append(stop)
        labels.append(split.labels[row])
    return Examples(starts, stops, labels)


def collate(split, examples: Examples, group: np.ndarray) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    lengths = np.maximum(examples.lengths()[group], 1)  # an empty example is one padding step
    ids = np.zeros((len(group), int(lengths.max())), dtype=np.int64)
    for row, i in enumerate(group):
        piece = split.ids[examples.starts[i]:examples.ends[i]]
        ids[row, :len(piece)] = piece
    return torch.from_numpy(ids), torch.from_numpy(lengths.astype(np.int64)), torch.from_numpy(examples.labels[group])


def batches(split, examples: Examples, batch_size: int, rng: np.random.Generator | None):
    """Length-bucketed batches, so padding costs little. With rng, pools of 50 batches are
    shuffled, sorted by length, cut, and the batches shuffled; without, in length order."""
    lengths = examples.lengths()
    if rng is None:
        order = np.argsort(lengths, kind="stable")
        groups = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
    else:
        shuffled = rng.permutation(len(examples))
        pool = batch_size * 50
        groups = []
        for start in range(0, len(shuffled), pool):
            chunk = shuffled[start:start + pool]
            chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
            groups += [chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size)]
        groups = [groups[i] for i in rng.permutation(len(groups))]
    for group in groups:
        yield group, collate(split, examples, group)


def short_validation(split, val_rows: np.ndarray, vocab: dict) -> Examples:
    """The short-text validation set: one window of one or two sentences from each strongly rated
    validation review, drawn once with a fixed seed, so every model is measured on the same spans."""
    return spans(split, val_rows, sentence_end_ids(vocab), np.random.default_rng(1338), strong_only=True, max_sentences=2)
