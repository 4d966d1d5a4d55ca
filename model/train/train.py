"""Fine-tunes the ReelSense classifier from the pretrained encoder, calibrates it and writes the
artifact (model.onnx, vocab.json, card.json).

    model/train/.venv/bin/python model/train/train.py --version=rnn-v3    # the shipped configuration
    model/train/.venv/bin/python model/train/train.py --preset=seed       # the seed project's LSTM

Every name in the configuration below can be set as --name=value (or --name value, the form
SageMaker passes hyperparameters in). As a SageMaker training job it reads SM_CHANNEL_TRAIN (a
prepared folder), SM_CHANNEL_TEST (optional, with the test split), SM_CHANNEL_ENCODER (optional,
the pretrained encoder) and SM_MODEL_DIR (where everything goes).

How: ULMFiT-style (Howard and Ruder 2018): each layer down learns at the rate above it divided
by lr_decay (discriminative rates); gradual unfreezing (epoch 1 the head alone, then one more
layer an epoch) is an option, off by default: it learnt slower on validation. Each epoch reads every training review
and one window of one to three sentences from each, so a one-line snippet is in-distribution.
The epoch with the best validation accuracy (reviews and short spans, equally weighted) is kept;
an n-gram branch stays only if it adds; a length-dependent temperature calibrates (calibration.py).
"""
from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from artifact import write_artifact  # noqa: E402
from batches import Examples, batches, reviews, sentence_end_ids, short_validation, spans  # noqa: E402
from calibration import calibrated, fit_temperature, reliability  # noqa: E402
from encoder import load_encoder  # noqa: E402
from evaluate import metrics  # noqa: E402
from mix import fit_mix  # noqa: E402
from model import ModelConfig, SentimentRNN  # noqa: E402
from ngram import ngram_prior  # noqa: E402
from options import config_of, configure as parse  # noqa: E402
from prepared import PreparedData, PreparedDataError, load_prepared  # noqa: E402
from progress import Bar  # noqa: E402
from splits import split_validation  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

# ---- configuration -------------------------------------------------------------------------
preset = "default"                 # "default" or "seed" (the seed project's model and training)
data_dir = str(ROOT / "model" / "prepared")
out_dir = str(ROOT / "model" / "runs" / "default")
encoder_dir = str(ROOT / "model" / "artifacts" / "encoder")  # the pretrained encoder; "" starts from scratch
version = "dev"                    # written into card.json; the shipped artifact's folder name
# model (see model.py); the encoder fixes embed_dim and hidden
embed_dim = 128
hidden = 256
cell = "lstm"
bidirectional = True
pooling = "maxmean"
dropout = 0.3
ngram_buckets = 2 ** 19            # >0 trains an n-gram branch too; it stays only if the mix beats
mix_margin = 0.002                 # the recurrent branch alone by this much on validation
quantize_embedding = True          # int8 embedding rows after training: the artifact under 10 MB
# fine-tuning
epochs = 2
gradual_unfreezing = False         # True: epoch 1 the head; 2: + LSTMs; 3 on: everything
batch_size = 64
learning_rate = 3e-3               # the head's; one layer down is lr / lr_decay
lr_decay = 1.5
weight_decay = 0.01
clip = 1.0                         # gradient norm clipping
span_source = "strong"             # spans from "strong" reviews (rated 1-2, 9-10), "all" reviews, or "none"
ngram_epochs = 20                  # the n-gram branch (a linear model: seconds per epoch)
ngram_learning_rate = 0.1
val_fraction = 0.1                 # carved from train (splits.py), never from test
patience = 2                       # epochs without a better validation score before stopping
seed = 1337
threads = 0                        # torch threads; 0 = all cores
max_train_reviews = 0              # >0: train on a subset (tests, quick experiments)
resume = False                     # continue from out_dir/checkpoint.pt
evaluate_test = True
export = True
# --------------------------------------------------------------------------------------------

PRESETS = {
    # The seed: vocabulary 5,000, length 500, embedding 32, one LSTM layer of 200, the output at
    # the last real step, Adam at its default rate, batch 512, 10 epochs, no encoder.
    "seed": dict(embed_dim=32, hidden=200, cell="lstm", bidirectional=False, pooling="last", dropout=0.0, encoder_dir="",
                 gradual_unfreezing=False, lr_decay=1.0, quantize_embedding=False, weight_decay=0.0, span_source="none", epochs=10, batch_size=512,
                 learning_rate=1e-3, clip=0.0, patience=10, data_dir=str(ROOT / "model" / "prepared" / "seed"),
                 out_dir=str(ROOT / "model" / "runs" / "seed")),
}
SEED_PREPARE = "npm run data:prepare -- --vocab-size 5000 --max-length 500 --out model/prepared/seed"


