"""Shared fixtures. Tests are offline; the real corpus in ../shared is only for `corpus` tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """../shared/corpus, or a skip (a failure under CI, which always has it)."""
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but ../shared/corpus is missing")
        pytest.skip("../shared/corpus is not here (corpus tests run in CI)")
    return corpus


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA
