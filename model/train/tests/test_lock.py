"""The environment matches its lock: every package installed in this venv is pinned in
constraints.txt at the version installed, and every pin in requirements.txt agrees with it.
A dependency added without updating the lock, or a lock edited by hand, fails here."""

from importlib.metadata import distributions
from pathlib import Path

import pytest

TRAIN_DIR = Path(__file__).resolve().parent.parent
# Installed with the venv itself, not by requirements.txt.
VENV_TOOLS = {"pip", "setuptools", "wheel"}


def canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def pins(path: Path) -> dict[str, str]:
    found = {}
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, version = line.partition("==")
        assert sep, f"{path.name}: {line!r} is not pinned with =="
        found[canonical(name)] = version.strip()
    return found


def installed() -> dict[str, str]:
    # A local version label (torch's +cpu) is the build, not the version.
    return {
        canonical(d.metadata["Name"]): d.version.split("+", 1)[0]
        for d in distributions()
        if canonical(d.metadata["Name"]) not in VENV_TOOLS
    }


def test_every_installed_package_is_locked_at_its_version():
    locked = pins(TRAIN_DIR / "constraints.txt")
    assert installed() == locked


@pytest.mark.parametrize("name,version", sorted(pins(TRAIN_DIR / "requirements.txt").items()))
def test_requirements_agree_with_the_lock(name, version):
    assert pins(TRAIN_DIR / "constraints.txt").get(name) == version
