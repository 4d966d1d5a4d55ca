"""Trains the ReelSense RNN on the prepared IMDB ids, evaluates it and writes the artifact.

    model/train/.venv/bin/python model/train/train.py                     # the shipped configuration
    model/train/.venv/bin/python model/train/train.py --preset=seed       # the seed project's LSTM
    model/train/.venv/bin/python model/train/train.py --epochs=3 --hidden=32 --resume

Every name in the configuration below can be set as --name=value (or --name value, the form
SageMaker passes hyperparameters in). As a SageMaker training job it reads SM_CHANNEL_TRAIN
(a prepared folder), SM_CHANNEL_TEST (optional, a prepared folder with the test split) and
SM_MODEL_DIR (where everything it writes goes).
Output (out_dir): model.onnx, vocab.json, card.json, and checkpoint.pt for --resume.
"""
from __future__ import annotations

import json
import os
import platform
import random
import shutil
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evaluate import metrics  # noqa: E402
from export import export_onnx  # noqa: E402
from model import ModelConfig, SentimentRNN  # noqa: E402
from prepared import PreparedData, PreparedDataError, load_prepared, sha256_of  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

# ---- configuration -------------------------------------------------------------------------
preset = "default"                 # "default" or "seed" (the seed project's model and training)
data_dir = str(ROOT / "model" / "prepared")
out_dir = str(ROOT / "model" / "runs" / "default")
version = "dev"                    # written into card.json; the shipped artifact's folder name
# model (see model.py)
embed_dim = 64
hidden = 32
cell = "gru"
bidirectional = True
pooling = "maxmean"
dropout = 0.3
ngram_buckets = 2 ** 19            # 0: no n-gram branch
# training
epochs = 6                         # the recurrent branch
ngram_epochs = 20                  # the n-gram branch (a linear model: seconds per epoch)
batch_size = 128
learning_rate = 3e-3               # the recurrent branch
weight_decay = 0.0
ngram_learning_rate = 0.1          # the n-gram branch
ngram_weight_decay = 0.0
clip = 1.0                         # gradient norm clipping
val_fraction = 0.1                 # carved from train, never from test
patience = 2                       # epochs without a better validation accuracy before a branch stops
seed = 1337
threads = 0                        # torch threads; 0 = all cores
max_train_reviews = 0              # >0: train on a subset (tests, quick experiments)
resume = False                     # continue from out_dir/checkpoint.pt
evaluate_test = True
export = True
# --------------------------------------------------------------------------------------------

PRESETS = {
    # The seed: vocabulary 5,000, length 500, embedding 32, one LSTM layer of 200, the output at
    # the last real step, Adam at its default rate, batch 512, 10 epochs.
    "seed": dict(embed_dim=32, hidden=200, cell="lstm", bidirectional=False, pooling="last", dropout=0.0,
                 ngram_buckets=0, epochs=10, batch_size=512, learning_rate=1e-3, clip=0.0, patience=10,
                 data_dir=str(ROOT / "model" / "prepared" / "seed"), out_dir=str(ROOT / "model" / "runs" / "seed")),
}
SEED_PREPARE = "npm run data:prepare -- --vocab-size 5000 --max-length 500 --out model/prepared/seed"


