"""One error path on the command line, tried the hostile way.

Every error a user can act on is an ``AtlasError``: ``error [code]: message`` and
``hint: …`` on stderr, exit 2 (1 for a failed check). A bug is one line naming the version
and how to report it, exit 70, the traceback only with ``--debug`` or ``SDPATLAS_DEBUG=1``;
it is never dressed up as bad input or a corrupt file. A full standard output is one error
line (exit 2), a closed pipe a quiet exit, whether the failure comes while writing or in
the flush at exit.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sdpatlas import __version__
from sdpatlas.cli import INTERNAL_ERROR, cli, main
from sdpatlas.cli._common import BadInput, CheckFailed
from sdpatlas.coding import CodingError, LexiconError, RefusedInput
from sdpatlas.coding.gold import GoldError
from sdpatlas.coding.review import DraftError
from sdpatlas.eligibility import BomError, RulesError
from sdpatlas.eligibility._engine import UnknownCountry
from sdpatlas.errors import AtlasError, InputError, OutputError
from sdpatlas.findings import DatasetError
from sdpatlas.names import UnknownName
from sdpatlas.render.pdf import PdfUnavailable
from sdpatlas.store import StoreError

from conftest import FIXTURE_DATA, REAL_DATA

SECONDS = 120
BUG = "import sdpatlas.analysis as a\ndef boom(*args, **kwargs):\n    raise ValueError('secret')\n"


def run(*args: str, data: Path = FIXTURE_DATA) -> Result:
    return CliRunner().invoke(cli, ["--data", str(data), *args], catch_exceptions=False)


def child(*args: str, prelude: str = "", stdout: object = subprocess.PIPE,
          env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    code = prelude + "from sdpatlas.cli import main\nmain()\n"
    return subprocess.run([sys.executable, "-c", code, "--data", str(FIXTURE_DATA), *args],
                          stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=SECONDS,
                          env={**os.environ, **(env or {})}, check=False)


def no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr


# ---------------------------------------------------------------- the error classes

ERRORS: list[type[AtlasError]] = [
    BadInput, CheckFailed, OutputError, InputError, StoreError, DatasetError, UnknownName,
    UnknownCountry, RulesError, BomError, CodingError, LexiconError, GoldError, DraftError,
    PdfUnavailable]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: e.__name__)
def test_every_user_facing_error_is_an_atlas_error_with_its_own_code(
        error: type[AtlasError]) -> None:
    assert issubclass(error, AtlasError)
    assert error.code != AtlasError.code and error.code.islower()


def test_error_codes_are_distinct_and_exit_codes_as_documented() -> None:
    codes = [e.code for e in ERRORS]
    assert len(codes) == len(set(codes))
    assert BadInput.exit_code == 2 and CheckFailed.exit_code == 1
    assert RefusedInput("encrypted", "locked").code == "encrypted"
    assert RefusedInput("encrypted", "locked", "unlock it").message == "locked"


# ---------------------------------------------------------------- errors a user can act on

def test_an_atlas_error_prints_its_code_message_and_hint() -> None:
    result = run("export", "--format", "datapackage", "-o", ".")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error [output-protected]: . is the current folder; it is never replaced",
        "hint: give the path of a new folder"]


def test_an_unknown_name_keeps_its_code() -> None:
    result = run("partner", "Atlantis")
    assert result.exit_code == 2
    assert result.stderr.startswith("error [unknown-name]: unknown partner 'Atlantis'")


def test_a_failed_check_exits_1_the_same_way(tmp_path: Path) -> None:
    bad = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, bad)
    (bad / "sources.yaml").write_text("- id: [\n", encoding="utf-8")
    result = run("validate", data=bad)
    assert result.exit_code == 1
    assert "error [check-failed]:" in result.stderr and str(bad) in result.stderr


def test_a_missing_pdf_extra_is_an_atlas_error_not_a_bug(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sdpatlas.render import pdf

    def unavailable(*args: object) -> bytes:
        raise PdfUnavailable("PDF reports need fpdf2", hint="pip install 'sdpatlas[pdf]'")

    monkeypatch.setattr(pdf, "pdf_report", unavailable)
    result = run("report", "-o", str(tmp_path / "r.pdf"))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["error [pdf-unavailable]: PDF reports need fpdf2",
                                          "hint: pip install 'sdpatlas[pdf]'"]
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.parametrize("args", [("nosuchcommand",), ("matrix", "--format", "nope"),
                                  ("export", "--nope"), ("build", "--db")])
def test_usage_errors_are_shown_as_click_shows_them(args: tuple[str, ...]) -> None:
    done = child(*args)
    assert done.returncode == 2 and "Error:" in done.stderr
    no_traceback(done.stderr)


def test_help_and_version_exit_0_through_main() -> None:
    assert child("--version").returncode == 0
    done = child("--help")
    assert done.returncode == 0 and "--debug" in done.stdout


def test_a_warning_for_the_user_is_one_line_wherever_it_comes_from() -> None:
    prelude = ("import warnings\nimport sdpatlas.analysis as a\n"
               "from sdpatlas.errors import AtlasWarning\n"
               "real = a.matrix\n"
               "def matrix(*args, **kwargs):\n"
               "    warnings.warn(AtlasWarning('careful: stale figures'))\n"
               "    warnings.warn(DeprecationWarning('old'))\n"
               "    return real(*args, **kwargs)\n"
               "a.matrix = matrix\n")
    done = child("matrix", "--format", "json", prelude=prelude,
                 env={"PYTHONWARNINGS": "default"})
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == "warning: careful: stale figures"
    assert "DeprecationWarning: old" in done.stderr


# ---------------------------------------------------------------- bugs

def test_a_bug_is_one_line_with_the_version_and_exit_70(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from sdpatlas import analysis

    def boom(*args: object, **kwargs: object) -> None:
        raise ValueError("secret detail")

    monkeypatch.setattr(analysis, "matrix", boom)
    monkeypatch.delenv("SDPATLAS_DEBUG", raising=False)
    with pytest.raises(SystemExit) as info:
        main(["--data", str(FIXTURE_DATA), "matrix"])
    assert info.value.code == INTERNAL_ERROR == 70
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"internal error in sdpatlas {__version__}: ValueError")
    assert "--debug" in line and "SDPATLAS_DEBUG=1" in line and "report" in line
    assert "secret detail" not in line and "Traceback" not in line


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_the_traceback_only_when_asked(how: str) -> None:
    args = ("--debug", "matrix") if how == "flag" else ("matrix",)
    env = {"SDPATLAS_DEBUG": "1"} if how == "environment" else {"SDPATLAS_DEBUG": ""}
    done = child(*args, prelude=BUG + "a.matrix = boom\n", env=env)
    assert done.returncode == 70
    assert "Traceback" in done.stderr and "ValueError: secret" in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("internal error in sdpatlas")
    quiet = child("matrix", prelude=BUG + "a.matrix = boom\n", env={"SDPATLAS_DEBUG": ""})
    assert quiet.returncode == 70 and quiet.stderr.count("\n") == 1
    no_traceback(quiet.stderr)


@pytest.mark.parametrize("bug", [KeyError("area"), sqlite3.OperationalError("no such column")],
                         ids=["python", "sql"])
def test_a_bug_reading_the_cache_is_not_called_a_corrupt_database(
        bug: Exception, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from sdpatlas.store import _read

    assert run("build").exit_code == 0

    def boom(self: object) -> None:
        raise bug

    monkeypatch.setattr(_read.Reader, "taxonomy", boom)
    with pytest.raises(SystemExit) as info:
        main(["--data", str(FIXTURE_DATA), "matrix"])
    err = capsys.readouterr().err
    assert info.value.code == 70 and "internal error" in err and type(bug).__name__ in err
    assert "corrupt" not in err and "not a readable" not in err


@pytest.mark.parametrize("damage", ["truncated", "not-sqlite", "foreign"])
def test_a_damaged_cache_entry_is_rebuilt_not_a_bug(damage: str, isolated_cache: Path) -> None:
    assert run("build").exit_code == 0
    (entry,) = isolated_cache.glob("atlas-*.sqlite")
    if damage == "truncated":
        entry.write_bytes(entry.read_bytes()[:8192])
    elif damage == "not-sqlite":
        entry.write_bytes(b"garbage" * 1000)
    else:
        entry.unlink()
        sqlite3.connect(entry).execute("CREATE TABLE t (x)").connection.close()
    result = run("partners", "--format", "csv")
    assert result.exit_code == 0 and result.stderr == "" and "ALB" in result.stdout


def test_a_bug_while_loading_is_not_called_bad_input(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from sdpatlas import dataset

    def boom(*args: object) -> None:
        raise TypeError("oops")

    monkeypatch.setattr(dataset, "load", boom)
    with pytest.raises(SystemExit) as info:
        main(["--data", str(FIXTURE_DATA), "build", "--db", os.devnull])
    err = capsys.readouterr().err
    assert info.value.code == 70 and err.startswith("internal error in sdpatlas")
    assert "bad-input" not in err


# ---------------------------------------------------------------- standard output

@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [("matrix",), ("partners", "--format", "csv"),
                                  ("export", "--format", "json")],
                         ids=["matrix", "small", "large"])
def test_a_full_standard_output_is_one_error_line(args: tuple[str, ...]) -> None:
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = subprocess.run(
            [sys.executable, "-c", "from sdpatlas.cli import main; main()",
             "--data", str(REAL_DATA), *args],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=SECONDS, check=False)
    assert done.returncode == 2, done.stderr
    no_traceback(done.stderr)
    assert done.stderr.splitlines()[0] == ("error [output-failed]: cannot write to standard "
                                           "output: No space left on device")


@pytest.mark.parametrize("args", [("partners",), ("export", "--format", "json")],
                         ids=["small", "large"])
def test_a_closed_pipe_is_a_quiet_exit(args: tuple[str, ...]) -> None:
    with subprocess.Popen([sys.executable, "-c", "from sdpatlas.cli import main; main()",
                           "--data", str(REAL_DATA), *args],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        stderr = process.stderr.read()
        assert process.wait(timeout=SECONDS) == 1
    assert stderr == ""


def test_a_pipe_closed_after_the_first_line_is_quiet(tmp_path: Path) -> None:
    script = tmp_path / "head.sh"
    script.write_text(f'"{sys.executable}" -c "from sdpatlas.cli import main; main()" '
                      f'--data "{REAL_DATA}" export --format json 2>"{tmp_path}/err" | head -1\n'
                      'echo "status ${PIPESTATUS[0]}"\n', encoding="utf-8")
    done = subprocess.run(["bash", str(script)], capture_output=True, text=True,
                          timeout=SECONDS, check=False)
    first, status = done.stdout.splitlines()
    assert first == "{" and status in ("status 0", "status 1")
    assert (tmp_path / "err").read_text(encoding="utf-8") == ""