def configure(argv: list[str]) -> dict:
    config = parse(config_of(globals(), exclude=("ROOT", "SEED_PREPARE")), argv, PRESETS)
    # SageMaker's contract, when present, wins over defaults.
    config["data_dir"] = os.environ.get("SM_CHANNEL_TRAIN", config["data_dir"])
    config["test_dir"] = os.environ.get("SM_CHANNEL_TEST", config["data_dir"])
    # The SageMaker source archive carries the encoder in encoder/ beside this file (training-stack.ts).
    packaged = Path(__file__).resolve().parent / "encoder"
    config["encoder_dir"] = os.environ.get("SM_CHANNEL_ENCODER", str(packaged) if "SM_MODEL_DIR" in os.environ and packaged.is_dir() else config["encoder_dir"])
    config["out_dir"] = os.environ.get("SM_MODEL_DIR", config["out_dir"])
    if config["span_source"] not in ("strong", "all", "none"):
        raise SystemExit(f"error: --span_source must be strong, all or none, not {config['span_source']!r}")
    return config


def load_data(config: dict) -> tuple[PreparedData, PreparedData]:
    train = load_prepared(config["data_dir"], splits=("train",))
    test = load_prepared(config["test_dir"], splits=("test",)) if config["evaluate_test"] else train
    if test.manifest["vocabulary"]["sha256"] != train.manifest["vocabulary"]["sha256"]:
        raise PreparedDataError("VOCAB_MISMATCH", f"{config['test_dir']} was encoded with another vocabulary than {config['data_dir']}.")
    if config["preset"] == "seed":
        v = train.manifest["vocabulary"]
        if v["maxSize"] != 5000 or v["maxLength"] != 500:
            raise PreparedDataError("PRESET_DATA", f"--preset=seed needs data prepared with vocabulary 5,000 and length 500; "
                                    f"{config['data_dir']} has {v['maxSize']} and {v['maxLength']}. Run: {SEED_PREPARE}")
    return train, test


def predict_logits(model: SentimentRNN, split, examples: Examples, batch_size: int = 256) -> dict[str, np.ndarray]:
    """Each branch's raw logit and the model's (mixed) logit for every example, in order."""
    model.eval()
    out = {name: np.zeros(len(examples)) for name in (*model.branch_names(), "model")}
    with torch.no_grad():
        for group, (ids, lengths, _) in batches(split, examples, batch_size, None):
            branch = model.branch_logits(ids, lengths)  # each branch once; the mix is computed from them
            for name, logit in {**branch, "model": model.combine(branch)}.items():
                out[name][group] = logit.double().numpy()
    return out


def accuracy(logit: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean((logit > 0) == (labels >= 0.5))) if len(labels) else float("nan")


def optimizer_for(model: SentimentRNN, branch: str, config: dict) -> torch.optim.Optimizer:
    if branch == "ngram":
        return torch.optim.AdamW(model.branch_parameters()["ngram"], lr=config["ngram_learning_rate"], weight_decay=0.0)
    groups = [{"params": params, "lr": config["learning_rate"] / config["lr_decay"] ** depth}
              for depth, params in enumerate(model.layer_groups())]
    return torch.optim.AdamW(groups, weight_decay=config["weight_decay"])


def thaw(model: SentimentRNN, epoch: int, config: dict) -> None:
    """Gradual unfreezing: epoch 1 trains the head, each later epoch one more layer group."""
    for depth, params in enumerate(model.layer_groups()):
        for p in params:
            p.requires_grad_(not config["gradual_unfreezing"] or depth < epoch)


