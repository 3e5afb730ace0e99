"""Shared helpers for the web tests: an app on a dataset folder, with its own cache."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from sdpatlas.web import create_app
from sdpatlas.web._options import ServeOptions

__all__ = ["TestClient", "client_for"]


@contextmanager
def client_for(data_dir: Path, cache: Path) -> Iterator[TestClient]:
    """A test client of the explorer on one dataset folder, caching under ``cache``.

    Heavy requests run in threads of the test's process (no worker processes to start);
    tests/hostile/test_http.py covers the process pool of a real server.
    """
    mp = pytest.MonkeyPatch()
    mp.setenv("SDPATLAS_CACHE", str(cache))
    try:
        app = create_app(data_dir, ServeOptions(threads=True))
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client
    finally:
        mp.undo()
