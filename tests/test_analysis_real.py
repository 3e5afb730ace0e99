"""The briefing's comparative findings, computed from the real data and asserted."""

from __future__ import annotations

import datetime as dt

import pytest

from sdpatlas import analysis
from sdpatlas.model import Coverage, Dataset, PartnershipStatus


@pytest.fixture(scope="module")
def result(real_data: Dataset) -> analysis.Analysis:
    return analysis.analyse(real_data)


def test_statistics_rest_on_the_assessed_signed_partnerships(
        result: analysis.Analysis, real_data: Dataset) -> None:
    signed = {p.partner for p in real_data.partnerships
              if p.status is PartnershipStatus.SIGNED}
    unassessed = {p.partner for p in real_data.partnerships
                  if p.status is PartnershipStatus.SIGNED and not p.assessed}
    assert set(result.profiles.partners) == signed - unassessed
    assert set(result.profiles.excluded) == unassessed
    assert "ISL" in result.profiles.excluded
    assert result.profiles.n == 9


def test_the_common_core(result: analysis.Analysis) -> None:
    assert result.areas.core == (1, 2, 3, 4, 7, 8, 9, 11, 13, 20)


def test_albania_and_north_macedonia_have_identical_profiles(
        result: analysis.Analysis) -> None:
    assert any(set(group) == {"ALB", "MKD"} for group in result.identical)
    assert result.similarity.score("ALB", "MKD") == 1.0


def test_rare_areas(result: analysis.Analysis) -> None:
    rare = {s.area: set(s.covered_by) for s in result.areas.rare}
    assert rare[23] == {"KOR"}
    assert rare[25] == {"ALB", "MKD"}
    assert result.tailored["KOR"][0].area == 23


def test_india_is_the_only_sdp_without_stratcom(result: analysis.Analysis) -> None:
    share = next(s for s in result.areas.shares if s.area == 6)
    missing = set(result.profiles.partners) - set(share.covered_by)
    assert missing == {"IND"}
    assert 6 in [d.area for d in result.omissions["IND"]]


def test_defence_tools_omitted_by_the_indo_pacific_partners(
        result: analysis.Analysis) -> None:
    share = next(s for s in result.areas.shares if s.area == 10)
    assert set(result.profiles.partners) - set(share.covered_by) == {"JPN", "KOR", "IND"}
    for code in ("JPN", "KOR", "IND"):
        assert 10 in [d.area for d in result.omissions[code]]


def test_defence_tools_contrast_between_european_and_indo_pacific_partners(
        result: analysis.Analysis) -> None:
    contrast = result.contrast("europe-vs-indo-pacific")
    assert contrast is not None
    assert set(contrast.a.members) == {"MDA", "NOR", "MKD", "ALB", "GBR"}
    assert set(contrast.b.members) == {"JPN", "KOR", "IND"}
    row = contrast.area(10)
    assert (row.a_covered, row.a_of, row.b_covered, row.b_of) == (5, 5, 0, 3)
    assert row.p_value == pytest.approx(1 / 56, rel=1e-9)  # one table in C(8,3) = 56


def test_groups_come_from_memberships(result: analysis.Analysis) -> None:
    groups = {g.group.key: set(g.group.members) for g in result.groups}
    assert groups["nato-ally"] == {"NOR", "MKD", "ALB", "GBR", "CAN"}
    assert groups["eu-candidate"] == {"MDA", "MKD", "ALB"}
    assert groups["eea-efta"] == {"NOR"}
    assert groups["nato-global-partner"] == {"JPN", "KOR"}
    assert groups["non-european"] == {"JPN", "KOR", "CAN", "IND"}


def test_consistency_explains_every_assessed_partnership(result: analysis.Analysis) -> None:
    rows = {c.partner: c for c in result.consistency}
    assert set(rows) == set(result.profiles.partners)
    assert rows["JPN"].code == "different-unit"
    assert rows["KOR"].declared == 15
    assert all(c.explanation for c in rows.values())


def test_evolution_keeps_the_core_and_first_appearances(result: analysis.Analysis) -> None:
    steps = result.evolution.steps
    assert steps[-1].core == len(result.areas.core)
    assert steps[-1].cumulative == 26
    first = {f.area: f for f in result.evolution.first}
    assert first[23].partners == ("KOR",)
    assert [s.signed for s in steps] == sorted(s.signed for s in steps)


def test_as_of_before_india_signed(real_data: Dataset) -> None:
    before = analysis.analyse(real_data, dt.date(2025, 12, 31))
    assert "IND" not in before.profiles.partners
    assert before.profiles.n == 8
    assert 6 in before.areas.core


def test_iceland_is_the_natural_target_of_the_predictor(result: analysis.Analysis) -> None:
    (iceland,) = [x for x in result.prospects if x.partner == "ISL"]
    assert iceland.neighbours[0].partner == "NOR"
    assert iceland.neighbours[0].weight == 1.0
    assert not iceland.fallback
    assert set(result.areas.core) <= set(iceland.likely_areas)
    assert all(a.actual is Coverage.UNKNOWN for a in iceland.areas)


def test_leave_one_out_over_the_nine(result: analysis.Analysis) -> None:
    e = result.evaluation
    assert len(e.scores) == 9
    assert e.cells == 9 * 26
    assert 0.5 < e.accuracy <= 1.0
