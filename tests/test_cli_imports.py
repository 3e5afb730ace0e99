"""Commands import only what they use (start-up, issue 12): checked in a fresh interpreter.

``analyse`` and the HTML ``report`` need numpy but not scipy or matplotlib (the clustering
is computed without scipy; the report's charts are hand-made SVG); a listing needs neither
numpy nor jinja2; no command here loads the web package or the agreement coder. difflib
(name suggestions) loads only for a name not found, or when click parses a short option
such as ``-o``. numpy starts no pool of OpenBLAS threads unless the user asks for one.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE_DATA

NEVER = ("scipy", "matplotlib", "PIL", "fpdf", "markdown_it", "charset_normalizer",
         "sdpatlas.web", "sdpatlas.coding", "sdpatlas.eligibility", "traceback")


def _probe(args: list[str], expression: str = "*sorted(sys.modules)") -> list[str]:
    """Run the command in a fresh interpreter; what ``expression`` gives as it exits."""
    script = ("import atexit, os, sys\n"
              f"atexit.register(lambda: print('\\nPROBE', {expression}, file=sys.stderr))\n"
              "from sdpatlas.cli import main\n"
              "main(sys.argv[1:])\n")
    done = subprocess.run([sys.executable, "-c", script, "--data", str(FIXTURE_DATA), *args],
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stderr.rsplit("PROBE", 1)[1].split()


@pytest.fixture(autouse=True)
def built() -> None:
    """A warm cache, as start-up is measured (a cold one also parses the YAML)."""
    _probe(["build"])


def _modules(args: list[str]) -> set[str]:
    return set(_probe(args))


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


@pytest.mark.parametrize(("args", "absent"), [
    (["matrix"], ("numpy", "jinja2", "difflib")),
    (["analyse"], ("jinja2", "difflib")),
    (["analyse", "--format", "json"], ("jinja2", "difflib")),
    (["report", "-o", "{tmp}/r.html"], ()),
])
def test_a_command_imports_only_what_it_uses(args: list[str], absent: tuple[str, ...],
                                             tmp_path: Path) -> None:
    modules = _modules([a.replace("{tmp}", str(tmp_path)) for a in args])
    assert _loaded(modules, NEVER + absent) == []


def test_the_analysis_still_loads_numpy() -> None:
    assert "numpy" in _modules(["analyse"])


@pytest.mark.parametrize(("given", "used"), [(None, "1"), ("3", "3")])
def test_numpy_starts_no_thread_pool_unless_asked(given: str | None, used: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    if given is None:
        monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    else:
        monkeypatch.setenv("OPENBLAS_NUM_THREADS", given)
    assert _probe(["analyse"], "os.environ.get('OPENBLAS_NUM_THREADS')") == [used]


def test_help_loads_no_web_framework() -> None:
    assert _loaded(_modules(["--help"]), ("starlette", "uvicorn", "jinja2")) == []
