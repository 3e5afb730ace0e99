"""Bootstrap confidence intervals for micro- and macro-F1.

Passages are resampled by the source document they come from (or one by one when they name
none): sentences of one document share its wording, so resampling them independently would
make the intervals too narrow. The resampling is seeded, so a figure can be reproduced.
numpy is imported on first use, so that coding a document does not pay for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    import numpy
    import numpy.typing as npt

    _Counts: TypeAlias = npt.NDArray[numpy.float64]

__all__ = ["DEFAULT_RESAMPLES", "Interval", "f1_intervals"]

DEFAULT_RESAMPLES = 1000


@dataclass(frozen=True)
class Interval:
    """A percentile bootstrap interval."""

    low: float
    high: float
    level: float = 0.95


def f1_intervals(gold: Sequence[frozenset[int]], predicted: Sequence[frozenset[int]],
                 groups: Sequence[str], areas: Sequence[int],
                 resamples: int = DEFAULT_RESAMPLES, seed: int = 0,
                 level: float = 0.95) -> tuple[Interval, Interval]:
    """Micro- and macro-F1 intervals, resampling whole groups (source documents)."""
    import numpy as np

    if not len(gold) == len(predicted) == len(groups):
        raise ValueError("gold, predicted and groups must have one entry per passage")
    tp, fp, fn = _group_counts(gold, predicted, groups, areas)
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(len(tp), np.full(len(tp), 1.0 / len(tp)), size=resamples)
    tps, fps, fns = weights @ tp, weights @ fp, weights @ fn
    micro = _ratio(2 * tps.sum(axis=1), 2 * tps.sum(axis=1) + fps.sum(axis=1) + fns.sum(axis=1))
    scored = (tps + fps + fns) > 0
    per_area = np.divide(2 * tps, 2 * tps + fps + fns, out=np.zeros_like(tps), where=scored)
    macro = _ratio(per_area.sum(axis=1), scored.sum(axis=1).astype(np.float64))
    tail = (1.0 - level) / 2 * 100
    return (Interval(*_percentiles(micro, tail), level),
            Interval(*_percentiles(macro, tail), level))


def _group_counts(gold: Sequence[frozenset[int]], predicted: Sequence[frozenset[int]],
                  groups: Sequence[str], areas: Sequence[int]) -> tuple[_Counts, _Counts, _Counts]:
    import numpy as np

    index = {g: i for i, g in enumerate(dict.fromkeys(groups))}
    column = {a: j for j, a in enumerate(areas)}
    shape = (len(index), len(areas))
    tp, fp, fn = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    for truth, said, group in zip(gold, predicted, groups, strict=True):
        row = index[group]
        for area in truth | said:
            if area not in column:
                continue
            target = tp if area in truth and area in said else fn if area in truth else fp
            target[row, column[area]] += 1
    return tp, fp, fn


def _ratio(top: _Counts, bottom: _Counts) -> _Counts:
    import numpy as np

    return np.divide(top, bottom, out=np.zeros_like(top), where=bottom > 0)


def _percentiles(values: _Counts, tail: float) -> tuple[float, float]:
    import numpy as np

    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)
