"""Pretrains the encoder: a bidirectional LSTM language model (lm.py) on the IMDB training
reviews' text plus the 50,000 unlabelled reviews. The test split is never read; the training
reviews held out for validation (splits.py) are held out here too, and give the perplexity.

    npm run pretrain                                   # prepares the ids, then runs this
    model/train/.venv/bin/python model/train/pretrain.py --max_minutes=60
    model/train/.venv/bin/python model/train/pretrain.py --corpus=model/prepared/lm-corpus.npz  # a GPU box

It resumes by itself from the checkpoint in checkpoint_dir (outside the work tree), saves one
every few minutes and on SIGINT/SIGTERM, and stops cleanly after --max_minutes so a long run can
be spread over sessions. When the planned epochs are done it writes the encoder and its card to
out_dir. The same code runs on a CUDA GPU when one is present and never needs one.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import platform
import signal
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from encoder import tokens_sha256  # noqa: E402
from lm import BiLM, LMConfig  # noqa: E402
from options import config_of, configure  # noqa: E402
from prepared import PreparedDataError, load_prepared  # noqa: E402
from progress import Bar  # noqa: E402
from splits import split_validation  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

# ---- configuration -------------------------------------------------------------------------
data_dir = str(ROOT / "model" / "prepared" / "lm")   # npm run data:prepare -- --with-unsup --max-length 4096 --out model/prepared/lm
corpus = ""                        # a compact corpus (.npz, uint16 ids) instead of data_dir: what a GPU box receives
out_dir = str(ROOT / "model" / "artifacts" / "encoder")
checkpoint_dir = str(Path.home() / ".cache" / "reelsense" / "pretrain")
# model (see lm.py)
embed_dim = 128
hidden = 256
dropout = 0.1
# training
epochs = 1                         # passes over the corpus (about 55 min on 2 CPU cores)
batch_size = 64                    # parallel streams
bptt = 64                          # tokens per step and stream (truncated backpropagation)
learning_rate = 2e-3               # Adam, linear warm-up then cosine decay to a tenth
warmup_steps = 300
clip = 0.25
heldout_tokens = 200_000           # held-out perplexity is measured on this many tokens
eval_minutes = 10.0                # held-out perplexity and a checkpoint this often
max_minutes = 0.0                  # >0: stop cleanly (and resumably) after this long
write_encoder_now = False          # write the encoder from the last checkpoint, even mid-run, and stop
seed = 1337
threads = 0                        # torch threads; 0 = all cores
device = "auto"                    # "auto": CUDA when present, else CPU
# --------------------------------------------------------------------------------------------

STOP = {"signal": None}


def build_corpus(config: dict) -> dict:
    """Concatenates the reviews into one stream of uint16 ids, each review followed by 0 (the
    padding id, which no review contains, marks a boundary). Held out: the validation reviews."""
    try:
        data = load_prepared(config["data_dir"], splits=("train", "unsup"))
    except PreparedDataError as error:
        if error.code == "PREPARED_INCOMPLETE" and "unsup" in str(error):
            raise PreparedDataError(error.code, f"Pretraining reads the 50,000 unlabelled reviews too. {error} "
                                    "Run: npm run data:prepare -- --with-unsup --max-length 4096 --out model/prepared/lm") from None
        raise
    if data.vocab_size > 65_535:
        raise PreparedDataError("VOCAB_TOO_LARGE", f"the compact corpus stores ids as uint16; a vocabulary of {data.vocab_size:,} does not fit.")
    train, unsup = data.splits["train"], data.splits["unsup"]
    train_rows, val_rows = split_validation(len(train))

    def stream(split, rows) -> np.ndarray:
        pieces = []
        for i in rows:
            pieces += [np.asarray(split.review(int(i)), dtype=np.uint16), np.zeros(1, np.uint16)]
        return np.concatenate(pieces) if pieces else np.zeros(0, np.uint16)

    return {
        "train": np.concatenate([stream(train, train_rows), stream(unsup, range(len(unsup)))]),
        "heldout": stream(train, val_rows),
        "meta": {"textPipeline": data.manifest["textPipeline"], "vocabTokensSha256": tokens_sha256(data.vocab),
                 "vocabSize": data.vocab_size, "sources": data.manifest["source"]["files"],
                 "trainReviews": int(len(train_rows)), "unsupReviews": int(len(unsup)), "heldoutReviews": int(len(val_rows)),
                 "heldoutRows": "the validation split of splits.py (seed 1337, 10%)"},
    }


def load_corpus(config: dict) -> dict:
    """The compact corpus from --corpus, or built from data_dir and cached beside the checkpoints."""
    path = Path(config["corpus"]) if config["corpus"] else None
    if path is None:
        manifest_path = Path(config["data_dir"]) / "manifest.json"
        manifest = json.loads(manifest_path.read_text("utf-8")) if manifest_path.is_file() else {}
        path = Path(config["checkpoint_dir"]) / f"corpus-{manifest.get('key', 'none')[:16]}.npz"
        if not path.is_file():
            built = build_corpus(config)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".tmp.npz")
            np.savez(tmp, train=built["train"], heldout=built["heldout"], meta=np.array(json.dumps(built["meta"])))
            tmp.replace(path)
            print(f"wrote the compact corpus {path} ({path.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
    if not path.is_file():
        raise PreparedDataError("CORPUS_MISSING", f"no compact corpus at {path}.")
    with np.load(path, allow_pickle=False) as f:
        return {"train": f["train"], "heldout": f["heldout"], "meta": json.loads(str(f["meta"])), "path": str(path)}


def streams(ids: np.ndarray, batch_size: int, dev: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """The corpus cut into batch_size parallel streams [B, N], forward and reversed."""
    n = len(ids) // batch_size
    forward = torch.from_numpy(ids[: n * batch_size].astype(np.int64)).view(batch_size, n)
    backward = torch.from_numpy(ids[::-1][: n * batch_size].astype(np.int64).copy()).view(batch_size, n)
    return forward.to(dev), backward.to(dev)


def detach(states):
    return tuple(None if s is None else (s[0].detach(), s[1].detach()) for s in states)


@torch.no_grad()
def heldout_perplexity(model: BiLM, ids: np.ndarray, config: dict, dev: torch.device) -> dict:
    if len(ids) < 2:
        raise PreparedDataError("HELDOUT_EMPTY", f"only {len(ids)} held-out tokens: the validation split of the training reviews is too small to measure perplexity.")
    model.eval()
    ids = ids[: config["heldout_tokens"]]
    forward, backward = streams(ids, max(1, min(16, len(ids) // 8)), dev)
    states, totals, n = (None, None), [0.0, 0.0], 0
    for start in range(0, forward.shape[1] - 1, config["bptt"]):
        end = min(start + config["bptt"] + 1, forward.shape[1])
        f_loss, b_loss, states = model(forward[:, start:end], backward[:, start:end], states)
        tokens = forward.shape[0] * (end - start - 1)
        totals[0] += f_loss.item() * tokens
        totals[1] += b_loss.item() * tokens
        n += tokens
    model.train()
    return {"forward": math.exp(totals[0] / n), "backward": math.exp(totals[1] / n), "tokens": n}


def learning_rate_at(step: int, total: int, config: dict) -> float:
    if step < config["warmup_steps"]:
        return config["learning_rate"] * (step + 1) / config["warmup_steps"]
    progress = (step - config["warmup_steps"]) / max(1, total - config["warmup_steps"])
    return config["learning_rate"] * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(progress, 1.0))))


def save(path: Path, model: BiLM, optimizer, state: dict) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "state": state,
                "rng": torch.get_rng_state()}, tmp)
    tmp.replace(path)


def main(argv: list[str]) -> dict:
    config = configure(config_of(globals(), exclude=("ROOT", "STOP")), argv)
    STOP["signal"] = None
    torch.manual_seed(config["seed"])
    np.random.seed(config["seed"])
    if config["threads"] > 0:
        torch.set_num_threads(config["threads"])
    dev = torch.device("cuda" if config["device"] == "auto" and torch.cuda.is_available() else "cpu" if config["device"] == "auto" else config["device"])
    data = load_corpus(config)
    meta = data["meta"]
    lm_config = LMConfig(vocab_size=meta["vocabSize"], embed_dim=config["embed_dim"], hidden=config["hidden"], dropout=config["dropout"])
    model = BiLM(lm_config).to(dev)
    optimizer = torch.optim.Adam(model.parameters(), lr=config["learning_rate"])
    forward, backward = streams(data["train"], config["batch_size"], dev)
    steps_per_epoch = (forward.shape[1] - 1) // config["bptt"]
    total_steps = steps_per_epoch * config["epochs"]

    # A checkpoint belongs to one model, corpus and schedule: anything else starts afresh.
    identity = {k: config[k] for k in ("embed_dim", "hidden", "dropout", "epochs", "batch_size", "bptt", "learning_rate", "seed")}
    identity["corpus"] = meta["vocabTokensSha256"] + f":{len(data['train'])}"
    run_dir = Path(config["checkpoint_dir"]) / hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:12]
    run_dir.mkdir(parents=True, exist_ok=True)
    checkpoint_path = run_dir / "checkpoint.pt"
    state = {"step": 0, "seconds": 0.0, "history": [], "identity": identity}
    if checkpoint_path.is_file():
        checkpoint = torch.load(checkpoint_path, map_location=dev, weights_only=False)
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        state = checkpoint["state"]
        torch.set_rng_state(checkpoint["rng"])
        print(f"resumed from {checkpoint_path} at step {state['step']:,} of {total_steps:,}", file=sys.stderr)
    print(f"encoder LM: {model.parameter_count():,} parameters on {dev}; {len(data['train']):,} training tokens, "
          f"{steps_per_epoch:,} steps per epoch of {config['batch_size']} x {config['bptt']}; checkpoints in {run_dir}", file=sys.stderr)

    if config["write_encoder_now"]:
        if state["step"] == 0:
            raise PreparedDataError("CHECKPOINT_MISSING", f"no checkpoint in {run_dir} yet: nothing to write.")
        if not state["history"] or state["history"][-1]["step"] != state["step"]:
            state["history"].append({"step": state["step"], "epoch": state["step"] / steps_per_epoch, "heldout": heldout_perplexity(model, data["heldout"], config, dev)})
        write_encoder(model, Path(config["out_dir"]), config, state, data, dev, total_steps)
        return {"finished": state["step"] >= total_steps, "state": state}
    for name in ("SIGINT", "SIGTERM"):
        signal.signal(getattr(signal, name), lambda signum, _frame: STOP.update(signal=signal.Signals(signum).name))
    started = time.perf_counter()
    last_save = started
    bar = Bar("pretrain", total_steps * config["batch_size"] * config["bptt"], "tokens")
    bar.done = state["step"] * config["batch_size"] * config["bptt"]
    heldout = state["history"][-1]["heldout"] if state["history"] else None
    states, loss_avg = (None, None), None
    model.train()
    while state["step"] < total_steps and STOP["signal"] is None:
        step = state["step"]
        start = (step % steps_per_epoch) * config["bptt"]
        if start == 0:
            states = (None, None)  # a new epoch starts every stream afresh
        for group in optimizer.param_groups:
            group["lr"] = learning_rate_at(step, total_steps, config)
        f_loss, b_loss, states = model(forward[:, start:start + config["bptt"] + 1], backward[:, start:start + config["bptt"] + 1], states)
        states = detach(states)
        loss = (f_loss + b_loss) / 2
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), config["clip"])
        optimizer.step()
        loss_avg = loss.item() if loss_avg is None else 0.98 * loss_avg + 0.02 * loss.item()
        state["step"] = step + 1
        now = time.perf_counter()
        if now - last_save >= config["eval_minutes"] * 60 or state["step"] == total_steps:
            heldout = heldout_perplexity(model, data["heldout"], config, dev)
            state["seconds"] += now - last_save
            state["history"].append({"step": state["step"], "epoch": state["step"] / steps_per_epoch, "train_perplexity": math.exp(loss_avg), "heldout": heldout})
            save(checkpoint_path, model, optimizer, state)
            last_save = time.perf_counter()
        held = f"held-out ppl {heldout['forward']:.0f}/{heldout['backward']:.0f}" if heldout else "held-out ppl -"
        bar.update(state["step"] * config["batch_size"] * config["bptt"], f"ppl {math.exp(loss_avg):.0f} {held}", final=state["step"] == total_steps)
        if config["max_minutes"] > 0 and now - started >= config["max_minutes"] * 60:
            STOP["signal"] = f"--max_minutes={config['max_minutes']}"
    if state["step"] < total_steps:
        state["seconds"] += time.perf_counter() - last_save
        save(checkpoint_path, model, optimizer, state)
        print(f"\nstopped by {STOP['signal']} at step {state['step']:,} of {total_steps:,}; run the same command to resume from {checkpoint_path}", file=sys.stderr)
        return {"finished": False, "state": state}
    write_encoder(model, Path(config["out_dir"]), config, state, data, dev, total_steps)
    return {"finished": True, "state": state}


def write_encoder(model: BiLM, out: Path, config: dict, state: dict, data: dict, dev: torch.device, total_steps: int) -> None:
    """encoder.pt (fp16: the classifier casts it back) and card.json, from the last checkpoint."""
    out.mkdir(parents=True, exist_ok=True)
    weights = {k: v.to("cpu", torch.float16) for k, v in model.encoder_state().items()}
    torch.save(weights, out / "encoder.pt")
    meta, last = data["meta"], state["history"][-1]
    card = {
        "format": "reelsense-encoder-card",
        "kind": "bidirectional LSTM language model (forward and backward LSTMs, shared embedding and adaptive softmax)",
        "textPipeline": meta["textPipeline"],
        "vocabulary": {"size": meta["vocabSize"], "tokensSha256": meta["vocabTokensSha256"]},
        "corpus": {"sources": {k: v for k, v in meta["sources"].items() if k != "test"}, "trainTokens": int(len(data["train"])), "heldoutTokens": last["heldout"]["tokens"],
                   "trainReviews": meta["trainReviews"], "unsupReviews": meta["unsupReviews"], "heldoutReviews": meta["heldoutReviews"],
                   "heldout": meta["heldoutRows"], "test": "never read"},
        "model": asdict(model.config),
        "parameters": {"encoder": sum(v.numel() for v in weights.values()), "with softmax": model.parameter_count()},
        "settings": {k: v for k, v in config.items() if k not in ("data_dir", "corpus", "out_dir", "checkpoint_dir")},
        "heldoutPerplexity": {"forward": round(last["heldout"]["forward"], 2), "backward": round(last["heldout"]["backward"], 2)},
        "progress": {"steps": state["step"], "plannedSteps": total_steps, "epochs": round(state["step"] / total_steps * config["epochs"], 3),
                     "note": "complete" if state["step"] >= total_steps else "written mid-run (--write_encoder_now); running the same command again continues the run"},
        "history": state["history"],
        "seconds": round(state["seconds"], 1),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, {dev.type}{' ' + torch.cuda.get_device_name() if dev.type == 'cuda' else ''}, torch {torch.__version__}, {torch.get_num_threads()} threads",
        "files": {"encoder.pt": hashlib.sha256((out / "encoder.pt").read_bytes()).hexdigest()},
    }
    (out / "card.json").write_text(json.dumps(card, indent=2) + "\n")
    print(f"wrote {out}/encoder.pt ({(out / 'encoder.pt').stat().st_size / 1e6:.1f} MB) and card.json; "
          f"held-out perplexity {card['heldoutPerplexity']}", file=sys.stderr)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except PreparedDataError as error:
        raise SystemExit(f"error [{error.code}]: {error}") from None
