"""Dataset versions: dataset.yaml, the changelog, and validate's checks on both."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from sdpatlas.cli import cli
from sdpatlas.dataset import load
from sdpatlas.model import PartialDate, Release
from sdpatlas.release import read_changelog
from sdpatlas.store import build, read

from conftest import FIXTURE_DATA, REAL_DATA

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
RELEASE = "version: {version}\ncoverage: 2026-11-30\n"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def _versioned(folder: Path, version: str = "2026.11.0") -> Path:
    if not folder.exists():
        shutil.copytree(FIXTURE_DATA, folder)
    (folder / "dataset.yaml").write_text(RELEASE.format(version=version), encoding="utf-8")
    return folder


def _codes(folder: Path) -> list[str]:
    _, out, _ = _run("--data", str(folder), "validate", "--format", "json")
    return [f["code"] for f in json.loads(out) if f["severity"] != "info"]


def test_the_real_dataset_is_versioned_and_recorded() -> None:
    data = load(REAL_DATA)
    assert data.release is not None
    assert data.release.version == read_changelog(REAL_DATA)[0].version
    assert _codes(REAL_DATA) == []


def test_an_unversioned_dataset_is_a_warning_only() -> None:
    assert load(FIXTURE_DATA).release is None
    assert _codes(FIXTURE_DATA) == ["unversioned"]


def test_the_release_round_trips_through_the_database(tmp_path: Path) -> None:
    data = load(_versioned(tmp_path / "data"))
    assert data.release == Release("2026.11.0", PartialDate(2026, 11, 30))
    assert read(build(data, tmp_path / "atlas.sqlite")).release == data.release


@pytest.mark.parametrize(("text", "field"), [
    ("version: 26.1\ncoverage: 2026-11-30\n", "version"),
    ("version: 2026.13.0\ncoverage: 2026-11-30\n", "version"),
    ("version: 2026.11.0\ncoverage: 2026-11\n", "coverage")])
def test_a_malformed_version_is_located(tmp_path: Path, text: str, field: str) -> None:
    folder = _versioned(tmp_path / "data")
    (folder / "dataset.yaml").write_text(text, encoding="utf-8")
    _, out, _ = _run("--data", str(folder), "validate", "--format", "json")
    (problem,) = [f for f in json.loads(out) if f["code"] == "bad-version"]
    assert (problem["file"], problem["field"]) == ("data/dataset.yaml", field)


def test_recording_a_version_then_changing_the_data(tmp_path: Path) -> None:
    folder = _versioned(tmp_path / "data")
    assert _codes(folder) == ["changelog-missing"]
    assert _run("--data", str(folder), "changelog", "--check")[0] == 1
    code, _, err = _run("--data", str(folder), "changelog")
    assert code == 0 and "recorded version 2026.11.0" in err
    assert "First recorded version: 3 partnerships" in (folder / "CHANGELOG.md").read_text()
    assert _codes(folder) == []
    assert _run("--data", str(folder), "changelog", "--check")[0] == 0
    _edit(folder, "  3: no\n", "  3: yes\n")
    assert _codes(folder) == ["version-not-moved"]
    code, _, err = _run("--data", str(folder), "changelog")
    assert code == 1 and "Raise `version`" in err
    _versioned(folder, "2026.11.1")
    code, _, _ = _run("--data", str(folder), "changelog")
    assert code == 0
    newest, first = read_changelog(folder)
    assert (newest.version, first.version) == ("2026.11.1", "2026.11.0")
    assert "was not found in the repository's history" in newest.text


def _edit(folder: Path, old: str, new: str) -> None:
    path = folder / "partnerships" / "ALB.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


@needs_git
def test_the_changes_of_a_version_come_from_git_history(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    folder = _versioned(repo / "data")
    assert _run("--data", str(folder), "changelog")[0] == 0
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "2026.11.0"], check=True)
    _edit(folder, "  3: no\n", "  3: yes\n")
    _versioned(folder, "2026.11.1")
    assert _run("--data", str(folder), "changelog")[0] == 0
    newest = read_changelog(folder)[0]
    assert "1 change since 2026.11.0 (1 coverage)" in newest.text
    assert "- coverage ALB area 3: status no → yes (sources: brief)" in newest.text
    assert _codes(folder) == []


def test_version_names_the_software_and_the_dataset() -> None:
    code, out, _ = _run("--data", str(REAL_DATA), "--version")
    release = load(REAL_DATA).release
    assert code == 0 and release is not None
    assert out.startswith("sdpatlas ") and f"dataset {release.version}" in out
    assert "unversioned" in _run("--data", str(FIXTURE_DATA), "--version")[1]


def test_exports_carry_the_data_version(tmp_path: Path) -> None:
    release = load(REAL_DATA).release
    assert release is not None
    _, out, _ = _run("--data", str(REAL_DATA), "export", "--format", "json")
    assert json.loads(out)["release"]["version"] == release.version
    _, out, _ = _run("--data", str(REAL_DATA), "export", "--format", "cff")
    assert f'version: "{release.version}"' in out
    target = tmp_path / "package"
    assert _run("--data", str(REAL_DATA), "export", "--format", "datapackage", "-o",
                str(target))[0] == 0
    package = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == release.version


@needs_git
def test_data_version_reads_what_the_atlas_said_then(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    folder = _versioned(repo / "data")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "2026.11.0"], check=True)
    _edit(folder, "  3: no\n", "  3: yes\n")
    _versioned(folder, "2026.11.1")
    subprocess.run([*git, "commit", "-qam", "2026.11.1"], check=True)

    def status(*version: str) -> str:
        code, out, _ = _run("--data", str(folder), *version, "area", "3", "--format", "json")
        assert code == 0
        groups = json.loads(out)["partners"]
        return next(status for status, codes in groups.items() if "ALB" in codes)

    assert status() == status("--data-version", "2026.11.1") == "yes"
    assert status("--data-version", "2026.11.0") == "no"
    code, _, err = _run("--data", str(folder), "--data-version", "2020.01.0", "matrix")
    assert code == 2 and "no revision of data/ declares dataset version 2020.01.0" in err
