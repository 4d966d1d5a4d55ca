"""Pretraining end to end on a tiny corpus: it resumes, it stops on a signal, it writes an
encoder that fine-tuning loads, and both refuse data that does not fit."""
from __future__ import annotations

import json
import signal

import numpy as np
import pytest
import torch

import pretrain
import train
from encoder import load_encoder
from model import ModelConfig, SentimentRNN
from prepared import PreparedDataError, load_prepared
from splits import split_validation

TINY = ["--embed_dim=8", "--hidden=8", "--batch_size=2", "--bptt=4", "--warmup_steps=2", "--heldout_tokens=40", "--eval_minutes=0"]


def run(lm_prepared_dir, tmp_path, *extra):
    return pretrain.main([f"--data_dir={lm_prepared_dir}", f"--checkpoint_dir={tmp_path / 'ckpt'}", f"--out_dir={tmp_path / 'encoder'}", *TINY, *extra])


def test_writes_an_encoder_with_its_card(lm_prepared_dir, tmp_path):
    result = run(lm_prepared_dir, tmp_path, "--epochs=2")
    assert result["finished"]
    card = json.loads((tmp_path / "encoder" / "card.json").read_text())
    assert card["textPipeline"] == "reelsense-text/1"
    assert card["corpus"]["test"] == "never read" and card["corpus"]["unsupReviews"] == 12
    assert card["heldoutPerplexity"]["forward"] > 1
    weights = torch.load(tmp_path / "encoder" / "encoder.pt", weights_only=True)
    assert {"embedding.weight", "forward_rnn.weight_hh_l0", "backward_rnn.weight_hh_l0"} <= set(weights)
    assert not any(k.startswith("softmax.") for k in weights)


def test_held_out_rows_never_reach_the_training_stream(lm_prepared_dir, tmp_path):
    corpus = pretrain.build_corpus({"data_dir": str(lm_prepared_dir)})
    data = load_prepared(lm_prepared_dir, splits=("train", "unsup"))
    train, unsup = data.splits["train"], data.splits["unsup"]
    _, held = split_validation(len(train))
    assert len(held) == 2 and corpus["meta"]["heldoutReviews"] == 2
    assert len(corpus["heldout"]) == sum(len(train.review(int(i))) + 1 for i in held)
    assert len(corpus["train"]) + len(corpus["heldout"]) == len(train.ids) + len(train) + len(unsup.ids) + len(unsup)
    assert corpus["heldout"].dtype == np.uint16 and corpus["train"].dtype == np.uint16


def test_resumes_where_it_stopped(lm_prepared_dir, tmp_path):
    first = run(lm_prepared_dir, tmp_path, "--epochs=3", "--max_minutes=0.00001")
    assert not first["finished"] and first["state"]["step"] >= 1
    second = run(lm_prepared_dir, tmp_path, "--epochs=3")
    assert second["finished"] and second["state"]["step"] > first["state"]["step"]
    assert second["state"]["history"][0]["step"] == first["state"]["history"][0]["step"]


def test_a_signal_stops_it_cleanly_with_a_checkpoint(lm_prepared_dir, tmp_path, monkeypatch):
    real = pretrain.learning_rate_at

    def interrupted(step, total, config):
        if step == 1:
            signal.raise_signal(signal.SIGTERM)
        return real(step, total, config)

    monkeypatch.setattr(pretrain, "learning_rate_at", interrupted)
    result = run(lm_prepared_dir, tmp_path, "--epochs=3")
    assert not result["finished"] and result["state"]["step"] == 2
    assert list((tmp_path / "ckpt").glob("*/checkpoint.pt"))
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def test_refuses_a_folder_without_the_unlabelled_reviews(prepared_dir, tmp_path):
    with pytest.raises(PreparedDataError, match="--with-unsup"):
        pretrain.main([f"--data_dir={prepared_dir}", f"--checkpoint_dir={tmp_path}", *TINY])


def test_fine_tuning_starts_from_the_encoder(lm_prepared_dir, tmp_path):
    run(lm_prepared_dir, tmp_path, "--epochs=1")
    data = load_prepared(lm_prepared_dir, splits=("train",))
    model = SentimentRNN(ModelConfig(vocab_size=data.vocab_size, embed_dim=8, hidden=8, cell="lstm"))
    config = {"encoder_dir": str(tmp_path / "encoder"), "embed_dim": 8, "hidden": 8, "cell": "lstm", "bidirectional": True}
    load_encoder(model, config, data)
    weights = torch.load(tmp_path / "encoder" / "encoder.pt", weights_only=True)
    assert torch.equal(model.forward_rnn.weight_ih_l0, weights["forward_rnn.weight_ih_l0"].float())
    result = train.main([f"--data_dir={lm_prepared_dir}", f"--out_dir={tmp_path / 'run'}", f"--encoder_dir={tmp_path / 'encoder'}",
                         "--embed_dim=8", "--hidden=8", "--batch_size=2", "--epochs=3", "--patience=5", "--ngram_buckets=0", "--export=false"])
    assert [h["epoch"] for h in result["history"]] == [1, 2, 3]
    assert result["encoder"]["heldoutPerplexity"]["forward"] > 1


@pytest.mark.parametrize("change, message", [
    (lambda card: card.update(textPipeline="reelsense-text/0"), "text pipeline 'reelsense-text/0'"),
    (lambda card: card["vocabulary"].update(tokensSha256="0" * 64), "another vocabulary"),
    (lambda card: card["model"].update(hidden=9), "bidirectional LSTM with"),
])
def test_fine_tuning_refuses_an_encoder_built_for_other_ids(lm_prepared_dir, tmp_path, change, message):
    run(lm_prepared_dir, tmp_path, "--epochs=1")
    card_path = tmp_path / "encoder" / "card.json"
    card = json.loads(card_path.read_text())
    change(card)
    card_path.write_text(json.dumps(card))
    with pytest.raises(PreparedDataError, match=message):
        train.main([f"--data_dir={lm_prepared_dir}", f"--out_dir={tmp_path / 'run'}", f"--encoder_dir={tmp_path / 'encoder'}",
                    "--embed_dim=8", "--hidden=8", "--ngram_buckets=0", "--export=false"])


def test_fine_tuning_without_an_encoder_says_how_to_make_one(lm_prepared_dir, tmp_path):
    with pytest.raises(PreparedDataError, match="npm run pretrain"):
        train.main([f"--data_dir={lm_prepared_dir}", f"--out_dir={tmp_path}", f"--encoder_dir={tmp_path / 'none'}", "--export=false"])


def test_writes_the_encoder_mid_run_and_the_run_goes_on(lm_prepared_dir, tmp_path):
    with pytest.raises(PreparedDataError, match="nothing to write"):
        run(lm_prepared_dir, tmp_path, "--epochs=3", "--write_encoder_now")
    first = run(lm_prepared_dir, tmp_path, "--epochs=3", "--max_minutes=0.00001")
    written = run(lm_prepared_dir, tmp_path, "--epochs=3", "--write_encoder_now")
    assert not written["finished"] and written["state"]["step"] == first["state"]["step"]
    card = json.loads((tmp_path / "encoder" / "card.json").read_text())
    assert card["progress"]["steps"] == first["state"]["step"] and "mid-run" in card["progress"]["note"]
    assert run(lm_prepared_dir, tmp_path, "--epochs=3")["finished"]