def main(argv: list[str]) -> dict:
    config = configure(argv)
    np.random.seed(config["seed"])
    torch.manual_seed(config["seed"])
    if config["threads"] > 0:
        torch.set_num_threads(config["threads"])
    (out := Path(config["out_dir"])).mkdir(parents=True, exist_ok=True)

    train_data, test_data = load_data(config)
    train = train_data.splits["train"]
    train_rows, val_rows = split_validation(len(train), config["val_fraction"])  # fixed: pretraining held the same rows out
    if config["max_train_reviews"] > 0:
        train_rows, val_rows = train_rows[: config["max_train_reviews"]], val_rows[: max(1, config["max_train_reviews"] // 4)]
    ends = sentence_end_ids(train_data.vocab)
    val = {"reviews": reviews(train, val_rows), "short": short_validation(train, val_rows, train_data.vocab)}

    model_config = ModelConfig(vocab_size=train_data.vocab_size, **{k: config[k] for k in (
        "embed_dim", "hidden", "cell", "bidirectional", "pooling", "dropout", "ngram_buckets")})
    model = SentimentRNN(model_config)
    encoder = load_encoder(model, config, train_data)
    print(f"model: {model.parameter_count():,} parameters{' from the pretrained encoder' if encoder else ''}; "
          f"train {len(train_rows):,}, validation {len(val_rows):,} reviews + {len(val['short']):,} short spans", file=sys.stderr)
    if "ngram" in model.branch_names():
        model.set_ngram_prior(*ngram_prior(model, train, train_rows))

    checkpoint_path = out / "checkpoint.pt"
    state = {"completed": [], "branch": None, "epoch": 0, "best": {}, "history": [], "seconds": 0.0}
    saved_optimizer = None
    if config["resume"] and checkpoint_path.exists():
        checkpoint = torch.load(checkpoint_path, weights_only=False)
        model.load_state_dict(checkpoint["model"])
        state, saved_optimizer = checkpoint["state"], checkpoint["optimizer"]
        print(f"resumed from {checkpoint_path}: {state['branch']} branch after epoch {state['epoch']}", file=sys.stderr)

    # Branches train one after the other (the cheap n-gram branch first), each on its own loss
    # and keeping its own best epoch.
    for branch in model.branch_names():
        if branch in state["completed"]:
            continue
        epochs = config["ngram_epochs"] if branch == "ngram" else config["epochs"]
        optimizer = optimizer_for(model, branch, config)
        first_epoch = 1
        if state["branch"] == branch and saved_optimizer is not None:
            optimizer.load_state_dict(saved_optimizer)
            first_epoch = state["epoch"] + 1
        best = state["best"].setdefault(branch, {"score": -1.0, "epoch": 0, "state": None})
        for epoch in range(first_epoch, epochs + 1):
            started = time.perf_counter()
            rng = np.random.default_rng(config["seed"] * 1000 + epoch)
            examples = reviews(train, train_rows)
            if branch == "recurrent" and config["span_source"] != "none":
                examples = Examples.concat([examples, spans(train, train_rows, ends, rng, strong_only=config["span_source"] == "strong")])
            if branch == "recurrent":
                thaw(model, epoch, config)
            model.train()
            bar = Bar(f"{branch} {epoch}/{epochs}", len(examples), "examples")
            seen, loss_sum, correct = 0, 0.0, 0
            for group, (ids, lengths, labels) in batches(train, examples, config["batch_size"], rng):
                logit = model.branch_logits(ids, lengths, (branch,))[branch]
                loss = F.binary_cross_entropy_with_logits(logit, labels)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                if config["clip"] > 0:
                    torch.nn.utils.clip_grad_norm_(model.parameters(), config["clip"])
                optimizer.step()
                seen += len(group)
                loss_sum += loss.item() * len(group)
                correct += int(((logit > 0).float() == labels).sum())
                bar.update(seen, f"loss {loss_sum / seen:.4f} acc {correct / seen:.4f}")
            bar.update(seen, f"loss {loss_sum / seen:.4f} acc {correct / seen:.4f}", final=True)
            scores = {name: accuracy(predict_logits(model, train, ex)[branch], ex.labels) for name, ex in val.items()}
            score = float(np.nanmean([scores["reviews"], scores["short"]]))
            if score > best["score"]:
                best.update(score=score, epoch=epoch, state={k: v.clone() for k, v in model.state_dict().items()})
            state["seconds"] += time.perf_counter() - started
            state["history"].append({"branch": branch, "epoch": epoch, "train_loss": loss_sum / seen, "train_accuracy": correct / seen,
                                     "val_accuracy": scores["reviews"], "val_short_accuracy": scores["short"]})
            state.update(branch=branch, epoch=epoch)
            print(f"{branch} {epoch}: validation accuracy {scores['reviews']:.4f} on reviews, {scores['short']:.4f} on short spans"
                  f"{' (best)' if best['epoch'] == epoch else ''}", file=sys.stderr)
            torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "state": state}, checkpoint_path)
            if epoch - best["epoch"] >= config["patience"]:
                print(f"{branch}: no better validation score for {config['patience']} epochs; stopping it", file=sys.stderr)
                break
        state["completed"].append(branch)

    # Each branch from its own best epoch; then, on validation: the mix, whether the n-gram
    # branch stays, and the calibration. The test split is only reported.
    for branch, chosen in state["best"].items():
        names = {id(p): n for n, p in model.named_parameters()}
        model.load_state_dict({names[id(p)]: chosen["state"][names[id(p)]] for p in model.branch_parameters()[branch]}, strict=False)
    if "ngram" in model.branch_names():
        model.fold_ngram_prior()
    if config["quantize_embedding"]:
        model.quantize_embedding()
    sets = dict(val)
    if config["evaluate_test"]:
        test = test_data.splits["test"]
        sets["test"] = reviews(test, np.arange(len(test)))
    joined = lambda logits, key: np.concatenate([logits[n][key] for n in val])  # noqa: E731
    val_labels = np.concatenate([ex.labels for ex in val.values()])
    logits = {n: predict_logits(model, test_data.splits["test"] if n == "test" else train, ex) for n, ex in sets.items()}
    kept = {}
    if "ngram" in model.branch_names():
        fit_mix(model.mix, joined(logits, "recurrent"), joined(logits, "ngram"), val_labels)
        with torch.no_grad():  # the branches do not change with the mix: no second model pass
            for entry in logits.values():
                entry["model"] = model.combine({k: torch.from_numpy(entry[k]).float() for k in ("recurrent", "ngram")}).double().numpy()
        score = lambda key: float(np.nanmean([accuracy(logits[n][key], ex.labels) for n, ex in val.items()]))  # noqa: E731
        kept = {"recurrent": score("recurrent"), "mixed": score("model")}
        kept["ngram kept"] = kept["mixed"] >= kept["recurrent"] + config["mix_margin"]
        print(f"validation (reviews and short spans): recurrent alone {kept['recurrent']:.4f}, mixed {kept['mixed']:.4f}: "
              f"{'keeping' if kept['ngram kept'] else 'dropping'} the n-gram branch", file=sys.stderr)
        for entry in logits.values():
            entry["mixed"] = entry["model"]
            entry["model"] = entry["mixed"] if kept["ngram kept"] else entry["recurrent"]
        if not kept["ngram kept"]:
            model.drop_ngram()
    a, b = fit_temperature(joined(logits, "model"), np.concatenate([ex.lengths() for ex in val.values()]), val_labels)
    model.calibration.copy_(torch.tensor([a, b]))
    evaluation = {"validation": {}, "branches": {}, "ngram": kept}
    for name, ex in sets.items():
        scores = calibrated(logits[name]["model"], ex.lengths(), a, b)
        entry = {"examples": len(ex), "accuracy": accuracy(logits[name]["model"], ex.labels), "ece": reliability(scores, ex.labels)}
        if name == "test":
            evaluation["test"] = metrics(scores, ex.labels) | {"ece": entry["ece"]}
        else:
            evaluation["validation"][name] = entry
        evaluation["branches"][name] = {k: accuracy(v, ex.labels) for k, v in logits[name].items()}
    print(f"{json.dumps({n: (round(v['accuracy'], 4), round(v['ece']['ece'], 4)) for n, v in evaluation['validation'].items()})} "
          f"(validation accuracy, ECE); temperature a={a:.3f} b={b:.3f}", file=sys.stderr)
    if "test" in evaluation:  # the line SageMaker's metric definition reads (backend/infra/scripts/requests.ts)
        print(f"test: accuracy {evaluation['test']['accuracy']:.4f}, ECE {evaluation['test']['ece']['ece']:.4f}; by branch {evaluation['branches']['test']}", file=sys.stderr)
    result = {"config": config, "model": asdict(model_config), "parameters": model.parameter_count(), "history": state["history"],
              "best_epochs": {name: chosen["epoch"] for name, chosen in state["best"].items()}, "encoder": encoder,
              "calibration": {"a": a, "b": b}, "evaluation": evaluation, "training_seconds": round(state["seconds"], 1)}
    if config["export"]:
        write_artifact(model, train_data, test_data, out, result)
    result["module"] = model  # the trained model itself, for callers in Python
    return result


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except PreparedDataError as error:
        raise SystemExit(f"error [{error.code}]: {error}") from None
