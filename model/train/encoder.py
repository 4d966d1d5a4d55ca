"""The pretrained encoder as fine-tuning meets it: its identity (the vocabulary's tokens and the
text pipeline) and loading it into the classifier's recurrent branch, refusing one that was
built for other ids."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import torch

from prepared import PreparedData, PreparedDataError


def tokens_sha256(vocab: dict) -> str:
    """The vocabulary's identity: its tokens in order (not its length rule)."""
    return hashlib.sha256(json.dumps(vocab["tokens"], ensure_ascii=False).encode("utf-8")).hexdigest()


def load_encoder(model: torch.nn.Module, config: dict, data: PreparedData) -> dict | None:
    """Loads the pretrained encoder into the recurrent branch, refusing one built on another
    vocabulary, text pipeline or shape; returns its card."""
    if not config["encoder_dir"]:
        return None
    folder = Path(config["encoder_dir"])
    if not (folder / "card.json").is_file() or not (folder / "encoder.pt").is_file():
        raise PreparedDataError("ENCODER_MISSING", f"No pretrained encoder in {folder} (card.json and encoder.pt). "
                                "Run `npm run pretrain`, or pass --encoder_dir= to train from scratch.")
    card = json.loads((folder / "card.json").read_text("utf-8"))
    if card["textPipeline"] != data.manifest["textPipeline"]:
        raise PreparedDataError("ENCODER_MISMATCH", f"The encoder in {folder} was built with text pipeline {card['textPipeline']!r}; "
                                f"the prepared data with {data.manifest['textPipeline']!r}. Pretrain it again (npm run pretrain).")
    if card["vocabulary"]["tokensSha256"] != tokens_sha256(data.vocab):
        raise PreparedDataError("ENCODER_MISMATCH", f"The encoder in {folder} was built with another vocabulary than {data.directory} "
                                f"({card['vocabulary']['size']:,} vs {data.vocab_size:,} tokens, different sha256). Pretrain it again, or prepare the data with its vocabulary options.")
    shape = {k: card["model"][k] for k in ("embed_dim", "hidden")}
    if shape != {"embed_dim": config["embed_dim"], "hidden": config["hidden"]} or config["cell"] != "lstm" or not config["bidirectional"]:
        raise PreparedDataError("ENCODER_MISMATCH", f"The encoder in {folder} is a bidirectional LSTM with {shape}; "
                                f"this run asks for a {config['cell']} with embed_dim {config['embed_dim']}, hidden {config['hidden']}.")
    weights = torch.load(folder / "encoder.pt", map_location="cpu", weights_only=True)
    model.load_state_dict({k: v.float() for k, v in weights.items()}, strict=False)
    return {k: card[k] for k in ("heldoutPerplexity", "seconds", "machine", "parameters")} | {"vocabTokensSha256": card["vocabulary"]["tokensSha256"]}
