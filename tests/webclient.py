"""Shared helpers for the web tests: an app on a dataset folder, with its own cache."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from sdpatlas.web import create_app

__all__ = ["TestClient", "client_for"]


@contextmanager
def client_for(data_dir: Path, cache: Path) -> Iterator[TestClient]:
    """A test client of the explorer on one dataset folder, caching under ``cache``."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SDPATLAS_CACHE", str(cache))
    try:
        with TestClient(create_app(data_dir), raise_server_exceptions=False) as client:
            yield client
    finally:
        mp.undo()
