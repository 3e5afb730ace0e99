"""Shared fixtures: the tiny fixture dataset, the real dataset, an isolated cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sdpatlas.dataset import load
from sdpatlas.model import Dataset

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
REAL_DATA = ROOT / "data"


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own database cache, and no inherited SDPATLAS_DATA."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("SDPATLAS_CACHE", str(cache))
    monkeypatch.delenv("SDPATLAS_DATA", raising=False)
    yield cache


@pytest.fixture(scope="session")
def fixture_data() -> Dataset:
    """The tiny fixture dataset (tests/fixtures/data)."""
    return load(FIXTURE_DATA)


@pytest.fixture(scope="session")
def real_data() -> Dataset:
    """The real dataset in data/."""
    return load(REAL_DATA)
