from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
OUTPUT = ROOT / "output"
CORPUS = ROOT / "tests" / "corpus" / "hrc-dev" / "texts"  # the development corpus, vendored


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
