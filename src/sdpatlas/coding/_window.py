"""One segment's cues, indexed so that each match finds the cues a few words away in O(log n).

The tagger asks, for every match in a segment, which cues stand within some words before or
after it, and which cue is nearest. Scanning every cue for every match (and counting the words
of every gap) is quadratic in the segment, and cubic on pathological input; here the cues and
the words of the segment are sorted once and each question is a binary search.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from functools import cached_property

from sdpatlas.coding.lexicon import Hit
from sdpatlas.coding.segment import Segment

__all__ = ["CueWindow"]

_WORD = re.compile(r"\S+")
_CONTEXT = frozenset(("cooperation", "engagement", "response", "support", "explore",
                      "participation", "party"))
_ACTIVE = frozenset(("cooperation", "response", "support"))


class CueWindow:
    """The cues of one segment (in text order) and those it inherits from a lead-in."""

    def __init__(self, text: str, seg: Segment, cues: Sequence[Hit],
                 inherited: Sequence[Hit]) -> None:
        self.text = text
        self.cues = list(cues)
        everything = self.cues + list(inherited)
        self.groups = {id(c): frozenset(e.kind for e in c.entries) for c in everything}
        self.kinds = frozenset().union(*(self.groups[id(c)] for c in self.cues))
        self.context = [c for c in everything if self.groups[id(c)] & _CONTEXT]
        self.active = any(self.groups[id(c)] & _ACTIVE for c in self.context)
        self._starts = [c.start for c in self.cues]
        self._ends = [c.end for c in self.cues]
        self._span = (seg.start, seg.end)
        ranked = sorted((c.start, i) for i, c in enumerate(self.context))
        self._context_starts = [start for start, _ in ranked]
        self._context_order = [i for _, i in ranked]

    @cached_property
    def _words(self) -> tuple[list[int], list[int]]:
        """Where the segment's words start, and where they end."""
        spans = [m.span() for m in _WORD.finditer(self.text, *self._span)]
        return [a for a, _ in spans], [b for _, b in spans]

    def words(self, lo: int, hi: int) -> int:
        """``len(text[lo:hi].split())`` for a span of the segment."""
        if hi <= lo:
            return 0
        starts, ends = self._words
        return max(0, bisect.bisect_left(starts, hi) - bisect.bisect_right(ends, lo))

    def before(self, hit: Hit, window: int) -> list[Hit]:
        """The cues that end before ``hit`` with at most ``window`` words between."""
        stop = bisect.bisect_right(self._ends, hit.start)
        first = bisect.bisect_left(range(stop), True,
                                   key=lambda k: self.words(self._ends[k], hit.start) <= window)
        return self.cues[first:stop]

    def after(self, hit: Hit, window: int) -> list[Hit]:
        """The cues that start after ``hit`` with at most ``window`` words between."""
        begin = bisect.bisect_left(self._starts, hit.end)
        stop = bisect.bisect_left(range(begin, len(self.cues)), True,
                                  key=lambda k: self.words(hit.end, self._starts[k]) > window)
        return self.cues[begin:begin + stop]

    def near(self, hit: Hit, window: int) -> list[Hit]:
        """The cues at most ``window`` words from ``hit`` (overlapping ones too), in order."""
        overlapping = self.cues[bisect.bisect_right(self._ends, hit.start):
                                bisect.bisect_left(self._starts, hit.end)]
        return self.before(hit, window) + overlapping + self.after(hit, window)

    def nearest(self, hit: Hit) -> Hit | None:
        """The context cue starting nearest to ``hit`` (the first listed on a tie)."""
        i = bisect.bisect_left(self._context_starts, hit.start)
        around = [self._context_order[j] for j in (i - 1, i)
                  if 0 <= j < len(self._context_order)]
        if not around:
            return None
        best = min(around, key=lambda k: (abs(self.context[k].start - hit.start), k))
        return self.context[best]


def overlaps(spans: Sequence[tuple[int, int]], hit: Hit) -> bool:
    """Whether ``hit`` overlaps one of ``spans`` (sorted and disjoint)."""
    i = bisect.bisect_right(spans, (hit.start, hit.start))
    return any(start < hit.end and hit.start < end
               for start, end in spans[max(i - 1, 0):i + 1])


def spans_by_area(excluded: Iterable[Hit]) -> dict[int, list[tuple[int, int]]]:
    """The spans of exclusion matches, per area they exclude, sorted."""
    out: dict[int, list[tuple[int, int]]] = {}
    for x in excluded:
        for area in {e.area for e in x.entries}:
            out.setdefault(area, []).append((x.start, x.end))
    return {area: sorted(spans) for area, spans in out.items()}
