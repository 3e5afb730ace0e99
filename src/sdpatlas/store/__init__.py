"""The SQLite database: schema, atomic build, read-only reading and the cache.

The database is derived from ``data/`` and never edited. ``build`` writes it to
a temporary file beside the target, checks its integrity, flushes it to disk and
renames it into place, so a reader sees either the old file or the new one, never
half of one; only a regular file is ever replaced. ``open_dataset`` is what front
ends call: it returns the dataset from a database cached under the data's content
hash, building it on first use. When the cache cannot be written (read-only, full,
not a folder) it builds a private temporary database instead, removed at exit, and
says so with a :class:`CacheUnavailable` warning.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import os
import shutil
import sqlite3
import stat
import tempfile
import time
import warnings
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from sdpatlas import outputs
from sdpatlas.errors import AtlasError, AtlasWarning, OutputError
from sdpatlas.model import Dataset, PartialDate, Release
from sdpatlas.paths import SCHEMA_VERSION, cache_dir, content_hash
from sdpatlas.store._read import Reader
from sdpatlas.store._write import Writer

__all__ = ["CacheUnavailable", "StoreError", "build", "build_cached", "cached_db", "connect",
           "open_dataset", "read"]

STALE_AFTER = 600
"""Seconds after its last write when a temporary database in the cache counts as left over
by a killed build (a running build writes to its file all the time)."""

_TEMPORARIES = (".atlas-*.sqlite.*.part", ".atlas-*.sqlite.*.tmp")
_PRIVATE = "sdpatlas-db-"  # + pid + "-" + random: a process's fallback database folder

# SQLite's primary result codes that mean the file is damaged or cannot be read:
# IOERR, CORRUPT, CANTOPEN, FORMAT, NOTADB, PERM
_DAMAGED = frozenset((10, 11, 14, 24, 26, 3))

# SQLite's primary result codes for a failed write, as the errno a user knows
_SQLITE_ERRNO = {13: errno.ENOSPC, 10: errno.EIO, 8: errno.EROFS, 14: errno.EACCES,
                 3: errno.EPERM}


class StoreError(AtlasError):
    """The database could not be built or read; the message says why."""

    code = "store"


class CacheUnavailable(AtlasWarning):
    """The cache could not be written; a private temporary database is used instead."""


def schema() -> str:
    """The SQL that creates an empty database."""
    return resources.files("sdpatlas.store").joinpath("schema.sql").read_text(encoding="utf-8")


def build(data: Dataset, target: Path) -> Path:
    """Write ``data`` to a new database at ``target`` atomically; return the path.

    Raises :class:`~sdpatlas.errors.OutputError` when ``target`` is not a regular file
    (a folder, link, device or pipe) or cannot be written; nothing is changed then.
    """
    return outputs.write_file(target, lambda temp: _write(data, temp))


def build_cached(data: Dataset, target: Path) -> Path:
    """Build a cache entry, first removing the temporary files of killed builds beside it."""
    remove_stale_temporaries(target.parent)
    return build(data, target)


def remove_stale_temporaries(folder: Path, now: float | None = None) -> list[Path]:
    """Remove this tool's temporary databases in ``folder`` unchanged for ``STALE_AFTER``."""
    now = time.time() if now is None else now
    removed = []
    for temp in _temporaries(folder):
        with contextlib.suppress(OSError):
            info = temp.lstat()
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_AFTER:
                temp.unlink()
                removed.append(temp)
    return removed


def remove_orphan_folders(base: Path) -> list[Path]:
    """Remove the private database folders in ``base`` of this user's processes that died."""
    removed = []
    for folder in _temporaries(base, (f"{_PRIVATE}*-*",)):
        pid = folder.name[len(_PRIVATE):].split("-", 1)[0]
        with contextlib.suppress(OSError):
            info = folder.lstat()
            if (stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and pid.isdigit()
                    and not _alive(int(pid))):
                shutil.rmtree(folder)
                removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        pass
    return True


def _temporaries(folder: Path, patterns: tuple[str, ...] = _TEMPORARIES) -> Iterator[Path]:
    with contextlib.suppress(OSError):
        for pattern in patterns:
            yield from folder.glob(pattern)


def _write(data: Dataset, path: Path) -> None:
    try:
        _fill(data, path)
    except sqlite3.OperationalError as exc:
        code = _SQLITE_ERRNO.get(getattr(exc, "sqlite_errorcode", 0) & 0xFF)
        if code is None:
            raise
        raise OSError(code, os.strerror(code)) from exc


