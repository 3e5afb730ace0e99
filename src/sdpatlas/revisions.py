"""Datasets as they stood in earlier git revisions, read into temporary folders.

``git`` is the tool: a revision's data folder is streamed with ``git archive`` and
unpacked (regular files and folders only) into a temporary folder. The work tree, the
index and the repository are never touched, so a dirty work tree is no obstacle.
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

from sdpatlas.errors import InputError

__all__ = ["RevisionError", "dataset_folder", "history", "version_revision"]

GIT_TIMEOUT = 60
MAX_ARCHIVE = 64 * 1024 * 1024


class RevisionError(InputError):
    """A revision cannot be read: not a repository, unknown revision, no dataset in it."""

    code = "bad-revision"


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True,
                              timeout=GIT_TIMEOUT, check=False)
    except FileNotFoundError as exc:
        raise RevisionError("git is not installed, so revisions cannot be read",
                            hint="install git, or compare two dataset folders") from exc
    except subprocess.TimeoutExpired as exc:
        raise RevisionError(f"git took longer than {GIT_TIMEOUT} s in {repo}") from exc


def _repository(data_dir: Path) -> tuple[Path, str]:
    """The repository holding ``data_dir`` and the data folder's path inside it."""
    folder = data_dir if data_dir.is_dir() else Path.cwd()
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise RevisionError(f"{folder} is not inside a git repository, so revisions cannot "
                            "be read", hint="give two dataset folders instead, or run from "
                            "a clone of the repository")
    root = Path(top.stdout.decode().strip())
    try:
        inside = data_dir.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        inside = "data"
    return root, inside


def _commit(root: Path, revision: str) -> str:
    if revision.startswith("-"):
        raise RevisionError(f"{revision!r} is not a revision", hint="name a commit, tag or "
                            "branch, e.g. HEAD~1 or a commit hash")
    found = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if found.returncode == 0:
        return found.stdout.decode().strip()
    shallow = _git(root, "rev-parse", "--is-shallow-repository").stdout.decode().strip()
    hint = ("the repository is shallow: fetch its history with `git fetch --unshallow`"
            if shallow == "true" else "check the name with `git log --oneline`")
    raise RevisionError(f"unknown revision {revision!r} in {root}", hint=hint)


@contextlib.contextmanager
def dataset_folder(data_dir: Path, revision: str) -> Iterator[Path]:
    """A temporary folder holding the dataset of ``data_dir`` as it was at ``revision``."""
    root, inside = _repository(data_dir)
    commit = _commit(root, revision)
    listed = _git(root, "ls-tree", "-d", "--name-only", commit, "--", inside)
    if listed.returncode != 0 or not listed.stdout.strip():
        raise RevisionError(f"revision {revision} ({commit[:12]}) has no dataset at {inside}/",
                            hint="choose a later revision")
    archive = _git(root, "archive", "--format=tar", commit, "--", inside)
    if archive.returncode != 0:
        message = archive.stderr.decode(errors="replace").strip()
        raise RevisionError(f"git archive failed for {revision}: {message}")
    if len(archive.stdout) > MAX_ARCHIVE:
        raise RevisionError(f"the dataset at {revision} is over {MAX_ARCHIVE} bytes")
    with tempfile.TemporaryDirectory(prefix="sdpatlas-rev-") as folder:
        _unpack(archive.stdout, Path(folder))
        yield Path(folder) / inside


def _unpack(content: bytes, into: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(content)) as archive:
        members = [m for m in archive.getmembers() if m.isfile() or m.isdir()]
        archive.extractall(into, members=members, filter="data")


def history(data_dir: Path, limit: int = 300) -> tuple[str, ...]:
    """The commits that changed the dataset, newest first (at most ``limit``)."""
    root, inside = _repository(data_dir)
    found = _git(root, "log", f"--max-count={limit}", "--format=%H", "--", inside)
    if found.returncode != 0:
        return ()
    return tuple(found.stdout.decode().split())


def version_revision(data_dir: Path, version: str, limit: int = 300) -> str:
    """The newest commit whose ``dataset.yaml`` declares dataset version ``version``."""
    root, inside = _repository(data_dir)
    declared = re.compile(rb"^version:[ \t]*['\"]?" + re.escape(version.encode())
                          + rb"['\"]?[ \t]*(#.*)?$", re.M)
    for commit in history(data_dir, limit):
        shown = _git(root, "show", f"{commit}:{inside}/dataset.yaml")
        if shown.returncode == 0 and declared.search(shown.stdout):
            return commit
    raise RevisionError(f"no revision of {inside}/ declares dataset version {version}",
                        code="unknown-version",
                        hint="the versions recorded so far are listed in the data changelog "
                             f"({inside}/CHANGELOG.md)")
