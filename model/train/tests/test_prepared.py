"""The contract between the TypeScript prepare step and the Python reader."""
from __future__ import annotations

import json

import numpy as np
import pytest

from prepared import PAD_ID, UNK_ID, PreparedDataError, load_prepared
from tests.conftest import TEST, TRAIN


def tokens_of(data, split: str, i: int) -> list[str]:
    return [data.vocab["tokens"][t] for t in data.splits[split].review(i)]


def test_reads_every_review_with_its_label(prepared_dir):
    data = load_prepared(prepared_dir)
    assert len(data.splits["train"]) == len(TRAIN)
    assert len(data.splits["test"]) == len(TEST)
    assert data.splits["train"].labels.tolist() == [label for label, _ in TRAIN]
    assert data.splits["test"].labels.tolist() == [label for label, _ in TEST]


def test_ids_are_the_typescript_tokens(prepared_dir):
    data = load_prepared(prepared_dir)
    tokens = data.vocab["tokens"]
    assert tokens[PAD_ID] == "<pad>" and tokens[UNK_ID] == "<unk>"
    assert len(tokens) <= 12
    assert tokens_of(data, "test", 0) == ["great", "great"]
    # "that" occurs once in train, below --min-count 2, so it is unknown.
    assert "<unk>" in tokens_of(data, "test", 1)
    assert tokens_of(data, "test", 1)[0] == "awful"


def test_long_reviews_keep_head_and_tail(prepared_dir):
    data = load_prepared(prepared_dir)
    lengths = data.splits["train"].lengths()
    assert lengths.max() == 8  # --max-length 8
    # "great movie ! a great , great cast . loved it :)" has 12 tokens: the first 2 (a quarter
    # of 8) and the last 6 stay; words seen once in train are unknown.
    assert tokens_of(data, "train", 0) == ["great", "<unk>", "great", "<unk>", ".", "<unk>", "it", "<unk>"]


def test_manifest_matches_arrays(prepared_dir):
    data = load_prepared(prepared_dir)
    record = data.manifest["splits"]["train"]
    assert record["tokens"] == len(data.splits["train"].ids)
    assert record["positive"] == int(np.sum(data.splits["train"].labels))
    assert data.manifest["vocabulary"]["maxLength"] == 8


def test_missing_folder_says_to_prepare(tmp_path):
    with pytest.raises(PreparedDataError, match="npm run data:prepare") as error:
        load_prepared(tmp_path / "nowhere")
    assert error.value.code == "PREPARED_MISSING"


def test_vocabulary_that_does_not_match_is_refused(prepared_dir, copy_of):
    folder = copy_of(prepared_dir)
    vocab = json.loads((folder / "vocab.json").read_text())
    vocab["tokens"] = vocab["tokens"][:3]
    (folder / "vocab.json").write_text(json.dumps(vocab))
    with pytest.raises(PreparedDataError) as error:
        load_prepared(folder)
    assert error.value.code == "VOCAB_MISMATCH"


def test_truncated_array_is_refused(prepared_dir, copy_of):
    folder = copy_of(prepared_dir)
    path = folder / "train.ids.npy"
    path.write_bytes(path.read_bytes()[:-4])
    with pytest.raises(PreparedDataError) as error:
        load_prepared(folder)
    assert error.value.code == "PREPARED_CORRUPT"


def test_unknown_format_version_is_refused(prepared_dir, copy_of):
    folder = copy_of(prepared_dir)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["version"] = 99
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(PreparedDataError) as error:
        load_prepared(folder)
    assert error.value.code == "PREPARED_FORMAT"


def test_missing_unsup_split_says_how_to_get_it(prepared_dir):
    with pytest.raises(PreparedDataError, match="--with-unsup"):
        load_prepared(prepared_dir, splits=("unsup",))
