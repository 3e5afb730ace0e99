"""What changed between two datasets: every record added, removed or changed, field by field.

Records are matched by their identity (a partner's code, an area's id, a source's id, an
event's kind and date, …), never by position, so reordering a file is no change. Each
:class:`Change` names its section, the record, the field, the old and new values as text,
and the sources the newer record cites, so a reader can check the change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sdpatlas.model import Dataset, PartialDate, Partnership

__all__ = ["Change", "diff"]

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class Change:
    """One difference: ``change`` is added, removed or changed; values are shown as text."""

    section: str
    key: str
    change: str
    field: str | None = None
    old: str | None = None
    new: str | None = None
    sources: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """The change as JSON-ready values."""
        return {"section": self.section, "key": self.key, "change": self.change,
                "field": self.field, "old": self.old, "new": self.new,
                "sources": list(self.sources)}


Keyed = Callable[[Any], str]

# A partnership's own lists: section name, attribute, identity of an item.
_PARTS: tuple[tuple[str, str, Keyed], ...] = (
    ("event", "events", lambda e: f"{e.kind} {e.date}"),
    ("signatory", "signatories", lambda s: f"{s.side} {s.role}"),
    ("dialogue", "dialogues", lambda d: d.name),
    ("commitment", "commitments", lambda c: c.key),
    ("note", "notes", lambda n: f"{n.topic}: {n.text[:60]}"),
    ("coverage", "coverage", lambda c: f"area {c.area}"),
)

# The dataset's top-level lists: section name, attribute, identity of a record.
_SECTIONS: tuple[tuple[str, str, Keyed], ...] = (
    ("area", "areas", lambda a: str(a.id)),
    ("cluster", "clusters", lambda c: c.key),
    ("group", "groups", lambda g: g.key),
    ("party", "parties", lambda p: p.code),
    ("source", "sources", lambda s: s.id),
    ("conflict", "conflicts", lambda c: c.id),
    ("milestone", "milestones", lambda m: m.id),
    ("resolution", "resolutions", lambda r: r.id),
    ("instrument", "instruments", lambda i: i.id),
)


def diff(old: Dataset, new: Dataset) -> tuple[Change, ...]:
    """Every difference from ``old`` to ``new``: partnerships first, then the rest."""
    changes = list(_partnerships(old.partnerships, new.partnerships))
    for section, attribute, key in _SECTIONS:
        changes += _records(section, getattr(old, attribute), getattr(new, attribute), key)
    return tuple(changes)


def _partnerships(old: Sequence[Partnership], new: Sequence[Partnership]) -> list[Change]:
    before = {p.partner: p for p in old}
    after = {p.partner: p for p in new}
    changes: list[Change] = []
    for code in _ordered(before, after):
        a, b = before.get(code), after.get(code)
        if a is None or b is None:
            changes.append(_whole("partnership", code, a, b))
            continue
        skip = {attribute for _, attribute, _ in _PARTS}
        changes += _fields("partnership", code, a, b, skip)
        for section, attribute, key in _PARTS:
            changes += _records(section, getattr(a, attribute), getattr(b, attribute), key,
                                prefix=f"{code} ")
    return changes


def _records(section: str, old: Iterable[Any], new: Iterable[Any], key: Keyed,
             prefix: str = "") -> list[Change]:
    before = _index(old, key)
    after = _index(new, key)
    changes: list[Change] = []
    for name in _ordered(before, after):
        a, b = before.get(name), after.get(name)
        label = prefix + name
        if a is None or b is None:
            changes.append(_whole(section, label, a, b))
        else:
            changes += _fields(section, label, a, b)
    return changes


def _index(items: Iterable[Any], key: Keyed) -> dict[str, Any]:
    """Items by identity; a repeated identity gets a counter so none is lost."""
    out: dict[str, Any] = {}
    for item in items:
        name = key(item)
        n = 2
        while name in out:
            name = f"{key(item)} #{n}"
            n += 1
        out[name] = item
    return out


def _ordered(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return list(before) + [k for k in after if k not in before]


def _whole(section: str, key: str, old: Any, new: Any) -> Change:
    record = new if new is not None else old
    return Change(section, key, ADDED if old is None else REMOVED, None,
                  None if old is None else _summary(old), None if new is None else _summary(new),
                  _sources(record))


def _fields(section: str, key: str, old: Any, new: Any,
            skip: frozenset[str] | set[str] = frozenset()) -> list[Change]:
    changes = []
    for f in dataclasses.fields(old):
        if f.name in skip or f.name == "sources":
            continue
        a, b = getattr(old, f.name), getattr(new, f.name)
        if a != b:
            changes.append(Change(section, key, CHANGED, f.name, show(a), show(b),
                                  _sources(new)))
    if _sources(old) != _sources(new):
        changes.append(Change(section, key, CHANGED, "sources", ", ".join(_sources(old)),
                              ", ".join(_sources(new)), _sources(new)))
    return changes


def _sources(record: Any) -> tuple[str, ...]:
    return tuple(getattr(record, "sources", ()) or ())


def _summary(record: Any) -> str:
    """A short line naming a whole record (its main fields)."""
    parts = []
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if f.name == "sources" or value in (None, (), ""):
            continue
        if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
            continue
        parts.append(f"{f.name}: {show(value)}")
    return "; ".join(parts[:4])


def show(value: object) -> str | None:
    """A value as text for a reader."""
    if value is None:
        return None
    if isinstance(value, Enum | PartialDate):
        return str(value)
    if isinstance(value, tuple):
        if value and dataclasses.is_dataclass(value[0]):
            return "; ".join(_summary(v) for v in value)
        return ", ".join(str(v) for v in value)
    if dataclasses.is_dataclass(value):
        return _summary(value)
    return str(value)
