"""The comparative analysis on small hand-made datasets: ties, empty groups, a single
partner, a partner with everything unknown."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from synthetic import Spec, make

from sdpatlas import analysis
from sdpatlas.model import Coverage

ON = dt.date(2026, 1, 1)

# Five partners over six areas. Area 1 is common to all; area 6 only D has;
# B and C are identical; E is signed but unassessed; F is still negotiating.
FIVE = [
    Spec("A", "YYYNNN", "europe", ("nato-ally", "eu-candidate"), "2024-01-10", (3, "areas")),
    Spec("B", "YYNYNN", "europe", ("nato-ally",), "2024-03-01", (5, "areas")),
    Spec("C", "YYNYNN", "indo-pacific", ("nato-global-partner",), "2024-03-01", (2, "themes")),
    Spec("D", "YNNYYY", "indo-pacific", ("nato-global-partner",), "2025-01-01"),
    Spec("E", "??????", "europe", ("nato-ally",), "2025-06-01"),
    Spec("F", "", "europe", ("nato-ally",), None),
]


@pytest.fixture(scope="module")
def five() -> analysis.Analysis:
    return analysis.analyse(make(FIVE), ON)


def test_the_public_api_is_exported() -> None:
    for name in analysis.__all__:
        assert hasattr(analysis, name), name
    for old in ("matrix", "compare", "ORDERS", "PRIMARY_GROUPS", "Matrix", "timeline",
                "area_coverage", "source_usage", "primary_group"):
        assert old in analysis.__all__


def test_unassessed_partners_are_excluded_and_predicted(five: analysis.Analysis) -> None:
    p = five.profiles
    assert p.partners == ("A", "B", "C", "D")
    assert p.excluded == ("E",)
    assert [x.partner for x in five.prospects] == ["E"]
    assert all(f.partner != "E" for f in five.consistency)


def test_core_near_core_rare_and_uncovered(five: analysis.Analysis) -> None:
    a = five.areas
    assert a.n == 4
    assert a.core == (1,)
    assert a.k == 3
    assert [(s.area, s.count) for s in a.near_core] == [(2, 3), (4, 3)]
    assert [(s.area, s.covered_by) for s in a.rare] == [(3, ("A",)), (5, ("D",)),
                                                         (6, ("D",))]
    assert a.uncovered == ()


def test_near_core_threshold_and_validation() -> None:
    p = analysis.profiles(make(FIVE), ON)
    assert [s.area for s in analysis.core_areas(p, near=2).near_core] == [2, 4]
    with pytest.raises(ValueError, match="at least 1"):
        analysis.core_areas(p, near=0)
    with pytest.raises(ValueError, match="rare_max"):
        analysis.core_areas(p, rare_max=0)


def test_tailored_and_omissions_are_ranked_with_ties_by_area(five: analysis.Analysis) -> None:
    assert [(d.area, d.count) for d in five.tailored["D"]] == [(5, 1), (6, 1)]
    assert [d.area for d in five.tailored["A"]] == [3]
    assert [(d.area, d.count) for d in five.omissions["D"]] == [(2, 3)]
    assert [(d.area, d.count) for d in five.omissions["A"]] == [(4, 3)]
    assert five.tailored["B"] == ()


def test_already_exists_is_not_an_omission() -> None:
    data = make([Spec("A", "YE"), Spec("B", "YY"), Spec("C", "YY")])
    result = analysis.analyse(data, ON)
    assert result.omissions["A"] == ()
    assert result.identical == (("B", "C"),)


def test_ties_in_similarity_list_every_nearest(five: analysis.Analysis) -> None:
    sim = five.similarity
    assert sim.score("B", "C") == 1.0
    assert five.identical == (("B", "C"),)
    nearest = {n.partner: n for n in sim.nearest()}
    assert nearest["A"].nearest == ("B", "C")
    assert nearest["A"].jaccard == pytest.approx(2 / 4)
    pair = sim.pair("A", "D")
    assert (pair.shared, pair.either, pair.hamming, pair.compared) == (1, 6, 5, 6)
    assert pair.jaccard == pytest.approx(1 / 6)
    pairs = sim.pairs()
    assert (pairs[0].a, pairs[0].b) == ("B", "C")
    assert len(pairs) == 6
    assert [p.jaccard for p in pairs] == sorted((p.jaccard for p in pairs), reverse=True)


def test_hamming_skips_areas_either_side_has_not_coded() -> None:
    result = analysis.analyse(make([Spec("A", "YY?N"), Spec("B", "YNYY")]), ON)
    pair = result.similarity.pair("A", "B")
    assert (pair.compared, pair.hamming) == (3, 2)


def test_clustering_joins_identical_profiles_first(five: analysis.Analysis) -> None:
    tree = five.clustering
    merges = tree.merges()
    assert (merges[0].left, merges[0].right, merges[0].distance) == (("B",), ("C",), 0.0)
    assert len(merges) == 3
    assert sorted(tree.leaves) == ["A", "B", "C", "D"]
    assert ("B", "C") in tree.flat(0.0)
    assert len(tree.flat(1.0)) == 1


def test_group_coverage_lists_empty_groups_with_zero_counts(five: analysis.Analysis) -> None:
    groups = {g.group.key: g for g in five.groups}
    assert groups["eu-member"].group.members == ()
    assert all((y, n) == (0, 0) for _, y, n in groups["eu-member"].counts)
    assert groups["nato-ally"].group.members == ("A", "B")
    assert groups["region:indo-pacific"].group.members == ("C", "D")
    assert groups["non-european"].group.members == ("C", "D")


def test_contrasts_skip_empty_sides_and_carry_exact_counts(five: analysis.Analysis) -> None:
    keys = {c.key for c in five.contrasts}
    assert "eu-member-vs-others" not in keys
    assert "nato-ally-vs-others" in keys
    assert "europe-vs-indo-pacific" in keys
    row = five.contrast("europe-vs-indo-pacific").area(2)  # type: ignore[union-attr]
    assert (row.a_covered, row.a_of, row.b_covered, row.b_of) == (2, 2, 1, 2)
    assert row.p_value == pytest.approx(1.0)
    assert row.q_value >= row.p_value


@pytest.mark.parametrize(("table", "expected"), [
    ((5, 0, 0, 3), 1 / 56),
    ((3, 0, 0, 3), 0.1),
    ((1, 1, 1, 1), 1.0),
    ((0, 0, 2, 3), 1.0),
])
def test_fisher_p_values_are_exact(table: tuple[int, int, int, int], expected: float) -> None:
    assert analysis.fisher_p(*table) == pytest.approx(expected, rel=1e-12)


def test_consistency_codes_follow_the_numbers(five: analysis.Analysis) -> None:
    rows = {c.partner: c for c in five.consistency}
    assert (rows["A"].code, rows["A"].difference) == ("same-count", 0)
    assert (rows["B"].code, rows["B"].difference) == ("coarser-taxonomy", -2)
    assert rows["C"].code == "different-unit"
    assert rows["D"].code == "not-declared"
    assert rows["D"].difference is None
    data = make([Spec("A", "YYYE", declared=(4, "areas")), Spec("B", "YYYYYN",
                                                               declared=(3, "areas"))])
    more = {c.partner: c for c in analysis.analyse(data, ON).consistency}
    assert more["A"].code == "same-with-existing"
    assert more["B"].code == "finer-taxonomy"
    assert "2 more" in more["B"].explanation
    assert set(analysis.CONSISTENCY_CODES) >= {c.code for c in five.consistency}


def test_evolution_by_signature_date(five: analysis.Analysis) -> None:
    steps = five.evolution.steps
    assert [s.partner for s in steps] == ["A", "B", "C", "D"]
    assert steps[0].new_areas == (1, 2, 3)
    assert steps[1].new_areas == (4,)
    assert steps[2].new_areas == (4,)  # signed the same day as B
    assert [s.cumulative for s in steps] == [3, 4, 4, 6]
    assert [s.core for s in steps] == [3, 2, 2, 1]
    first = {f.area: f for f in five.evolution.first}
    assert first[4].partners == ("B", "C")
    assert first[6].date == dt.date(2025, 1, 1)


def test_as_of_cuts_partners_and_findings() -> None:
    result = analysis.analyse(make(FIVE), dt.date(2024, 6, 30))
    assert result.profiles.partners == ("A", "B", "C")
    assert result.as_of == dt.date(2024, 6, 30)
    assert result.areas.core == (1, 2)
    assert result.profiles.excluded == ()


def test_predictor_leans_on_partners_sharing_groups_and_region(
        five: analysis.Analysis) -> None:
    pred = five.prospects[0]
    assert pred.partner == "E"
    assert not pred.assessed
    assert [n.partner for n in pred.neighbours] == ["B", "A"]
    assert pred.neighbours[0].shared == ("group:nato-ally", "region:europe")
    by_area = {a.area: a for a in pred.areas}
    assert by_area[1].probability == pytest.approx(1.0)
    assert by_area[1].likely
    assert by_area[6].probability < 0.5
    assert all(0.0 <= a.probability <= 1.0 for a in pred.areas)
    assert all(a.actual is Coverage.UNKNOWN for a in pred.areas)


def test_predictor_falls_back_to_base_rates_without_shared_features() -> None:
    data = make([Spec("A", "YN", "europe"), Spec("B", "YY", "europe"),
                 Spec("Z", "??", "other", signed="2025-01-01")])
    pred = analysis.analyse(data, ON).prospects[0]
    assert pred.fallback
    assert [round(a.probability, 3) for a in pred.areas] == [1.0, 0.5]


def test_leave_one_out_matches_predicting_each_partner(five: analysis.Analysis) -> None:
    data = make(FIVE)
    p = five.profiles
    for score in five.evaluation.scores:
        pred = analysis.predict(data, p, score.partner)
        assert pred.assessed
        rows = [(a.likely, a.actual is Coverage.YES) for a in pred.areas]
        assert score.correct == sum(x == y for x, y in rows)
        expected = sum((a.probability - (a.actual is Coverage.YES)) ** 2
                       for a in pred.areas) / len(rows)
        assert score.brier == pytest.approx(expected)
    e = five.evaluation
    assert e.cells == 24
    assert 0.0 <= e.accuracy <= 1.0
    assert 0.0 <= e.baseline_accuracy <= 1.0


def test_single_partner() -> None:
    result = analysis.analyse(make([Spec("A", "YNY")]), ON)
    assert result.areas.core == (1, 3)
    assert result.areas.near_core == ()
    assert result.areas.rare == ()
    assert result.tailored["A"] == ()
    assert result.omissions["A"] == ()
    assert result.similarity.nearest() == ()
    assert result.similarity.pairs() == ()
    assert result.clustering.merges() == ()
    assert result.contrasts == ()
    assert result.evaluation.scores == ()
    assert result.evaluation.accuracy == 0.0


def test_only_unassessed_partners() -> None:
    result = analysis.analyse(make([Spec("A", "???"), Spec("B", "???")]), ON)
    assert result.profiles.n == 0
    assert result.profiles.excluded == ("A", "B")
    assert result.areas.core == ()
    assert result.areas.uncovered == (1, 2, 3)
    assert result.evolution.steps == ()
    assert all(p.fallback for p in result.prospects)
    assert all(a.probability == 0.0 for p in result.prospects for a in p.areas)


def test_partially_unknown_cells_leave_the_denominator() -> None:
    result = analysis.analyse(make([Spec("A", "Y?"), Spec("B", "YY"), Spec("C", "YY")]), ON)
    shares = {s.area: s for s in result.areas.shares}
    assert (shares[2].count, shares[2].of) == (2, 2)
    assert result.areas.core == (1,)
    assert result.omissions["A"] == ()


def test_partner_and_area_findings(five: analysis.Analysis) -> None:
    found = analysis.partner_findings(five, "B")
    assert found is not None
    assert found.identical_with == ("C",)
    assert found.nearest is not None and found.nearest.nearest == ("C",)
    assert analysis.partner_findings(five, "E") is None
    area = analysis.area_findings(five, 1)
    assert area.standing == "core"
    assert analysis.area_findings(five, 6).standing == "rare"
    assert analysis.area_findings(five, 2).standing == "near-core"
    assert area.contrasts == tuple(sorted(area.contrasts,
                                          key=lambda cr: (cr[1].p_value, cr[0].key)))
    with pytest.raises(KeyError):
        analysis.area_findings(five, 99)


def test_default_near_is_three_quarters_rounded_up() -> None:
    assert [analysis.default_near(n) for n in (0, 1, 4, 9, 10)] == [1, 1, 3, 7, 8]
    assert analysis.default_near(9) == math.ceil(0.75 * 9)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 40), st.integers(0, 40), st.integers(0, 40), st.integers(0, 40))
def test_fisher_p_agrees_with_scipy(a_yes: int, a_no: int, b_yes: int, b_no: int) -> None:
    from scipy.stats import fisher_exact

    expected = fisher_exact([[a_yes, a_no], [b_yes, b_no]], alternative="two-sided").pvalue
    assert analysis.fisher_p(a_yes, a_no, b_yes, b_no) == pytest.approx(
        min(1.0, float(expected)), rel=1e-9, abs=1e-15)


def test_fisher_p_handles_large_tables() -> None:
    from scipy.stats import fisher_exact

    table = (420, 80, 300, 200)
    expected = float(fisher_exact([[420, 80], [300, 200]]).pvalue)
    assert analysis.fisher_p(*table) == pytest.approx(expected, rel=1e-6)
