"""Hostile data folders: special, unreadable, huge, malformed and out-of-range data files.

For each, ``validate`` exits 1 naming the finding's code and file, ``matrix`` and ``build``
exit 2 with one line per finding, nothing is written to the cache, and the command runs in
a child process within :data:`SECONDS` of wall time, under an address-space limit of
:data:`ADDRESS_SPACE` and a peak resident size of :data:`PEAK_RSS_MB`.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from sdpatlas import paths
from sdpatlas.cli import cli
from sdpatlas.coding import CodingError, LexiconError
from sdpatlas.coding._vocabulary import load_wordlist
from sdpatlas.coding.lexicon import load_lexicon
from sdpatlas.dataset import validate
from sdpatlas.dataset._fields import MAX_PER_CODE
from sdpatlas.yamlio import MAX_PROBLEMS, parse

from conftest import FIXTURE_DATA

SECONDS = 20.0
ADDRESS_SPACE = 1536 * 2**20
PEAK_RSS_MB = 400
CHILD = f"""
import atexit, os, resource
resource.setrlimit(resource.RLIMIT_AS, ({ADDRESS_SPACE},) * 2)
def peak():
    with open("/proc/self/status") as status, open(os.environ["PEAK_FILE"], "w") as out:
        out.write(next((line.split()[1] for line in status if line.startswith("VmHWM")), "0"))
