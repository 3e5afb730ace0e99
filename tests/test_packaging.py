"""The package as a user installs it: a wheel built from the sdist, in a new virtualenv.

The module fixture runs ``uv build`` (the sdist, then the wheel from the sdist, with the
hatchling build backend; uv fetches it from PyPI only if its cache lacks it), creates a
virtualenv that knows nothing of this checkout, and installs the wheel with the locked
versions of its dependencies (``uv export``; from uv's cache, which ``./dev`` fills).
The installed ``sdpatlas`` then runs from a folder outside the checkout. Deselect these
with ``-m 'not packaging'``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tarfile
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from sdpatlas import paths
from sdpatlas.cli import cli
from sdpatlas.errors import AtlasError

from conftest import REAL_DATA, ROOT

UV = ROOT / ".tools" / "bin" / "uv"
packaging = pytest.mark.packaging


@dataclass(frozen=True)
class Installed:
    """A wheel and sdist built from the checkout, and a virtualenv the wheel is installed in."""

    wheel: Path
    sdist: Path
    venv: Path
    elsewhere: Path
    env: dict[str, str]

    @property
    def sdpatlas(self) -> Path:
        return self.venv / "bin" / "sdpatlas"


def _uv(*args: str | Path, env: dict[str, str]) -> None:
    done = subprocess.run([str(UV), *map(str, args)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=240, check=False)
    assert done.returncode == 0, f"uv {' '.join(map(str, args))}:\n{done.stderr}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    assert UV.is_file(), f"{UV} is missing: run ./dev once to install the project's uv"
    tmp = tmp_path_factory.mktemp("packaging")
    env = {k: v for k, v in os.environ.items()
           if k not in ("SDPATLAS_DATA", "PYTHONPATH", "VIRTUAL_ENV")}
    env.update(UV_PYTHON_DOWNLOADS="never", SDPATLAS_CACHE=str(tmp / "cache"))
    dist, venv = tmp / "dist", tmp / "venv"
    _uv("build", "--quiet", "--out-dir", dist, "--python", sys.executable, env=env)
    _uv("export", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes", "--quiet",
        "-o", tmp / "requirements.txt", env=env)
    _uv("venv", "--quiet", venv, "--python", sys.executable, env=env)
    (wheel,), (sdist,) = dist.glob("*.whl"), dist.glob("*.tar.gz")
    _uv("pip", "install", "--quiet", "--python", venv / "bin" / "python",
        "-r", tmp / "requirements.txt", wheel, env=env)
    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    return Installed(wheel, sdist, venv, elsewhere, env)


def _checkout_data() -> set[str]:
    folder = ROOT / "data"
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _sdist_data(sdist: Path) -> dict[str, bytes]:
    with tarfile.open(sdist) as archive:
        found = {}
        for member in archive.getmembers():
            name = member.name.split("/", 1)[1]
            handle = archive.extractfile(member) if member.isfile() else None
            if handle is not None and name.startswith("data/"):
                found[name.removeprefix("data/")] = handle.read()
    return found


@packaging
def test_the_wheel_carries_data_as_the_sdist_has_it(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        carried = {n.removeprefix("sdpatlas/data/"): wheel.read(n) for n in wheel.namelist()
                   if n.startswith("sdpatlas/data/")}
    assert carried == _sdist_data(installed.sdist)
    assert {"taxonomy.yaml", "rules/safe.yaml", "coding/lexicon.yaml"} <= carried.keys()


@packaging
def test_the_sdist_carries_data_but_no_copy_of_it_in_the_package(installed: Installed) -> None:
    with tarfile.open(installed.sdist) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    assert {f"data/{name}" for name in _checkout_data()} <= names
    assert not any(n.startswith("src/sdpatlas/data/") for n in names)


@packaging
def test_installed_matrix_runs_from_another_folder(installed: Installed) -> None:
    done = subprocess.run([installed.sdpatlas, "matrix", "--format", "json"],
                          cwd=installed.elsewhere, env=installed.env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    here = CliRunner().invoke(cli, ["--data", str(REAL_DATA), "matrix", "--format", "json"],
                              catch_exceptions=False)
    assert json.loads(done.stdout) == json.loads(here.stdout)


@pytest.fixture
def served(installed: Installed) -> Iterator[tuple[str, str]]:
    """``sdpatlas serve --port 0`` of the installed package: its address and first line."""
    process = subprocess.Popen([installed.sdpatlas, "serve", "--port", "0"],
                               cwd=installed.elsewhere, env=installed.env,
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert " at http://" in line, line + process.stderr.read()
        yield line.split(" at ")[-1].split()[0], line
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


@packaging
def test_installed_serve_answers_from_the_bundled_data(installed: Installed,
                                                       served: tuple[str, str]) -> None:
    address, line = served
    assert str(installed.venv) in line and "site-packages/sdpatlas/data" in line
    with urllib.request.urlopen(address + "api/v1/matrix", timeout=30) as response:
        assert response.status == 200
        payload = json.loads(response.read())
    assert len(payload["partners"]) >= 10


def test_a_source_checkout_reads_its_own_data_folder() -> None:
    assert paths.default_data_dir() == REAL_DATA


def test_sdpatlas_data_wins_over_every_other_place(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    monkeypatch.setenv("SDPATLAS_DATA", str(tmp_path))
    assert paths.default_data_dir() == tmp_path


def test_a_zip_import_is_refused_with_what_to_do(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    archive = tmp_path / "sdpatlas.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("sdpatlas/data/taxonomy.yaml", "areas: []\n")
    monkeypatch.setattr(paths.resources, "files",
                        lambda _package: zipfile.Path(archive, "sdpatlas/"))
    with pytest.raises(AtlasError, match="archive") as caught:
        paths.packaged_data_dir()
    assert caught.value.code == "data-not-on-disk" and "SDPATLAS_DATA" in caught.value.hint


def test_a_package_without_its_data_says_so(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.setattr(paths.resources, "files", lambda _package: tmp_path)
    with pytest.raises(AtlasError, match="no bundled dataset") as caught:
        paths.packaged_data_dir()
    assert caught.value.code == "data-missing"
