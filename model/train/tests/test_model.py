"""The model: shapes, padding invariance, and that it can learn (two-batch overfit)."""
from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from model import ModelConfig, SentimentRNN

CONFIGS = [
    ModelConfig(vocab_size=50, embed_dim=8, hidden=6),
    ModelConfig(vocab_size=50, embed_dim=8, hidden=6, cell="lstm", bidirectional=False, pooling="last", dropout=0.0),
    ModelConfig(vocab_size=50, embed_dim=8, hidden=6, ngram_buckets=97),
]


def randomised(model: SentimentRNN) -> SentimentRNN:
    """The n-gram weights start at zero; tests want them to matter."""
    if model.config.ngram_buckets > 0:
        torch.manual_seed(3)
        torch.nn.init.normal_(model.unigram_weights.weight)
        torch.nn.init.normal_(model.bigram_weights.weight)
    return model


def batch(lengths: list[int], vocab: int = 50, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    ids = torch.zeros(len(lengths), max(lengths), dtype=torch.long)
    for row, n in enumerate(lengths):
        ids[row, :n] = torch.randint(2, vocab, (n,), generator=g)
    return ids, torch.tensor(lengths)


@pytest.mark.parametrize("config", CONFIGS, ids=["bigru-maxmean", "seed-lstm-last", "bigru-ngrams"])
def test_outputs_one_probability_per_review(config):
    model = randomised(SentimentRNN(config)).eval()
    ids, lengths = batch([5, 1, 9])
    out = model(ids, lengths)
    assert out.shape == (3,)
    assert torch.all((out > 0) & (out < 1))


@pytest.mark.parametrize("config", CONFIGS, ids=["bigru-maxmean", "seed-lstm-last", "bigru-ngrams"])
def test_padding_never_changes_a_score(config):
    model = randomised(SentimentRNN(config)).eval()
    ids, lengths = batch([4, 7])
    padded = torch.cat([ids, torch.zeros(2, 11, dtype=torch.long)], dim=1)
    with torch.no_grad():
        assert torch.allclose(model(ids, lengths), model(padded, lengths), atol=1e-6)
        # A review scores the same alone as beside a longer one.
        alone = model(ids[:1, :4], lengths[:1])
        assert torch.allclose(alone, model(ids, lengths)[:1], atol=1e-6)


def test_two_batches_can_be_learned_by_heart():
    torch.manual_seed(0)
    model = SentimentRNN(ModelConfig(vocab_size=50, embed_dim=16, hidden=16, dropout=0.0))
    batches = [batch([6, 9, 3, 12], seed=1), batch([8, 5, 10, 4], seed=2)]
    labels = [torch.tensor([1.0, 0.0, 1.0, 0.0]), torch.tensor([0.0, 1.0, 1.0, 0.0])]
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(150):
        for (ids, lengths), y in zip(batches, labels):
            loss = F.binary_cross_entropy(model(ids, lengths), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    with torch.no_grad():
        final = sum(F.binary_cross_entropy(model(ids, lengths), y).item() for (ids, lengths), y in zip(batches, labels))
    assert final < 0.02


def test_validation_mix_follows_the_branch_that_knows():
    import numpy as np

    from mix import fit_mix

    model = SentimentRNN(ModelConfig(vocab_size=10, embed_dim=4, hidden=4, ngram_buckets=8))
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 400)
    recurrent, ngram = rng.normal(size=400), (labels * 2 - 1) * (1 + rng.random(400))
    fit_mix(model.mix, recurrent, ngram, labels)
    mixed = model.mix(torch.tensor(np.stack([recurrent, ngram], 1), dtype=torch.float32)).squeeze(1).detach().numpy()
    assert np.mean((mixed > 0) == (labels == 1)) == 1.0
    assert abs(model.mix.weight[0, 1].item()) > abs(model.mix.weight[0, 0].item())


def test_calibration_divides_the_logit_by_a_length_dependent_temperature():
    model = SentimentRNN(ModelConfig(vocab_size=50, embed_dim=8, hidden=6)).eval()
    ids, lengths = batch([3, 9])
    with torch.no_grad():
        logit = model.logit(ids, lengths)
        assert torch.allclose(model(ids, lengths), torch.sigmoid(logit))
        model.calibration.copy_(torch.tensor([0.5, -0.2]))
        temperature = torch.exp(0.5 - 0.2 * torch.log(lengths.float()))
        assert torch.allclose(model(ids, lengths), torch.sigmoid(logit / temperature))


def test_layer_groups_cover_the_recurrent_branch_top_down():
    model = SentimentRNN(ModelConfig(vocab_size=50, embed_dim=8, hidden=6, ngram_buckets=16))
    head, rnns, embedding = model.layer_groups()
    assert head == list(model.head.parameters()) and embedding == [model.embedding.weight]
    assert {id(p) for g in (head, rnns, embedding) for p in g} == {id(p) for p in model.branch_parameters()["recurrent"]}


def test_distinct_marks_each_value_once_and_never_padding():
    from model import distinct

    x = torch.tensor([[5, 7, 5, 9, 7, 0, 0], [3, 3, 3, 0, 0, 0, 0]])
    valid = torch.tensor([[True] * 5 + [False] * 2, [True] * 3 + [False] * 4])
    values, first = distinct(x, valid)
    assert sorted(values[0][first[0]].tolist()) == [5, 7, 9]
    assert values[1][first[1]].tolist() == [3]
    assert first.sum(1).tolist() == [3, 1]


def test_ngram_branch_counts_each_ngram_once():
    model = randomised(SentimentRNN(ModelConfig(vocab_size=50, embed_dim=4, hidden=4, ngram_buckets=97))).eval()
    # "x y x y x y" holds the same unigrams {x, y} and bigrams {xy, yx} as "x y x".
    ids = torch.tensor([[7, 9, 7, 9, 7, 9], [7, 9, 7, 0, 0, 0]])
    with torch.no_grad():
        logit = model.branch_logits(ids, torch.tensor([6, 3]), ("ngram",))["ngram"]
    assert torch.allclose(logit[0], logit[1])


def test_folding_the_prior_keeps_every_score():
    model = randomised(SentimentRNN(ModelConfig(vocab_size=50, embed_dim=4, hidden=4, ngram_buckets=97))).eval()
    g = torch.Generator().manual_seed(5)
    model.set_ngram_prior(torch.randn(50, generator=g), torch.randn(97, generator=g))
    ids, lengths = batch([5, 1, 9])
    with torch.no_grad():
        before = model(ids, lengths)
        model.fold_ngram_prior()
        assert "unigram_prior" not in model.state_dict()
        assert torch.allclose(model(ids, lengths), before, atol=1e-6)


def test_int8_embedding_keeps_scores_and_exports(tmp_path):
    import numpy as np
    import onnxruntime as ort

    from export import export_onnx

    model = SentimentRNN(ModelConfig(vocab_size=50, embed_dim=8, hidden=6, cell="lstm")).eval()
    ids, lengths = batch([3, 9, 5])
    with torch.no_grad():
        before = model(ids, lengths)
        model.quantize_embedding()
        after = model(ids, lengths)
    assert model.embedding is None and model.embedding_int8.dtype == torch.int8
    assert torch.allclose(before, after, atol=2e-2)
    parity = export_onnx(model, tmp_path / "model.onnx", [(ids, lengths, None)])
    assert parity["parity_max_abs_diff"] < 1e-5
    session = ort.InferenceSession(str(tmp_path / "model.onnx"))
    got = session.run(["positive"], {"ids": ids.numpy(), "lengths": lengths.numpy()})[0]
    assert np.allclose(got, after.numpy(), atol=1e-5)