def _fill(data: Dataset, path: Path) -> None:
    db = sqlite3.connect(path)
    try:
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
        db.executescript(schema())
        with db:
            Writer(db).dataset(data)
            db.executemany("INSERT INTO meta VALUES (?, ?)", _meta_rows(data))
        problems = [r[0] for r in db.execute("PRAGMA foreign_key_check")]
        status = db.execute("PRAGMA integrity_check").fetchone()[0]
        if status != "ok" or problems:
            raise StoreError(f"the new database failed its checks: {status} {problems}")
        db.execute("VACUUM")
    finally:
        db.close()


def _meta_rows(data: Dataset) -> list[tuple[str, str]]:
    rows = [("schema_version", SCHEMA_VERSION), ("content_hash", data.content_hash)]
    if data.release is not None:
        rows += [("data_version", data.release.version),
                 ("data_coverage", str(data.release.coverage))]
    return rows


def _release(meta: dict[str, str]) -> Release | None:
    if "data_version" not in meta:
        return None
    return Release(meta["data_version"], PartialDate.parse(meta["data_coverage"]))


def connect(path: Path) -> sqlite3.Connection:
    """Open a built database read-only (immutable: it never changes once renamed)."""
    if not path.is_file():
        raise StoreError(f"no database at {path}; build one with `sdpatlas build --db {path}`")
    uri = f"file:{path.resolve().as_posix()}?mode=ro&immutable=1"
    try:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the database {path}: {exc}") from exc


def read(path: Path) -> Dataset:
    """The dataset stored in a database.

    Raises :class:`StoreError` when the file is not an SDP Atlas database of this schema or
    is damaged; a query failing on a sound database of the right schema is a bug and is
    raised as it is, never reported as a damaged file.
    """
    db = connect(path)
    try:
        meta = _meta(db, path)
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
            content_hash=meta.get("content_hash", ""), release=_release(meta))
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF not in _DAMAGED:
            raise
        raise StoreError(f"{path} is not a readable SDP Atlas database: {exc}") from exc
    finally:
        db.close()


def _meta(db: sqlite3.Connection, path: Path) -> dict[str, str]:
    try:
        return dict(db.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is not a readable SDP Atlas database: {exc}") from exc


def cached_db(directory: Path) -> tuple[Path, str]:
    """The cache path for a dataset directory's current content, and its hash."""
    digest = content_hash(directory)
    return cache_dir() / f"atlas-{digest[:20]}.sqlite", digest


def open_dataset(directory: Path) -> tuple[Dataset, Path]:
    """The dataset of a directory and the path of its database, built if not cached.

    Raises DatasetError when the data is invalid; no database is written then. Temporary
    files that killed builds left in the cache are removed once stale. When the
    cache cannot be written, warns with :class:`CacheUnavailable` and builds a temporary
    database that is removed when the process exits.
    """
    path, digest = cached_db(directory)
    remove_stale_temporaries(path.parent)
    if path.is_file():
        with contextlib.suppress(StoreError):
            data = read(path)
            if data.content_hash == digest:
                return data, path
    from sdpatlas.dataset import load  # YAML parsing only on a cache miss

    data = load(directory)
    try:
        return data, build(data, path)
    except OutputError as exc:
        return data, _build_private(data, exc)


def _build_private(data: Dataset, cause: OutputError) -> Path:
    """Build into a new private temporary folder, removed at exit (or, if the process is
    killed, by the next one that needs such a folder)."""
    try:
        base = Path(tempfile.gettempdir())
        remove_orphan_folders(base)
        folder = Path(tempfile.mkdtemp(prefix=f"{_PRIVATE}{os.getpid()}-", dir=base))
        atexit.register(shutil.rmtree, folder, True)
        path = build(data, folder / "atlas.sqlite")
    except (OSError, OutputError) as exc:
        raise OutputError(f"cannot build the database: {cause.message}; and in the temporary "
                          f"folder: {exc}", code="cache-unavailable",
                          hint="set SDPATLAS_CACHE to a writable folder with free space") from exc
    warnings.warn(CacheUnavailable(
        f"the cache cannot be used ({cause.message}); working from a temporary database, "
        "removed at exit (set SDPATLAS_CACHE to a writable folder to keep it)"), stacklevel=3)
    return path
