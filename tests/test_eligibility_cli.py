"""``sdpatlas eligibility`` and ``sdpatlas components``: formats, exit codes and errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sdpatlas.cli import cli

from conftest import FIXTURE_DATA, REAL_DATA

BOM = Path(__file__).resolve().parent / "fixtures" / "bom"


def run(*args: str, data: Path = REAL_DATA) -> Result:
    return CliRunner().invoke(cli, ["--data", str(data), *args], catch_exceptions=False)


def test_json_answer_has_the_documented_keys() -> None:
    result = run("eligibility", "canada", "--as-of", "2026-03-20", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["country"] == "CAN" and payload["as_of"] == "2026-03-20"
    assert payload["route"] == "sdp" and payload["may_borrow"] is False
    assert payload["may_join_common_procurement"] is True
    assert payload["participation_agreement"] == "provisionally-applied"
    assert payload["missing"] and payload["caveats"]
    step = payload["trace"][0]
    assert {"rule", "provision", "sources", "confidence", "outcome", "facts"} <= set(step)


@pytest.mark.parametrize("fmt", ["table", "md", "csv"])
def test_text_formats(fmt: str) -> None:
    result = run("eligibility", "UK", "--as-of", "2025-12-01", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "collapsed" in result.stdout
    if fmt == "md":
        assert result.stdout.startswith("# United Kingdom (GBR)")


def test_no_route_exits_1_with_the_answer_printed() -> None:
    result = run("eligibility", "Switzerland", "--as-of", "2026-03-01")
    assert result.exit_code == 1
    assert "Route: none" in result.stdout and "EFTA" in result.stdout


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "md"])
def test_all(fmt: str) -> None:
    result = run("eligibility", "--all", "--as-of", "2026-03-20", "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        rows = json.loads(result.stdout)
        assert {r["country"]: r["route"] for r in rows}["ISL"] == "treated_as_member_state"
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(result.stdout)))
        assert rows[0][:3] == ["country", "name", "route"]


@pytest.mark.parametrize(("args", "message"), [
    (("eligibility",), "give a COUNTRY or --all"),
    (("eligibility", "FRA", "--all"), "give a COUNTRY or --all"),
    (("eligibility", "Atlantis"), "unknown partner 'Atlantis'"),
    (("eligibility", "FRA", "--as-of", "2026-13-01"), "Invalid value"),
])
def test_bad_usage_exits_2(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2 and message in result.output


def test_missing_rules_file_is_reported() -> None:
    result = run("eligibility", "JPN", data=FIXTURE_DATA)
    assert result.exit_code == 2 and "rules/safe.yaml is missing" in result.output


@pytest.mark.parametrize(("file", "code"), [("at_limit.csv", 0), ("just_over.csv", 1),
                                            ("agreement_supplier.csv", 1)])
def test_components_exit_codes(file: str, code: int) -> None:
    result = run("components", str(BOM / file), "--as-of", "2026-03-20")
    assert result.exit_code == code, result.output
    assert "Verdict:" in result.stdout


def test_components_json_and_md() -> None:
    result = run("components", str(BOM / "just_over.csv"), "--as-of", "2026-03-20",
                 "--format", "json")
    payload = json.loads(result.stdout)
    assert payload["verdict"] == "fail" and payload["offending_lines"][0]["line"] == 3
    md = run("components", str(BOM / "agreement_supplier.csv"), "--as-of", "2026-03-20",
             "--format", "md")
    assert md.stdout.startswith("# Component origin check") and "not public" in md.stdout


def test_components_bad_rows_name_file_and_line() -> None:
    result = run("components", str(BOM / "bad_rows.csv"))
    assert result.exit_code == 2
    assert "bad_rows.csv:3" in result.output and "bom-country" in result.output
    assert "hint:" in result.output
