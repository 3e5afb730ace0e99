"""Where things live: the bundled data, the cache, and the key the cache is filed under.

Kept free of heavy imports: every command starts here.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

SCHEMA_VERSION = "1"


def default_data_dir() -> Path:
    """``$SDPATLAS_DATA``, else the ``data/`` folder of this source checkout."""
    env = os.environ.get("SDPATLAS_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "data"


def data_files(directory: Path) -> list[Path]:
    """Every YAML file of a dataset, in a stable order."""
    return sorted(p for p in directory.rglob("*.yaml") if p.is_file())


def content_hash(directory: Path) -> str:
    """A digest of every data file's path and bytes, and the schema version."""
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
    for path in data_files(directory):
        digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_dir() -> Path:
    """Where built databases are cached: $SDPATLAS_CACHE, else the XDG cache folder."""
    env = os.environ.get("SDPATLAS_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sdpatlas"