atexit.register(peak)
from sdpatlas.cli import main
main()
"""
BOMB = "\n".join(["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
                 + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)])


@dataclass(frozen=True)
class Run:
    """What one child ``sdpatlas`` did."""

    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float


def sdpatlas(*args: str) -> Run:
    """Run the command line in a child with bounded memory; fail the test if it hangs."""
    with tempfile.NamedTemporaryFile("r") as peak:
        start = time.monotonic()
        child = subprocess.Popen([sys.executable, "-c", CHILD, *args], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 env={**os.environ, "PEAK_FILE": peak.name})
        try:
            out, err = child.communicate(timeout=SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            pytest.fail(f"sdpatlas {' '.join(args)} did not finish within {SECONDS} s")
        seconds = time.monotonic() - start
        kilobytes = int(peak.read() or 0)
    return Run(child.returncode, out.decode(), err.decode(), seconds, kilobytes / 1024)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the fixture dataset, named ``data``."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def write(relative: str, content: str | bytes) -> Callable[[Path], None]:
    def make(data: Path) -> None:
        target = data / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return make


def change(relative: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda data: edit(data / relative, old, new)


def fifo(relative: str) -> Callable[[Path], None]:
    def make(data: Path) -> None:
        (data / relative).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(data / relative)
    return make


def unix_socket(data: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    try:
        with contextlib.chdir(data / "partnerships"):  # socket paths are short
            server.bind("SOCK.yaml")
    finally:
        server.close()


def fifo_required(data: Path) -> None:
    (data / "groups.yaml").unlink()
    os.mkfifo(data / "groups.yaml")


def link_to_fifo(data: Path) -> None:
    os.mkfifo(data / "pipe")
    (data / "partnerships" / "P.yaml").symlink_to("../pipe")


def device(data: Path) -> None:
    try:
        os.mknod(data / "partnerships" / "DEV.yaml", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("cannot make a device node here")


def link(relative: str, target: str) -> Callable[[Path], None]:
    return lambda data: (data / relative).symlink_to(target)


def huge(data: Path) -> None:
    with (data / "sources.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"# {'x' * 50 * 2**20}\n")


def many_files(data: Path) -> None:
    for index in range(paths.MAX_FILES + 1):
        (data / "partnerships" / f"P{index}.yaml").write_text("a: 1\n", encoding="utf-8")


def too_many_bytes(data: Path) -> None:
    block = f"# {'x' * (paths.MAX_FILE_BYTES - 100)}\n"
    for index in range(paths.MAX_DATA_BYTES // paths.MAX_FILE_BYTES + 1):
        (data / "coding").mkdir(exist_ok=True)
        (data / "coding" / f"c{index}.yaml").write_text(block, encoding="utf-8")


ALB = "partnerships/ALB.yaml"
# (id, how to break the copy, finding code, file the finding names, its line or None)
CASES: list[tuple[str, Callable[[Path], None], str, str, int | None]] = [
    ("fifo-partnership", fifo("partnerships/X.yaml"), "special-file",
     "partnerships/X.yaml", None),
    ("fifo-required-file", fifo_required, "special-file", "groups.yaml", None),
    ("fifo-coding", fifo("coding/extra.yaml"), "special-file", "coding/extra.yaml", None),
    ("socket", unix_socket, "special-file", "partnerships/SOCK.yaml", None),
    ("device", device, "special-file", "partnerships/DEV.yaml", None),
    ("link-outside", link("partnerships/PWD.yaml", "/etc/passwd"), "special-file",
     "partnerships/PWD.yaml", None),
    ("link-dangling", link("partnerships/NIL.yaml", "nowhere.yaml"), "special-file",
     "partnerships/NIL.yaml", None),
    ("link-to-fifo", link_to_fifo, "special-file", "partnerships/P.yaml", None),
    ("link-to-folder", link("coding", "/"), "special-file", "coding", None),
    ("alias-bomb-coding", write("coding/extra.yaml", BOMB), "yaml-alias",
     "coding/extra.yaml", 1),
    ("alias-bomb-rules", write("rules/safe.yaml", BOMB), "yaml-alias", "rules/safe.yaml", 1),
    ("alias-bomb-partnership", change(ALB, "sources: [brief]\nevents:",
                                      "sources: &s [brief]\nevents:"), "yaml-alias", ALB, 5),
    ("alias-only", change(ALB, "title: EU–Albania partnership", "title: *t"), "yaml-alias",
     ALB, 3),
    ("file-50mb", huge, "file-too-large", "sources.yaml", None),
    ("too-many-files", many_files, "dataset-too-large", "", None),
    ("too-many-bytes", too_many_bytes, "dataset-too-large", "", None),
    ("nul", change(ALB, "place: Brussels", "place: Brus\0sels"), "bad-character", ALB, 9),
    ("bell", change(ALB, "place: Brussels", "place: Brus\asels"), "bad-character", ALB, 9),
    ("escaped-nul", change(ALB, "place: Brussels", 'place: "Brus\\0sels"'), "bad-character",
     ALB, 9),
    ("escaped-escape", change(ALB, "place: Brussels", 'place: "\\e[2J"'), "bad-character",
     ALB, 9),
    ("not-utf8", write("milestones.yaml", b"milestones:\n  - id: caf\xe9\n"), "bad-encoding",
     "milestones.yaml", 2),
    ("two-documents", write("milestones.yaml", "milestones: []\n---\nx: 1\n"), "yaml-syntax",
     "milestones.yaml", 2),
    ("int-beyond-sqlite", change(ALB, "count: 13", "count: 9223372036854775808"),
     "number-too-large", ALB, 20),
    ("int-5000-digits", change(ALB, "count: 13", f"count: {'9' * 5000}"), "number-too-large",
     ALB, 20),
    ("float-infinite", change(ALB, "value: 14500000", "value: 1.0e999"), "number-too-large",
     ALB, 28),
    ("negative-count", change(ALB, "count: 13", "count: -1"), "out-of-range", ALB, 20),
    ("negative-amount", change(ALB, "value: 14500000", "value: -5"), "out-of-range", ALB, 28),
    ("area-id-zero", change("taxonomy.yaml", "id: 1\n", "id: 0\n"), "out-of-range",
     "taxonomy.yaml", None),
    ("until-before-since", change("parties.yaml", "since: 2014-06\n",
                                  "since: 2014-06\n        until: 2014-05\n"),
     "date-range", "parties.yaml", 13),
    ("year-9999", change(ALB, "date: 2024-12-18", "date: 9999-12-18"), "out-of-range", ALB, 8),
    ("year-0001", change(ALB, "date: 2022-10", "date: 0001-10"), "out-of-range", ALB, 25),
    ("javascript-url", change("sources.yaml", "url: https://example.org/brief",
                              'url: "javascript:alert(1)"'), "bad-url", "sources.yaml", 9),
    ("data-url", change("sources.yaml", "url: https://example.org/brief",
                        "url: data:text/html,hi"), "bad-url", "sources.yaml", 9),
    ("superscript-area", change(ALB, "  3: no\n", "  3: no\n  ²: no\n"), "unknown-area", ALB,
     35),
]


@pytest.mark.parametrize(("make", "code", "file", "line"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_a_broken_data_folder_is_refused_everywhere(data_dir: Path, isolated_cache: Path,
                                                    make: Callable[[Path], None], code: str,
                                                    file: str, line: int | None) -> None:
    make(data_dir)
    where = f"data/{file}" if file else str(data_dir)
    checked = sdpatlas("--data", str(data_dir), "validate", "--format", "json")
    _bounded(checked)
    assert checked.code == 1, checked.stderr
    found = [(f["code"], f["file"], f["line"]) for f in json.loads(checked.stdout)]
    assert any(c == code and f == where and (line is None or n == line) for c, f, n in found), \
        found
    for command in ("matrix", "build"):
        refused = sdpatlas("--data", str(data_dir), command)
        _bounded(refused)
        assert refused.code == 2, refused.stderr
        assert any(code in row and where in row for row in refused.stderr.splitlines()), \
            refused.stderr
    assert list(isolated_cache.iterdir()) == []


def _bounded(run: Run) -> None:
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    assert run.seconds < SECONDS
    assert run.peak_rss_mb < PEAK_RSS_MB, run.peak_rss_mb


def test_the_root_folder_is_not_walked(isolated_cache: Path) -> None:
    checked = sdpatlas("--data", "/", "validate", "--format", "json")
    _bounded(checked)
    assert checked.code == 1
    assert [f["code"] for f in json.loads(checked.stdout)] == ["not-a-dataset"]
    refused = sdpatlas("--data", "/", "build")
    _bounded(refused)
    assert refused.code == 2 and "not-a-dataset" in refused.stderr
    assert list(isolated_cache.iterdir()) == []


def test_nothing_beyond_the_layout_is_looked_at(data_dir: Path) -> None:
    deep = data_dir / "coding" / "gold" / "more"
    deep.mkdir(parents=True)
    os.mkfifo(deep / "pipe.yaml")
    os.mkfifo(data_dir / ".#ALB.yaml")
    os.mkfifo(data_dir / "partnerships" / "notes.txt")
    assert [f for f in validate(data_dir) if f.severity == "error"] == []


# ---------------------------------------------------------------- unreadable, simulated

@pytest.fixture
def denied(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Make one path unreadable as if by permissions (the tests run as root)."""
    def deny(target: Path) -> None:
        real_scandir, real_open = os.scandir, os.open

        def scandir(path: str | Path) -> Iterator[os.DirEntry[str]]:
            if Path(path) == target:
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)  # type: ignore[return-value]

        def open_file(path: str | Path, flags: int, *args: int) -> int:
            if Path(path) == target:
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, flags, *args)

        monkeypatch.setattr(os, "scandir", scandir)
        monkeypatch.setattr(os, "open", open_file)
    return deny


