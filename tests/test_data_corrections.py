"""The audit's data corrections (issue 12, item 8), checked on the real data through the library."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sdpatlas.analysis import timeline
from sdpatlas.eligibility import load_rules
from sdpatlas.model import Confidence, Conflict, Coverage, Dataset, Partnership

ROOT = Path(__file__).resolve().parents[1]
SAFE_IN_FORCE = dt.date(2025, 5, 29)
TOOLS_AREA = 10
EMERGING_TECH_AREA = 26


def _conflict(data: Dataset, conflict_id: str) -> Conflict:
    found = [c for c in data.conflicts if c.id == conflict_id]
    assert len(found) == 1, f"conflict {conflict_id!r} not recorded exactly once"
    return found[0]


def _partnership(data: Dataset, code: str) -> Partnership:
    found = data.partnership(code)
    assert found is not None, f"no partnership with {code}"
    return found


def _treated_as_member_states(data: Dataset) -> set[str]:
    """Parties in SAFE by the Regulation itself on its first day: EEA EFTA States and Ukraine."""
    eea = {p.code for p in data.parties
           if any(m.group == "eea-efta" and m.active(SAFE_IN_FORCE) for m in p.memberships)}
    return eea | {"UKR"}


def test_compass_resolution_title_has_no_implementation_wording(real_data: Dataset) -> None:
    resolution = next(r for r in real_data.resolutions if str(r.date) == "2023-11-23")
    assert resolution.title == (
        "Resolution on the Strategic Compass and EU space-based defence capabilities")


def test_canada_is_first_associated_by_agreement_only(real_data: Dataset) -> None:
    summary = _partnership(real_data, "CAN").summary
    assert "associated with SAFE by agreement" in summary
    assert "formally associated" not in summary
    assert "29 May 2025" in summary
    for code in _treated_as_member_states(real_data):
        assert real_data.party(code).name in summary


def test_uk_summary_does_not_call_emerging_technologies_new(real_data: Dataset) -> None:
    gbr, kor = _partnership(real_data, "GBR"), _partnership(real_data, "KOR")
    assert kor.status_of(EMERGING_TECH_AREA) is Coverage.YES
    assert kor.signed is not None and gbr.signed is not None and kor.signed < gbr.signed
    assert "new ones" not in gbr.summary
    assert "Korea's SDP already covered" in gbr.summary


def test_norway_conflict_says_the_article_dates_the_signing_29_may(real_data: Dataset) -> None:
    conflict = _conflict(real_data, "norway-signature-date")
    assert conflict.preferred.value == str(_partnership(real_data, "NOR").signed)
    assert "publication" not in conflict.reason
    assert "state that the signing took" in conflict.reason
    other = next(c for c in conflict.claims if not c.preferred)
    assert other.value == "2024-05-29" and other.note and "29 May" in other.note


@pytest.mark.parametrize(("source_id", "confidence", "why"), [
    ("eu-countries", Confidence.UNVERIFIED, "did not read this page"),
    ("nato-member-countries", Confidence.UNVERIFIED, "did not read this page"),
    ("efta-2020-05-liechtenstein-eea", Confidence.VERIFIED, "archived copy"),
])
def test_sources_outside_the_fact_check_say_why_they_are_rated(
        real_data: Dataset, source_id: str, confidence: Confidence, why: str) -> None:
    source = real_data.source(source_id)
    assert source.confidence is confidence
    assert source.note and why in source.note


def test_every_eu_membership_keeps_a_verified_source(real_data: Dataset) -> None:
    memberships = [m for p in real_data.parties for m in p.memberships if m.group == "eu-member"]
    assert len(memberships) == 27
    for m in memberships:
        assert Confidence.VERIFIED in {real_data.source(s).confidence for s in m.sources}


def test_per_procurement_limit_is_rated_secondary(real_data: Dataset) -> None:
    rule = load_rules(ROOT / "data", real_data).components
    assert "each common procurement" in rule.description
    assert rule.confidence is Confidence.SECONDARY
    assert rule.note and "spokesperson" in rule.note
    assert Confidence.SECONDARY in {real_data.source(s).confidence for s in rule.sources}


def test_rearm_europe_is_presented_not_adopted(real_data: Dataset) -> None:
    rearm = next(i for i in real_data.instruments if i.id == "rearm-europe")
    assert rearm.adopted is None
    titles = [e.title for e in timeline(real_data) if "ReArm" in e.title]
    assert titles == ["Commission President presents the ReArm Europe plan"]
    conflict = _conflict(real_data, "rearm-europe-date")
    assert (conflict.entity, conflict.field) == ("milestone:rearm-europe-presented", "date")
    milestone = next(m for m in real_data.milestones if m.id == "rearm-europe-presented")
    assert conflict.preferred.value == str(milestone.date) == "2025-03-04"


NEW_CONFLICTS = [
    ("canada-first-safe-association", "First non-EU country associated with SAFE by agreement",
     "First non-EU country formally associated with SAFE"),
    ("iceland-sdp-safe-access", "No; Iceland had access as an EEA EFTA State",
     "Yes; the SDP would let Iceland take part in SAFE projects"),
    ("defence-tools-coverage", "not those with Japan, Korea and India", "All SDPs"),
    ("sdp-partner-signatory", "for Moldova, the Prime Minister",
     "The foreign and/or defence minister"),
    ("uk-safe-loans", "Participation of UK industry in SAFE common procurement",
     "The UK's preferential access to SAFE loans"),
]


@pytest.mark.parametrize(("conflict_id", "preferred", "rejected"), NEW_CONFLICTS)
def test_briefing_tensions_are_recorded(real_data: Dataset, conflict_id: str, preferred: str,
                                        rejected: str) -> None:
    conflict = _conflict(real_data, conflict_id)
    assert [c.preferred for c in conflict.claims].count(True) == 1
    assert preferred in conflict.preferred.value
    assert rejected in [c.value for c in conflict.claims if not c.preferred]
    assert conflict.reason.strip()
    rejected_claim = next(c for c in conflict.claims if c.value == rejected)
    assert "eprs-2026" in rejected_claim.sources
    for claim in conflict.claims:
        assert claim.sources and all(real_data.source(s) for s in claim.sources)


def test_albania_conflict_keeps_the_table_sources_line(real_data: Dataset) -> None:
    conflict = _conflict(real_data, "albania-signature-date")
    assert conflict.preferred.value == str(_partnership(real_data, "ALB").signed)
    rejected = {c.value for c in conflict.claims if not c.preferred}
    assert {"2024-11-19", "2024-11"} <= rejected


def test_the_three_without_defence_tools_are_those_the_conflict_names(real_data: Dataset) -> None:
    without = {p.partner for p in real_data.partnerships
               if p.status_of(TOOLS_AREA) is Coverage.NO}
    assert without == {"JPN", "KOR", "IND"}
    assert len([p for p in real_data.partnerships if p.status_of(TOOLS_AREA) is Coverage.YES]) == 6


def test_iceland_had_safe_access_before_its_sdp_talks(real_data: Dataset) -> None:
    assert "ISL" in _treated_as_member_states(real_data)
    launched = _partnership(real_data, "ISL").event("negotiations-launched")
    assert launched is not None and launched.date.earliest() > SAFE_IN_FORCE


def test_moldova_signatory_contradicts_the_briefing_wording(real_data: Dataset) -> None:
    roles = [s.role for s in _partnership(real_data, "MDA").signatories if s.side == "partner"]
    assert roles == ["Prime Minister"]


def test_only_member_states_borrow_and_the_uk_is_not_one(real_data: Dataset) -> None:
    borrowing = next(r for r in load_rules(ROOT / "data", real_data).rules
                     if r.id == "borrowing")
    assert borrowing.groups == ("eu-member",)
    gbr = real_data.party("GBR")
    assert not any(m.group == "eu-member" and m.active(dt.date(2026, 3, 1))
                   for m in gbr.memberships)