def configure(argv: list[str]) -> dict:
    """Applies --preset first, then every --name=value / --name value; unknown names are refused."""
    config = {k: v for k, v in globals().items() if not k.startswith("_") and isinstance(v, (int, float, bool, str)) and k not in ("ROOT", "SEED_PREPARE")}
    pairs: list[tuple[str, str]] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if not arg.startswith("--"):
            raise SystemExit(f"error: unexpected argument {arg!r}; options look like --name=value")
        name, separator, value = arg[2:].partition("=")
        name = name.replace("-", "_")
        if not separator:
            flag = isinstance(config.get(name), bool) and (i + 1 >= len(argv) or argv[i + 1].startswith("--"))
            if flag:
                value = "true"
            elif i + 1 < len(argv):
                value = argv[i + 1]
                i += 1
            else:
                raise SystemExit(f"error: --{name} needs a value")
        pairs.append((name, value))
        i += 1
    for name, value in pairs:
        if name == "preset":
            if value not in ("default", *PRESETS):
                raise SystemExit(f"error: --preset must be one of default, {', '.join(PRESETS)}")
            config.update(PRESETS.get(value, {}), preset=value)
    for name, value in pairs:
        if name == "preset":
            continue
        if name not in config:
            raise SystemExit(f"error: unknown option --{name}; known: {', '.join(sorted(config))}")
        default = config[name]
        if isinstance(default, bool):
            if value.lower() not in ("true", "false", "1", "0"):
                raise SystemExit(f"error: --{name} takes true or false, not {value!r}")
            config[name] = value.lower() in ("true", "1")
        else:
            try:
                config[name] = type(default)(value)
            except ValueError:
                raise SystemExit(f"error: --{name} must be {'an integer' if isinstance(default, int) else 'a number'}, not {value!r}") from None
    # SageMaker's contract, when present, wins over defaults.
    config["data_dir"] = os.environ.get("SM_CHANNEL_TRAIN", config["data_dir"])
    config["test_dir"] = os.environ.get("SM_CHANNEL_TEST", config["data_dir"])
    config["out_dir"] = os.environ.get("SM_MODEL_DIR", config["out_dir"])
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


def split_validation(n: int, fraction: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    order = rng.permutation(n)
    n_val = int(round(n * fraction))
    return np.sort(order[n_val:]), np.sort(order[:n_val])


def batches(split, indices: np.ndarray, batch_size: int, rng: np.random.Generator | None):
    """Length-bucketed batches: reviews of similar length together, so padding costs little.
    With rng, pools of 50 batches are shuffled, sorted by length, cut and the batches shuffled."""
    lengths = split.lengths()
    if rng is None:
        order = indices[np.argsort(lengths[indices], kind="stable")]
        groups = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
    else:
        shuffled = rng.permutation(indices)
        pool = batch_size * 50
        groups = []
        for start in range(0, len(shuffled), pool):
            chunk = shuffled[start:start + pool]
            chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
            groups += [chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size)]
        groups = [groups[i] for i in rng.permutation(len(groups))]
    for group in groups:
        yield group, collate(split, group)


def collate(split, group: np.ndarray) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    lengths = np.maximum(split.lengths()[group], 1)  # an empty review is one padding step
    ids = np.zeros((len(group), int(lengths.max())), dtype=np.int64)
    for row, i in enumerate(group):
        review = split.review(int(i))
        ids[row, :len(review)] = review
    labels = split.labels[group].astype(np.float32) if split.labels is not None else np.zeros(len(group), np.float32)
    return torch.from_numpy(ids), torch.from_numpy(lengths.astype(np.int64)), torch.from_numpy(labels)


