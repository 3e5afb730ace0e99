"""Segmentation into the document's own units: sections, numbered paragraphs, sentences.

Ids are stable for a given text: a numbered paragraph takes its own number (``n12``; a lettered
item under it ``n12.a``), an article heading its article (``art5``), other headings count
``h1``, ``h2``…, other paragraphs ``p1``, ``p2``…; sentences add ``.s1``, ``.s2``… Offsets are
character offsets into the (repaired) text, end exclusive. A sentence longer than
``MAX_SENTENCE`` characters is cut at a space (or, with none, at the limit), so that the work
spent on one segment stays bounded whatever the document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["MAX_SENTENCE", "Segment", "segment"]

MAX_SENTENCE = 1000


@dataclass(frozen=True)
class Segment:
    """A sentence or heading: the unit that is tagged."""

    id: str
    kind: str            # "sentence" or "heading"
    start: int
    end: int
    text: str
    paragraph: str       # id of the paragraph (or heading) it belongs to
    section: str | None  # id of the heading it falls under


_NUMBERED = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})*)[.)]\s+")
_LETTERED = re.compile(r"^\s*\(?([a-z]|[ivx]{1,5}|\d{1,3})\)\s+")
_BULLET = re.compile(r"^\s*[-–—•▪◦·*]\s+")
_ARTICLE = re.compile(r"^\s*(?:Article|ARTICLE)\s+(\d{1,3}[a-z]?)\b")
_HEADING_WORDS = re.compile(r"^\s*(?:Annex|ANNEX|Chapter|CHAPTER|Section|SECTION|Part|PART|"
                            r"Title|TITLE)\s+[\dIVXLC]+\b")
_ROMAN_HEADING = re.compile(r"^\s*(?:[IVXLC]{1,6}|[A-H])\.\s+\S")
_SENTENCE_END = re.compile(r"""[.!?]["'’”)\]]*[¹²³⁴⁵⁶⁷⁸⁹⁰]*(?=\s+["'‘“(\[]?[A-Z0-9•–-])""")
_ABBREVIATIONS = frozenset([
    "e.g", "i.e", "etc", "art", "arts", "no", "nos", "para", "paras", "p", "pp", "mr",
    "mrs", "ms", "dr", "st", "vs", "cf", "fig", "figs", "vol", "vols", "inc", "ltd", "co",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "approx", "ca", "al", "op", "ibid", "viz", "resp", "rev", "corr", "add", "doc", "sec",
    "ch", "est", "min", "max", "dept", "govt", "hon", "prof", "gen", "col", "lt", "cdr",
    "adm", "u.s", "u.k", "u.n", "e.u",
])


def segment(text: str) -> list[Segment]:
    """The sentences and headings of a repaired text, in order."""
    state = _State()
    out: list[Segment] = []
    position = 0
    for line in text.split("\n"):
        start = position
        position += len(line) + 1
        if line.strip():
            out.extend(state.paragraph(line, start))
    return out


class _State:
    def __init__(self) -> None:
        self.section: str | None = None
        self.parent: str | None = None
        self.counts: dict[str, int] = {"h": 0, "p": 0}
        self.used: set[str] = set()
        self.repeats: dict[str, int] = {}

    def unique(self, base: str) -> str:
        pid, n = base, self.repeats.get(base, 1)
        while pid in self.used:
            n += 1
            pid = f"{base}-{n}"
        self.repeats[base] = n
        self.used.add(pid)
        return pid

    def counted(self, prefix: str) -> str:
        self.counts[prefix] += 1
        return self.unique(f"{prefix}{self.counts[prefix]}")

    def paragraph(self, line: str, start: int) -> list[Segment]:
        lead = len(line) - len(line.lstrip())
        body_start = start + lead
        body = line.strip()
        if _is_heading(body):
            article = _ARTICLE.match(body)
            hid = self.unique(f"art{article.group(1)}") if article else self.counted("h")
            self.section, self.parent = hid, None
            return [Segment(hid, "heading", body_start, body_start + len(body), body, hid, hid)]
        marker, pid = self._label(body)
        return list(_sentences(body[marker:], body_start + marker, pid, self.section))

    def _label(self, body: str) -> tuple[int, str]:
        numbered = _NUMBERED.match(body)
        if numbered:
            pid = self.unique(f"n{numbered.group(1)}")
            self.parent = pid
            return numbered.end(), pid
        lettered = _LETTERED.match(body)
        if lettered:
            base = f"{self.parent}.{lettered.group(1)}" if self.parent else lettered.group(1)
            return lettered.end(), self.unique(base)
        bullet = _BULLET.match(body)
        if bullet:
            return bullet.end(), self.counted("p")
        self.parent = None
        return 0, self.counted("p")


def _is_heading(body: str) -> bool:
    if _ARTICLE.match(body) or _HEADING_WORDS.match(body):
        return len(body) < 160
    if len(body) > 100 or len(body.split()) > 14 or (_NUMBERED.match(body) and len(body) > 80):
        return False
    if body[-1] in ".;:,!?" or not (body[0].isupper() or body[0].isdigit()):
        return False
    return bool(_ROMAN_HEADING.match(body) or _NUMBERED.match(body) or body[0].isupper())


def _sentences(body: str, offset: int, pid: str, section: str | None) -> list[Segment]:
    out: list[Segment] = []
    for begin, end in _spans(body):
        out.append(_sentence(body, begin, end, offset, pid, section, len(out) + 1))
    return out


def _spans(body: str) -> Iterator[tuple[int, int]]:
    begin = 0
    for match in _SENTENCE_END.finditer(body):
        if not _abbreviation(body, match.start()):
            yield from _bounded(body, begin, match.end())
            begin = match.end()
    if body[begin:].strip():
        yield from _bounded(body, begin, len(body))


def _bounded(body: str, begin: int, end: int) -> Iterator[tuple[int, int]]:
    """``begin..end`` in pieces of at most MAX_SENTENCE characters, cut after a space."""
    while end - begin > MAX_SENTENCE:
        cut = body.rfind(" ", begin + MAX_SENTENCE // 2, begin + MAX_SENTENCE)
        cut = cut + 1 if cut >= 0 else begin + MAX_SENTENCE
        if body[begin:cut].strip():
            yield begin, cut
        begin = cut
    yield begin, end


def _sentence(body: str, begin: int, end: int, offset: int, pid: str, section: str | None,
              index: int) -> Segment:
    piece = body[begin:end]
    lead = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    start = offset + begin + lead
    return Segment(f"{pid}.s{index}", "sentence", start, start + len(piece), piece, pid, section)


def _abbreviation(body: str, dot: int) -> bool:
    if body[dot] != ".":
        return False
    begin = dot
    while begin > 0 and dot - begin < 20 and (body[begin - 1].isalnum() or body[begin - 1] == "."):
        begin -= 1
    if begin == dot:
        return False
    token = body[begin:dot].casefold()
    if token in _ABBREVIATIONS:
        return True
    # an initial ("J. Borrell") or a dotted acronym ("U.S.")
    return len(token) == 1 and token.isalpha() and body[dot - 1].isupper()
