"""Spans, batches and calibration: the pieces that make short text part of training."""
from __future__ import annotations

import numpy as np

from batches import Examples, batches, reviews, sentences, spans
from calibration import calibrated, fit_temperature, reliability
from prepared import Split

# Review 0: "a b . c d e ! f g h" (ids: . = 3, ! = 4); review 1 has no sentence end.
IDS = np.array([5, 6, 3, 7, 8, 9, 4, 10, 11, 12, 5, 6, 7], dtype=np.int32)
SPLIT = Split(ids=IDS, offsets=np.array([0, 10, 13]), labels=np.array([1, 0], dtype=np.uint8), ratings=np.array([10, 3], dtype=np.uint8))
ENDS = np.array([3, 4], dtype=np.int32)


def test_sentences_end_at_their_punctuation():
    assert sentences(SPLIT, 0, ENDS) == [(0, 3), (3, 7), (7, 10)]
    assert sentences(SPLIT, 1, ENDS) == [(10, 13)]


def test_spans_are_whole_sentences_of_strong_reviews_with_their_label():
    rng = np.random.default_rng(0)
    for _ in range(20):
        cut = spans(SPLIT, np.array([0, 1]), ENDS, rng, strong_only=False)
        assert len(cut) == 1  # review 1 is one sentence: already a span
        assert cut.starts[0] in (0, 3, 7) and cut.ends[0] in (3, 7, 10) and cut.labels[0] == 1
    weak = Split(ids=IDS, offsets=SPLIT.offsets, labels=SPLIT.labels, ratings=np.array([6, 3], dtype=np.uint8))
    assert len(spans(weak, np.array([0]), ENDS, rng, strong_only=True)) == 0


def test_batches_hold_every_example_once_padded_right():
    examples = Examples.concat([reviews(SPLIT, np.array([0, 1])), Examples([3], [7], [1.0])])
    seen = []
    for group, (ids, lengths, labels) in batches(SPLIT, examples, 2, np.random.default_rng(1)):
        seen += list(group)
        for row, i in enumerate(group):
            n = examples.lengths()[i]
            assert lengths[row] == n and ids[row, :n].tolist() == IDS[examples.starts[i]:examples.ends[i]].tolist()
            assert (ids[row, n:] == 0).all()
    assert sorted(seen) == [0, 1, 2]


def test_temperature_softens_overconfident_short_text_more():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 4000)
    lengths = np.where(np.arange(4000) < 2000, 8, 300)
    # Long inputs: right 95% of the time; short ones 70%, with the same (overconfident) logits.
    right = rng.random(4000) < np.where(lengths == 8, 0.7, 0.95)
    logits = np.where(right == (labels == 1), 6.0, -6.0)
    a, b = fit_temperature(logits, lengths, labels)
    assert b < 0  # shorter input, higher temperature
    scores = calibrated(logits, lengths, a, b)
    for n in (8, 300):
        part = lengths == n
        assert reliability(scores[part], labels[part])["ece"] < 0.05
    assert reliability(1 / (1 + np.exp(-logits[lengths == 8])), labels[lengths == 8])["ece"] > 0.25


def test_ece_of_a_perfectly_calibrated_scorer_is_small_and_of_a_liar_large():
    rng = np.random.default_rng(1)
    scores = rng.random(20000)
    labels = (rng.random(20000) < scores).astype(int)
    assert reliability(scores, labels)["ece"] < 0.02
    assert reliability(np.where(scores > 0.5, 1.0, 0.0), labels)["ece"] > 0.2
