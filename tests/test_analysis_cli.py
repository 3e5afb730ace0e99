"""The analysis commands: analyse, similar, predict, chart, report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sdpatlas.cli import cli

from conftest import FIXTURE_DATA, REAL_DATA


def run(*args: str, data: Path = REAL_DATA) -> Result:
    return CliRunner().invoke(cli, ["--data", str(data), *args], catch_exceptions=False)


def test_analyse_json_has_the_documented_keys() -> None:
    result = run("analyse", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    for key in ("common_core", "rare_areas", "identical_profiles", "tailored", "omissions",
                "similarity", "group_contrasts"):
        assert key in payload
    assert payload["common_core"] == [1, 2, 3, 4, 7, 8, 9, 11, 13, 20]
    assert ["MKD", "ALB"] in payload["identical_profiles"]
    assert {r["area"]: r["covered_by"] for r in payload["rare_areas"]}[23] == ["KOR"]
    assert set(payload["tailored"]) == set(payload["omissions"]) == {
        p["code"] for p in payload["partners"]}
    pair = payload["similarity"][0]
    assert {"a", "b", "jaccard", "hamming"} <= set(pair)
    contrast = next(c for c in payload["group_contrasts"] if c["key"] == "europe-vs-indo-pacific")
    row = next(r for r in contrast["areas"] if r["area"] == 10)
    assert (row["a_covered"], row["a_of"], row["b_covered"], row["b_of"]) == (5, 5, 0, 3)
    assert row["p_value"] == pytest.approx(1 / 56)
    assert [x["code"] for x in payload["excluded"]] == ["ISL"]
    assert payload["prospects"][0]["partner"] == "ISL"


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_analyse_text(fmt: str) -> None:
    result = run("analyse", "--format", fmt)
    assert result.exit_code == 0
    assert "Common core: 10 areas" in result.stdout
    assert "p = 0.018" in result.stdout


def test_analyse_as_of_and_near() -> None:
    result = run("analyse", "--as-of", "2024-06-30", "--near", "1", "--format", "json")
    payload = json.loads(result.stdout)
    assert [p["code"] for p in payload["partners"]] == ["MDA", "NOR"]
    assert payload["as_of"] == "2024-06-30"
    assert payload["near_core"]["threshold"] == 1
    assert run("analyse", "--near", "0").exit_code == 2


def test_similar() -> None:
    result = run("similar", "albania", "--format", "json")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["partner"] == "ALB"
    assert payload["similar"][0] == {**payload["similar"][0], "partner": "MKD", "jaccard": 1.0}
    text = run("similar", "uk").stdout
    assert "Canada (CAN): Jaccard 0.95" in text


def test_similar_refuses_an_unassessed_partner() -> None:
    result = run("similar", "iceland")
    assert result.exit_code == 2
    assert "sdpatlas predict ISL" in result.output


def test_predict_iceland_and_an_assessed_partner() -> None:
    result = run("predict", "iceland", "--format", "json")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["neighbours"][0]["partner"] == "NOR"
    assert not payload["assessed"]
    assert payload["evaluation"]["method"] == "leave-one-out"
    assert len(payload["evaluation"]["partners"]) == 9
    text = run("predict", "japan").stdout
    assert "already coded" in text
    assert run("predict", "atlantis").exit_code == 2


def test_predict_without_training_data() -> None:
    result = run("predict", "japan", "--as-of", "2020-01-01")
    assert result.exit_code == 2
    assert "no assessed partnership" in result.output


@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_chart_writes_a_file(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"m{suffix}"
    result = run("chart", "matrix", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:5] in (b"<?xml", b"\x89PNG\r")
    assert run("chart", "pie", "-o", str(out)).exit_code == 2


def test_chart_reports_an_unwritable_path(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = run("chart", "timeline", "-o", str(tmp_path / "file" / "t.svg"))
    assert result.exit_code == 2
    assert "cannot write" in result.output


def test_report_html_and_md(tmp_path: Path) -> None:
    html = tmp_path / "brief.html"
    assert run("report", "-o", str(html), data=FIXTURE_DATA).exit_code == 0
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    md = tmp_path / "brief.md"
    assert run("report", "-o", str(md), data=FIXTURE_DATA).exit_code == 0
    assert md.read_text(encoding="utf-8").startswith("# ")
    assert (tmp_path / "brief-matrix.svg").exists()
    forced = tmp_path / "brief.txt"
    assert run("report", "-o", str(forced), "--format", "md", data=FIXTURE_DATA).exit_code == 0
    assert forced.read_text(encoding="utf-8").startswith("# ")
