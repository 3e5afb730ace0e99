"""Where things live: the bundled data, the cache, and the key the cache is filed under.

Kept free of heavy imports: every command starts here.
"""

from __future__ import annotations

import hashlib
import os
from importlib import resources
from pathlib import Path

from sdpatlas.errors import AtlasError

SCHEMA_VERSION = "1"


def default_data_dir() -> Path:
    """Where the dataset is read from when no ``--data`` is given.

    ``$SDPATLAS_DATA``; else, running from a source checkout (or an editable install of
    one), the checkout's ``data/``, the one editable copy; else the copy of that folder
    the wheel carries as package data (``sdpatlas/data``).
    """
    env = os.environ.get("SDPATLAS_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    checkout = here.parents[1]
    if here.parent.name == "src" and (checkout / "pyproject.toml").is_file() \
            and (checkout / "data").is_dir():
        return checkout / "data"
    return packaged_data_dir()


def packaged_data_dir() -> Path:
    """The dataset installed with the package; AtlasError when it is not a folder on disk."""
    folder = resources.files("sdpatlas") / "data"
    if not isinstance(folder, Path):
        raise AtlasError(f"sdpatlas is imported from an archive ({folder}), and its bundled "
                         "dataset cannot be read from there", code="data-not-on-disk",
                         hint="install sdpatlas as a regular package (pip install sdpatlas), "
                              "or set SDPATLAS_DATA (or --data) to a dataset folder")
    if not folder.is_dir():
        raise AtlasError(f"the installed sdpatlas has no bundled dataset at {folder}",
                         code="data-missing",
                         hint="reinstall sdpatlas from a wheel or sdist built with its "
                              "data/ folder, or set SDPATLAS_DATA (or --data) to a dataset "
                              "folder")
    return folder


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
