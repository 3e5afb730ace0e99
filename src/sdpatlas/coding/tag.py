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
   cooperation at all (headings and list items excepted: in an agreement a heading, and an
   item of a list, names an area; and an agreement of an ``existence`` area that the segment
   says exists: "RECALLING the Agreement …, signed in 2021"). A list item takes the cues of
   the sentence that introduces the list ("The Participants will:").

Three rules judge the whole segment first, since a segment counts only when the parties
cooperate in it:

- *metadata* — a document header, subject-code or keyword line, distribution list or file
  reference ("7311/25 LIMITE COPS 121 CYBER 81", "Subject: …", "Topics: …") names areas
  without stating anything: every match is a note;
- *survey* — a comparison of several partnerships ("All existing SDPs outline …", "the
  agreements with Japan and Korea each specify …"): what other agreements contain, not the
  parties' cooperation; every match is a note that the learned scorer does not revive;
- *general* — partners named only as a kind ("third countries", "partner countries"), with no
  partner named, no joint actor and no partner taking part: an instrument or a policy
  explained in general ("These measures may include equipment at the request of third
  countries"), not a partnership's cooperation; every match is a note;
- *context-only* — a segment that states a concern, a threat or a fact ("context" cues such
  as "condemn", "concerned", "according to") or one actor's own measures ("presented its")
  and has no cue of the parties acting together or for each other, or of what they already
  share ("cooperation", "party", "support" or "exists" cues), or that speaks of the Member
  States alone ("internal" cues, with no "party" cue), or a preamble recital ("WHEREAS…",
  "Recognising…") that states no cooperation, support or existing agreement: every match is
  a note;
- *who does what* — the clause analysis of ``_agency``: one actor's own measures
  (``unilateral``), another organisation's or the Union's institutions' acts alone
  (``other-actor``), a reported fact or a restated goal (``context``, ``goal``), a negated
  verb (``negated-act``) or a bare statement (``statement``): every match is a note.
  A match that names who speaks ("…, Operation Atalanta said") or sets the scene ("…, amid
  Russia's war against Ukraine", "Acknowledging the threat of hybrid warfare, …") is no
  evidence at all.
  Headings are judged this way too (a headline "Russia and China hold joint drills" states
  no cooperation of the parties), list items by the whole-segment rules applied to their
  lead-in ("The Council notes with concern the following: …" makes every item a note).

An area that ``yields_to`` a near area is only a note (``near-area``) in a segment where
that near area is positive: the codebook's conventions (capacity building beside cyber
capacity building is 4's, crisis management of a CSDP mission is 1's).

For areas marked ``existence`` (22, security of information) a positive tag is
``already_exists`` when a cue that the agreement exists ("in force", "since", a date:
"signed in 2008", "the 2014 agreement") stands at least as near the match as any cue of
exploring or concluding one ("negotiate", "explore", "could").
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sdpatlas.coding._agency import agency
from sdpatlas.coding._parties import is_general
from sdpatlas.coding._structure import (
    attributions,
    backdrops,
    condemnation,
    dated,
    is_metadata,
    is_recital,
    is_survey,
    outside_names,
)
from sdpatlas.coding._window import CueWindow, overlaps, spans_by_area
from sdpatlas.coding.lexicon import Entry, Hit, Lexicon
from sdpatlas.coding.segment import Segment
from sdpatlas.model import AreaId

__all__ = ["POLARITIES", "Tag", "is_metadata", "lead_in", "tag"]

POLARITIES = ("positive", "negated", "threat-without-cooperation", "requires-cue", "metadata",
              "context-only", "near-area", "unilateral", "other-actor", "statement",
              "negated-act", "context", "goal", "survey", "general")
# Matches, cues and exclusions weighed in one segment (at most MAX_SENTENCE characters):
# far more than any real sentence holds, few enough to bound the work on a hostile one.
_MAX_PER_SEGMENT = 64
_CLAUSE_BREAK = re.compile(r"[;:.!?]|\b(?:but|while|whereas|however|although|yet)\b", re.I)
_LIST_ITEM = re.compile(r"\s*(?:\(?(?:[a-z]|[ivx]{1,5}|\d{1,3})\)|[-–—•▪◦·*])\s*")
_LIST_ITEM_WORDS = 20


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
        if index is not None and len(hits[index]) < _MAX_PER_SEGMENT:
            hits[index].extend(_Found(hit, e) for e in hit.entries)
    if not hits:
        return []
    cues: dict[int, list[Hit]] = defaultdict(list)
    for hit in lexicon.cues.hits(text, lower):
        index = _segment_of(starts, segments, hit.start, hit.end)
        if index is not None and len(cues[index]) < _MAX_PER_SEGMENT:
            cues[index].append(hit)
    excluded: dict[int, list[Hit]] = defaultdict(list)
    if lexicon.exclusions is not None:
        for hit in lexicon.exclusions.hits(text, lower):
            index = _segment_of(starts, segments, hit.start, hit.end)
            if index is not None and len(excluded[index]) < _MAX_PER_SEGMENT:
                excluded[index].append(hit)
    out: list[Tag] = []
    for index in sorted(hits):
        lead = lead_in(segments, index)
        inherited = cues[lead] if lead is not None else []
        seg = segments[index]
        found = _outside_speakers(text, seg, hits[index])
        own = _outside_threats(cues[index], found)
        tags = _segment_tags(text, seg, found, own, inherited, excluded[index], lexicon)
        verdict = _segment_verdict(text, seg, outside_names(text, seg.start, seg.end, own)
                                   + inherited, segments[lead] if lead is not None else None,
                                   inherited)
        if verdict is None:
            out.extend(_near_areas(tags, lexicon))
        else:
            out.extend(_as_note(t, verdict) for t in tags)
    return out


def _outside_speakers(text: str, seg: Segment, found: list[_Found]) -> list[_Found]:
    """The matches that do not name who speaks ("…, Operation Atalanta said") or set the scene
    ("…, amid Russia's war against Ukraine")."""
    spans = attributions(text, seg.start, seg.end) + backdrops(text, seg.start, seg.end)
    if not spans:
        return found
    return [f for f in found if not any(a <= f.hit.start and f.hit.end <= b for a, b in spans)]


def _outside_threats(cues: list[Hit], found: list[_Found]) -> list[Hit]:
    """The cues that are not part of a threat's own name ("fight" in "foreign fighters")."""
    threats = [f.hit for f in found if f.entry.kind == "threat"]
    if not threats:
        return cues
    return [c for c in cues if not any(t.start <= c.start and c.end <= t.end for t in threats)]


def _is_list_item(text: str, seg: Segment) -> bool:
    """An item of a list of areas: its line starts with a list mark, and it is short or
    continued (not a numbered recital)."""
    if not _LIST_ITEM.fullmatch(text, text.rfind("\n", 0, seg.start) + 1, seg.start):
        return False
    return len(seg.text.split()) <= _LIST_ITEM_WORDS or seg.text.rstrip().endswith(_CONTINUES)


def _segment_verdict(text: str, seg: Segment, cues: list[Hit],
                     lead: Segment | None = None, lead_cues: list[Hit] | None = None
                     ) -> str | None:
    """Why a whole segment cannot state cooperation, if it cannot: a list item is judged by
    the sentence that introduces it ("The Council condemns the following: …")."""
    if is_metadata(seg.text) or is_survey(seg.text):
        return "metadata" if is_metadata(seg.text) else "survey"
    if _is_list_item(text, seg):
        return None if lead is None else _segment_verdict(text, lead, lead_cues or [])
    return _clause_verdict(text, seg, cues)


def _clause_verdict(text: str, seg: Segment, cues: list[Hit]) -> str | None:
    """Why a segment that is neither metadata nor a list item states no cooperation, if it
    does not: whose cooperation it speaks of, then who does what in it."""
    if is_general(seg.text):
        return "general"
    inside = [(c, frozenset(e.kind for e in c.entries)) for c in cues
              if seg.start <= c.start and c.end <= seg.end]
    if seg.kind == "heading":
        return agency(text, seg.start, seg.end, inside).verdict
    kinds = {e.kind for c in cues for e in c.entries}
    if is_recital(seg.text) and not kinds & {"cooperation", "support", "exists"}:
        return "context-only"
    together = bool(kinds & {"cooperation", "party", "support", "exists"})
    if ("context" in kinds and not together) or ("internal" in kinds and not kinds & {
            "party", "support", "participation"}) or _only_condemns(text, seg, cues):
        return "context-only"
    return agency(text, seg.start, seg.end, inside).verdict


def _only_condemns(text: str, seg: Segment, cues: list[Hit]) -> bool:
    """A segment that condemns something and speaks of no cooperation after it ("Both sides
    condemned terrorism in all its forms")."""
    at = condemnation(text, seg.start, seg.end)
    return at is not None and not any(
        c.start > at and c.end <= seg.end and any(e.kind == "cooperation" for e in c.entries)
        for c in cues)


def _near_areas(tags: list[Tag], lexicon: Lexicon) -> list[Tag]:
    """An area that yields to a near area (``yields_to``) is a note where that area is tagged
    too: capacity building (5) beside cyber capacity building (4) is 4's."""
    if not lexicon.yields:
        return tags
    positive = {t.area for t in tags if t.polarity == "positive"}
    return [_as_note(t, "near-area") if lexicon.yields.get(t.area, frozenset()) & positive
            else t for t in tags]


def _as_note(t: Tag, polarity: str) -> Tag:
    if t.polarity != "positive":
        return t
    return Tag(t.segment, t.area, polarity, 0.0, polarity, t.terms, t.cues, t.match)


_CONTINUES = (";", ",", " and", " or", "; and", "; or")


def lead_in(segments: Sequence[Segment], index: int, reach: int = 40) -> int | None:
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
        for hit in lexicon.triggers.nested_hits(text, lower):
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
    window = CueWindow(text, seg, cues, inherited)
    exclusions = spans_by_area(excluded)
    by_area: dict[AreaId, list[Tag]] = defaultdict(list)
    for item in found:
        area = item.entry.area
        if area in exclusions and overlaps(exclusions[area], item.hit):
            continue
        by_area[area].append(_judge(seg, item, window, lexicon))
    return [_combine(seg, area, tags, window, lexicon) for area, tags in by_area.items()]


def _judge(seg: Segment, item: _Found, window: CueWindow, lexicon: Lexicon) -> Tag:
    hit, entry, settings = item.hit, item.entry, lexicon.settings
    negation = _negation(window, hit, settings.negation_window, settings.negation_after_window)

    def made(polarity: str, score: float, rule: str, cue: Hit | None = None) -> Tag:
        return Tag(seg.id, entry.area, polarity, score, rule, (hit.text,),
                   (cue.text,) if cue else (), (hit.start, hit.end))

    if negation is not None:
        return made("negated", entry.weight, f"{entry.kind}+negation", negation)
    if entry.kind == "threat" and not window.active and seg.kind != "heading":
        return made("threat-without-cooperation", 0.0, "threat-without-cooperation")
    nearest = window.nearest(hit)
    if entry.requires is not None:
        near = [c for c in window.near(hit, settings.requires_window)
                if entry.requires in window.groups[id(c)]]
        if not near:
            return made("requires-cue", 0.0, f"requires-{entry.requires}")
        nearest = min(near, key=lambda c: abs(c.start - hit.start))
    if seg.kind == "heading":
        return made("positive", entry.weight, f"{entry.kind}+heading")
    if nearest is not None:
        return made("positive", entry.weight, f"{entry.kind}+cue", nearest)
    listed = _is_list_item(window.text, seg)
    exists = entry.area in lexicon.existence and _exists(window, seg, (hit.start, hit.end))
    rule = "list-item" if listed else "exists" if exists else "no-cue"
    return made("positive", entry.weight * (settings.no_cue_factor if rule == "no-cue" else 1.0),
                f"{entry.kind}+{rule}")


def _negation(window: CueWindow, hit: Hit, before: int, after: int) -> Hit | None:
    text, groups = window.text, window.groups
    for cue in window.before(hit, before):
        gap = text[cue.end:hit.start]
        # "No 1234/2025" is a number, not a negation
        if ("negation" in groups[id(cue)] and not gap.lstrip()[:1].isdigit()
                and not _CLAUSE_BREAK.search(gap)):
            return cue
    for cue in window.after(hit, after):
        if "negation_after" in groups[id(cue)] and not _CLAUSE_BREAK.search(
                text[hit.end:cue.start]):
            return cue
    return None


def _combine(seg: Segment, area: AreaId, tags: list[Tag], window: CueWindow,
             lexicon: Lexicon) -> Tag:
    positive = [t for t in tags if t.polarity == "positive"]
    if not positive:
        negated = [t for t in tags if t.polarity == "negated"]
        return max(negated or tags, key=lambda t: t.score)
    miss = 1.0
    for t in positive:
        miss *= 1.0 - t.score
    best = max(positive, key=lambda t: t.score)
    # several terms in a segment with no cue at all do not add up: it still states nothing
    score = best.score if best.rule.endswith("+no-cue") else 1.0 - miss
    terms = tuple(dict.fromkeys(x for t in positive for x in t.terms))
    exists = _exists(window, seg, best.match) if area in lexicon.existence else None
    return Tag(seg.id, area, "positive", round(score, 4), best.rule, terms, best.cues,
               best.match, exists)


def _exists(window: CueWindow, seg: Segment, match: tuple[int, int]) -> bool:
    """Whether the agreement matched already exists: a cue of existence ("in force", "since",
    a date: "signed in 2008") stands at least as near the match as any cue of exploring it
    ("negotiate", "explore", "could")."""
    existing = [(c.start, c.end) for c in window.cues if "exists" in window.groups[id(c)]]
    existing += dated(window.text, seg.start, seg.end)
    if not existing:
        return False
    exploring = [(c.start, c.end) for c in window.cues if "explore" in window.groups[id(c)]]
    if not exploring:
        return True
    return _nearest(window, existing, match) <= _nearest(window, exploring, match)


def _nearest(window: CueWindow, spans: list[tuple[int, int]], match: tuple[int, int]) -> int:
    """How many words separate the match from the nearest of the spans."""
    return min(window.words(end, match[0]) if end <= match[0]
               else window.words(match[1], start) if start >= match[1] else 0
               for start, end in spans)
