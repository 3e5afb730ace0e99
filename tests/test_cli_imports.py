"""Commands import only what they use (start-up, issue 12): checked in a fresh interpreter.

``analyse`` and the HTML ``report`` need numpy but not scipy or matplotlib (the clustering
is computed without scipy; the report's charts are hand-made SVG); a listing needs neither
numpy nor jinja2; no command here loads the web package or the agreement coder. difflib
(name suggestions) loads only for a name not found, or when click parses a short option
such as ``-o``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE_DATA

NEVER = ("scipy", "matplotlib", "PIL", "fpdf", "markdown_it", "charset_normalizer",
         "sdpatlas.web", "sdpatlas.coding", "sdpatlas.eligibility", "traceback")
PROBE = ("import atexit, sys\n"
         "atexit.register(lambda: print('\\nMODULES', *sorted(sys.modules), file=sys.stderr))\n"
         "from sdpatlas.cli import main\n"
         "main(sys.argv[1:])\n")


@pytest.fixture(autouse=True)
def built() -> None:
    """A warm cache, as start-up is measured (a cold one also parses the YAML)."""
    subprocess.run([sys.executable, "-c", PROBE, "--data", str(FIXTURE_DATA), "build"],
                   capture_output=True, check=True, timeout=120)


def _modules(args: list[str]) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, "--data", str(FIXTURE_DATA), *args],
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(done.stderr.rsplit("MODULES", 1)[1].split())


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