@pytest.mark.parametrize("relative", ["", "partnerships", "partnerships/JPN.yaml",
                                      "sources.yaml", "coding"])
def test_an_unreadable_file_or_folder_is_an_error(data_dir: Path, isolated_cache: Path,
                                                  denied: Callable[[Path], None],
                                                  relative: str) -> None:
    (data_dir / "coding").mkdir()
    denied(data_dir / relative)
    name = f"data/{relative}" if relative else str(data_dir)
    runner = CliRunner()
    checked = runner.invoke(cli, ["--data", str(data_dir), "validate", "--format", "json"])
    assert checked.exit_code == 1, checked.output
    found = [(f["code"], f["file"]) for f in json.loads(checked.stdout)]
    assert ("unreadable", name) in found
    assert relative or len(found) == 1
    for command in ("matrix", "build"):
        refused = runner.invoke(cli, ["--data", str(data_dir), command])
        assert refused.exit_code == 2, refused.output
        assert "unreadable" in refused.stderr and name in refused.stderr
    assert list(isolated_cache.iterdir()) == []


def test_a_real_unreadable_folder_is_an_error(data_dir: Path, isolated_cache: Path) -> None:
    folder = data_dir / "partnerships"
    folder.chmod(0)
    try:
        try:
            os.listdir(folder)
        except PermissionError:
            pass
        else:
            pytest.skip("this user can read a folder with mode 000 (root)")
        checked = sdpatlas("--data", str(data_dir), "validate")
        assert checked.code == 1 and "unreadable" in checked.stdout
        assert sdpatlas("--data", str(data_dir), "build").code == 2
    finally:
        folder.chmod(0o755)
    assert list(isolated_cache.iterdir()) == []


# ---------------------------------------------------------------- the other YAML readers

