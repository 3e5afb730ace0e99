"""Resolving what users type ("uk", "South Korea", "maritime", "15") to dataset ids."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from sdpatlas.errors import AtlasError
from sdpatlas.model import Area, Dataset, Group, Party

__all__ = ["UnknownName", "resolve_area", "resolve_group", "resolve_party"]

SIGNED = re.compile(r"\s*[-+\u2212]\s*([0-9]+)\s*")


class UnknownName(AtlasError, LookupError):
    """A name matched nothing; ``suggestions`` holds the closest known names."""

    code = "unknown-name"

    def __init__(self, kind: str, text: str, suggestions: tuple[str, ...],
                 why: str = "") -> None:
        self.kind = kind
        self.text = text
        self.suggestions = suggestions
        self.why = f" ({why})" if why else ""
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown {kind} {text!r}{self.why}{hint}")


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(ch if ch.isalnum() else " " for ch in decomposed
                   if not unicodedata.combining(ch))
    return " ".join(kept.split())


def _similarity(typed: str, name: str) -> float:
    """How alike two folded names are, also against the start of a longer name."""
    from difflib import SequenceMatcher  # only when a name is not found

    whole = SequenceMatcher(None, typed, name).ratio()
    start = SequenceMatcher(None, typed, name[: len(typed) + 2]).ratio()
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


# (id of a dataset, kind) → (that dataset, its folded names); the dataset is kept so that
# its id cannot be reused while the entry lives. A server resolves names on every request.
_INDEXES: dict[tuple[int, str], tuple[Dataset, dict[str, str]]] = {}
_MAX_INDEXES = 32


def _names(data: Dataset, kind: str, spellings: Callable[[], Iterable[tuple[str, str]]]
           ) -> dict[str, str]:
    """The folded spellings of one kind of name in a dataset, built once per dataset."""
    found = _INDEXES.get((id(data), kind))
    if found is not None and found[0] is data:
        return found[1]
    names: dict[str, str] = {}
    for name, value in spellings():
        if name:
            names.setdefault(fold(name), value)
    if len(_INDEXES) >= _MAX_INDEXES:
        _INDEXES.clear()
    _INDEXES[(id(data), kind)] = (data, names)
    return names


def resolve_party(data: Dataset, text: str) -> Party:
    """The party named by a code, name or alias (case-insensitive)."""
    names = _names(data, "partner", lambda: (
        (name, party.code) for party in data.parties
        for name in (party.code, party.name, party.official_name or "", *party.aliases)))
    return data.party(_match("partner", text, names,
                             lambda code: f"{data.party(code).name} ({code})"))


def resolve_area(data: Dataset, text: str) -> Area:
    """The area named by its number, key, short label or label (a signed number, which
    folding would turn into a plain one, names none)."""
    signed = SIGNED.fullmatch(text)
    if signed:
        unsigned = int(signed.group(1))
        near = tuple(f"{a.id} ({a.short})" for a in data.areas if a.id == unsigned)
        raise UnknownName("area", text, near, "an area number has no sign")
    names = _names(data, "area", lambda: (
        (name, str(area.id)) for area in data.areas
        for name in (str(area.id), area.key, area.short, area.label)))
    return data.area(int(_match("area", text, names,
                                lambda i: f"{i} ({data.area(int(i)).short})")))


def resolve_group(data: Dataset, text: str) -> Group:
    """The group named by its key or label."""
    names = _names(data, "group", lambda: (
        (name, group.key) for group in data.groups for name in (group.key, group.label)))
    return data.group(_match("group", text, names))
