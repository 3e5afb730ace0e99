"""Scoring the coder on gold passages: per-area precision, recall, F1 and Cohen's kappa;
micro and macro F1; the list of errors with their evidence.

Each passage is coded as a document of its own; an area counts as predicted when the proposal
is ``yes`` or ``already_exists`` (``unknown`` is an abstention and counts as not predicted,
and is reported). Macro-F1 averages the areas that occur in the gold set or were predicted.
Both come with bootstrap 95 % intervals, resampling the passages' source documents (``groups``;
one group per passage when none are given).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from sdpatlas.coding.coder import Coder, Proposal
from sdpatlas.coding.gold import GoldItem
from sdpatlas.coding.intervals import DEFAULT_RESAMPLES, Interval, f1_intervals
from sdpatlas.coding.propose import Evidence
from sdpatlas.model import AreaId, Coverage

__all__ = ["AreaScore", "Evaluation", "Mistake", "evaluate", "score_predictions"]

_PREDICTED = (Coverage.YES, Coverage.ALREADY_EXISTS)


@dataclass(frozen=True)
class AreaScore:
    """Agreement with the gold set on one area."""

    area: AreaId
    support: int
    predicted: int
    true_positives: int
    abstained: int
    precision: float | None
    recall: float | None
    f1: float | None
    kappa: float | None


@dataclass(frozen=True)
class Mistake:
    """A false positive or false negative, with what the coder saw."""

    id: str
    area: AreaId
    kind: str            # "false-positive", "false-negative" or "already-exists"
    status: str
    text: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Evaluation:
    """Scores over a gold set."""

    passages: int
    areas: tuple[AreaScore, ...]
    micro_f1: float
    macro_f1: float
    micro_precision: float
    micro_recall: float
    abstentions: int
    already_exists_correct: int
    already_exists_total: int
    mistakes: tuple[Mistake, ...]
    micro_interval: Interval | None = None
    macro_interval: Interval | None = None


def evaluate(coder: Coder, gold: Sequence[GoldItem], groups: Sequence[str] | None = None,
             resamples: int = DEFAULT_RESAMPLES, seed: int = 0) -> Evaluation:
    """Code every gold passage and score the proposals (``resamples=0``: no intervals)."""
    proposals = [coder.code_text(item.text, item.id) for item in gold]
    area_ids = coder.lexicon.area_ids()
    scored = _score(gold, proposals, area_ids, coder.lexicon.existence)
    predicted = [frozenset(c.area for c in p.coverage if c.status in _PREDICTED)
                 for p in proposals]
    return _with_intervals(scored, gold, predicted, area_ids, groups, resamples, seed)


def score_predictions(gold: Sequence[GoldItem], predicted: Sequence[frozenset[AreaId]],
                      area_ids: Sequence[AreaId], groups: Sequence[str] | None = None,
                      resamples: int = DEFAULT_RESAMPLES, seed: int = 0) -> Evaluation:
    """Score bare predictions (for baselines that have no evidence)."""
    rows = [(item, {a: Coverage.YES if a in p else Coverage.NO for a in area_ids}, None)
            for item, p in zip(gold, predicted, strict=True)]
    scored = _tally(rows, area_ids, frozenset(), lambda _p, _a: ())
    return _with_intervals(scored, gold, predicted, area_ids, groups, resamples, seed)


def _with_intervals(ev: Evaluation, gold: Sequence[GoldItem],
                    predicted: Sequence[frozenset[AreaId]], area_ids: Sequence[AreaId],
                    groups: Sequence[str] | None, resamples: int, seed: int) -> Evaluation:
    if resamples <= 0 or not gold:
        return ev
    micro, macro = f1_intervals([g.areas for g in gold], predicted,
                                groups or [g.id for g in gold], area_ids, resamples, seed)
    return replace(ev, micro_interval=micro, macro_interval=macro)


def _score(gold: Sequence[GoldItem], proposals: Sequence[Proposal],
           area_ids: Sequence[AreaId], existence: frozenset[AreaId]) -> Evaluation:
    rows = [(item, {c.area: c.status for c in p.coverage}, p)
            for item, p in zip(gold, proposals, strict=True)]

    def evidence(p: Proposal | None, area: AreaId) -> tuple[Evidence, ...]:
        return p.area(area).evidence if p is not None else ()

    return _tally(rows, area_ids, existence, evidence)


Row = tuple[GoldItem, dict[AreaId, Coverage], Proposal | None]


def _tally(rows: Sequence[Row], area_ids: Sequence[AreaId], existence: frozenset[AreaId],
           evidence: Callable[[Proposal | None, AreaId], tuple[Evidence, ...]]) -> Evaluation:
    scores: list[AreaScore] = []
    mistakes: list[Mistake] = []
    exists_right = exists_total = 0
    for area in area_ids:
        tp = fp = fn = tn = abstained = 0
        for item, statuses, proposal in rows:
            status = statuses.get(area, Coverage.NO)
            said, truth = status in _PREDICTED, area in item.areas
            abstained += status is Coverage.UNKNOWN
            tp += said and truth
            fp += said and not truth
            fn += truth and not said
            tn += not said and not truth
            if said != truth:
                kind = "false-positive" if said else "false-negative"
                mistakes.append(Mistake(item.id, area, kind, status.value, item.text,
                                        evidence(proposal, area)))
            elif said and area in existence:
                exists_total += 1
                right = (status is Coverage.ALREADY_EXISTS) == (area in item.already_exists)
                exists_right += right
                if not right:
                    mistakes.append(Mistake(item.id, area, "already-exists", status.value,
                                            item.text, evidence(proposal, area)))
        scores.append(_area_score(area, tp, fp, fn, tn, abstained))
    return _summary(len(rows), scores, mistakes, exists_right, exists_total)


def _area_score(area: AreaId, tp: int, fp: int, fn: int, tn: int, abstained: int) -> AreaScore:
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = (2 * tp / (2 * tp + fp + fn)) if tp + fp + fn else None
    return AreaScore(area, tp + fn, tp + fp, tp, abstained, precision, recall, f1,
                     kappa(tp, fp, fn, tn))


def kappa(tp: int, fp: int, fn: int, tn: int) -> float | None:
    """Cohen's kappa of two binary raters; None when chance agreement is total."""
    n = tp + fp + fn + tn
    if n == 0:
        return None
    observed = (tp + tn) / n
    expected = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def _summary(passages: int, scores: list[AreaScore], mistakes: list[Mistake],
             exists_right: int, exists_total: int) -> Evaluation:
    tp = sum(s.true_positives for s in scores)
    predicted = sum(s.predicted for s in scores)
    support = sum(s.support for s in scores)
    micro_p = tp / predicted if predicted else 0.0
    micro_r = tp / support if support else 0.0
    micro = 2 * tp / (predicted + support) if predicted + support else 0.0
    scored = [s.f1 for s in scores if s.f1 is not None]
    macro = sum(scored) / len(scored) if scored else 0.0
    mistakes.sort(key=lambda m: (m.id, m.area))
    return Evaluation(passages, tuple(scores), micro, macro, micro_p, micro_r,
                      sum(s.abstained for s in scores), exists_right, exists_total,
                      tuple(mistakes))