class Bar:
    """One line per epoch: progress, loss, accuracy and reviews/s, redrawn in place on a terminal."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.start, self.tty = label, total, time.perf_counter(), sys.stderr.isatty()
        self.last = 0.0

    def update(self, done: int, loss: float, accuracy: float, final: bool = False) -> None:
        now = time.perf_counter()
        if not final and (now - self.last < (0.2 if self.tty else 30)):
            return
        self.last = now
        rate = done / max(now - self.start, 1e-9)
        filled = int(24 * done / max(self.total, 1))
        line = (f"{self.label} [{'#' * filled}{'.' * (24 - filled)}] {done:,}/{self.total:,} "
                f"loss {loss:.4f} acc {accuracy:.4f} {rate:,.0f} reviews/s")
        sys.stderr.write(("\r" + line + "\x1b[K" + ("\n" if final else "")) if self.tty else line + "\n")


def predict(model: SentimentRNN, split, indices: np.ndarray, batch_size: int = 256) -> np.ndarray:
    """P(positive) of the whole model for `indices`, in their order."""
    model.eval()
    scores = np.zeros(len(split), dtype=np.float64)
    with torch.no_grad():
        for group, (ids, lengths, _) in batches(split, indices, batch_size, None):
            scores[group] = model(ids, lengths).double().numpy()
    return scores[indices]


def predict_logits(model: SentimentRNN, split, indices: np.ndarray, branches: tuple[str, ...] | None = None,
                   batch_size: int = 256) -> dict[str, np.ndarray]:
    """Each branch's logit for `indices`, in their order."""
    model.eval()
    logits: dict[str, np.ndarray] = {}
    with torch.no_grad():
        for group, (ids, lengths, _) in batches(split, indices, batch_size, None):
            for name, logit in model.branch_logits(ids, lengths, branches).items():
                logits.setdefault(name, np.zeros(len(split)))[group] = logit.double().numpy()
    return {name: values[indices] for name, values in logits.items()}


def restore_best(model: SentimentRNN, best: dict) -> None:
    """Each branch's parameters from its own best epoch."""
    state = model.state_dict()
    names = {id(p): name for name, p in model.named_parameters()}
    for branch, params in model.branch_parameters().items():
        chosen = best.get(branch, {}).get("state")
        if chosen is not None:
            state.update({names[id(p)]: chosen[names[id(p)]] for p in params})
    model.load_state_dict(state)


def fit_mix(model: SentimentRNN, logits: dict[str, np.ndarray], labels: np.ndarray) -> dict[str, float]:
    """Fits logit = a * recurrent + b * n-gram + c on validation (logistic regression on two
    inputs); returns the validation accuracy of each branch and of the mix."""
    y = labels == 1
    accuracy = {name: float(np.mean((logit > 0) == y)) for name, logit in logits.items()}
    if "ngram" not in logits:
        return accuracy
    x = torch.tensor(np.stack([logits["recurrent"], logits["ngram"]], axis=1), dtype=torch.float32)
    target = torch.tensor(y, dtype=torch.float32)
    mix = model.mix
    mix.requires_grad_(True)
    optimizer = torch.optim.LBFGS(mix.parameters(), lr=0.5, max_iter=100)

    def closure():
        optimizer.zero_grad()
        loss = F.binary_cross_entropy_with_logits(mix(x).squeeze(1), target)
        loss.backward()
        return loss

    optimizer.step(closure)
    mix.requires_grad_(False)
    with torch.no_grad():
        accuracy["mixed"] = float(np.mean((mix(x).squeeze(1).numpy() > 0) == y))
    return accuracy


def ngram_prior(model: SentimentRNN, split, indices: np.ndarray, alpha: float = 1.0) -> tuple[torch.Tensor, torch.Tensor]:
    """Naive-Bayes log-count ratios log((p / |p|) / (q / |q|)) of each unigram and bigram bucket,
    where p and q count the positive and negative reviews among `indices` that contain it, plus alpha."""
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


def save_checkpoint(path: Path, model, optimizer, state: dict) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "state": state, "rng": {"torch": torch.get_rng_state(), "numpy": np.random.get_state(), "python": random.getstate()}}, tmp)
    tmp.replace(path)


