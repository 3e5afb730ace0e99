"""The rule tagger: each segment tagged with areas, each tag with its evidence.

Rules, in the order they apply to a match of an area's term, acronym or pattern:

1. *exclusion* — the match overlaps one of the area's exclusion phrases: dropped;
2. *negated* — a negation cue ("not", "does not include", "without") stands shortly before it
   in the same clause, or a cue such as "is absent" shortly after: negative evidence;
3. *threat-without-cooperation* — a threat term ("disinformation", "terrorism") in a segment
   with no cooperation or response cue: kept as a note, never as positive evidence;
4. *requires* — an area whose terms only count next to a cue group (support for Ukraine needs
   "support", "assistance"… near "Ukraine"): a note otherwise;
5. otherwise positive, at the term's weight, lowered when the segment has no cue of
   cooperation at all (headings excepted: in an agreement a heading names an area). A list
   item takes the cues of the sentence that introduces the list ("The Participants will:").

For areas marked ``existence`` (22, security of information) a positive tag is
``already_exists`` when the segment says the agreement exists and does not speak of
exploring or concluding one.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sdpatlas.coding.lexicon import Entry, Hit, Lexicon
from sdpatlas.coding.segment import Segment
from sdpatlas.model import AreaId

__all__ = ["POLARITIES", "Tag", "tag"]

POLARITIES = ("positive", "negated", "threat-without-cooperation", "requires-cue")
_CONTEXT = frozenset(("cooperation", "engagement", "response", "support", "explore"))
_CLAUSE_BREAK = re.compile(r"[;:.!?]|\b(?:but|while|whereas|however|although|yet)\b", re.I)


@dataclass(frozen=True)
class Tag:
    """One area in one segment, with the evidence for it."""

    segment: str
    area: AreaId
    polarity: str
    score: float
    rule: str
    terms: tuple[str, ...]
    cues: tuple[str, ...]
    match: tuple[int, int]
    exists: bool | None = None


@dataclass
class _Found:
    hit: Hit
    entry: Entry


def tag(text: str, segments: Sequence[Segment], lexicon: Lexicon) -> list[Tag]:
    """Every tag of every segment, in segment order."""
    starts = [s.start for s in segments]
    lower: str | None = text.lower()
    if lower is not None and len(lower) != len(text):  # a few letters lengthen when lowered
        lower = None
    hits: dict[int, list[_Found]] = defaultdict(list)
    for hit in _all_hits(text, lower, segments, starts, lexicon):
        index = _segment_of(starts, segments, hit.start, hit.end)
        if index is not None:
            hits[index].extend(_Found(hit, e) for e in hit.entries)
    if not hits:
        return []
    cues: dict[int, list[Hit]] = defaultdict(list)
    for hit in lexicon.cues.hits(text, lower):
        index = _segment_of(starts, segments, hit.start, hit.end)
        if index is not None:
            cues[index].append(hit)
    excluded: dict[int, list[Hit]] = defaultdict(list)
    if lexicon.exclusions is not None:
        for hit in lexicon.exclusions.hits(text, lower):
            index = _segment_of(starts, segments, hit.start, hit.end)
            if index is not None:
                excluded[index].append(hit)
    out: list[Tag] = []
    for index in sorted(hits):
        lead = _lead_in(segments, index)
        inherited = cues[lead] if lead is not None else []
        out.extend(_segment_tags(text, segments[index], hits[index], cues[index], inherited,
                                 excluded[index], lexicon))
    return out


_CONTINUES = (";", ",", " and", " or", "; and", "; or")


def _lead_in(segments: Sequence[Segment], index: int, reach: int = 40) -> int | None:
    """The sentence that introduces a list item ("The Participants will:"), if any."""
    j = index - 1
    while j >= 0 and index - j <= reach:
        ending = segments[j].text.rstrip()
        if ending.endswith(":"):
            return j
        if segments[j].kind == "heading" or not ending.endswith(_CONTINUES):
            return None
        j -= 1
    return None


def _all_hits(text: str, lower: str | None, segments: Sequence[Segment], starts: list[int],
              lexicon: Lexicon) -> Iterator[Hit]:
    yield from lexicon.terms.hits(text, lower)
    if lexicon.acronyms is not None:
        yield from lexicon.acronyms.hits(text)
    triggered: dict[int, set[int]] = defaultdict(set)
    if lexicon.triggers is not None:
        for hit in lexicon.triggers.hits(text, lower):
            index = _segment_of(starts, segments, hit.start, hit.end)
            if index is not None:
                for e in hit.entries:
                    triggered[e.area].add(index)
    for number, (regex, entry) in enumerate(lexicon.patterns):
        if number not in lexicon.gated:
            spans = [(0, len(text))]
        else:
            spans = [(segments[i].start, segments[i].end) for i in sorted(triggered[number])]
        for begin, end in spans:
            for m in regex.finditer(text, begin, end):
                yield Hit(m.start(), m.end(), m.group(), (entry,))


def _segment_of(starts: list[int], segments: Sequence[Segment], start: int,
                end: int) -> int | None:
    index = bisect.bisect_right(starts, start) - 1
    if index < 0 or start >= segments[index].end:
        return None
    return index


def _segment_tags(text: str, seg: Segment, found: list[_Found], cues: list[Hit],
                  inherited: list[Hit], excluded: list[Hit], lexicon: Lexicon) -> list[Tag]:
    groups = _cue_groups(cues + inherited)
    context = [c for c in cues + inherited if groups[id(c)] & _CONTEXT]
    by_area: dict[AreaId, list[Tag]] = defaultdict(list)
    for item in found:
        area = item.entry.area
        if any(x.start < item.hit.end and item.hit.start < x.end
               for x in excluded if any(e.area == area for e in x.entries)):
            continue
        by_area[area].append(_judge(text, seg, item, cues, groups, context, lexicon))
    return [_combine(seg, area, tags, cues, groups, lexicon) for area, tags in by_area.items()]


def _cue_groups(cues: list[Hit]) -> dict[int, frozenset[str]]:
    return {id(c): frozenset(e.kind for e in c.entries) for c in cues}


def _judge(text: str, seg: Segment, item: _Found, cues: list[Hit],
           groups: dict[int, frozenset[str]], context: list[Hit], lexicon: Lexicon) -> Tag:
    hit, entry, settings = item.hit, item.entry, lexicon.settings
    negation = _negation(text, hit, cues, groups, settings.negation_window,
                         settings.negation_after_window)

    def made(polarity: str, score: float, rule: str, cue: Hit | None = None) -> Tag:
        return Tag(seg.id, entry.area, polarity, score, rule, (hit.text,),
                   (cue.text,) if cue else (), (hit.start, hit.end))

    if negation is not None:
        return made("negated", entry.weight, f"{entry.kind}+negation", negation)
    if entry.kind == "threat":
        active = [c for c in context if groups[id(c)] & {"cooperation", "response", "support"}]
        if not active and seg.kind != "heading":
            return made("threat-without-cooperation", 0.0, "threat-without-cooperation")
    if entry.requires is not None:
        near = [c for c in cues if entry.requires in groups[id(c)]
                and _words_between(text, hit, c) <= settings.requires_window]
        if not near:
            return made("requires-cue", 0.0, f"requires-{entry.requires}")
        context = near
    if seg.kind == "heading":
        return made("positive", entry.weight, f"{entry.kind}+heading")
    if not context:
        return made("positive", entry.weight * settings.no_cue_factor, f"{entry.kind}+no-cue")
    nearest = min(context, key=lambda c: abs(c.start - hit.start))
    return made("positive", entry.weight, f"{entry.kind}+cue", nearest)


def _words_between(text: str, a: Hit, b: Hit) -> int:
    lo, hi = (a.end, b.start) if a.end <= b.start else (b.end, a.start)
    return len(text[lo:hi].split()) if hi > lo else 0


def _negation(text: str, hit: Hit, cues: list[Hit], groups: dict[int, frozenset[str]],
              before: int, after: int) -> Hit | None:
    for cue in cues:
        kinds = groups[id(cue)]
        if "negation" in kinds and cue.end <= hit.start:
            gap = text[cue.end:hit.start]
            if gap.lstrip()[:1].isdigit():  # "No 1234/2025" is a number, not a negation
                continue
            if len(gap.split()) <= before and not _CLAUSE_BREAK.search(gap):
                return cue
        if "negation_after" in kinds and cue.start >= hit.end:
            gap = text[hit.end:cue.start]
            if len(gap.split()) <= after and not _CLAUSE_BREAK.search(gap):
                return cue
    return None


def _combine(seg: Segment, area: AreaId, tags: list[Tag], cues: list[Hit],
             groups: dict[int, frozenset[str]], lexicon: Lexicon) -> Tag:
    positive = [t for t in tags if t.polarity == "positive"]
    if not positive:
        negated = [t for t in tags if t.polarity == "negated"]
        return max(negated or tags, key=lambda t: t.score)
    miss = 1.0
    for t in positive:
        miss *= 1.0 - t.score
    best = max(positive, key=lambda t: t.score)
    terms = tuple(dict.fromkeys(x for t in positive for x in t.terms))
    exists = None
    if area in lexicon.existence:
        kinds = set().union(*(groups[id(c)] for c in cues)) if cues else set()
        exists = "exists" in kinds and "explore" not in kinds
    return Tag(seg.id, area, "positive", round(1.0 - miss, 4), best.rule, terms, best.cues,
               best.match, exists)
