"""Where things live: the bundled data, the cache, and the key the cache is filed under.

Kept free of heavy imports: every command starts here. A data folder is walked in a
bounded way (:func:`scan`): it must hold ``taxonomy.yaml`` before anything else is
looked at, only its own layout is walked (two folder levels), and every limit below is
checked before a byte is parsed. Only regular files are ever opened; a FIFO, socket,
device or a link leading out of the data folder is a finding, never a read.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Collection
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sdpatlas.errors import AtlasError
from sdpatlas.findings import DatasetError, Finding, Severity, finding

SCHEMA_VERSION = "2"
MARKER = "taxonomy.yaml"
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DATA_BYTES = 8 * 1024 * 1024
MAX_FILES = 2_000
MAX_ENTRIES = 20_000
MAX_DEPTH = 2


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


class DataFileError(Exception):
    """A data file that may not or cannot be read; ``code`` is a finding code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def read_data_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; DataFileError otherwise.

    The file is opened non-blocking and checked again once open, so a FIFO or device
    swapped in after the check is refused instead of read.
    """
    try:
        _check_regular(os.stat(path), limit)
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except DataFileError:
        raise
    except OSError as exc:
        raise DataFileError("unreadable", f"cannot read: {exc.strerror or exc}") from exc
    try:
        _check_regular(os.fstat(handle), limit)
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        raise DataFileError("unreadable", f"cannot read: {exc.strerror or exc}") from exc
    finally:
        os.close(handle)
    if len(data) > limit:
        raise DataFileError("file-too-large", _too_large(len(data), limit))
    return data


def _check_regular(info: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise DataFileError("special-file", f"is a {_kind(info.st_mode)}, not a regular file")
    if info.st_size > limit:
        raise DataFileError("file-too-large", _too_large(info.st_size, limit))


def _too_large(size: int, limit: int) -> str:
    return f"is {size:,} bytes; a data file may have at most {limit:,}"


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "folder"), (stat.S_ISFIFO, "FIFO (named pipe)"),
             (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
             (stat.S_ISBLK, "block device"), (stat.S_ISLNK, "symbolic link"))
    return next((name for test, name in kinds if test(mode)), "special file")


@dataclass
class Scan:
    """The YAML files of a data folder, the findings of the walk, and the paths flagged."""

    directory: Path
    files: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    flagged: set[Path] = field(default_factory=set)
    complete: bool = True

    def name(self, path: Path) -> str:
        """How findings name a path: relative to the data folder's parent (``data/x.yaml``)."""
        if path == self.directory:
            return str(path)
        try:
            return path.relative_to(self.directory.parent).as_posix()
        except ValueError:
            return str(path)

    def report(self, code: str, message: str, path: Path, **where: object) -> None:
        """Record a finding on a path and remember that the path was flagged."""
        self.findings.append(finding(code, message, file=self.name(path), **where))
        self.flagged.add(path)

    @property
    def errors(self) -> list[Finding]:
        """The error findings of the walk."""
        return [f for f in self.findings if f.severity is Severity.ERROR]


def scan(directory: Path) -> Scan:
    """Walk a data folder's layout within the limits; never opens anything but folders."""
    result = Scan(directory)
    if not _looks_like_dataset(result):
        result.complete = False
        return result
    _Walker(result, os.path.realpath(directory)).walk()
    result.files.sort()
    return result


def _looks_like_dataset(result: Scan) -> bool:
    directory = result.directory
    if not directory.is_dir():
        result.report("missing-file", f"{directory} is not a directory", directory,
                      hint="Point --data or SDPATLAS_DATA at a dataset folder.")
        return False
    try:
        os.lstat(directory / MARKER)
    except FileNotFoundError:
        result.report("not-a-dataset", f"{directory} has no {MARKER}, so it is not an "
                      "SDP Atlas data folder; nothing in it was read", directory)
        return False
    except OSError as exc:
        result.report("unreadable", f"cannot look into the folder: {exc.strerror or exc}",
                      directory)
        return False
    return True


@dataclass
class _Walker:
    result: Scan
    root: str
    entries: int = 0
    total: int = 0

    def walk(self) -> None:
        pending = [(self.result.directory, 0)]
        while pending and self.result.complete:
            folder, depth = pending.pop()
            try:
                with os.scandir(folder) as listing:
                    for entry in listing:
                        sub = self._entry(entry)
                        if sub is not None and depth < MAX_DEPTH:
                            pending.append((sub, depth + 1))
                        if not self.result.complete:
                            return
            except OSError as exc:
                self.result.report("unreadable", f"cannot list the folder: "
                                   f"{exc.strerror or exc}", folder)
                self.result.complete = depth > 0

    def _entry(self, entry: os.DirEntry[str]) -> Path | None:
        """Look at one folder entry; a sub-folder to walk is returned."""
        self.entries += 1
        if self.entries > MAX_ENTRIES:
            self._stop(f"more than {MAX_ENTRIES:,} entries in its folders")
            return None
        path = Path(entry.path)
        if entry.name.startswith("."):
            return None
        if entry.is_symlink():
            self._link(path)
            return None
        if entry.is_dir(follow_symlinks=False):
            return path
        if entry.name.endswith(".yaml"):
            self._file(path, entry.stat(follow_symlinks=False))
        return None

    def _link(self, path: Path) -> None:
        target = os.path.realpath(path)
        inside = os.path.commonpath([self.root, target]) == self.root
        try:
            info = os.stat(target)
        except OSError:
            info = None
        if info is not None and stat.S_ISDIR(info.st_mode):
            self.result.report("special-file", f"is a link to the folder {target}; folders "
                               "under the data folder may not be links", path)
        elif path.name.endswith(".yaml"):
            if info is None or not inside:
                where = "outside the data folder" if info is not None else "nowhere"
                self.result.report("special-file", f"is a link leading {where} ({target})",
                                   path)
            else:
                self._file(path, info)

    def _file(self, path: Path, info: os.stat_result) -> None:
        try:
            _check_regular(info, MAX_FILE_BYTES)
        except DataFileError as exc:
            self.result.report(exc.code, exc.message, path)
            return
        self.result.files.append(path)
        self.total += info.st_size
        if len(self.result.files) > MAX_FILES:
            self._stop(f"more than {MAX_FILES:,} YAML files")
        elif self.total > MAX_DATA_BYTES:
            self._stop(f"more than {MAX_DATA_BYTES:,} bytes of YAML")

    def _stop(self, what: str) -> None:
        self.result.report("dataset-too-large", f"the data folder has {what}; "
                           "nothing was parsed", self.result.directory)
        self.result.complete = False


def content_hash(directory: Path, skip: Collection[str] = ()) -> str:
    """A digest of every data file's path and bytes, and the schema version.

    ``skip`` names files and folders (``name/``), relative to the folder, left out of the
    digest. DatasetError when a file cannot be read within the limits (nothing is
    half-hashed).
    """
    result = scan(directory)
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
    for path in result.files:
        name = path.relative_to(directory).as_posix()
        if name in skip or any(s.endswith("/") and name.startswith(s) for s in skip):
            continue
        try:
            data = read_data_file(path)
        except DataFileError as exc:
            result.report(exc.code, exc.message, path)
            continue
        digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
        digest.update(data + b"\0")
    if result.errors:
        raise DatasetError(tuple(result.findings))
    return digest.hexdigest()


def cache_dir() -> Path:
    """Where built databases are cached: $SDPATLAS_CACHE, else the XDG cache folder."""
    env = os.environ.get("SDPATLAS_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sdpatlas"
