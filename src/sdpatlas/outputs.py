"""Writing outputs safely: whole or not at all, and never over what the tool did not make.

Every file the tool writes is built in a temporary file beside its target, flushed to
disk (``fsync``) and renamed into place, so a reader, a crash or a full disk leaves
either the old file or the new one. Only a regular file is ever replaced: a folder, a
symbolic link, a device or a pipe at the target is refused. New files get the usual
mode (``0666`` less the umask); a replaced file keeps its mode.

A folder output (a data package, a static site) is built beside the target and renamed
in. An existing folder is replaced only when it is empty, carries this tool's marker
file (:data:`MARKER`, written into every folder output) or the user said ``--force``;
the current folder, the home folder, the file-system root and any folder holding the
dataset are never replaced.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from sdpatlas.errors import OutputError

__all__ = ["MARKER", "check_file_target", "check_folder_target", "os_error", "write_all",
           "write_bytes", "write_file", "write_folder", "write_text"]

MARKER = ".sdpatlas-output"

_HINTS = {
    errno.ENOSPC: "free some space or write somewhere else",
    errno.EDQUOT: "free some space or write somewhere else",
    errno.EACCES: "choose a folder you may write to",
    errno.EPERM: "choose a folder you may write to",
    errno.EROFS: "the file system is read-only; choose another place",
    errno.ENOENT: "check the path",
    errno.ENOTDIR: "a part of the path is a file, not a folder; check the path",
    errno.ENAMETOOLONG: "use a shorter file name",
    errno.ELOOP: "the path goes round a loop of symbolic links; check the path",
}


def os_error(exc: OSError, target: Path, what: str = "write") -> OutputError:
    """An ``OSError`` met while writing ``target``, as a message a user can act on."""
    reason = exc.strerror or str(exc)
    hint = _HINTS.get(exc.errno or 0, "check the path and its permissions")
    return OutputError(f"cannot {what} {target}: {reason}; nothing was changed",
                       code="output-failed", hint=hint)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    """The mode of a new file under the current umask (``0666 & ~umask``)."""
    return 0o666 & ~_umask()


def check_file_target(target: Path) -> None:
    """Refuse a target that exists and is not a regular file (a folder, link, device, pipe)."""
    try:
        info = target.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise os_error(exc, target) from exc
    if stat.S_ISREG(info.st_mode):
        return
    kind = _kind(info.st_mode)
    raise OutputError(f"{target} is {kind}; only a regular file is ever replaced",
                      code="output-not-a-file",
                      hint="give the path of a new or existing regular file")


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISREG, "a file"), (stat.S_ISDIR, "a folder"),
                       (stat.S_ISLNK, "a symbolic link"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def write_file(target: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(temp)`` on a temporary file beside ``target``, then rename it into place.

    Raises :class:`OutputError` when the target may not be replaced or the write fails;
    the target is then unchanged and the temporary file gone.
    """
    target = Path(os.path.abspath(target))
    check_file_target(target)
    temp = _temporary(target)
    try:
        write(temp)
        _settle(temp, target)
        check_file_target(target)
        os.replace(temp, target)
        _sync_folder(target.parent)
    except OSError as exc:
        raise os_error(exc, target) from exc
    finally:
        temp.unlink(missing_ok=True)
    return target


