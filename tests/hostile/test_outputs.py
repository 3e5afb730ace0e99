"""Hostile output places: full disks, read-only folders, folders full of someone's work,
special files (devices, pipes, links, folders) where a file goes, and a cache that cannot
be written or is littered by killed builds.

For each: the documented exit code, one message naming the path and no traceback, no file
the tool did not create changed (every file is hashed before and after), nothing partial
left behind. A full disk is a real 64 KiB tmpfs where the test may mount one, else a
simulated ``ENOSPC``; a read-only folder is a read-only tmpfs, else a simulated ``EROFS``.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sdpatlas import outputs, store
from sdpatlas.cli import cli
from sdpatlas.errors import OutputError

from conftest import FIXTURE_DATA, REAL_DATA

CHILD = [sys.executable, "-c", "from sdpatlas.cli import main; main()"]
SECONDS = 120
THESIS = b"years of work\n"


def run(*args: str, data: Path = FIXTURE_DATA) -> Result:
    return CliRunner().invoke(cli, ["--data", str(data), *args], catch_exceptions=False)


def child(*args: str, data: Path = FIXTURE_DATA,
          env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command line in a child process (a hang fails the test)."""
    return subprocess.run([*CHILD, "--data", str(data), *args], capture_output=True, text=True,
                          timeout=SECONDS, env={**os.environ, **(env or {})}, check=False)


def tree(folder: Path) -> dict[str, str]:
    """Every entry under ``folder`` (hidden ones too): a file's hash, else its kind."""
    found = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        if stat.S_ISREG(info.st_mode):
            found[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[str(path.relative_to(folder))] = stat.filemode(info.st_mode)[0]
    return found


def refused(code: int, stderr: str, *, names: Path | str, exit_code: int = 2) -> None:
    """One clear error: the exit code, the path named, no traceback."""
    assert code == exit_code, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    assert stderr.startswith("error ["), stderr
    assert str(names) in stderr, stderr


def _mount(folder: Path, *options: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(("size=64k", *options)),
                               "tmpfs", str(folder)], capture_output=True, timeout=30,
                              check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _unmount(folder: Path) -> None:
    subprocess.run(["umount", str(folder)], capture_output=True, timeout=30, check=False)


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 64 KiB file system with about 4 KiB free and one file of someone's in it."""
    folder = tmp_path / "full"
    if not _mount(folder):
        pytest.skip("mounting a tmpfs is not permitted here (the simulated ENOSPC tests run)")
    try:
        (folder / "thesis.txt").write_bytes(THESIS)
        (folder / "filler").write_bytes(b"\0" * 56 * 1024)
        yield folder
    finally:
        _unmount(folder)


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A real read-only file system holding someone's file."""
    folder = tmp_path / "ro"
    if not _mount(folder):
        pytest.skip("mounting a tmpfs is not permitted here (the simulated EROFS tests run)")
    try:
        (folder / "thesis.txt").write_bytes(THESIS)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True, timeout=30)
        yield folder
    finally:
        _unmount(folder)


def no_space(monkeypatch: pytest.MonkeyPatch, error: int = errno.ENOSPC,
             data: Path = FIXTURE_DATA) -> None:
    """The cache is built first; then every flush to disk fails as on a full disk."""
    assert run("build", data=data).exit_code == 0

    def fail(fd: int) -> None:
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(os, "fsync", fail)


def _thesis_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "thesis.txt").write_bytes(THESIS)
    (folder / "notes").mkdir()
    (folder / "notes" / "draft.md").write_bytes(THESIS)
    return folder


# ---------------------------------------------------------------- folders of someone's work

def test_data_package_never_empties_a_folder_it_did_not_write(tmp_path: Path) -> None:
    folder = _thesis_folder(tmp_path)
    before = tree(folder)
    done = child("export", "--format", "datapackage", "-o", str(folder))
    refused(done.returncode, done.stderr, names=folder)
    assert "--force" in done.stderr
    assert tree(folder) == before
    assert sorted(os.listdir(tmp_path)) == ["work"]


