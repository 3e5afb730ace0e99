"""Which lexicon entries could only have been written from held-out text.

Every entry the tagger can match — terms, threats, acronyms, patterns and their triggers,
exclusions and cues — is matched on its own, with the tagger's own syntax, against the
development texts and the held-out texts. An entry that matches held-out text but no
development text is contamination: nothing the rules were allowed to see asked for it. The
same holds for the learned scorer's weighed words and terms (``learned_entries``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sdpatlas.coding.lexicon import TIERS, Entry, _Builder

__all__ = ["LexiconEntry", "held_out_only", "learned_entries", "lexicon_entries"]

Matches = Callable[[str], bool]


@dataclass(frozen=True)
class LexiconEntry:
    """One matchable entry: where it sits in the lexicon file, and how it matches."""

    where: str
    value: str
    matches: Matches

    def __str__(self) -> str:
        return f"{self.where}: {self.value}"


def lexicon_entries(raw: Mapping[str, Any]) -> list[LexiconEntry]:
    """Every matchable entry of a parsed lexicon file."""
    out: list[LexiconEntry] = []
    for group, terms in (raw.get("cues") or {}).items():
        out += [_term(f"cues.{group}", t) for t in terms or ()]
    for key, body in (raw.get("areas") or {}).items():
        out += list(_area_entries(f"areas.{key}", body or {}))
    return out


def _area_entries(where: str, body: Mapping[str, Any]) -> Iterator[LexiconEntry]:
    for tier in TIERS:
        yield from (_term(f"{where}.{tier}", t) for t in body.get(tier) or ())
    for tier, terms in (body.get("threats") or {}).items():
        yield from (_term(f"{where}.threats.{tier}", t) for t in terms or ())
    yield from (_term(f"{where}.exclusions", t) for t in body.get("exclusions") or ())
    for tier, names in (body.get("acronyms") or {}).items():
        yield from (_acronym(f"{where}.acronyms.{tier}", n) for n in names or ())
    for item in body.get("patterns") or ():
        yield LexiconEntry(f"{where}.patterns", str(item.get("name", item["regex"])),
                           _searcher(re.compile(str(item["regex"]), re.IGNORECASE)))
        for term in item.get("trigger") or ():
            yield _term(f"{where}.patterns.trigger", str(term))


def learned_entries(weights: Mapping[str, float]) -> list[LexiconEntry]:
    """Every text feature the learned scorer weighs: a word ("w:…") or a matched term
    ("term:…"), alone or for an area ("a5|term:…")."""
    out: list[LexiconEntry] = []
    for name in sorted(weights):
        feature = name.partition("|")[2] or name
        kind, _, value = feature.partition(":")
        if kind in ("w", "term") and value:
            words = r"[\s\-–—]+".join(re.escape(w) for w in value.split())
            regex = re.compile(rf"(?<!\w){words}(?:e?s)?(?!\w)", re.IGNORECASE)
            out.append(LexiconEntry("learned.weights", name, _searcher(regex)))
    return out


def _term(where: str, term: str) -> LexiconEntry:
    builder = _Builder({})
    builder.add_term(str(term), Entry(0, 1.0, "term", str(term)))
    matcher = builder.matcher()
    return LexiconEntry(where, str(term),
                        lambda text: next(iter(matcher.hits(text)), None) is not None)


def _acronym(where: str, name: str) -> LexiconEntry:
    regex = re.compile(r"(?<![\w/-])" + re.escape(str(name)) + r"(?:s|'s|’s)?(?![\w])")
    return LexiconEntry(where, str(name), _searcher(regex))


def _searcher(regex: re.Pattern[str]) -> Matches:
    return lambda text: regex.search(text) is not None


def held_out_only(entries: Iterable[LexiconEntry], dev: Iterable[str],
                  held_out: Iterable[str]) -> list[LexiconEntry]:
    """The entries that match some held-out text and no development text."""
    dev_texts, held_texts = list(dev), list(held_out)
    return [e for e in entries
            if any(e.matches(t) for t in held_texts) and not any(e.matches(t) for t in dev_texts)]
