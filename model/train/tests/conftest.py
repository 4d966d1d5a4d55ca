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


@pytest.fixture()
def copy_of(tmp_path: Path):
    def copy(src: Path) -> Path:
        dst = tmp_path / "copy"
        shutil.copytree(src, dst)
        return dst
    return copy
