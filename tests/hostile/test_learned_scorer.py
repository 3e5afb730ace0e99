"""A hostile learned-scorer file in a dataset is refused with its name, never read blindly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sdpatlas.coding import LexiconError
from sdpatlas.coding.learned import load_model
from sdpatlas.paths import MAX_FILE_BYTES


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_not_read(tmp_path: Path) -> None:
    path = tmp_path / "learned.json"
    os.mkfifo(path)
    with pytest.raises(LexiconError, match=r"learned scorer\) is a FIFO"):
        load_model(path)


def test_an_oversized_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "learned.json"
    path.write_bytes(b" " * (MAX_FILE_BYTES + 1))
    with pytest.raises(LexiconError, match="a data file may have at most"):
        load_model(path)


@pytest.mark.parametrize("content", [
    b'{"weights": [], "bias": 0, "platt": [1, 0], "band": {"yes": 0.5, "abstain": 0.2}}',
    b'{"weights": {"a": "x"}, "bias": 0, "platt": [1, 0], "band": {"yes": 0.5, "abstain": 0}}',
    b'{"weights": {}, "bias": 0, "platt": [1, 0, 2], "band": {"yes": 0.5, "abstain": 0}}',
    b'{"weights": {}, "bias": 0, "platt": [1, 0], "band": {"yes": 2, "abstain": 0}}',
    b"\xff\xfe not utf-8",
    b"[]",
])
def test_a_malformed_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "learned.json"
    path.write_bytes(content)
    with pytest.raises(LexiconError, match="learned"):
        load_model(path)
