"""The coder's commands: code (file, stdin, directory, --diff, --draft) and evaluate."""

from __future__ import annotations

import json
from pathlib import Path

import codingdocs
import pytest
from click.testing import CliRunner, Result

from sdpatlas.cli import cli

ROOT = Path(__file__).resolve().parents[1]
AGREEMENT = ROOT / "tests" / "fixtures" / "coding" / "agreement.md"
PASSAGES = ROOT / "tests" / "fixtures" / "coding" / "passages.jsonl"


def run(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, ["--data", str(ROOT / "data"), *args], input=stdin)


def test_code_json_has_exactly_the_documented_shape() -> None:
    result = run("code", str(AGREEMENT), "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) == {"source", "segments", "coverage"}
    assert set(payload["coverage"]) == {str(i) for i in range(1, 27)}
    cell = payload["coverage"]["15"]
    assert set(cell) == {"status", "confidence", "evidence"} and cell["status"] == "yes"
    evidence = cell["evidence"][0]
    assert {"segment", "start", "end", "quote", "rule"} <= set(evidence)
    segment = next(s for s in payload["segments"] if s["id"] == evidence["segment"])
    assert {"id", "start", "end", "text"} <= set(segment)
    assert segment["text"] == evidence["quote"]
    assert payload["source"]["format"] == "markdown"


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_code_table_and_markdown(fmt: str) -> None:
    result = run("code", str(AGREEMENT), "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "Maritime security" in result.stdout and "already_exists" in result.stdout


def test_code_reads_standard_input() -> None:
    text = b"The Participants will strengthen cooperation on maritime security."
    payload = json.loads(run("code", "-", "--format", "json", stdin=text).stdout)
    assert payload["source"]["name"] == "-" and payload["coverage"]["15"]["status"] == "yes"
    pdf = codingdocs.pdf([["The Participants will cooperate on counter-terrorism."]])
    payload = json.loads(run("code", "-", "--format", "json", stdin=pdf).stdout)
    assert payload["source"]["format"] == "pdf" and payload["coverage"]["8"]["status"] == "yes"


def test_hostile_files_are_refused_with_exit_2(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(codingdocs.zip_bomb_docx(32 << 20))
    result = run("code", str(bomb))
    assert result.exit_code == 2 and "zip-bomb" in result.output
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(codingdocs.encrypted_pdf())
    result = run("code", str(locked))
    assert result.exit_code == 2 and "encrypted" in result.output and "hint" in result.output


def test_a_directory_is_coded_in_parallel_as_json_lines(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(AGREEMENT.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.pdf").write_bytes(codingdocs.pdf([["They will cooperate on cyber."]]))
    (tmp_path / "c.docx").write_bytes(codingdocs.docx(["They will cooperate on space."]))
    (tmp_path / "ignored.xlsx").write_bytes(b"x")
    result = run("code", str(tmp_path), "--jobs", "2")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(x["source"]["name"]).name for x in lines] == ["a.md", "b.pdf", "c.docx"]
    assert lines[1]["coverage"]["3"]["status"] == "yes"
    assert lines[2]["coverage"]["16"]["status"] == "yes"


def test_a_directory_with_a_broken_file_reports_it_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("They will cooperate on cyber.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(bytes(range(256)) * 10)
    result = run("code", str(tmp_path), "--jobs", "1")
    assert result.exit_code == 2
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[1]["error"]["code"] == "binary" and "coverage" in lines[0]


def test_diff_against_the_dataset() -> None:
    result = run("code", str(AGREEMENT), "--partner", "Norway", "--diff", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["partner"] == "NOR"
    verdicts = {a["area"]: a["verdict"] for a in payload["areas"]}
    assert verdicts[15] == "agree" and verdicts[12] == "agree" and verdicts[16] == "disagree"
    assert sum(payload["summary"].values()) == 26
    iceland = json.loads(run("code", str(AGREEMENT), "-p", "ISL", "--diff",
                             "--format", "json").stdout)
    assert {a["verdict"] for a in iceland["areas"]} <= {"new", "abstained"}


def test_draft_is_machine_coded_and_never_touches_reviewed_data(tmp_path: Path) -> None:
    out = tmp_path / "drafts" / "ISL.yaml"
    before = (ROOT / "data" / "partnerships" / "ISL.yaml").read_bytes()
    result = run("code", str(AGREEMENT), "--partner", "ISL", "--draft", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# MACHINE-CODED DRAFT") and "machine-coded, confidence" in text
    assert "partner: ISL" in text and "draft-" in text and "agreement.md" in text
    assert (ROOT / "data" / "partnerships" / "ISL.yaml").read_bytes() == before
    again = run("code", str(AGREEMENT), "--partner", "ISL", "--draft", "-o", str(out))
    assert again.exit_code == 2 and "--force" in again.output
    inside = run("code", str(AGREEMENT), "-p", "ISL", "--draft", "--force",
                 "-o", str(ROOT / "data" / "partnerships" / "ISL.yaml"))
    assert inside.exit_code == 2 and "inside the dataset" in inside.output
    assert (ROOT / "data" / "partnerships" / "ISL.yaml").read_bytes() == before


def test_usage_errors() -> None:
    assert run("code", str(AGREEMENT), "--diff").exit_code == 2
    assert run("code", str(AGREEMENT), "-o", "x.yaml").exit_code == 2
    assert run("code", str(ROOT / "tests" / "fixtures" / "coding"), "--diff",
               "-p", "ISL").exit_code == 2


def test_evaluate_prints_scores_and_errors() -> None:
    result = run("evaluate", str(PASSAGES))
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.stdout and "Kappa" in result.stdout
    payload = json.loads(run("evaluate", str(PASSAGES), "--format", "json").stdout)
    assert payload["passages"] == 50 and len(payload["areas"]) == 26
    assert {"micro_f1", "macro_f1", "errors", "already_exists"} <= set(payload)


def test_evaluate_several_sets_with_intervals() -> None:
    dev = ROOT / "data" / "coding" / "gold" / "written-dev.jsonl"
    result = run("evaluate", str(PASSAGES), str(dev), "--errors", "0", "--resamples", "50")
    assert result.exit_code == 0, result.output
    assert "Gold sets" in result.stdout and "written-dev.jsonl (dev)" in result.stdout
    payload = json.loads(run("evaluate", str(PASSAGES), str(dev), "--resamples", "50",
                             "--format", "json").stdout)
    first, second = payload["sets"]
    assert (first["split"], second["split"]) == (None, "dev")
    low, high = second["micro_f1_interval"]
    assert low <= second["micro_f1"] <= high


def test_evaluate_split_is_for_the_manifest() -> None:
    result = run("evaluate", str(PASSAGES), "--split", "dev")
    assert result.exit_code == 2 and "without GOLD" in result.output


def test_evaluate_refuses_a_bad_gold_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "x", "areas": [99]}\n', encoding="utf-8")
    result = run("evaluate", str(bad))
    assert result.exit_code == 2 and "unknown area" in result.output
