"""Suggested corrections: made as a reviewable diff, applied only whole and only if valid."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sdpatlas.cli import cli
from sdpatlas.dataset import load
from sdpatlas.model import Coverage

from conftest import FIXTURE_DATA

SOURCE = ["--source-title", "EU–Albania action plan", "--source-url",
          "https://example.org/plan", "--source-date", "2025-06-01"]


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def _fingerprint(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE_DATA, tmp_path / "data"))


def _suggest(data: Path, tmp_path: Path, *args: str) -> Path:
    code, out, err = _run("--data", str(data), "suggest", "alb", *args, *SOURCE)
    assert code == 0, err
    path = tmp_path / "suggestion.patch"
    path.write_text(out, encoding="utf-8")
    return path


def test_a_cell_correction_is_a_diff_with_its_source(data: Path, tmp_path: Path) -> None:
    before = _fingerprint(data)
    patch = _suggest(data, tmp_path, "--area", "3", "--status", "yes", "--reason",
                     "The action plan adds cyber dialogue.")
    assert _fingerprint(data) == before
    text = patch.read_text()
    assert "# corrects: ALB area 3" in text
    assert "-  3: no\n" in text and "+  3: {status: yes" in text
    assert "+  - id: suggested-eu-albania-action-plan-2025\n" in text
    code, _, err = _run("--data", str(data), "apply-suggestion", str(patch))
    assert code == 0, err
    cell = next(c for c in load(data).partnership("ALB").coverage if c.area == 3)  # type: ignore[union-attr]
    assert cell.status is Coverage.YES
    assert cell.sources == ("suggested-eu-albania-action-plan-2025",)
    changed = {k for k, v in _fingerprint(data).items() if before.get(k) != v}
    assert changed == {"partnerships/ALB.yaml", "sources.yaml"}


def test_a_note_suggestion_adds_a_sourced_note(data: Path, tmp_path: Path) -> None:
    patch = _suggest(data, tmp_path, "--topic", "signature", "--reason",
                     "It was signed in Tirana, not Brussels.")
    assert _run("--data", str(data), "apply-suggestion", str(patch))[0] == 0
    notes = load(data).partnership("ALB").notes  # type: ignore[union-attr]
    assert any(n.topic == "signature" and "Tirana" in n.text for n in notes)


def test_a_stale_suggestion_changes_nothing(data: Path, tmp_path: Path) -> None:
    patch = _suggest(data, tmp_path, "--area", "3", "--status", "yes", "--reason", "x y")
    assert _run("--data", str(data), "apply-suggestion", str(patch))[0] == 0
    after = _fingerprint(data)
    code, _, err = _run("--data", str(data), "apply-suggestion", str(patch))
    assert code == 2 and "has changed since it was made" in err
    assert _fingerprint(data) == after


@pytest.mark.parametrize(("edit", "words"), [
    (lambda t: t.replace("suggested-eu-albania-action-plan-2025]", "nowhere]"),
     "would not validate"),
    (lambda t: t.replace("a/partnerships/ALB.yaml", "a/../ALB.yaml").replace(
        "b/partnerships/ALB.yaml", "b/../ALB.yaml"), "does not name a data file"),
    (lambda t: t[:t.index("+  3:")], "ends early"),
    (lambda t: "just some words\n", "no change"),
])
def test_bad_suggestions_are_refused_whole(data: Path, tmp_path: Path, edit: object,
                                           words: str) -> None:
    patch = _suggest(data, tmp_path, "--area", "3", "--status", "yes", "--reason", "x y")
    assert callable(edit)
    patch.write_text(edit(patch.read_text()), encoding="utf-8")
    before = _fingerprint(data)
    code, _, err = _run("--data", str(data), "apply-suggestion", str(patch))
    assert code == 2 and words in err and "Traceback" not in err
    assert _fingerprint(data) == before


def test_a_source_must_be_a_web_address(data: Path) -> None:
    code, _, err = _run("--data", str(data), "suggest", "alb", "--area", "3", "--status",
                        "yes", "--reason", "x", "--source-title", "t", "--source-url",
                        "javascript:alert(1)")
    assert code == 2 and "not an http(s) URL" in err