@pytest.mark.parametrize("where", ["current", "home"])
def test_data_package_never_replaces_the_current_or_home_folder(
        where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _thesis_folder(tmp_path)
    monkeypatch.chdir(folder if where == "current" else tmp_path)
    monkeypatch.setenv("HOME", str(folder if where == "home" else tmp_path))
    before = tree(folder)
    target = "." if where == "current" else str(Path("~").expanduser())
    result = run("export", "--format", "datapackage", "-o", target, "--force")
    refused(result.exit_code, result.stderr, names=target)
    assert "output-protected" in result.stderr
    assert ("current" if where == "current" else "home") in result.stderr
    assert tree(folder) == before


def test_the_file_system_root_is_never_a_folder_output() -> None:
    with pytest.raises(OutputError) as info:
        outputs.check_folder_target(Path("/"), force=True)
    assert info.value.code == "output-protected"


def test_data_package_never_replaces_the_dataset_or_a_folder_holding_it(tmp_path: Path) -> None:
    data = tmp_path / "project" / "data"
    shutil.copytree(FIXTURE_DATA, data)
    before = tree(tmp_path)
    for target in (data, data.parent, tmp_path, data / "partnerships", data / "new-export"):
        result = run("export", "--format", "datapackage", "-o", str(target), "--force",
                     data=data)
        refused(result.exit_code, result.stderr, names=target)
        assert "output-protected" in result.stderr
    assert tree(tmp_path) == before


# ---------------------------------------------------------------- special files as targets

def _special(tmp_path: Path, kind: str) -> tuple[Path, Path]:
    """A special file at ``target`` and the file whose bytes must survive (``kept``)."""
    kept = tmp_path / "thesis.txt"
    kept.write_bytes(THESIS)
    target = tmp_path / f"target-{kind}"
    if kind == "symlink":
        target.symlink_to(kept)
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
        (target / "thesis.txt").write_bytes(THESIS)
    elif kind == "device":
        try:
            os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null twin
        except PermissionError:
            pytest.skip("creating a device node needs root")
    return target, kept


SPECIAL = ["symlink", "fifo", "folder", "device"]


@pytest.mark.parametrize("kind", SPECIAL)
def test_build_db_replaces_only_a_regular_file(kind: str, tmp_path: Path) -> None:
    target, _ = _special(tmp_path, kind)
    before = tree(tmp_path)
    mode = target.lstat().st_mode
    done = child("build", "--db", str(target))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert str(target) in done.stderr or target.name in done.stderr
    assert tree(tmp_path) == before and target.lstat().st_mode == mode


@pytest.mark.parametrize("kind", ["symlink", "fifo", "device"])
@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "md"])
def test_export_file_formats_replace_only_a_regular_file(kind: str, fmt: str,
                                                         tmp_path: Path) -> None:
    target, _ = _special(tmp_path, kind)
    before = tree(tmp_path)
    result = run("export", "--format", fmt, "-o", str(target))
    refused(result.exit_code, result.stderr, names=target)
    assert "output-not-a-file" in result.stderr
    assert tree(tmp_path) == before


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "md", "latex", "html", "cff"])
def test_export_to_an_existing_folder_is_a_clear_error(fmt: str, tmp_path: Path) -> None:
    folder = _thesis_folder(tmp_path)
    before = tree(tmp_path)
    result = run("export", "--format", fmt, "-o", str(folder))
    refused(result.exit_code, result.stderr, names=folder)
    assert "is a folder" in result.stderr
    assert tree(tmp_path) == before


def test_export_to_a_folder_through_the_real_command_line(tmp_path: Path) -> None:
    folder = _thesis_folder(tmp_path)
    before = tree(tmp_path)
    done = child("export", "-o", str(folder))
    refused(done.returncode, done.stderr, names=folder)
    assert tree(tmp_path) == before


@pytest.mark.parametrize("fault", ["too-long", "link-loop", "under-a-file"])
def test_odd_output_paths_are_one_clear_error(fault: str, tmp_path: Path) -> None:
    (tmp_path / "loop-a").symlink_to(tmp_path / "loop-b")
    (tmp_path / "loop-b").symlink_to(tmp_path / "loop-a")
    (tmp_path / "file").write_bytes(THESIS)
    target, hint = {"too-long": (tmp_path / ("x" * 300 + ".json"), "shorter"),
                    "link-loop": (tmp_path / "loop-a" / "x.json", "loop"),
                    "under-a-file": (tmp_path / "file" / "x.json", "is a file")}[fault]
    before = tree(tmp_path)
    result = run("export", "-o", str(target))
    refused(result.exit_code, result.stderr, names=target)
    assert hint in result.stderr.splitlines()[-1]
    assert tree(tmp_path) == before


