"""Shared fixtures: a small dataset prepared by the real TypeScript prepare step."""
from __future__ import annotations

import csv
import gzip
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "model" / "train"))

TRAIN = [
    (1, "Great movie! A great, great cast.<br /><br />Loved it :)"),
    (0, "Awful. I didn't like it, and the plot wasn't good."),
    (1, "A great film with a \"great\" ending, 9/10"),
    (0, "Boring, awful and long. 2/10"),
]
TEST = [
    (1, "great great"),
    (0, "awful boring film that isn't worth it"),
]


def write_csv(path: Path, rows: list[tuple[int, str]]) -> None:
    with gzip.open(path, "wt", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["label", "text"])
        writer.writerows(rows)


@pytest.fixture()
def prepared_dir(tmp_path: Path) -> Path:
    tsx = ROOT / "node_modules" / ".bin" / "tsx"
    if not tsx.exists():
        pytest.fail("node_modules is missing: run `npm test`, which installs it first.")
    data = tmp_path / "data"
    data.mkdir()
    write_csv(data / "train.csv.gz", TRAIN)
    write_csv(data / "test.csv.gz", TEST)
    out = tmp_path / "prepared"
    subprocess.run(
        [str(tsx), str(ROOT / "model" / "prepare" / "cli.ts"), "--data-dir", str(data), "--out", str(out),
         "--vocab-size", "12", "--min-count", "2", "--max-length", "8"],
        check=True, cwd=ROOT, capture_output=True, text=True,
    )
    return out


def prepare(tmp_path: Path, name: str, with_unsup: bool, train_ids: bool = False) -> Path:
    tsx = ROOT / "node_modules" / ".bin" / "tsx"
    if not tsx.exists():
        pytest.fail("node_modules is missing: run `npm test`, which installs it first.")
    data = tmp_path / f"{name}-data"
    data.mkdir()
    rows = TRAIN * 5 if with_unsup else TRAIN  # 20 reviews: 2 are held out of pretraining
    write_csv(data / "train.csv.gz", rows)
    write_csv(data / "test.csv.gz", TEST)
    if with_unsup:
        with gzip.open(data / "unsup.csv.gz", "wt", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(["text"])
            writer.writerows([[t] for _, t in TRAIN * 3])
    if train_ids:
        with gzip.open(data / "train_ids.txt.gz", "wt", encoding="utf-8") as f:
            f.write("".join(f"train/{'pos' if label else 'neg'}/{i}_{10 if label else 1}.txt\n" for i, (label, _) in enumerate(rows)))
    out = tmp_path / name
    subprocess.run(
        [str(tsx), str(ROOT / "model" / "prepare" / "cli.ts"), "--data-dir", str(data), "--out", str(out),
         "--vocab-size", "12", "--min-count", "2", "--max-length", "64", *(["--with-unsup"] if with_unsup else [])],
        check=True, cwd=ROOT, capture_output=True, text=True,
    )
    return out


@pytest.fixture()
def lm_prepared_dir(tmp_path: Path) -> Path:
    """The tiny dataset with unlabelled reviews and star ratings, for pretraining and fine-tuning."""
    return prepare(tmp_path, "prepared-lm", with_unsup=True, train_ids=True)


@pytest.fixture()
def copy_of(tmp_path: Path):
    def copy(src: Path) -> Path:
        dst = tmp_path / "copy"
        shutil.copytree(src, dst)
        return dst
    return copy
