"""Repairing extracted text: what PDFs of Council and EEAS documents really contain.

In order: characters normalised (ligature code points, soft hyphens, odd spaces); running
headers and footers removed (page numbers, "LIMITE", document numbers, any line repeated at
the edge of most pages); words hyphenated at line ends rejoined; lines reflowed into
paragraphs; words split where a ligature glyph was lost ("chal enging", "at empts", "wel")
rejoined when the joined form is a known word.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from sdpatlas.coding._vocabulary import WORD, Vocabulary, words_of

__all__ = ["Repaired", "repair"]

_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
              "\ufb05": "st", "\ufb06": "st"}
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
                                 "\u200a\u202f\u205f\u3000\t"), " ")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# What a lost ligature glyph leaves out, most common first.
_LOST = ("", "l", "t", "f", "ll", "tt", "ff", "fi", "fl", "ffi", "ffl", "ft", "st", "th", "ti")
_LOST_END = ("l", "t", "f")

_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]\s*)?(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?"
                          r"(?:\s*[-–—])?\s*$", re.I)
_PAGE_LINE = re.compile(r"^\s*(?:page\s+\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?"
                        r"|[-–—]\s*\d{1,4}\s*[-–—])\s*$", re.I)
_STRONG_MARK = re.compile(r"^(?:LIMITE|RESTREINT|RESTRICTED|\d{3,6}/\d{2}|"
                          r"(?:ST|CM|PE|COM|SWD|JOIN|EEAS)[\s(]*\d{1,5}[)/\s]*\d{0,5}|"
                          r"EEAS\(\d{4}\)|[A-Z]{2,5}/[a-z]{1,5}\.?)$")
_WEAK_MARK = re.compile(r"^(?:EN|FR|DE|UE|EU|REV|COR|ADD|INIT|\d{1,5}"
                        r"|[A-Z]{2,8}(?:\.[A-Z0-9]{1,3})*"
                        r"|[-–—/]|\(\w{1,4}\)|\d{4}\)|[A-Z]{1,3}\.\d)$")
_ITEM = re.compile(r"""^\s*(?:
    \d{1,3}(?:\.\d{1,3})*[.)]\s
  | \(\d{1,3}\)\s
  | \(?[a-z]\)\s
  | \(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)[.)]\s
  | [-–—•▪◦·*]\s
  | (?:Article|ARTICLE|Section|SECTION|Chapter|CHAPTER|Annex|ANNEX|Part|PART)\s+[\dIVXLC]+\b
)""", re.X)
# Both start only at the start of a word: tried inside a long run of letters they would
# rescan the rest of it from every position, in quadratic time.
_HYPHEN_LOWER = re.compile(r"(?<![^\W\d_])([^\W\d_]+)-\n[ \t]*([^\W\d_]+)(?=[^\w]|$)")
_HYPHEN_UPPER = re.compile(r"(?<!\w)(\w+)-\n[ \t]*(?=[A-Z0-9])")
_TOKEN = re.compile(r"(?<![\w'’-])[^\W\d_]+(?![\w'’-])")
_FUNCTION_END = frozenset(["and", "or", "the", "of", "to", "in", "on", "for", "with", "by", "a",
                           "an", "as", "at", "from", "that"])


@dataclass(frozen=True)
class Repaired:
    """The repaired text and how many fixes of each kind were made."""

    text: str
    counts: dict[str, int] = field(default_factory=dict)


def repair(raw: str, vocabulary: Vocabulary) -> Repaired:
    """Repair extracted text; pages are separated by form feeds (``\\f``)."""
    counts: Counter[str] = Counter()
    text = _normalise(raw, counts)
    text = _strip_page_furniture(text, counts)
    text = _rejoin_hyphenation(text, vocabulary, counts)
    text = _reflow(text, counts)
    text = _rejoin_ligatures(text, vocabulary, counts)
    text = re.sub(r"[ ]{2,}", " ", text)
    text = "\n".join(line.strip(" ") for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return Repaired(text, {k: v for k, v in sorted(counts.items()) if v})


def _normalise(text: str, counts: Counter[str]) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for lig, plain in _LIGATURES.items():
        if lig in text:
            counts["ligature-character"] += text.count(lig)
            text = text.replace(lig, plain)
    counts["soft-hyphen"] += text.count("\u00ad")
    text = re.sub("\u00ad[ \t]*\n[ \t]*", "", text).replace("\u00ad", "")
    text = text.translate(_SPACES).translate(_ZERO_WIDTH)
    text = text.replace("\u2010", "-").replace("\u2011", "-")
    text = _CONTROLS.sub(" ", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


# ---------------------------------------------------------------- headers and footers

def _key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).casefold())


def _is_marker_line(line: str) -> bool:
    tokens = line.split()
    if not tokens or len(tokens) > 12:
        return False
    strong = any(_STRONG_MARK.match(t) for t in tokens)
    return strong and all(_STRONG_MARK.match(t) or _WEAK_MARK.match(t) for t in tokens)


def _edges(lines: list[str], depth: int = 3) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:depth] + filled[-depth:]))


def _strip_page_furniture(text: str, counts: Counter[str]) -> str:
    pages = [page.split("\n") for page in text.split("\f")]
    repeated: set[str] = set()
    if len(pages) >= 2:
        seen: Counter[str] = Counter()
        for lines in pages:
            seen.update({_key(lines[i]) for i in _edges(lines)})
        need = max(2, math.ceil(0.5 * len(pages)))
        repeated = {k for k, n in seen.items() if n >= need and len(k) <= 160}
    kept_pages = []
    for lines in pages:
        edges = set(_edges(lines)) if len(pages) >= 2 else set()
        kept = []
        for i, line in enumerate(lines):
            at_edge = i in edges
            if _is_marker_line(line) or _PAGE_LINE.match(line) or (
                    at_edge and (_key(line) in repeated
                                                      or _PAGE_NUMBER.match(line))):
                counts["header-footer"] += 1
                continue
            kept.append(line)
        kept_pages.append("\n".join(kept).strip("\n"))
    return "\n".join(kept_pages)


# ---------------------------------------------------------------- hyphenation and reflow

def _rejoin_hyphenation(text: str, vocabulary: Vocabulary, counts: Counter[str]) -> str:
    def lower(m: re.Match[str]) -> str:
        head, tail = m.group(1), m.group(2)
        counts["hyphenation"] += 1
        if not tail[0].islower():
            return f"{head}-{tail}"
        if vocabulary.knows(head + tail):
            return head + tail
        if vocabulary.is_word(head) and vocabulary.is_word(tail):
            return f"{head}-{tail}"
        return head + tail

    def upper(m: re.Match[str]) -> str:
        counts["hyphenation"] += 1
        return m.group(1) + "-"

    return _HYPHEN_UPPER.sub(upper, _HYPHEN_LOWER.sub(lower, text))


def _reflow(text: str, counts: Counter[str]) -> str:
    lines = text.split("\n")
    long_lines = [len(line) for line in lines if len(line) >= 25]
    width = statistics.median(long_lines) if long_lines else 80.0
    out: list[list[str]] = []  # the lines being built, as the pieces joined into each
    size = 0  # the length of the last line being built
    for line in lines:
        if out:
            last = out[-1][-1].rstrip()
            built = size - len(out[-1][-1]) + len(last)
            if _joins(last, built, line, width):
                out[-1][-1] = last
                out[-1].append(line.lstrip())
                size = built + 1 + len(out[-1][-1])
                counts["line-join"] += 1
                continue
        out.append([line])
        size = len(line)
    return "\n".join(" ".join(pieces) for pieces in out)


def _joins(cur: str, size: int, following: str, width: float) -> bool:
    """Whether ``following`` continues the line that ends ``cur`` and is ``size`` long."""
    nxt = following.strip()
    if not cur.strip() or not nxt or _ITEM.match(following):
        return False
    last_word = cur.rsplit(None, 1)[-1].casefold()
    if cur.endswith((",", "-", "–")) or last_word in _FUNCTION_END:
        return True
    if nxt[0].islower() and not cur.endswith((".", "!", "?", ":", ";")):
        return True
    if size < 0.6 * width:
        return False
    return not (cur.endswith((".", "!", "?", ":", ";")) and size < 0.85 * width)


# ---------------------------------------------------------------- lost ligatures

def _rejoin_ligatures(text: str, vocabulary: Vocabulary, counts: Counter[str]) -> str:
    document = Vocabulary(vocabulary.static, words_of([text], minimum=4))
    words = list(_TOKEN.finditer(text))
    known = {w: vocabulary.is_word(w) for w in {m.group() for m in words}}
    pairs: dict[tuple[str, str], str | None] = {}  # each distinct pair is tried once
    singles: dict[str, str | None] = {}
    out: list[str] = []
    last = 0
    i = 0
    while i < len(words):
        word = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else None
        joined = None
        if (nxt is not None and not (known[word.group()] and known[nxt.group()])
                and text[word.end():nxt.start()] == " "):
            pair = (word.group(), nxt.group())
            if pair not in pairs:
                pairs[pair] = _join_pair(*pair, vocabulary, document)
            joined = pairs[pair]
        if joined is not None and nxt is not None:
            out.append(text[last:word.start()] + joined)
            last = nxt.end()
            counts["lost-ligature"] += 1
            i += 2
            continue
        if not known[word.group()] and word.group() not in singles:
            singles[word.group()] = _complete(word.group(), vocabulary, document)
        single = singles.get(word.group())
        if single is not None:
            out.append(text[last:word.start()] + single)
            last = word.end()
            counts["lost-ligature"] += 1
        i += 1
    out.append(text[last:])
    return "".join(out)


def _join_pair(head: str, tail: str, vocabulary: Vocabulary, document: Vocabulary) -> str | None:
    if not tail.isalpha() or not tail.islower() or not head.isalpha():
        return None
    if vocabulary.is_word(head) and vocabulary.is_word(tail):
        return None
    for lost in _LOST:
        joined = head + lost + tail
        if document.knows(joined):
            return joined
    return None


def _complete(word: str, vocabulary: Vocabulary, document: Vocabulary) -> str | None:
    if len(word) < 3 or not word.isalpha() or not word.islower() or vocabulary.is_word(word):
        return None
    for lost in _LOST_END:
        if vocabulary.is_word(word + lost) and document.knows(word + lost):
            return word + lost
    return None


def fragments(text: str) -> list[str]:
    """The words of a text (used by tests and the vocabulary builder)."""
    return WORD.findall(text)
