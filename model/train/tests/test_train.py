"""The training script end to end on a tiny prepared dataset: artifact, resume, SageMaker, options."""
from __future__ import annotations

import json

import pytest

import train
from prepared import PreparedDataError

TINY = ["--embed_dim=8", "--hidden=8", "--batch_size=2", "--val_fraction=0.25", "--patience=5", "--ngram_buckets=64", "--ngram_epochs=2",
        "--encoder_dir="]


def test_writes_a_complete_artifact(prepared_dir, tmp_path):
    out = tmp_path / "run"
    result = train.main([f"--data_dir={prepared_dir}", f"--out_dir={out}", "--epochs=2", "--version=test-1", *TINY])
    card = json.loads((out / "card.json").read_text())
    assert card["version"] == "test-1"
    assert set(card["files"]) == {"model.onnx", "vocab.json"}
    assert card["onnx"]["parity_max_abs_diff"] < 1e-5
    assert card["metrics"]["test"]["reviews"] == 2
    assert card["textPipeline"] == "reelsense-text/1"
    assert [(h["branch"], h["epoch"]) for h in result["history"]] == [("ngram", 1), ("ngram", 2), ("recurrent", 1), ("recurrent", 2)]
    assert set(card["metrics"]["branches"]["test"]) == {"ngram", "recurrent", "mixed", "model"}
    # The n-gram branch stays only if the mix beats the recurrent branch on validation.
    kept = card["metrics"]["ngram"]
    assert kept["ngram kept"] == (kept["mixed"] >= kept["recurrent"] + 0.002)
    assert card["model"]["ngram_buckets"] == (64 if kept["ngram kept"] else 0)
    assert set(card["metrics"]["validation"]) == {"reviews", "short"}
    assert 0 <= card["metrics"]["test"]["ece"]["ece"] <= 1
    assert set(card["calibration"]) >= {"a", "b"}


def test_resume_continues_after_the_last_epoch(prepared_dir, tmp_path):
    out = tmp_path / "run"
    first = train.main([f"--data_dir={prepared_dir}", f"--out_dir={out}", "--epochs=1", "--export=false", *TINY])
    resumed = train.main([f"--data_dir={prepared_dir}", f"--out_dir={out}", "--epochs=3", "--resume", "--export=false", *TINY])
    epochs = lambda result, branch: [h["epoch"] for h in result["history"] if h["branch"] == branch]  # noqa: E731
    assert epochs(first, "ngram") == [1, 2] and epochs(first, "recurrent") == [1]
    # The finished n-gram branch is not trained again; the recurrent one goes on from epoch 2.
    assert epochs(resumed, "ngram") == [1, 2] and epochs(resumed, "recurrent") == [1, 2, 3]


def test_sagemaker_environment_decides_where_data_and_model_go(prepared_dir, tmp_path, monkeypatch):
    model_dir = tmp_path / "opt-ml-model"
    monkeypatch.setenv("SM_CHANNEL_TRAIN", str(prepared_dir))
    monkeypatch.setenv("SM_CHANNEL_TEST", str(prepared_dir))
    monkeypatch.setenv("SM_MODEL_DIR", str(model_dir))
    # SageMaker passes hyperparameters as separate "--name value" arguments.
    train.main(["--epochs", "1", "--embed_dim", "8", "--hidden", "8", "--batch_size", "2", "--val_fraction", "0.25", "--encoder_dir", ""])
    assert sorted(p.name for p in model_dir.iterdir()) == ["card.json", "checkpoint.pt", "model.onnx", "vocab.json"]


def test_unknown_and_ill_typed_options_are_refused():
    with pytest.raises(SystemExit, match="unknown option --hiden"):
        train.configure(["--hiden=3"])
    with pytest.raises(SystemExit, match="--epochs must be an integer"):
        train.configure(["--epochs=many"])


def test_seed_preset_needs_seed_prepared_data(prepared_dir, tmp_path):
    with pytest.raises(PreparedDataError, match="data:prepare -- --vocab-size 5000 --max-length 500"):
        train.main(["--preset=seed", f"--data_dir={prepared_dir}", f"--out_dir={tmp_path}"])


def test_ngram_prior_favours_what_positive_reviews_contain():
    import numpy as np

    from model import ModelConfig, SentimentRNN
    from prepared import Split

    reviews = [[2, 3], [2, 3, 3], [4, 3], [4, 5]]  # 2 only in positive reviews, 4 only in negative, 3 in both
    split = Split(ids=np.array(sum(reviews, []), dtype=np.int32), offsets=np.cumsum([0] + [len(r) for r in reviews]),
                  labels=np.array([1, 1, 0, 0], dtype=np.uint8))
    model = SentimentRNN(ModelConfig(vocab_size=6, embed_dim=4, hidden=4, ngram_buckets=16))
    from ngram import ngram_prior

    unigram, bigram = ngram_prior(model, split, np.arange(4))
    assert unigram[2] > 0 > unigram[4]
    assert abs(unigram[3]) < unigram[2]
    assert bigram.shape == (16,)
    # Only the reviews given count: without the negative ones, 4 is as unseen as 0.
    unigram, _ = ngram_prior(model, split, np.arange(2))
    assert unigram[4] == unigram[0]


def test_gradual_unfreezing_thaws_one_layer_group_an_epoch():
    from model import ModelConfig, SentimentRNN

    model = SentimentRNN(ModelConfig(vocab_size=20, embed_dim=4, hidden=4, cell="lstm"))
    thawed = lambda: [all(p.requires_grad for p in group) for group in model.layer_groups()]  # noqa: E731
    for epoch, expected in [(1, [True, False, False]), (2, [True, True, False]), (3, [True, True, True])]:
        train.thaw(model, epoch, {"gradual_unfreezing": True})
        assert thawed() == expected
    train.thaw(model, 1, {"gradual_unfreezing": False})
    assert thawed() == [True, True, True]
    rates = [g["lr"] for g in train.optimizer_for(model, "recurrent", {"learning_rate": 3e-3, "lr_decay": 1.5, "weight_decay": 0.0}).param_groups]
    assert rates == pytest.approx([3e-3, 2e-3, 3e-3 / 2.25])