def main(argv: list[str]) -> dict:
    config = configure(argv)
    random.seed(config["seed"])
    np.random.seed(config["seed"])
    torch.manual_seed(config["seed"])
    if config["threads"] > 0:
        torch.set_num_threads(config["threads"])
    out = Path(config["out_dir"])
    out.mkdir(parents=True, exist_ok=True)

    train_data, test_data = load_data(config)
    train = train_data.splits["train"]
    rng = np.random.default_rng(config["seed"])
    train_idx, val_idx = split_validation(len(train), config["val_fraction"], rng)
    if config["max_train_reviews"] > 0:
        train_idx = train_idx[: config["max_train_reviews"]]
        val_idx = val_idx[: max(1, config["max_train_reviews"] // 4)]

    model_config = ModelConfig(vocab_size=train_data.vocab_size, **{k: config[k] for k in (
        "embed_dim", "hidden", "cell", "bidirectional", "pooling", "dropout", "ngram_buckets")})
    model = SentimentRNN(model_config)
    print(f"model: {model.parameter_count():,} parameters; train {len(train_idx):,}, validation {len(val_idx):,} reviews", file=sys.stderr)
    if "ngram" in model.branch_names():
        model.set_ngram_prior(*ngram_prior(model, train, train_idx))

    # Branches train one after the other (the cheap n-gram branch first), each on its own loss
    # and keeping its own best epoch. The checkpoint records where training is, for --resume.
    plan = {"ngram": (config["ngram_epochs"], config["ngram_learning_rate"], config["ngram_weight_decay"]),
            "recurrent": (config["epochs"], config["learning_rate"], config["weight_decay"])}
    checkpoint_path = out / "checkpoint.pt"
    state = {"completed": [], "branch": None, "epoch": 0, "best": {}, "history": [], "seconds": 0.0}
    saved_optimizer = None
    if config["resume"] and checkpoint_path.exists():
        checkpoint = torch.load(checkpoint_path, weights_only=False)
        model.load_state_dict(checkpoint["model"])
        state, saved_optimizer = checkpoint["state"], checkpoint["optimizer"]
        torch.set_rng_state(checkpoint["rng"]["torch"])
        np.random.set_state(checkpoint["rng"]["numpy"])
        random.setstate(checkpoint["rng"]["python"])
        print(f"resumed from {checkpoint_path}: {state['branch']} branch after epoch {state['epoch']}", file=sys.stderr)

    for branch in model.branch_names():
        if branch in state["completed"]:
            continue
        epochs, lr, wd = plan[branch]
        params = model.branch_parameters()[branch]
        optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=wd)
        first_epoch = 1
        if state["branch"] == branch and saved_optimizer is not None:
            optimizer.load_state_dict(saved_optimizer)
            first_epoch = state["epoch"] + 1
        best = state["best"].setdefault(branch, {"val_accuracy": -1.0, "epoch": 0, "state": None})
        for epoch in range(first_epoch, epochs + 1):
            started = time.perf_counter()
            model.train()
            epoch_rng = np.random.default_rng(config["seed"] * 1000 + epoch)
            bar = Bar(f"{branch} {epoch}/{epochs}", len(train_idx))
            seen, loss_sum, correct = 0, 0.0, 0
            for group, (ids, lengths, labels) in batches(train, train_idx, config["batch_size"], epoch_rng):
                logit = model.branch_logits(ids, lengths, (branch,))[branch]
                loss = F.binary_cross_entropy_with_logits(logit, labels)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                if config["clip"] > 0:
                    torch.nn.utils.clip_grad_norm_(params, config["clip"])
                optimizer.step()
                seen += len(group)
                loss_sum += loss.item() * len(group)
                correct += int(((logit > 0).float() == labels).sum())
                bar.update(seen, loss_sum / seen, correct / seen)
            bar.update(seen, loss_sum / seen, correct / seen, final=True)
            val_logit = predict_logits(model, train, val_idx, (branch,))[branch]
            accuracy = float(np.mean((val_logit > 0) == (train.labels[val_idx] == 1)))
            if accuracy > best["val_accuracy"]:
                best.update(val_accuracy=accuracy, epoch=epoch, state={k: v.clone() for k, v in model.state_dict().items()})
            state["seconds"] += time.perf_counter() - started
            state["history"].append({"branch": branch, "epoch": epoch, "train_loss": loss_sum / seen,
                                     "train_accuracy": correct / seen, "val_accuracy": accuracy})
            state.update(branch=branch, epoch=epoch)
            print(f"{branch} {epoch}: validation accuracy {accuracy:.4f}{' (best)' if best['epoch'] == epoch else ''}", file=sys.stderr)
            save_checkpoint(checkpoint_path, model, optimizer, state)
            if epoch - best["epoch"] >= config["patience"]:
                print(f"{branch}: no better validation accuracy for {config['patience']} epochs; stopping it", file=sys.stderr)
                break
        state["completed"].append(branch)
    best = state["best"]
    history = state["history"]
    training_seconds = state["seconds"]

    restore_best(model, best)
    if "ngram" in model.branch_names():
        model.fold_ngram_prior()
    ablation = {"validation": fit_mix(model, predict_logits(model, train, val_idx), train.labels[val_idx])}
    result = {"config": config, "model": asdict(model_config), "parameters": model.parameter_count(), "history": history,
              "best_epochs": {name: b["epoch"] for name, b in best.items()},
              "val_accuracy": ablation["validation"]["mixed" if "mixed" in ablation["validation"] else "recurrent"],
              "training_seconds": round(training_seconds, 1)}
    if config["evaluate_test"]:
        test = test_data.splits["test"]
        all_idx = np.arange(len(test))
        result["test"] = metrics(predict(model, test, all_idx), test.labels)
        ablation["test"] = {name: float(np.mean((logit > 0) == (test.labels == 1)))
                            for name, logit in predict_logits(model, test, all_idx).items()}
        ablation["test"]["mixed" if "ngram" in ablation["test"] else "recurrent"] = result["test"]["accuracy"]
        print(f"test: accuracy {result['test']['accuracy']:.4f}, ROC AUC {result['test']['roc_auc']:.4f}, F1 {result['test']['f1']:.4f}; "
              f"by branch {ablation['test']}", file=sys.stderr)
    result["branches"] = ablation
    if config["export"]:
        write_artifact(model, train_data, test_data, out, result)
    result["module"] = model  # the trained model itself, for callers in Python
    return result


def write_artifact(model: SentimentRNN, train_data: PreparedData, test_data: PreparedData, out: Path, result: dict) -> None:
    model.eval()
    test = test_data.splits["test"]
    sample = np.arange(min(1000, len(test)))
    parity = export_onnx(model, out / "model.onnx", [collate(test, sample[i:i + 100]) for i in range(0, len(sample), 100)])
    shutil.copyfile(train_data.directory / "vocab.json", out / "vocab.json")
    files = {name: sha256_of(out / name) for name in ("model.onnx", "vocab.json")}
    config = result["config"]
    card = {
        "format": "reelsense-model-card",
        "version": config["version"],
        "preset": config["preset"],
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "dataset": {"name": "IMDB Large Movie Review Dataset (aclImdb v1)", "splits": train_data.manifest["source"]["files"]},
        "textPipeline": train_data.manifest["textPipeline"],
        "vocabulary": {k: train_data.manifest["vocabulary"][k] for k in ("size", "maxSize", "minCount", "maxLength")},
        "model": result["model"],
        "parameters": result["parameters"],
        "training": {"hyperparameters": {k: v for k, v in config.items() if k not in ("data_dir", "test_dir", "out_dir")},
                     "seconds": result["training_seconds"], "best_epochs": result["best_epochs"], "history": result["history"],
                     "machine": f"{platform.machine()} {os.cpu_count()} cores, torch {torch.__version__}, {torch.get_num_threads()} threads"},
        "metrics": {"validation_accuracy": result["val_accuracy"], **({"test": result["test"]} if "test" in result else {}),
                    "branches": result["branches"]},
        "onnx": parity,
        "files": files,
    }
    (out / "card.json").write_text(json.dumps(card, indent=2) + "\n")
    print(f"wrote {out}/model.onnx ({(out / 'model.onnx').stat().st_size / 1e6:.2f} MB), vocab.json, card.json", file=sys.stderr)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except PreparedDataError as error:
        raise SystemExit(f"error [{error.code}]: {error}") from None
