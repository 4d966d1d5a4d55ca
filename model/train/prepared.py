"""Reads the prepared data written by `npm run data:prepare` (model/prepare/ in TypeScript).

Python does no text processing of its own: it reads token ids, offsets and labels from .npy
files, checked against manifest.json (format, sizes, sha256) and against vocab.json, so the
ids it trains on are exactly those the TypeScript pipeline serves with.

    data = load_prepared("model/prepared")
    ids = data.splits["train"].review(0)      # int32 token ids of the first training review
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PREPARED_FORMAT = "reelsense-prepared"
PREPARED_FORMAT_VERSION = 1
PAD_ID = 0
UNK_ID = 1


class PreparedDataError(Exception):
    """The prepared folder is missing, incomplete or inconsistent; the message says what to do."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Split:
    ids: np.ndarray  # int32 [total tokens]
    offsets: np.ndarray  # int64 [reviews + 1]
    labels: np.ndarray | None  # uint8 [reviews], None for unlabelled reviews
    ratings: np.ndarray | None = None  # uint8 [reviews] star ratings 1-10, where the dataset gives them

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def review(self, i: int) -> np.ndarray:
        return self.ids[self.offsets[i] : self.offsets[i + 1]]

    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)


@dataclass(frozen=True)
class PreparedData:
    directory: Path
    manifest: dict
    vocab: dict  # the parsed vocab.json: tokens, maxSize, minCount, maxLength, textPipeline
    splits: dict[str, Split]

    @property
    def vocab_size(self) -> int:
        return len(self.vocab["tokens"])


_AGAIN = "Run `npm run data:prepare` again (add --force to rebuild from scratch)."


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check_file(directory: Path, record: dict, verify_hashes: bool) -> Path:
    path = directory / record["file"]
    if not path.is_file():
        raise PreparedDataError("PREPARED_INCOMPLETE", f"{path} is missing. {_AGAIN}")
    if path.stat().st_size != record["bytes"]:
        raise PreparedDataError("PREPARED_CORRUPT", f"{path} has {path.stat().st_size} bytes, the manifest says {record['bytes']}. {_AGAIN}")
    if verify_hashes and sha256_of(path) != record["sha256"]:
        raise PreparedDataError("PREPARED_CORRUPT", f"{path} does not match the sha256 in manifest.json. {_AGAIN}")
    return path


def _load_array(directory: Path, record: dict, dtype: np.dtype, verify_hashes: bool) -> np.ndarray:
    path = _check_file(directory, record, verify_hashes)
    array = np.load(path, mmap_mode="r", allow_pickle=False)
    if array.dtype != dtype or array.ndim != 1:
        raise PreparedDataError("PREPARED_CORRUPT", f"{path} holds {array.dtype} with {array.ndim} dimensions, expected 1-D {dtype}. {_AGAIN}")
    return array


def load_prepared(directory: str | Path, splits: tuple[str, ...] = ("train", "test"), verify_hashes: bool = True) -> PreparedData:
    """Loads and checks the prepared folder; raises PreparedDataError with a clear message."""
    directory = Path(directory)
    manifest_path = directory / "manifest.json"
    if not manifest_path.is_file():
        raise PreparedDataError("PREPARED_MISSING", f"No prepared data in {directory} (manifest.json is missing). Run `npm run data:prepare` first.")
    try:
        manifest = json.loads(manifest_path.read_text("utf-8"))
    except json.JSONDecodeError as error:
        raise PreparedDataError("PREPARED_CORRUPT", f"{manifest_path} is not valid JSON ({error}). {_AGAIN}") from error
    if manifest.get("format") != PREPARED_FORMAT or manifest.get("version") != PREPARED_FORMAT_VERSION:
        raise PreparedDataError(
            "PREPARED_FORMAT",
            f"{manifest_path} is format {manifest.get('format')!r} version {manifest.get('version')!r}; "
            f"this code reads {PREPARED_FORMAT!r} version {PREPARED_FORMAT_VERSION}. {_AGAIN}",
        )

    vocab_record = manifest["vocabulary"]
    vocab_path = directory / vocab_record["file"]
    if not vocab_path.is_file():
        raise PreparedDataError("PREPARED_INCOMPLETE", f"{vocab_path} is missing. {_AGAIN}")
    if sha256_of(vocab_path) != vocab_record["sha256"]:
        raise PreparedDataError(
            "VOCAB_MISMATCH",
            f"{vocab_path} is not the vocabulary these ids were encoded with (its sha256 differs from manifest.json). {_AGAIN}",
        )
    vocab = json.loads(vocab_path.read_text("utf-8"))
    if vocab.get("textPipeline") != manifest.get("textPipeline"):
        raise PreparedDataError("VOCAB_MISMATCH", f"{vocab_path} comes from text pipeline {vocab.get('textPipeline')!r}, the data from {manifest.get('textPipeline')!r}. {_AGAIN}")
    vocab_size = len(vocab["tokens"])

    loaded: dict[str, Split] = {}
    for name in splits:
        record = manifest["splits"].get(name)
        if record is None:
            hint = " Prepare with --with-unsup." if name == "unsup" else ""
            raise PreparedDataError("PREPARED_INCOMPLETE", f"{directory} has no {name!r} split.{hint} {_AGAIN}")
        ids = _load_array(directory, record["ids"], np.dtype("<i4"), verify_hashes)
        offsets = _load_array(directory, record["offsets"], np.dtype("<i8"), verify_hashes)
        labels = _load_array(directory, record["labels"], np.dtype("u1"), verify_hashes) if "labels" in record else None
        if len(offsets) != record["reviews"] + 1 or offsets[0] != 0 or offsets[-1] != len(ids):
            raise PreparedDataError("PREPARED_CORRUPT", f"{name} offsets do not match its ids ({len(ids)} tokens, {len(offsets) - 1} reviews). {_AGAIN}")
        if labels is not None and len(labels) != record["reviews"]:
            raise PreparedDataError("PREPARED_CORRUPT", f"{name} has {len(labels)} labels for {record['reviews']} reviews. {_AGAIN}")
        if len(ids) and int(ids.max()) >= vocab_size:
            raise PreparedDataError("VOCAB_MISMATCH", f"{name} holds id {int(ids.max())}, but the vocabulary has only {vocab_size} entries. {_AGAIN}")
        ratings = _load_array(directory, record["ratings"], np.dtype("u1"), verify_hashes) if "ratings" in record else None
        if ratings is not None and len(ratings) != record["reviews"]:
            raise PreparedDataError("PREPARED_CORRUPT", f"{name} has {len(ratings)} ratings for {record['reviews']} reviews. {_AGAIN}")
        loaded[name] = Split(ids=ids, offsets=offsets, labels=labels, ratings=ratings)
    return PreparedData(directory=directory, manifest=manifest, vocab=vocab, splits=loaded)
