"""``sdpatlas diff``: changes between dataset folders and git revisions, and its bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from sdpatlas.cli import cli
from sdpatlas.dataset import load
from sdpatlas.diff import diff

from conftest import FIXTURE_DATA

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _copy(tmp_path: Path, name: str = "data") -> Path:
    return Path(shutil.copytree(FIXTURE_DATA, tmp_path / name))


def _edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_equal_datasets_have_no_changes(tmp_path: Path) -> None:
    assert diff(load(FIXTURE_DATA), load(_copy(tmp_path))) == ()
    code, out, err = _run("diff", str(FIXTURE_DATA), str(_copy(tmp_path, "other")),
                          "--format", "json")
    assert code == 0
    assert json.loads(out)["changes"] == []
    assert "0 changes" in err


def test_a_changed_cell_names_partner_area_old_new_and_sources(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    _edit(new, "partnerships/ALB.yaml", "  3: no\n", "  3: yes\n")
    code, out, _ = _run("diff", str(FIXTURE_DATA), str(new), "--format", "json")
    assert code == 1
    (change,) = json.loads(out)["changes"]
    assert change == {"section": "coverage", "key": "ALB area 3", "change": "changed",
                      "field": "status", "old": "no", "new": "yes", "sources": ["brief"]}


def test_added_and_removed_records_and_reordering(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    (new / "partnerships" / "AUS.yaml").unlink()
    _edit(new, "partnerships/ALB.yaml", "    place: Brussels\n", "    place: Tirana\n")
    changes = diff(load(FIXTURE_DATA), load(new))
    assert ("partnership", "AUS", "removed") in {(c.section, c.key, c.change) for c in changes}
    moved = next(c for c in changes if c.section == "event")
    assert (moved.field, moved.old, moved.new) == ("place", "Brussels", "Tirana")
    assert {c.change for c in diff(load(new), load(FIXTURE_DATA))} >= {"added"}


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(FIXTURE_DATA, repo / "data")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "first"], check=True)
    _edit(repo / "data", "partnerships/ALB.yaml", "  2: yes\n", "  2: no\n")
    subprocess.run([*git, "commit", "-qam", "second"], check=True)
    return repo


@needs_git
def test_revisions_are_read_without_touching_the_work_tree(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _edit(repo / "data", "partnerships/ALB.yaml", "  1: yes\n", "  1: no\n")  # dirty tree
    before = subprocess.run(["git", "-C", str(repo), "status", "--porcelain"],
                            capture_output=True, text=True, check=True).stdout
    code, out, _ = _run("--data", str(repo / "data"), "diff", "HEAD~1", "HEAD", "--format",
                        "json")
    assert code == 1
    (change,) = json.loads(out)["changes"]
    assert (change["key"], change["old"], change["new"]) == ("ALB area 2", "yes", "no")
    after = subprocess.run(["git", "-C", str(repo), "status", "--porcelain"],
                           capture_output=True, text=True, check=True).stdout
    assert before == after
    code, out, _ = _run("--data", str(repo / "data"), "diff", "HEAD", "--format", "json")
    assert code == 1 and json.loads(out)["changes"][0]["key"] == "ALB area 1"


@needs_git
@pytest.mark.parametrize(("revision", "words"), [
    ("no-such-tag", "unknown revision"), ("--output=/tmp/x", "is not a revision")])
def test_bad_revisions_exit_2_with_a_message(tmp_path: Path, revision: str, words: str) -> None:
    repo = _repo(tmp_path)
    code, _, err = _run("--data", str(repo / "data"), "diff", "--", revision, "HEAD")
    assert code == 2
    assert words in err and "Traceback" not in err


@needs_git
def test_a_revision_without_the_dataset(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "mv", "data", "moved"], check=True)
    subprocess.run([*git, "commit", "-qm", "moved"], check=True)
    code, _, err = _run("--data", str(repo / "moved"), "diff", "HEAD~2", "HEAD")
    assert code == 2
    assert "has no dataset at moved/" in err


def test_outside_a_repository(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    code, _, err = _run("--data", str(data), "diff", "HEAD~1")
    assert code == 2
    assert "not inside a git repository" in err


@needs_git
def test_a_shallow_clone_says_how_to_get_history(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)],
                   check=True)
    code, _, err = _run("--data", str(clone / "data"), "diff", "HEAD~1", "HEAD")
    assert code == 2
    assert "--unshallow" in err


def test_a_revision_whose_data_is_invalid(tmp_path: Path) -> None:
    broken = _copy(tmp_path)
    (broken / "sources.yaml").unlink()
    code, _, err = _run("diff", str(broken), str(FIXTURE_DATA))
    assert code == 2
    assert "does not load" in err and "sources.yaml" in err
