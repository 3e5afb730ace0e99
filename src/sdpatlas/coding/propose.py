"""The document-level proposal: a status per area, with confidence and evidence.

For each area, the segments tagged at or above the tag threshold are combined
(``1 - Π(1 - score)``): at or above the yes threshold the area is proposed ``yes``
(``already_exists`` for an area marked ``existence`` whose evidence says so). Weaker positive
evidence makes the coder abstain (``unknown``); only negated mentions make it ``no``; positive
and negated evidence of equal strength make it abstain. With no evidence at all the area is
``no``, more confidently the longer the document.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sdpatlas.coding.lexicon import Lexicon
from sdpatlas.coding.segment import Segment
from sdpatlas.coding.tag import Tag
from sdpatlas.model import AreaId, Coverage

__all__ = ["AreaProposal", "Evidence", "propose"]

_QUOTE_LIMIT = 600
_NOTE_CONFIDENCE = 0.6
_NEGATED_CONFIDENCE = 0.8
_FULL_LENGTH = 20  # segments from which an absence is as telling as it gets


@dataclass(frozen=True)
class Evidence:
    """A passage that speaks for (or against) an area."""

    segment: str
    start: int
    end: int
    quote: str
    rule: str
    score: float
    polarity: str
    terms: tuple[str, ...]
    cues: tuple[str, ...]
    match: tuple[int, int]


@dataclass(frozen=True)
class AreaProposal:
    """The proposed status of one area."""

    area: AreaId
    status: Coverage
    confidence: float
    evidence: tuple[Evidence, ...]


def propose(segments: Sequence[Segment], tags: Sequence[Tag],
            lexicon: Lexicon) -> tuple[AreaProposal, ...]:
    """A proposal for every area of the taxonomy, in taxonomy order."""
    by_id = {s.id: s for s in segments}
    by_area: dict[AreaId, list[Tag]] = defaultdict(list)
    for t in tags:
        by_area[t.area].append(t)
    sentences = sum(1 for s in segments if s.kind == "sentence") or len(segments)
    return tuple(_area(area, by_area.get(area, []), by_id, sentences, lexicon)
                 for area in lexicon.area_ids())


def _area(area: AreaId, tags: list[Tag], by_id: dict[str, Segment], sentences: int,
          lexicon: Lexicon) -> AreaProposal:
    settings = lexicon.settings
    positive = sorted((t for t in tags if t.polarity == "positive"), key=lambda t: -t.score)
    tagged = [t for t in positive if t.score >= settings.tag_threshold]
    negated = [t for t in tags if t.polarity == "negated"]
    notes = [t for t in tags if t.polarity not in ("positive", "negated")]
    ordered = itertools.chain(positive, negated, notes)  # positive begins with the tagged
    evidence = tuple(_evidence(t, by_id)
                     for t in itertools.islice(ordered, settings.evidence_per_area))
    combined = _noisy_or(t.score for t in tagged)
    strongest_negation = max((t.score for t in negated), default=0.0)
    if combined >= settings.yes_threshold:
        if strongest_negation >= max(t.score for t in tagged):
            return AreaProposal(area, Coverage.UNKNOWN, 0.5, evidence)
        confidence = combined * (0.8 if negated else 1.0)
        status = Coverage.YES
        if area in lexicon.existence and any(t.exists for t in tagged):
            status = Coverage.ALREADY_EXISTS
        return AreaProposal(area, status, round(min(confidence, 0.99), 2), evidence)
    best = positive[0].score if positive else 0.0
    if best >= settings.abstain_floor or combined > 0:
        return AreaProposal(area, Coverage.UNKNOWN, round(max(best, combined), 2), evidence)
    if negated:
        return AreaProposal(area, Coverage.NO, _NEGATED_CONFIDENCE, evidence)
    if notes:
        return AreaProposal(area, Coverage.NO, _NOTE_CONFIDENCE, evidence)
    share = min(sentences, _FULL_LENGTH) / _FULL_LENGTH
    return AreaProposal(area, Coverage.NO, round(0.5 + 0.45 * share, 2), evidence)


def _noisy_or(scores: Iterable[float]) -> float:
    miss = 1.0
    for score in scores:
        miss *= 1.0 - score
    return 1.0 - miss


def _evidence(t: Tag, by_id: dict[str, Segment]) -> Evidence:
    seg = by_id[t.segment]
    quote = seg.text if len(seg.text) <= _QUOTE_LIMIT else seg.text[:_QUOTE_LIMIT] + "…"
    return Evidence(seg.id, seg.start, seg.end, quote, t.rule, round(t.score, 3), t.polarity,
                    t.terms, t.cues, t.match)
