"""The sdpatlas command: every command, every format, exit codes, names, errors."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sdpatlas.cli import cli

from conftest import FIXTURE_DATA, REAL_DATA


def run(*args: str, data: Path = FIXTURE_DATA) -> Result:
    return CliRunner().invoke(cli, ["--data", str(data), *args], catch_exceptions=False)


LISTINGS = [
    ("matrix",), ("partners",), ("partner", "ALB"), ("areas",), ("area", "maritime"),
    ("compare", "ALB", "JPN"), ("timeline",), ("sources",), ("conflicts",),
]


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "md"])
@pytest.mark.parametrize("args", LISTINGS, ids=lambda a: a[0])
def test_every_listing_in_every_format(args: tuple[str, ...], fmt: str) -> None:
    result = run(*args, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    if fmt == "json":
        json.loads(result.stdout)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(result.stdout)))
        assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows)
    if fmt == "md":
        assert "|" in result.stdout or result.stdout.startswith("#")


def test_matrix_shows_symbols_totals_and_legend() -> None:
    out = run("matrix").stdout
    assert "✓" in out and "✗" in out and "exists" in out and "Legend" in out
    assert out.splitlines()[2].split() == ["#", "Area", "JPN", "ALB", "Total"]


def test_matrix_json_shape() -> None:
    payload = json.loads(run("matrix", "--format", "json").stdout)
    assert [p["code"] for p in payload["partners"]] == ["JPN", "ALB"]
    assert payload["cells"]["ALB"] == {"1": "yes", "2": "yes", "3": "no", "4": "already_exists"}
    assert [a["total"] for a in payload["areas"]] == [2, 1, 1, 1]


@pytest.mark.parametrize(("args", "expected"), [
    (("--group", "nato-ally"), ["ALB"]),
    (("--group", "NATO partners across the globe"), ["JPN"]),
    (("--partner", "albania"), ["ALB"]),
    (("--as-of", "2024-11-30"), ["JPN"]),
    (("--order", "name"), ["ALB", "JPN"]),
])
def test_matrix_filters(args: tuple[str, ...], expected: list[str]) -> None:
    payload = json.loads(run("matrix", *args, "--format", "json").stdout)
    assert [p["code"] for p in payload["partners"]] == expected


def test_matrix_area_and_cluster_filters() -> None:
    by_area = json.loads(run("matrix", "--area", "3", "--area", "cyber", "--format", "json").stdout)
    assert [a["id"] for a in by_area["areas"]] == [2, 3]
    by_cluster = json.loads(run("matrix", "--cluster", "domains", "--format", "json").stdout)
    assert [a["id"] for a in by_cluster["areas"]] == [3, 4]


def test_nothing_signed_by_then_is_bad_input() -> None:
    result = run("matrix", "--as-of", "2020-01-01")
    assert result.exit_code == 2 and "no signed partnership" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (("partner", "Albnia"), "did you mean Albania"),
    (("area", "maritme"), "did you mean"),
    (("matrix", "--group", "nato"), "unknown group"),
    (("matrix", "--cluster", "nope"), "unknown cluster"),
    (("compare", "ALB"), "at least two"),
    (("compare", "ALB", "AUS"), "no coded partnership"),
    (("matrix", "--as-of", "yesterday"), "Invalid value"),
    (("matrix", "--format", "xml"), "Invalid value"),
])
def test_bad_input_exits_2_with_a_helpful_message(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_compare_reports_shared_and_only() -> None:
    payload = json.loads(run("compare", "alb", "japan", "--format", "json").stdout)
    assert payload["shared"] == [1]
    assert payload["only"] == {"ALB": [2], "JPN": [3, 4]}
    diff = run("compare", "ALB", "JPN", "--differences", "--format", "csv").stdout
    assert [r[0] for r in csv.reader(io.StringIO(diff))][1:] == ["2", "3", "4"]


def test_partner_profile_lists_facts_with_sources() -> None:
    out = run("partner", "Shqipëria").stdout
    assert "Albania (ALB)" in out and "Kaja Kallas [news]" in out
    assert "150,000,000 NOK" in out and "Already exists (1)" in out
    prospective = run("partner", "AUS").stdout
    assert "negotiating" in prospective and "Areas of cooperation" not in prospective


def test_area_lists_who_covers_it() -> None:
    payload = json.loads(run("area", "4", "--format", "json").stdout)
    assert payload["partners"]["yes"] == ["JPN"]
    assert payload["partners"]["already_exists"] == ["ALB"]


def test_timeline_filters() -> None:
    rows = json.loads(run("timeline", "--partner", "AUS", "--format", "json").stdout)
    assert [r["category"] for r in rows] == ["partnership", "parliament"]
    early = json.loads(run("timeline", "--as-of", "2023-12-31", "--format", "json").stdout)
    assert [r["date"] for r in early] == ["2022-03-21", "2023-03-21"]


def test_sources_count_citations() -> None:
    rows = {r["id"]: r for r in json.loads(run("sources", "--format", "json").stdout)}
    assert rows["brief"]["cited"] > rows["news"]["cited"] > 0
    secondary = json.loads(run("sources", "--confidence", "secondary", "--format", "json").stdout)
    assert [r["id"] for r in secondary] == ["news"]


def test_conflicts_lists_every_claim() -> None:
    (conflict,) = json.loads(run("conflicts", "--format", "json").stdout)
    assert [c["value"] for c in conflict["claims"]] == ["2024-12-18", "2024-11-19"]


def test_validate_passes_and_lists_conflicts() -> None:
    result = run("validate")
    assert result.exit_code == 0
    assert "conflicting-claim" in result.stdout


def test_validate_fails_with_exit_1_and_json(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    (data / "partnerships" / "JPN.yaml").write_text("partner: [", encoding="utf-8")
    result = run("validate", "--format", "json", data=data)
    assert result.exit_code == 1
    (error,) = [f for f in json.loads(result.stdout) if f["severity"] == "error"]
    assert error["code"] == "yaml-syntax" and error["file"] == "data/partnerships/JPN.yaml"


def test_bad_data_exits_2_and_writes_no_database(tmp_path: Path, isolated_cache: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    (data / "sources.yaml").write_text("sources:\n  - id: brief\n  - id: brief\n", "utf-8")
    for args in (("matrix",), ("build", "--db", str(tmp_path / "out.sqlite"))):
        result = run(*args, data=data)
        assert result.exit_code == 2
        assert "data/sources.yaml:3" in result.stderr and "hint:" in result.stderr
    assert list(isolated_cache.iterdir()) == []
    assert not (tmp_path / "out.sqlite").exists()


def test_build_writes_a_database_where_asked(tmp_path: Path) -> None:
    result = run("build", "--db", str(tmp_path / "atlas.sqlite"))
    assert result.exit_code == 0
    assert Path(result.stdout.strip()) == (tmp_path / "atlas.sqlite").resolve()


def test_data_option_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDPATLAS_DATA", str(FIXTURE_DATA))
    result = CliRunner().invoke(cli, ["partners", "--format", "csv"])
    assert result.exit_code == 0 and result.stdout.count("\n") == 4
    missing = run("matrix", data=Path("/nonexistent/data"))
    assert missing.exit_code == 2 and "not a directory" in missing.stderr


@pytest.mark.parametrize(("name", "code"), [
    ("uk", "GBR"), ("United Kingdom", "GBR"), ("South Korea", "KOR"), ("RoK", "KOR"),
    ("north macedonia", "MKD"), ("NOR", "NOR"), ("moldova", "MDA"), ("Türkiye", "TUR"),
    ("turkey", "TUR"), ("iceland", "ISL"), ("korea", "KOR"), ("macedonia", "MKD"),
])
def test_real_names_and_aliases_resolve(name: str, code: str) -> None:
    payload = json.loads(run("partner", name, "--format", "json", data=REAL_DATA).stdout)
    assert payload["party"]["code"] == code


@pytest.mark.parametrize(("text", "area"), [("maritime", 15), ("space", 16), ("FIMI", 6),
                                            ("cultural-heritage", 25), ("23", 23)])
def test_areas_resolve_by_a_distinctive_word(text: str, area: int) -> None:
    payload = json.loads(run("area", text, "--format", "json", data=REAL_DATA).stdout)
    assert payload["area"]["id"] == area


def test_an_ambiguous_word_gets_suggestions() -> None:
    result = run("area", "security", data=REAL_DATA)
    assert result.exit_code == 2 and "16 (Space security)" in result.stderr


def test_real_questions() -> None:
    maritime = json.loads(run("area", "maritime security", "--format", "json",
                              data=REAL_DATA).stdout)
    assert sorted(maritime["partners"]["yes"]) == ["CAN", "GBR", "IND", "JPN", "KOR", "NOR"]
    diff = json.loads(run("compare", "India", "Japan", "--format", "json", data=REAL_DATA).stdout)
    assert diff["only"] == {"IND": [17, 19, 24, 26], "JPN": [6, 21]}


def test_version_and_help() -> None:
    assert "sdpatlas" in run("--version").stdout
    help_text = run("--help").stdout
    for command in ("matrix", "partners", "compare", "validate", "export"):
        assert command in help_text


def test_validate_checks_the_safe_rules_too(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(REAL_DATA, data)
    rules = data / "rules" / "safe.yaml"
    rules.write_text(rules.read_text("utf-8").replace("sources: [eurlex-safe-regulation]",
                                                      "sources: [no-such-source]", 1), "utf-8")
    result = run("validate", "--format", "json", data=data)
    assert result.exit_code == 1
    errors = [f for f in json.loads(result.stdout) if f["severity"] == "error"]
    assert [(f["code"], f["file"]) for f in errors] == [
        ("version-not-moved", "data/CHANGELOG.md"), ("unknown-source", "data/rules/safe.yaml")]


def test_sources_cited_only_by_rules_are_not_unused() -> None:
    result = run("validate", "--format", "json", data=REAL_DATA)
    assert result.exit_code == 0
    assert not [f for f in json.loads(result.stdout) if f["code"] == "unused-source"]