def _temporary(target: Path) -> Path:
    """A new empty file beside ``target`` (its folder made if missing)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                        dir=target.parent)
        os.close(handle)
    except OSError as exc:
        raise os_error(exc, target) from exc
    return Path(name)


def write_all(contents: Mapping[Path, bytes]) -> list[Path]:
    """Write several files as one output (a report and its images): every file is written
    and flushed beside its target before the first is renamed into place, so a full disk
    or a refused target leaves all of them unchanged."""
    targets = {Path(os.path.abspath(t)): content for t, content in contents.items()}
    for target in targets:
        check_file_target(target)
    temps: dict[Path, Path] = {}
    current = next(iter(targets), Path())
    try:
        for current, content in targets.items():
            temps[current] = _temporary(current)
            temps[current].write_bytes(content)
            _settle(temps[current], current)
        for current in temps:
            check_file_target(current)
        for current, temp in temps.items():
            os.replace(temp, current)
        for folder in {t.parent for t in targets}:
            _sync_folder(folder)
    except OSError as exc:
        raise os_error(exc, current) from exc
    finally:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
    return list(targets)


def write_text(target: Path, text: str) -> Path:
    """Write UTF-8 text to ``target`` atomically."""
    return write_file(target, lambda temp: temp.write_text(text, encoding="utf-8"))


def write_bytes(target: Path, content: bytes) -> Path:
    """Write bytes to ``target`` atomically."""
    return write_file(target, lambda temp: temp.write_bytes(content))


def _settle(temp: Path, target: Path) -> None:
    """Give the temporary file its final mode and flush it to disk."""
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = new_file_mode()
    os.chmod(temp, mode)
    _sync_file(temp)


def _sync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(path: Path) -> None:
    with contextlib.suppress(OSError):  # some file systems cannot fsync a folder
        _sync_file(path)


def write_folder(target: Path, write: Callable[[Path], object], *, force: bool = False,
                 protect: Iterable[Path] = ()) -> Path:
    """Call ``write(temp)`` on a new folder beside ``target``, then rename it into place.

    ``protect`` names folders (such as the dataset) that the target may not be, hold or
    lie inside.
    """
    target = Path(os.path.abspath(target))
    check_folder_target(target, force=force, protect=protect)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part",
                                     dir=target.parent))
    except OSError as exc:
        raise os_error(exc, target) from exc
    try:
        os.chmod(temp, 0o777 & ~_umask())
        write(temp)
        (temp / MARKER).write_text("Written by sdpatlas; it may replace this folder.\n",
                                   encoding="utf-8")
        _sync_tree(temp)
        _swap_in(temp, target)
    except OSError as exc:
        raise os_error(exc, target) from exc
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return target


def check_folder_target(target: Path, *, force: bool = False,
                        protect: Iterable[Path] = ()) -> None:
    """Refuse a folder target that is not ours to replace."""
    real = Path(os.path.realpath(target))
    guarded = {Path.cwd().resolve(): "the current folder",
               Path.home().resolve(): "your home folder",
               Path(real.anchor): "the file-system root"}
    if real in guarded:
        raise OutputError(f"{target} is {guarded[real]}; it is never replaced",
                          code="output-protected", hint="give the path of a new folder")
    for kept in protect:
        kept_real = Path(os.path.realpath(kept))
        if real == kept_real or real in kept_real.parents:
            raise OutputError(f"{target} holds the dataset ({kept}); it is never replaced",
                              code="output-protected", hint="write somewhere else")
        if kept_real in real.parents:
            raise OutputError(f"{target} is inside the dataset ({kept}); folder outputs never "
                              "go there", code="output-protected",
                              hint="write somewhere outside the dataset")
    try:
        info = target.lstat()
        if not stat.S_ISDIR(info.st_mode):
            raise OutputError(f"{target} is {_kind(info.st_mode)}, not a folder",
                              code="output-not-a-folder", hint="give the path of a new folder")
        if force or (target / MARKER).is_file() or not any(target.iterdir()):
            return
    except FileNotFoundError:
        return
    except OSError as exc:
        raise os_error(exc, target) from exc
    raise OutputError(f"{target} is a folder that already holds files this tool did not write",
                      code="output-not-empty",
                      hint="give a new or empty folder, or add --force to replace it")


def _sync_tree(root: Path) -> None:
    for folder, _, files in os.walk(root):
        for name in files:
            _sync_file(Path(folder) / name)
        _sync_folder(Path(folder))


def _swap_in(new: Path, target: Path) -> None:
    """Rename ``new`` to ``target``; an existing target is moved aside first, then removed."""
    if not target.exists():
        os.replace(new, target)
        _sync_folder(target.parent)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    os.rmdir(old)
    os.replace(target, old)
    try:
        os.replace(new, target)
    except OSError:
        os.replace(old, target)
        raise
    _sync_folder(target.parent)
    shutil.rmtree(old, ignore_errors=True)