def test_the_lexicon_refuses_an_alias_bomb(tmp_path: Path) -> None:
    lexicon = tmp_path / "lexicon.yaml"
    lexicon.write_text(BOMB, encoding="utf-8")
    with pytest.raises(LexiconError, match="yaml-alias"):
        load_lexicon(lexicon, ())


def test_the_lexicon_refuses_a_fifo(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "lexicon.yaml")
    with pytest.raises(LexiconError, match="special-file"):
        load_lexicon(tmp_path / "lexicon.yaml", ())


def test_a_broken_word_list_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "words.txt").write_bytes(b"cafe\ncaf\xe9\n")
    with pytest.raises(CodingError, match=r"words\.txt: cannot read the word list"):
        load_wordlist(tmp_path / "words.txt")


def test_content_hash_never_opens_a_special_file(data_dir: Path) -> None:
    os.mkfifo(data_dir / "partnerships" / "X.yaml")
    with pytest.raises(paths.DatasetError) as raised:
        paths.content_hash(data_dir)
    assert [f.code for f in raised.value.findings] == ["special-file"]


@pytest.mark.parametrize("file", ["sources.yaml", "parties.yaml", "groups.yaml"])
def test_an_unread_definition_file_is_the_only_error(data_dir: Path, file: str) -> None:
    os.mkfifo(data_dir / f"{file}.tmp")
    (data_dir / f"{file}.tmp").replace(data_dir / file)
    found = [(f.code, f.file) for f in validate(data_dir) if f.severity == "error"]
    assert found == [("special-file", f"data/{file}")]


def test_one_mistake_repeated_is_listed_a_bounded_number_of_times(data_dir: Path) -> None:
    ids = ", ".join(f"nosuch{i}" for i in range(5000))
    edit(data_dir / ALB, "coverage_sources: [brief]", f"coverage_sources: [{ids}]")
    unknown = [f for f in validate(data_dir) if f.code == "unknown-source"]
    assert len(unknown) == MAX_PER_CODE + 1
    assert "4,800 more" in unknown[-1].message


def test_repeated_keys_are_listed_a_bounded_number_of_times() -> None:
    _, problems = parse(b"".join(b"a: %d\n" % i for i in range(1000)), "x.yaml")
    assert len(problems) == MAX_PROBLEMS + 1 and "799 more" in problems[-1].message


# ---------------------------------------------------------------- the YAML reader itself

@pytest.mark.parametrize(("text", "code", "line"), [
    (b"a: 1\nb: [\n", "yaml-syntax", 3),
    (b"a: &x 1\nb: *x\n", "yaml-alias", 1),
    (b"a: 1\nb: \x00\n", "bad-character", 2),
    (b"a: 1\n\nb: \xff\n", "bad-encoding", 3),
    (b"a: 1\nb: \"\\x07\"\n", "bad-character", 2),
    (b"a: -9223372036854775809\n", "number-too-large", 1),
    (b"a: 1\nb: -.5e-999999\nc: 1.5e400\n", "number-too-large", 3),
    (b"a: 1\na: 2\n", "duplicate-key", 2),
    (b"[" * 5000, "yaml-syntax", 1),
])
def test_each_yaml_problem_is_located(text: bytes, code: str, line: int) -> None:
    _, problems = parse(text, "x.yaml")
    assert [(p.code, p.file, p.line) for p in problems] == [(code, "x.yaml", line)]


def test_an_escaped_surrogate_is_refused_where_it_is() -> None:
    _, problems = parse(b'a: 1\nb: "\\ud800"\n', "x.yaml")
    assert [(p.code in {"yaml-syntax", "bad-character"}, p.line) for p in problems] == [(True, 2)]


def test_the_largest_64_bit_numbers_are_kept() -> None:
    root, problems = parse(b"a: 9223372036854775807\nb: -9223372036854775808\n", "x.yaml")
    assert problems == () and root == {"a": 2**63 - 1, "b": -(2**63)}


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=300),
                 st.text(alphabet=st.sampled_from(list("ab1-:[]{}&*!|>'\"#,? \n\t\\\0")),
                         max_size=300).map(str.encode)))
def test_any_bytes_give_a_value_or_findings(data: bytes) -> None:
    root, problems = parse(data, "x.yaml")
    assert all(p.file == "x.yaml" for p in problems)
    kept = {"duplicate-key", "number-too-large"}
    assert root is None or all(p.code in kept for p in problems)
