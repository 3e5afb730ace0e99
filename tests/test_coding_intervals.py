"""Bootstrap intervals for micro- and macro-F1, resampled by source document."""

from __future__ import annotations

import pytest

from sdpatlas.coding.intervals import f1_intervals

AREAS = (1, 2, 3)


def sets(*items: tuple[int, ...]) -> list[frozenset[int]]:
    return [frozenset(i) for i in items]


def test_perfect_predictions_give_a_point_interval() -> None:
    gold = sets((1,), (2,), (1, 3), ())
    micro, macro = f1_intervals(gold, gold, ["a", "b", "c", "d"], AREAS, resamples=200)
    assert (micro.low, micro.high) == (1.0, 1.0) and (macro.low, macro.high) == (1.0, 1.0)


def test_the_interval_contains_the_estimate_and_is_seeded() -> None:
    gold = sets(*[(1,)] * 20, *[(2,)] * 20)
    said = sets(*[(1,)] * 15, *[()] * 5, *[(2,)] * 10, *[(1,)] * 10)
    groups = [str(i) for i in range(40)]
    micro, _ = f1_intervals(gold, said, groups, AREAS, resamples=500, seed=3)
    point = 2 * 25 / (2 * 25 + 10 + 15)
    assert micro.low < point < micro.high
    assert f1_intervals(gold, said, groups, AREAS, resamples=500, seed=3)[0] == micro


def test_resampling_whole_documents_widens_the_interval() -> None:
    gold = sets(*[(1,)] * 40)
    said = sets(*[(1,)] * 20, *[()] * 20)
    alone = f1_intervals(gold, said, [str(i) for i in range(40)], AREAS, resamples=800)[0]
    grouped = f1_intervals(gold, said, ["good"] * 20 + ["bad"] * 20, AREAS, resamples=800)[0]
    assert grouped.high - grouped.low > alone.high - alone.low


def test_lengths_must_agree() -> None:
    with pytest.raises(ValueError, match="one entry per passage"):
        f1_intervals(sets((1,)), sets((1,), ()), ["a"], AREAS)