@pytest.mark.parametrize("args", [("chart", "matrix"), ("report",)], ids=["chart", "report"])
def test_chart_and_report_refuse_a_link_before_any_work(args: tuple[str, ...],
                                                        tmp_path: Path) -> None:
    target, kept = _special(tmp_path, "symlink")
    result = run(*args, "-o", str(target))
    refused(result.exit_code, result.stderr, names=target)
    assert kept.read_bytes() == THESIS and target.is_symlink()


# ---------------------------------------------------------------- modes and durability

def test_new_outputs_get_the_usual_mode_not_0600(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        assert run("build", "--db", str(tmp_path / "atlas.sqlite")).exit_code == 0
        assert run("export", "-o", str(tmp_path / "atlas.json")).exit_code == 0
        assert run("export", "--format", "datapackage", "-o", str(tmp_path / "pkg")).exit_code == 0
    finally:
        os.umask(old)
    for name in ("atlas.sqlite", "atlas.json", "pkg/areas.csv"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o640, name
    assert stat.S_IMODE((tmp_path / "pkg").stat().st_mode) == 0o750


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "atlas.json"
    target.write_text("{}", encoding="utf-8")
    target.chmod(0o604)
    assert run("export", "-o", str(target)).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o604 and target.stat().st_size > 2


def test_the_database_is_on_disk_before_it_is_renamed_into_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync " + os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        events.append(f"replace {os.fspath(src)}")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    assert run("build", "--db", str(tmp_path / "atlas.sqlite")).exit_code == 0
    (renamed,) = [e.split(" ", 1)[1] for e in events if e.startswith("replace")]
    assert events.index(f"fsync {renamed}") < events.index(f"replace {renamed}")


# ---------------------------------------------------------------- full disks, read-only places

OUTPUTS: dict[str, tuple[str, ...]] = {
    "export-json": ("export", "-o", "{dir}/atlas.json"),
    "export-xlsx": ("export", "--format", "xlsx", "-o", "{dir}/atlas.xlsx"),
    "export-datapackage": ("export", "--format", "datapackage", "-o", "{dir}/package"),
    "build": ("build", "--db", "{dir}/atlas.sqlite"),
    "chart": ("chart", "timeline", "-o", "{dir}/timeline.svg"),
    "report-html": ("report", "-o", "{dir}/brief.html"),
    "report-md": ("report", "-o", "{dir}/brief.md"),
}


def _args(name: str, folder: Path) -> list[str]:
    return [a.format(dir=folder) for a in OUTPUTS[name]]


@pytest.mark.parametrize("name", OUTPUTS)
def test_a_simulated_full_disk_leaves_nothing_partial(name: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _thesis_folder(tmp_path)
    no_space(monkeypatch)
    before = tree(folder)
    result = run(*_args(name, folder))
    refused(result.exit_code, result.stderr, names=folder)
    assert "No space left on device" in result.stderr and "hint:" in result.stderr
    assert tree(folder) == before


@pytest.mark.parametrize("name", OUTPUTS)
def test_a_simulated_read_only_folder_leaves_nothing(name: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def read_only(*args: object, **kwargs: object) -> object:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    folder = _thesis_folder(tmp_path)
    before = tree(folder)
    assert run("build").exit_code == 0
    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    result = run(*_args(name, folder))
    refused(result.exit_code, result.stderr, names=folder)
    assert "Read-only file system" in result.stderr
    assert tree(folder) == before


@pytest.mark.parametrize("name", OUTPUTS)
def test_a_real_full_disk_leaves_nothing_partial(name: str, full_disk: Path) -> None:
    before = tree(full_disk)
    done = child(*_args(name, full_disk))
    refused(done.returncode, done.stderr, names=full_disk)
    assert "No space left on device" in done.stderr
    assert tree(full_disk) == before


@pytest.mark.parametrize("name", OUTPUTS)
def test_a_real_read_only_folder_leaves_nothing(name: str, read_only: Path) -> None:
    before = tree(read_only)
    done = child(*_args(name, read_only))
    refused(done.returncode, done.stderr, names=read_only)
    assert "Read-only file system" in done.stderr
    assert tree(read_only) == before


def test_a_markdown_report_and_its_images_are_written_as_one(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """The last file fails: none of the report's files appears, the old ones stay."""
    folder = _thesis_folder(tmp_path)
    (folder / "brief-matrix.svg").write_bytes(b"<svg>old</svg>")
    before = tree(folder)
    real_fsync = os.fsync
    calls: list[int] = []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(folder / ".brief.md.")):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    result = run("report", "-o", str(folder / "brief.md"))
    refused(result.exit_code, result.stderr, names=folder / "brief.md")
    assert len(calls) > 1 and tree(folder) == before


def test_draft_into_a_read_only_folder(read_only: Path, tmp_path: Path) -> None:
    doc = tmp_path / "agreement.txt"
    doc.write_text("The parties will cooperate on maritime security.\n", encoding="utf-8")
    before = tree(read_only)
    done = child("code", str(doc), "--partner", "JPN", "--draft", "-o",
                 str(read_only / "JPN.machine.yaml"), data=REAL_DATA)
    refused(done.returncode, done.stderr, names=read_only / "JPN.machine.yaml")
    assert tree(read_only) == before


@pytest.mark.parametrize("fault", ["full", "read-only", "not-a-folder"])
def test_draft_that_cannot_be_written_leaves_nothing(fault: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "agreement.txt"
    doc.write_text("The parties will cooperate on maritime security.\n", encoding="utf-8")
    folder = _thesis_folder(tmp_path)
    target = folder / "JPN.machine.yaml"
    if fault == "not-a-folder":
        target = folder / "thesis.txt" / "JPN.machine.yaml"
    before = tree(folder)
    if fault != "not-a-folder":
        no_space(monkeypatch, errno.ENOSPC if fault == "full" else errno.EROFS, REAL_DATA)
    result = run("code", str(doc), "--partner", "JPN", "--draft", "-o", str(target),
                 data=REAL_DATA)
    refused(result.exit_code, result.stderr, names=target)
    assert tree(folder) == before


# ---------------------------------------------------------------- the cache

def _cache_env(cache: Path, tmp: Path) -> dict[str, str]:
    tmp.mkdir(exist_ok=True)
    return {"SDPATLAS_CACHE": str(cache), "TMPDIR": str(tmp)}


@pytest.mark.parametrize("fault", ["not-a-folder", "full", "read-only"])
def test_an_unusable_cache_falls_back_to_a_temporary_database(
        fault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _thesis_folder(tmp_path)
    cache = folder / "thesis.txt" / "cache"
    if fault != "not-a-folder":
        cache = folder
        error = errno.ENOSPC if fault == "full" else errno.EROFS
        real = os.fsync

        def fsync(fd: int) -> None:
            if os.readlink(f"/proc/self/fd/{fd}").startswith(str(folder)):
                raise OSError(error, os.strerror(error))
            real(fd)

        monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setenv("SDPATLAS_CACHE", str(cache))
    before = tree(folder)
    result = run("partners", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("code,")
    (line,) = result.stderr.splitlines()
    assert line.startswith("warning: the cache cannot be used") and str(folder) in line
    assert tree(folder) == before


@pytest.mark.parametrize("fault", ["full", "read-only"])
def test_a_real_unusable_cache_falls_back_and_leaves_no_temporary_database(
        fault: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    cache = request.getfixturevalue("full_disk" if fault == "full" else "read_only")
    before = tree(cache)
    done = child("partners", "--format", "csv", env=_cache_env(cache, tmp_path / "tmp"))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("warning: the cache cannot be used")
    assert tree(cache) == before and os.listdir(tmp_path / "tmp") == []


def test_a_killed_process_temporary_database_is_removed_by_the_next(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(THESIS)
    env = _cache_env(tmp_path / "file" / "cache", tmp_path / "tmp")
    (tmp_path / "tmp" / "sdpatlas-bom-theirs").mkdir()
    script = ("import os, signal, warnings\n"
              "from pathlib import Path\n"
              "from sdpatlas.store import open_dataset\n"
              "warnings.simplefilter('ignore')\n"
              f"open_dataset(Path({str(FIXTURE_DATA)!r}))\n"
              "os.kill(os.getpid(), signal.SIGKILL)\n")
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True,
                            timeout=SECONDS, env={**os.environ, **env}, check=False)
    assert killed.returncode == -9
    (orphan,) = (tmp_path / "tmp").glob("sdpatlas-db-*")
    done = child("partners", env=env)
    assert done.returncode == 0 and done.stderr.startswith("warning: the cache cannot be used")
    assert os.listdir(tmp_path / "tmp") == ["sdpatlas-bom-theirs"] and not orphan.exists()


def test_build_into_an_unusable_cache_says_how_to_fix_it(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(THESIS)
    done = child("build", env=_cache_env(tmp_path / "file" / "cache", tmp_path / "tmp"))
    refused(done.returncode, done.stderr, names=tmp_path / "file")
    assert "--db" in done.stderr and "SDPATLAS_CACHE" in done.stderr
    assert (tmp_path / "file").read_bytes() == THESIS


def _leftover(cache: Path, name: str, age: float) -> Path:
    path = cache / name
    path.write_bytes(b"\0" * 4096)
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_killed_builds_leftovers_are_removed_by_the_next_command(isolated_cache: Path) -> None:
    isolated_cache.mkdir(exist_ok=True)
    stale = [_leftover(isolated_cache, ".atlas-0123456789abcdef0123.sqlite.k3j4h5.part",
                       store.STALE_AFTER + 60),
             _leftover(isolated_cache, ".atlas-0123456789abcdef0123.sqlite.x7y8z9.tmp",
                       store.STALE_AFTER + 3600)]
    running = _leftover(isolated_cache, ".atlas-0123456789abcdef0123.sqlite.a1b2c3.part", 5)
    theirs = [_leftover(isolated_cache, name, store.STALE_AFTER * 10)
              for name in (".notes.tmp", "atlas-mine.part", ".atlas-x.sqlite.old.bak")]
    assert run("build").exit_code == 0
    assert not any(p.exists() for p in stale)
    assert running.exists() and all(p.exists() for p in theirs)
    later = _leftover(isolated_cache, ".atlas-0123456789abcdef0123.sqlite.q1w2e3.part",
                      store.STALE_AFTER + 1)
    assert run("partners").exit_code == 0  # the cache is current: no build, still cleaned
    assert not later.exists() and running.exists()


def test_a_killed_build_leaves_the_old_database_and_its_leftover_is_cleaned(
        isolated_cache: Path, tmp_path: Path) -> None:
    """kill -9 in the middle of a build (stopped on its first write): the next build
    removes what it left once it is stale, and the cache entry is whole."""
    assert run("build").exit_code == 0
    (entry,) = isolated_cache.glob("atlas-*.sqlite")
    entry_bytes = entry.read_bytes()
    script = ("import os, signal, sqlite3\n"
              "real = sqlite3.connect\n"
              "def stop(*a, **k):\n"
              "    db = real(*a, **k); db.execute('CREATE TABLE x (y)'); db.commit()\n"
              "    os.kill(os.getpid(), signal.SIGKILL)\n"
              "sqlite3.connect = stop\n"
              "from pathlib import Path\n"
              "from sdpatlas import store\n"
              "from sdpatlas.dataset import load\n"
              f"store.build(load(Path({str(FIXTURE_DATA)!r})), Path({str(entry)!r}))\n")
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=SECONDS,
                            check=False)
    assert killed.returncode == -9
    (leftover,) = isolated_cache.glob(".atlas-*")
    assert entry.read_bytes() == entry_bytes
    assert store.remove_stale_temporaries(isolated_cache) == []
    then = time.time() - store.STALE_AFTER - 1
    os.utime(leftover, (then, then))
    assert store.remove_stale_temporaries(isolated_cache) == [leftover]


def test_stale_cleanup_survives_an_unreadable_cache_folder(tmp_path: Path) -> None:
    assert store.remove_stale_temporaries(tmp_path / "missing") == []

