"""The SQLite database: schema, atomic build, read-only reading and the cache.

The database is derived from ``data/`` and never edited. ``build`` writes it to
a temporary file beside the target, checks its integrity and renames it into
place, so a reader sees either the old file or the new one, never half of one.
``open_dataset`` is what front ends call: it returns the dataset from a
database cached under the data's content hash, building it on first use.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from importlib import resources
from pathlib import Path

from sdpatlas.model import Dataset
from sdpatlas.paths import SCHEMA_VERSION, cache_dir, content_hash
from sdpatlas.store._read import Reader
from sdpatlas.store._write import Writer

__all__ = ["StoreError", "build", "cached_db", "connect", "open_dataset", "read"]


class StoreError(Exception):
    """The database could not be built or read; the message says why."""


def schema() -> str:
    """The SQL that creates an empty database."""
    return resources.files("sdpatlas.store").joinpath("schema.sql").read_text(encoding="utf-8")


def build(data: Dataset, target: Path) -> Path:
    """Write ``data`` to a new database at ``target`` atomically; return the path."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                         dir=target.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        _write(data, temp)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    return target


def _write(data: Dataset, path: Path) -> None:
    db = sqlite3.connect(path)
    try:
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
        db.executescript(schema())
        with db:
            Writer(db).dataset(data)
            db.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("schema_version", SCHEMA_VERSION), ("content_hash", data.content_hash)])
        problems = [r[0] for r in db.execute("PRAGMA foreign_key_check")]
        status = db.execute("PRAGMA integrity_check").fetchone()[0]
        if status != "ok" or problems:
            raise StoreError(f"the new database failed its checks: {status} {problems}")
        db.execute("VACUUM")
    finally:
        db.close()


def connect(path: Path) -> sqlite3.Connection:
    """Open a built database read-only (immutable: it never changes once renamed)."""
    if not path.is_file():
        raise StoreError(f"no database at {path}; build one with `sdpatlas build --db {path}`")
    uri = f"file:{path.resolve().as_posix()}?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


def read(path: Path) -> Dataset:
    """The dataset stored in a database."""
    db = connect(path)
    try:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("schema_version") != SCHEMA_VERSION:
            raise StoreError(f"{path} has schema {meta.get('schema_version')!r}, "
                             f"expected {SCHEMA_VERSION!r}; rebuild it")
        reader = Reader(db)
        areas, clusters = reader.taxonomy()
        return Dataset(
            areas=areas, clusters=clusters, groups=reader.groups(), parties=reader.parties(),
            partnerships=reader.partnerships(), sources=reader.sources(),
            conflicts=reader.conflicts(), milestones=reader.milestones(),
            resolutions=reader.resolutions(), instruments=reader.instruments(),
            content_hash=meta.get("content_hash", ""))
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is not a readable SDP Atlas database: {exc}") from exc
    finally:
        db.close()


def cached_db(directory: Path) -> tuple[Path, str]:
    """The cache path for a dataset directory's current content, and its hash."""
    digest = content_hash(directory)
    return cache_dir() / f"atlas-{digest[:20]}.sqlite", digest


def open_dataset(directory: Path) -> tuple[Dataset, Path]:
    """The dataset of a directory and the path of its database, built if not cached.

    Raises DatasetError when the data is invalid; no database is written then.
    """
    path, digest = cached_db(directory)
    if path.is_file():
        with contextlib.suppress(StoreError):
            data = read(path)
            if data.content_hash == digest:
                return data, path
    from sdpatlas.dataset import load  # YAML parsing only on a cache miss

    data = load(directory)
    return data, build(data, path)
