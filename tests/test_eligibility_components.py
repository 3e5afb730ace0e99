"""The component-origin rule on bills of materials (tests/fixtures/bom/*.csv)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdpatlas.eligibility import BomError, RuleSet, check_components, load_rules, read_bom
from sdpatlas.model import Dataset

ROOT = Path(__file__).resolve().parents[1]
BOM = ROOT / "tests" / "fixtures" / "bom"
AFTER = dt.date(2026, 3, 20)


@pytest.fixture(scope="module")
def rules(real_data: Dataset) -> RuleSet:
    return load_rules(ROOT / "data", real_data)


@pytest.mark.parametrize(("file", "verdict", "share"), [
    ("at_limit.csv", "pass", "35.000"),
    ("just_over.csv", "fail", "35.001"),
    ("eea_efta_supplier.csv", "pass", "10.000"),
    ("ukraine_supplier.csv", "pass", "35.000"),
    ("agreement_supplier.csv", "depends-on-agreement", "45.000"),
    ("semicolons.csv", "pass", "34.950"),
])
def test_verdicts(real_data: Dataset, rules: RuleSet, file: str, verdict: str,
                  share: str) -> None:
    report = check_components(BOM / file, real_data, rules, AFTER)
    assert (report.verdict, str(report.share_percent)) == (verdict, share)
    assert report.passes is (verdict == "pass")


def test_just_over_names_the_line_that_pushes_it_over(real_data: Dataset,
                                                      rules: RuleSet) -> None:
    report = check_components(BOM / "just_over.csv", real_data, rules, AFTER)
    assert report.excess == Decimal("1.00")
    assert [(o.line, o.component, o.origin) for o in report.offenders] == [(3, "Radar", "USA")]
    assert report.offenders_cover_excess


def test_eea_efta_and_ukrainian_origins_count_as_european(real_data: Dataset,
                                                          rules: RuleSet) -> None:
    eea = check_components(BOM / "eea_efta_supplier.csv", real_data, rules, AFTER)
    assert {o.code: o.category for o in eea.origins} == {
        "DEU": "european", "NOR": "european", "ISL": "european", "USA": "third-country"}
    ukr = check_components(BOM / "ukraine_supplier.csv", real_data, rules, AFTER)
    assert {o.code: o.category for o in ukr.origins}["UKR"] == "european"
    assert ukr.suppliers_outside == (("TUR", 1),)


def test_a_participation_agreement_changes_what_counts(real_data: Dataset,
                                                       rules: RuleSet) -> None:
    with_agreement = check_components(BOM / "agreement_supplier.csv", real_data, rules, AFTER)
    assert with_agreement.agreement_cost == Decimal(300)
    assert str(with_agreement.share_without_agreement_percent) == "15.000"
    assert with_agreement.caveats[0].code == "agreement-component-share"
    assert "not public" in with_agreement.caveats[0].text
    before = check_components(BOM / "agreement_supplier.csv", real_data, rules,
                              dt.date(2025, 10, 1))
    assert before.verdict == "fail" and before.agreement_cost == 0 and not before.caveats


def test_bad_rows_are_named_by_file_and_line(real_data: Dataset, rules: RuleSet) -> None:
    with pytest.raises(BomError) as caught:
        check_components(BOM / "bad_rows.csv", real_data, rules, AFTER)
    found = [(f.code, f.line, f.field) for f in caught.value.findings]
    assert found == [("bom-country", 3, "origin"), ("bom-cost", 4, "cost"),
                     ("bom-cost", 5, "cost"), ("bom-cost", 6, "cost"),
                     ("bom-country", 7, "origin")]
    assert all(f.file.endswith("bad_rows.csv") for f in caught.value.findings)
    assert "negative" in caught.value.findings[1].message


def test_wrong_columns_and_empty_files(real_data: Dataset, rules: RuleSet,
                                       tmp_path: Path) -> None:
    with pytest.raises(BomError) as caught:
        check_components(BOM / "wrong_columns.csv", real_data, rules, AFTER)
    assert caught.value.findings[0].code == "bom-columns"
    assert "component, cost, origin" in caught.value.findings[0].message
    empty = tmp_path / "empty.csv"
    empty.write_text("component,cost,origin\nWasher,0,DEU\n", encoding="utf-8")
    with pytest.raises(BomError) as caught:
        check_components(empty, real_data, rules, AFTER)
    assert caught.value.findings[0].code == "bom-empty"
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"component,cost,origin\n\xff\xfe,1,DEU\n")
    with pytest.raises(BomError) as caught:
        check_components(binary, real_data, rules, AFTER)
    assert caught.value.findings[0].code == "bom-unreadable"


def test_problems_are_capped_but_counted(real_data: Dataset, rules: RuleSet,
                                         tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text("component,cost,origin\n" + "x,-1,DEU\n" * 80, encoding="utf-8")
    with pytest.raises(BomError) as caught:
        check_components(path, real_data, rules, AFTER)
    assert len(caught.value.findings) == 50 and caught.value.more == 30


def test_read_bom_streams_good_lines_then_raises(real_data: Dataset) -> None:
    lines = read_bom(BOM / "bad_rows.csv", real_data)
    assert next(lines).component == "Good line"
    with pytest.raises(BomError):
        list(lines)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(["DEU", "USA", "NOR", "CHN"])),
                min_size=1, max_size=30))
def test_verdict_matches_exact_arithmetic(real_data: Dataset, rules: RuleSet,
                                          tmp_path_factory: pytest.TempPathFactory,
                                          lines: list[tuple[int, str]]) -> None:
    total = sum(cost for cost, _ in lines)
    outside = sum(cost for cost, origin in lines if origin in {"USA", "CHN"})
    path = tmp_path_factory.mktemp("bom") / "bom.csv"
    path.write_text("component,cost,origin\n" + "".join(
        f"c{i},{cost},{origin}\n" for i, (cost, origin) in enumerate(lines)), encoding="utf-8")
    if total == 0:
        with pytest.raises(BomError):
            check_components(path, real_data, rules, AFTER)
        return
    report = check_components(path, real_data, rules, AFTER, top=30)
    assert report.passes is (outside * 100 <= 35 * total)
    if not report.passes:
        assert report.offenders_cover_excess
        kept = outside - sum(o.cost for o in report.offenders)
        assert kept * 100 <= 35 * total
