"""The SAFE engine's logic on a small invented dataset, independent of the real facts.

The rules are the real ones (data/rules/safe.yaml): they are the product under test. The
parties, partnerships and milestones are invented so that every route and every stage of a
participation agreement is reached on known dates.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sdpatlas.eligibility import (
    Decision,
    Outcome,
    Route,
    RuleSet,
    UnknownCountry,
    evaluate,
    evaluate_all,
    load_rules,
)
from sdpatlas.model import (
    Commitment,
    Confidence,
    Dataset,
    Event,
    Group,
    Membership,
    Milestone,
    PartialDate,
    Partnership,
    PartnershipStatus,
    Party,
    Source,
)

ROOT = Path(__file__).resolve().parents[1]
D = PartialDate.parse
S = ("src-v",)


def _party(code: str, *groups: tuple[str, str | None, str | None]) -> Party:
    return Party(code, f"Land {code}", "country", "europe", memberships=tuple(
        Membership(g, S, D(since) if since else None, D(until) if until else None)
        for g, since, until in groups))


def _sdp(code: str, signed: str | None, *events: tuple[str, str],
         commitment: tuple[str, str | None] | None = None) -> Partnership:
    evs = ([Event("signed", D(signed), S)] if signed else []) + [
        Event(kind, D(day), S) for kind, day in events]
    evs.sort(key=lambda e: e.date.earliest())
    commitments = (Commitment("safe-participation-agreement", "SAFE agreement", commitment[0],
                              ("src-s",), D(commitment[1]) if commitment[1] else None),
                   ) if commitment else ()
    status = PartnershipStatus.SIGNED if signed else PartnershipStatus.NEGOTIATING
    return Partnership(code, status, f"EU–{code} SDP", "An invented SDP.", S, tuple(evs),
                       commitments=commitments)


def _dataset() -> Dataset:
    groups = tuple(Group(k, k.replace("-", " ").title(), "invented", S) for k in (
        "eu-member", "eea-efta", "efta", "eu-candidate", "eu-potential-candidate"))
    parties = (
        _party("MEM", ("eu-member", "1995-01-01", None)),
        _party("OUT", ("eu-member", "1973-01-01", "2020-02-01")),
        _party("EEA", ("eea-efta", "1994-01-01", None), ("efta", None, None)),
        _party("EFT", ("efta", None, None)),
        _party("UKR"),
        _party("CND", ("eu-candidate", "2010-12-17", None)),
        _party("POT", ("eu-potential-candidate", None, None)),
        _party("FUL"), _party("COL"), _party("UND"), _party("REQ"), _party("NEG"),
        _party("NON"), _party("MIL"), _party("SIG"),
    )
    partnerships = (
        _sdp("FUL", "2025-07-01", ("safe-mandate", "2025-09-01"),
             ("safe-negotiations-concluded", "2025-10-01"), ("safe-signed", "2025-11-01"),
             ("safe-ep-consent", "2025-12-01"), ("safe-concluded", "2026-01-01")),
        _sdp("COL", "2025-06-15", ("safe-mandate", "2025-09-01"),
             commitment=("collapsed", "2025-11-28")),
        _sdp("UND", "2025-06-23", commitment=("provisionally-applied", None)),
        _sdp("REQ", "2024-11-01", commitment=("requested", "2025-12-12")),
        _sdp("NEG", None, ("negotiations-launched", "2025-06-18")),
        _sdp("MIL", "2025-06-23"),
        _sdp("SIG", "2025-06-23", ("safe-signed", "2025-11-01")),
    )
    milestones = (
        Milestone("safe-mandates-uk-canada", D("2025-09-18"), "safe", "Mandate", "Mandate.",
                  ("src-v",), ("MIL",)),
        Milestone("later-step", D("2026-02-18"), "safe", "Reported", "Reported.",
                  ("src-s",), ("UND",)),
    )
    sources = (Source("src-v", "V", "I", "official", Confidence.VERIFIED),
               Source("src-s", "S", "I", "news", Confidence.SECONDARY))
    return Dataset((), (), groups, parties, partnerships, sources, milestones=milestones)


@pytest.fixture(scope="module")
def data() -> Dataset:
    return _dataset()


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules(ROOT / "data")


def _ask(data: Dataset, rules: RuleSet, code: str, day: str) -> Decision:
    return evaluate(data, rules, code, dt.date.fromisoformat(day))


# code, date, route, may_borrow, participation_agreement, counts as European
CASES = [
    ("MEM", "2026-01-01", "member_state", True, None, True),
    ("MEM", "2031-06-01", "member_state", False, None, True),   # loan requests ended 2030
    ("MEM", "2025-05-28", "none", False, None, False),          # SAFE not yet in force
    ("OUT", "2026-01-01", "none", False, None, False),          # left before SAFE
    ("EEA", "2026-01-01", "treated_as_member_state", False, None, True),
    ("UKR", "2026-01-01", "treated_as_member_state", False, None, True),
    ("EFT", "2026-01-01", "none", False, None, False),
    ("CND", "2026-01-01", "candidate", False, None, False),
    ("POT", "2026-01-01", "candidate", False, None, False),
    ("NEG", "2026-01-01", "none", False, None, False),
    ("NON", "2026-01-01", "none", False, None, False),
    ("FUL", "2025-06-30", "none", False, None, False),
    ("FUL", "2025-07-01", "sdp", False, None, False),
    ("FUL", "2025-09-01", "sdp", False, "negotiating", False),
    ("FUL", "2025-10-15", "sdp", False, "negotiations-concluded", False),
    ("FUL", "2025-11-15", "sdp", False, "provisionally-applied", False),
    ("FUL", "2025-12-15", "sdp", False, "consent-given", False),
    ("FUL", "2026-02-01", "sdp", False, "in-force", False),
    ("COL", "2025-10-01", "sdp", False, "negotiating", False),
    ("COL", "2025-11-28", "sdp", False, "collapsed", False),
    ("UND", "2026-01-01", "sdp", False, None, False),
    ("UND", "2026-03-01", "sdp", False, "provisionally-applied", False),
    ("REQ", "2025-12-01", "sdp", False, None, False),
    ("REQ", "2025-12-12", "sdp", False, "requested", False),
    ("MIL", "2025-10-01", "sdp", False, "negotiating", False),
]


@pytest.mark.parametrize(("code", "day", "route", "borrow", "agreement", "european"), CASES)
def test_routes_rights_and_agreement(data: Dataset, rules: RuleSet, code: str, day: str,
                                     route: str, borrow: bool, agreement: str | None,
                                     european: bool) -> None:
    d = _ask(data, rules, code, day)
    assert (d.route.value, d.may_borrow, d.participation_agreement,
            d.components_count_as_european) == (route, borrow, agreement, european)
    assert d.may_join_common_procurement is (d.route is not Route.NONE)


STAGES = ["mandate", "negotiation", "signature", "consent", "conclusion"]


@pytest.mark.parametrize(("day", "reached"), [
    ("2025-08-01", 0), ("2025-09-01", 1), ("2025-10-01", 2), ("2025-11-01", 3),
    ("2025-12-01", 4), ("2026-01-01", 5)])
def test_every_stage_is_dated_from_events(data: Dataset, rules: RuleSet, day: str,
                                          reached: int) -> None:
    d = _ask(data, rules, "FUL", day)
    assert [s.key for s in d.stages] == STAGES
    assert [s.reached for s in d.stages] == [i < reached for i in range(5)]
    assert all(s.date for s in d.stages if s.reached)
    assert len([m for m in d.missing if m.startswith("Participation agreement")]) == 5 - reached


@pytest.mark.parametrize(("day", "applies"), [("2025-10-15", False), ("2025-11-01", True),
                                              ("2026-02-01", True)])
def test_agreement_applies_from_signature(data: Dataset, rules: RuleSet, day: str,
                                          applies: bool) -> None:
    d = _ask(data, rules, "FUL", day)
    assert d.agreement_applies is applies
    has_caveat = any(c.code == "agreement-component-share" for c in d.caveats)
    assert has_caveat is applies


def test_collapsed_talks_keep_the_route_and_say_what_is_missing(data: Dataset,
                                                                 rules: RuleSet) -> None:
    d = _ask(data, rules, "COL", "2026-01-01")
    assert d.route is Route.SDP and not d.agreement_applies
    assert "collapsed on 2025-11-28" in d.missing[0]
    assert [s.reached for s in d.stages] == [True, False, False, False, False]


def test_undated_status_is_assumed_from_the_latest_dated_step(data: Dataset,
                                                              rules: RuleSet) -> None:
    d = _ask(data, rules, "UND", "2026-03-01")
    codes = {c.code for c in d.caveats}
    assert {"undated-status", "stage-dates-missing"} <= codes
    undated = next(c for c in d.caveats if c.code == "undated-status")
    assert "2026-02-18" in undated.text and undated.confidence is Confidence.UNVERIFIED
    signature = d.stages[2]
    assert signature.reached and signature.date is None
    assert d.stages[0].basis.startswith("implied by status")


def test_treated_as_member_state_needs_no_sdp_and_cannot_borrow(data: Dataset,
                                                                rules: RuleSet) -> None:
    d = _ask(data, rules, "EEA", "2026-01-01")
    steps = {s.rule: s for s in d.trace}
    assert steps["eea-efta-and-ukraine"].outcome is Outcome.PASS
    assert steps["borrowing"].outcome is Outcome.FAIL
    assert steps["participation-agreement"].outcome is Outcome.NOT_APPLICABLE
    assert d.missing == () and d.stages == ()
    ukr = _ask(data, rules, "UKR", "2026-01-01")
    fact = steps_of(ukr)["eea-efta-and-ukraine"].facts[0]
    assert "named by the provision" in fact.statement and fact.sources


def steps_of(d: Decision) -> dict[str, object]:
    return {s.rule: s for s in d.trace}


def test_efta_without_eea_is_explained(data: Dataset, rules: RuleSet) -> None:
    d = _ask(data, rules, "EFT", "2026-01-01")
    step = next(s for s in d.trace if s.rule == "efta-without-eea")
    assert step.outcome is Outcome.INFO and "not to the EEA" in step.reason
    assert "EFTA membership does not count" in d.missing[0]
    eea = next(s for s in _ask(data, rules, "EEA", "2026-01-01").trace
               if s.rule == "efta-without-eea")
    assert eea.outcome is Outcome.NOT_APPLICABLE


@pytest.mark.parametrize("code", ["CND", "POT", "FUL"])
def test_third_country_routes_carry_the_discretionary_security_caveat(
        data: Dataset, rules: RuleSet, code: str) -> None:
    d = _ask(data, rules, code, "2026-01-01")
    exclusion = next(c for c in d.caveats if c.code == "security-exclusion")
    assert exclusion.discretionary and d.may_join_common_procurement
    assert any(c.code == "member-states-agree" and not c.discretionary for c in d.caveats)


@pytest.mark.parametrize("code", ["MEM", "EEA", "UKR", "NON"])
def test_no_security_caveat_outside_third_country_routes(data: Dataset, rules: RuleSet,
                                                         code: str) -> None:
    caveats = _ask(data, rules, code, "2026-01-01").caveats
    assert all(c.code != "security-exclusion" for c in caveats)


def test_sdp_route_also_holds_for_a_treated_party_but_is_not_needed(rules: RuleSet) -> None:
    data = _dataset()
    eea = Partnership("EEA", PartnershipStatus.SIGNED, "SDP", "s", S,
                      (Event("signed", D("2026-03-18"), S),))
    data = Dataset((), (), data.groups, data.parties, (*data.partnerships, eea), data.sources,
                   milestones=data.milestones)
    d = _ask(data, rules, "EEA", "2026-04-01")
    step = next(s for s in d.trace if s.rule == "sdp-route")
    assert d.route is Route.TREATED_AS_MEMBER_STATE
    assert step.outcome is Outcome.PASS and "not needed" in step.reason


def test_before_safe_every_rule_is_out_of_force(data: Dataset, rules: RuleSet) -> None:
    d = _ask(data, rules, "MEM", "2025-01-01")
    assert d.missing[0].startswith("SAFE does not apply")
    assert {s.outcome for s in d.trace} <= {Outcome.NOT_IN_FORCE, Outcome.NOT_APPLICABLE}


def test_trace_follows_the_rules_file_and_cites_provisions(data: Dataset,
                                                           rules: RuleSet) -> None:
    d = _ask(data, rules, "CND", "2026-01-01")
    assert [s.rule for s in d.trace] == [r.id for r in rules.rules]
    assert all(s.provision and s.sources for s in d.trace)
    payload = d.as_dict()
    for key in ("country", "as_of", "may_borrow", "may_join_common_procurement", "route",
                "participation_agreement", "missing", "caveats", "trace"):
        assert key in payload
    assert payload["as_of"] == "2026-01-01"


def test_confidence_is_the_weakest_of_what_decided(data: Dataset, rules: RuleSet) -> None:
    assert _ask(data, rules, "MEM", "2026-01-01").confidence is Confidence.VERIFIED
    assert _ask(data, rules, "MEM", "2031-06-01").confidence is Confidence.SECONDARY


def test_unknown_code_and_all(data: Dataset, rules: RuleSet) -> None:
    with pytest.raises(UnknownCountry, match="ZZZ"):
        _ask(data, rules, "ZZZ", "2026-01-01")
    every = evaluate_all(data, rules, dt.date(2026, 1, 1))
    assert [d.country for d in every] == [p.code for p in data.parties]


def test_a_later_stage_implies_the_earlier_ones(data: Dataset, rules: RuleSet) -> None:
    d = _ask(data, rules, "SIG", "2025-12-01")
    assert [s.reached for s in d.stages] == [True, True, True, False, False]
    assert d.stages[0].basis == "implied by a later stage" and d.stages[2].date == "2025-11-01"
    assert d.participation_agreement == "provisionally-applied" and d.agreement_applies
