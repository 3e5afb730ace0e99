"""The SAFE engine on the real dataset: the cases the issue names, written out by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sdpatlas.eligibility import (
    Decision,
    Outcome,
    RuleSet,
    evaluate,
    evaluate_all,
    load_rules,
    validate_rules,
)
from sdpatlas.findings import Severity
from sdpatlas.model import Dataset

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def rules(real_data: Dataset) -> RuleSet:
    return load_rules(ROOT / "data", real_data)


def test_rules_validate_against_the_real_data(real_data: Dataset) -> None:
    problems = validate_rules(ROOT / "data", real_data)
    assert [str(p) for p in problems if p.severity is Severity.ERROR] == []


def _ask(data: Dataset, rules: RuleSet, code: str, day: str) -> Decision:
    return evaluate(data, rules, code, dt.date.fromisoformat(day))


# code, date, route, may_borrow, participation agreement (None: none recorded)
CASES = [
    ("FRA", "2026-03-01", "member_state", True, None),
    ("POL", "2025-06-01", "member_state", True, None),
    ("NOR", "2026-03-01", "treated_as_member_state", False, None),
    ("ISL", "2025-06-01", "treated_as_member_state", False, None),   # before its SDP
    ("ISL", "2026-04-01", "treated_as_member_state", False, None),   # after its SDP
    ("LIE", "2026-03-01", "treated_as_member_state", False, None),
    ("CHE", "2026-03-01", "none", False, None),
    ("UKR", "2026-03-01", "treated_as_member_state", False, None),
    ("TUR", "2026-03-01", "candidate", False, None),
    ("MNE", "2026-03-01", "candidate", False, None),
    ("XKX", "2026-03-01", "candidate", False, None),
    ("GBR", "2025-05-18", "none", False, None),
    ("GBR", "2025-06-01", "sdp", False, None),
    ("GBR", "2025-10-01", "sdp", False, "negotiating"),
    ("GBR", "2025-11-28", "sdp", False, "collapsed"),
    ("GBR", "2026-03-01", "sdp", False, "collapsed"),
    ("CAN", "2025-06-22", "none", False, None),
    ("CAN", "2025-07-01", "sdp", False, None),
    ("CAN", "2025-10-01", "sdp", False, "negotiating"),
    ("CAN", "2026-03-20", "sdp", False, "provisionally-applied"),
    ("JPN", "2026-03-01", "sdp", False, "requested"),
    ("KOR", "2026-03-01", "sdp", False, "requested"),
    ("IND", "2026-01-26", "none", False, None),
    ("IND", "2026-01-27", "sdp", False, None),
    ("AUS", "2026-03-01", "none", False, None),
    ("USA", "2026-03-01", "none", False, None),
]


@pytest.mark.parametrize(("code", "day", "route", "borrow", "agreement"), CASES)
def test_issue_cases(real_data: Dataset, rules: RuleSet, code: str, day: str, route: str,
                     borrow: bool, agreement: str | None) -> None:
    d = _ask(real_data, rules, code, day)
    assert (d.route.value, d.may_borrow, d.participation_agreement) == (route, borrow, agreement)


def test_canada_after_its_agreement_has_more(real_data: Dataset, rules: RuleSet) -> None:
    before = _ask(real_data, rules, "CAN", "2025-07-01")
    after = _ask(real_data, rules, "CAN", "2026-03-20")
    assert not before.agreement_applies and after.agreement_applies
    assert len(after.missing) < len(before.missing)
    assert [s.key for s in after.stages if not s.reached] == ["consent", "conclusion"]
    assert any(c.code == "agreement-component-share" for c in after.caveats)


def test_uk_after_collapse_keeps_the_sdp_route_only(real_data: Dataset, rules: RuleSet) -> None:
    d = _ask(real_data, rules, "GBR", "2025-12-01")
    assert d.may_join_common_procurement and not d.agreement_applies
    assert "collapsed on 2025-11-28" in d.missing[0]


def test_switzerland_says_why(real_data: Dataset, rules: RuleSet) -> None:
    d = _ask(real_data, rules, "CHE", "2026-03-01")
    step = next(s for s in d.trace if s.rule == "efta-without-eea")
    assert step.outcome is Outcome.INFO and "EEA" in step.reason
    assert any(f.sources for f in step.facts)


def test_ukraine_cannot_borrow(real_data: Dataset, rules: RuleSet) -> None:
    d = _ask(real_data, rules, "UKR", "2026-03-01")
    assert d.may_join_common_procurement and not d.may_borrow and d.components_count_as_european


def test_turkiye_security_exclusion_is_discretionary(real_data: Dataset, rules: RuleSet) -> None:
    d = _ask(real_data, rules, "TUR", "2026-03-01")
    caveat = next(c for c in d.caveats if c.code == "security-exclusion")
    assert caveat.discretionary and d.may_join_common_procurement
    agreement = next(s for s in d.trace if s.rule == "participation-agreement")
    assert any("milestone" in f.statement and f.sources for f in agreement.facts)


def test_every_party_gets_an_answer(real_data: Dataset, rules: RuleSet) -> None:
    every = evaluate_all(real_data, rules, dt.date(2026, 3, 20))
    assert len(every) == len(real_data.parties)
    members = [d for d in every if d.route.value == "member_state"]
    assert len(members) == 27 and all(d.may_borrow for d in members)


@pytest.mark.parametrize("day", ["2025-07-01", "2025-10-01", "2026-01-10", "2026-03-20"])
def test_the_database_gives_the_same_answers_as_the_yaml(real_data: Dataset, rules: RuleSet,
                                                          day: str) -> None:
    from sdpatlas.store import open_dataset

    stored = open_dataset(ROOT / "data")[0]
    on = dt.date.fromisoformat(day)
    assert [d.as_dict() for d in evaluate_all(stored, rules, on)] == [
        d.as_dict() for d in evaluate_all(real_data, rules, on)]
