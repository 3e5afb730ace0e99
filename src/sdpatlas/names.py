"""Resolving what users type ("uk", "South Korea", "maritime", "15") to dataset ids."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable

from sdpatlas.errors import AtlasError
from sdpatlas.model import Area, Dataset, Group, Party

__all__ = ["UnknownName", "resolve_area", "resolve_group", "resolve_party"]


class UnknownName(AtlasError, LookupError):
    """A name matched nothing; ``suggestions`` holds the closest known names."""

    code = "unknown-name"

    def __init__(self, kind: str, text: str, suggestions: tuple[str, ...]) -> None:
        self.kind = kind
        self.text = text
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown {kind} {text!r}{hint}")


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(ch if ch.isalnum() else " " for ch in decomposed
                   if not unicodedata.combining(ch))
    return " ".join(kept.split())


def _similarity(typed: str, name: str) -> float:
    """How alike two folded names are, also against the start of a longer name."""
    whole = difflib.SequenceMatcher(None, typed, name).ratio()
    start = difflib.SequenceMatcher(None, typed, name[: len(typed) + 2]).ratio()
    return max(whole, start, 1.0 if typed and typed in name.split() else 0.0)


def _match(kind: str, text: str, names: dict[str, str],
           display: Callable[[str], str] = str) -> str:
    key = fold(text)
    if key in names:
        return names[key]
    words = set(key.split())
    containing = {value for name, value in names.items() if words and words <= set(name.split())}
    if len(containing) == 1:
        return containing.pop()
    scored = sorted(((_similarity(key, name), name) for name in names), reverse=True)
    close = [name for score, name in scored if score >= 0.6][:5]
    suggestions = tuple(dict.fromkeys(display(names[c]) for c in close))
    raise UnknownName(kind, text, suggestions)


def resolve_party(data: Dataset, text: str) -> Party:
    """The party named by a code, name or alias (case-insensitive)."""
    names: dict[str, str] = {}
    for party in data.parties:
        for name in (party.code, party.name, party.official_name or "", *party.aliases):
            if name:
                names.setdefault(fold(name), party.code)
    return data.party(_match("partner", text, names,
                             lambda code: f"{data.party(code).name} ({code})"))


def resolve_area(data: Dataset, text: str) -> Area:
    """The area named by its number, key, short label or label."""
    names: dict[str, str] = {}
    for area in data.areas:
        for name in (str(area.id), area.key, area.short, area.label):
            names.setdefault(fold(name), str(area.id))
    return data.area(int(_match("area", text, names,
                                lambda i: f"{i} ({data.area(int(i)).short})")))


def resolve_group(data: Dataset, text: str) -> Group:
    """The group named by its key or label."""
    names: dict[str, str] = {}
    for group in data.groups:
        for name in (group.key, group.label):
            names.setdefault(fold(name), group.key)
    return data.group(_match("group", text, names))
