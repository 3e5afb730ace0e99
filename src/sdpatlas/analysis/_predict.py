"""The likely profile of a prospective partner, from the signed partners most like it.

A partner is described by its features: the groups it belongs to on the analysis day and
its region (``group:nato-ally``, ``region:europe`` …). Each assessed partnership weighs
in by the Jaccard similarity of its features to the target's. The probability that the
target covers an area is the weighted share of those partners covering it, shrunk toward
the share among all partners with a prior weight of ``PRIOR`` partner(s):

    P(area) = (Σ wᵢ·yᵢ + PRIOR · base) / (Σ wᵢ + PRIOR)

When no partner shares a feature with the target, every weight is zero and the
prediction is the base rate (``fallback`` is set). The predictor is evaluated by leave-
one-out over the assessed partnerships, against the rule "covered if most others cover it".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sdpatlas.analysis._profiles import Profiles, features
from sdpatlas.model import AreaId, Coverage, Dataset, PartyCode

__all__ = [
    "PRIOR",
    "AreaPrediction",
    "Evaluation",
    "Neighbour",
    "PartnerScore",
    "Prediction",
    "evaluate",
    "predict",
]

PRIOR = 1.0
THRESHOLD = 0.5


@dataclass(frozen=True)
class Neighbour:
    """A signed partner the prediction leans on, with its weight and shared features."""

    partner: PartyCode
    weight: float
    shared: tuple[str, ...]


@dataclass(frozen=True)
class AreaPrediction:
    """The probability that the target covers one area."""

    area: AreaId
    probability: float
    base: float
    covered_by: tuple[PartyCode, ...]
    actual: Coverage

    @property
    def likely(self) -> bool:
        """Whether the prediction is "covered" (probability at least one half)."""
        return self.probability >= THRESHOLD


@dataclass(frozen=True)
class Prediction:
    """A predicted profile: neighbours by weight (heaviest first), then one row per area."""

    partner: PartyCode
    features: tuple[str, ...]
    neighbours: tuple[Neighbour, ...]
    areas: tuple[AreaPrediction, ...]
    fallback: bool
    assessed: bool

    @property
    def likely_areas(self) -> tuple[AreaId, ...]:
        """The areas predicted as covered."""
        return tuple(a.area for a in self.areas if a.likely)


def _neighbours(target: frozenset[str], p: Profiles) -> tuple[Neighbour, ...]:
    out = []
    for code in p.partners:
        own = p.features(code)
        weight = len(target & own) / len(target | own)
        if weight > 0:
            out.append(Neighbour(code, weight, tuple(sorted(target & own))))
    return tuple(sorted(out, key=lambda n: -n.weight))


def _probabilities(weights: Any, y: Any, k: Any, base_hits: Any,
                   base_known: Any) -> tuple[Any, Any]:
    """The formula of the module docstring for each row of weights (targets × partners)."""
    import numpy as np

    base = np.divide(base_hits, base_known, out=np.zeros(base_hits.shape), where=base_known > 0)
    return (weights @ y + PRIOR * base) / (weights @ k + PRIOR), base


def predict(data: Dataset, p: Profiles, code: PartyCode) -> Prediction:
    """Predict a partner's coverage from the other assessed partnerships.

    Works for any party: one with an unassessed or prospective partnership (the usual
    case), or an assessed one, which is then left out of the training data and its coded
    cells are kept in ``actual`` for comparison. KeyError if the party is unknown.
    """
    import numpy as np

    target = features(data.party(code), p.on)
    train = p.without(code)
    neighbours = _neighbours(target, train)
    weight = {n.partner: n.weight for n in neighbours}
    y, k = train.matrices
    w = np.array([[weight.get(c, 0.0) for c in train.partners]]).reshape(1, train.n)
    prob, base = _probabilities(w, y, k, y.sum(axis=0)[None, :], k.sum(axis=0)[None, :])
    actual = p.statuses[code] if code in p.partners else None
    cells = actual or tuple(Coverage.UNKNOWN for _ in p.areas)
    areas = tuple(AreaPrediction(a, float(prob[0, i]), float(base[0, i]),
                                 tuple(n.partner for n in neighbours
                                       if train.statuses[n.partner][i] is Coverage.YES),
                                 cells[i])
                  for i, a in enumerate(p.areas))
    return Prediction(code, tuple(sorted(target)), neighbours, areas,
                      fallback=not neighbours, assessed=actual is not None)


@dataclass(frozen=True)
class PartnerScore:
    """Leave-one-out result for one partner: correct cells of those known."""

    partner: PartyCode
    correct: int
    baseline_correct: int
    known: int
    brier: float


@dataclass(frozen=True)
class Evaluation:
    """Leave-one-out accuracy of the predictor against the majority rule."""

    scores: tuple[PartnerScore, ...]

    @property
    def cells(self) -> int:
        """How many coded cells were predicted."""
        return sum(s.known for s in self.scores)

    @property
    def accuracy(self) -> float:
        """Fraction of cells the predictor got right (0 when nothing was predicted)."""
        return sum(s.correct for s in self.scores) / self.cells if self.cells else 0.0

    @property
    def baseline_accuracy(self) -> float:
        """Fraction right by "covered if most of the others cover it"."""
        return (sum(s.baseline_correct for s in self.scores) / self.cells
                if self.cells else 0.0)

    @property
    def brier(self) -> float:
        """Mean squared error of the probabilities (lower is better)."""
        total = sum(s.brier * s.known for s in self.scores)
        return total / self.cells if self.cells else 0.0


def _feature_weights(p: Profiles) -> Any:
    """Jaccard similarity of the partners' features, partners × partners, zero diagonal."""
    import numpy as np

    names = sorted({f for c in p.partners for f in p.features(c)})
    f = np.array([[name in p.features(c) for name in names] for c in p.partners], dtype=float)
    f = f.reshape(p.n, len(names))
    shared = f @ f.T
    size = f.sum(axis=1)
    union = size[:, None] + size[None, :] - shared
    w = np.divide(shared, union, out=np.zeros(shared.shape), where=union > 0)
    np.fill_diagonal(w, 0.0)
    return w


def evaluate(p: Profiles) -> Evaluation:
    """Leave-one-out over the assessed partnerships (needs at least two to say anything).

    Vectorised: each partner's row of weights leaves itself out, and so does its base rate.
    """
    if p.n < 2:
        return Evaluation(())
    y, k = p.matrices
    prob, base = _probabilities(_feature_weights(p), y, k, y.sum(axis=0) - y,
                                k.sum(axis=0) - k)
    correct = (((prob >= THRESHOLD) == (y > 0)) * k).sum(axis=1)
    baseline = (((base >= THRESHOLD) == (y > 0)) * k).sum(axis=1)
    known = k.sum(axis=1)
    squared = (((prob - y) ** 2) * k).sum(axis=1)
    return Evaluation(tuple(
        PartnerScore(code, int(correct[i]), int(baseline[i]), int(known[i]),
                     float(squared[i] / known[i]) if known[i] else 0.0)
        for i, code in enumerate(p.partners)))
