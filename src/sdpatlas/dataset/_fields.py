"""Typed, located access to YAML mappings, recording findings instead of raising."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar
from urllib.parse import urlsplit

from sdpatlas.findings import Finding, finding
from sdpatlas.model import PartialDate
from sdpatlas.yamlio import Mapping, Sequence, Value

E = TypeVar("E", bound=StrEnum)
YEARS = range(1900, 2101)
MAX_PER_CODE = 200


@dataclass(frozen=True)
class Ref:
    """A reference to be resolved once every file is read (source, party, area, group)."""

    kind: str
    target: str
    file: str
    line: int
    field: str


@dataclass
class Context:
    """What a load collects across files: findings and references to resolve.

    At most :data:`MAX_PER_CODE` findings of one code are kept; the rest are counted, so
    a file full of one mistake cannot fill the memory or the screen.
    """

    findings: list[Finding] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    kept: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)

    def report(self, code: str, message: str, file: str, line: int | None, name: str) -> None:
        """Record a finding at a location."""
        if self.full(code):
            self.dropped[code] += 1
            return
        self.kept[code] += 1
        self.findings.append(finding(code, message, file=file, line=line, field=name))

    def full(self, code: str) -> bool:
        """Whether no more findings of this code are kept."""
        return self.kept[code] >= MAX_PER_CODE

    def summarise(self) -> None:
        """One finding per code that had findings dropped, saying how many."""
        for code, count in sorted(self.dropped.items()):
            self.findings.append(finding(code, f"… and {count:,} more {code} finding(s) not "
                                         "listed; fix the ones above and validate again"))
        self.dropped.clear()


class Fields:
    """One mapping of a data file, read field by field with type checks."""

    def __init__(self, mapping: Mapping, ctx: Context, path: str, allowed: set[str]) -> None:
        self.mapping = mapping
        self.ctx = ctx
        self.path = path
        self.file = mapping.file
        for key in mapping:
            if key not in allowed:
                ctx.report("unknown-field", f"{key!r} is not a field here (allowed: "
                           f"{', '.join(sorted(allowed))})", self.file, mapping.line_of(key),
                           self._name(key))

    def _name(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def line(self, key: str) -> int:
        """The line of a key, or of the mapping when absent."""
        return self.mapping.line_of(key)

    def _get(self, key: str, required: bool) -> Value:
        value = self.mapping.get(key)
        if value is None and required:
            self.ctx.report("missing-field", f"{key!r} is required", self.file,
                            self.mapping.line, self._name(key))
        return value

    def _wrong(self, key: str, expected: str, value: Value) -> None:
        self.ctx.report("wrong-type", f"{key!r} must be {expected}, not {value!r}",
                        self.file, self.line(key), self._name(key))

    def text(self, key: str, required: bool = True) -> str | None:
        """A string field."""
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, (bool, Mapping, Sequence)):
            self._wrong(key, "text", value)
            return None
        return str(value)

    def req_text(self, key: str) -> str:
        """A required string field ('' when missing; the finding is recorded)."""
        return self.text(key) or ""

    def integer(self, key: str, required: bool = True, minimum: int | None = None) -> int | None:
        """An integer field, at least ``minimum`` when one is given."""
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self._wrong(key, "a whole number", value)
            return None
        return value if self._at_least(key, value, minimum) else None

    def number(self, key: str, minimum: float | None = None) -> float | None:
        """A required number field, at least ``minimum`` when one is given."""
        value = self._get(key, True)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if value is not None:
                self._wrong(key, "a number", value)
            return None
        return float(value) if self._at_least(key, value, minimum) else None

    def _at_least(self, key: str, value: float, minimum: float | None) -> bool:
        if minimum is None or value >= minimum:
            return True
        self.ctx.report("out-of-range", f"{key!r} is {value}; it must be {minimum} or more",
                        self.file, self.line(key), self._name(key))
        return False

    def flag(self, key: str) -> bool:
        """An optional boolean field (false when absent)."""
        value = self._get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self._wrong(key, "true or false", value)
            return False
        return value

    def date(self, key: str, required: bool = False) -> PartialDate | None:
        """An ISO 8601 (possibly partial) date field."""
        value = self._get(key, required)
        if value is None:
            return None
        try:
            date = PartialDate.parse(str(value))
        except ValueError as exc:
            self.ctx.report("bad-date", str(exc), self.file, self.line(key), self._name(key))
            return None
        if date.year not in YEARS:
            self.ctx.report("out-of-range", f"{key!r} is {date}; dates must fall between "
                            f"{YEARS.start} and {YEARS.stop - 1}", self.file, self.line(key),
                            self._name(key))
            return None
        return date

    def period(self, start: str, end: str) -> tuple[PartialDate | None, PartialDate | None]:
        """Two date fields that bound a period; ``end`` may not come before ``start``."""
        since, until = self.date(start), self.date(end)
        if since is not None and until is not None and _before(until, since):
            self.ctx.report("date-range", f"{end!r} ({until}) comes before {start!r} ({since})",
                            self.file, self.line(end), self._name(end))
        return since, until

    def url(self, key: str) -> str | None:
        """An optional web address: absolute http:// or https://, without spaces."""
        value = self.text(key, False)
        if value is None:
            return None
        parts = urlsplit(value) if value.isprintable() and " " not in value else None
        if parts is None or parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
            self.ctx.report("bad-url", f"{key!r} is {value[:80]!r}; only http:// and https:// "
                            "addresses are allowed", self.file, self.line(key), self._name(key))
            return None
        return value

    def choice(self, key: str, enum: type[E], default: E | None = None) -> E | None:
        """A field whose value must be one of an enumeration's."""
        value = self._get(key, default is None)
        if value is None:
            return default
        try:
            return enum(str(value))
        except ValueError:
            allowed = ", ".join(e.value for e in enum)
            self.ctx.report("bad-value", f"{key!r} is {value!r}; allowed: {allowed}",
                            self.file, self.line(key), self._name(key))
            return default

    def strings(self, key: str, required: bool = False) -> tuple[str, ...]:
        """A list of strings (an inline ``[a, b]`` or block list)."""
        value = self._get(key, required)
        if value is None:
            return ()
        nested = isinstance(value, Sequence) and any(isinstance(v, (Mapping, Sequence))
                                                     for v in value)
        if not isinstance(value, Sequence) or nested:
            self._wrong(key, "a list of words", value)
            return ()
        return tuple(str(v) for v in value)

    def refs(self, key: str, kind: str, required: bool = False) -> tuple[str, ...]:
        """A list of ids to resolve later against another file."""
        values = self.strings(key, required)
        for value in values:
            self.ctx.refs.append(Ref(kind, value, self.file, self.line(key), self._name(key)))
        return values

    def sources(self, key: str = "sources") -> tuple[str, ...]:
        """The source ids behind a fact; at least one is required."""
        if key not in self.mapping or not self.mapping.get(key):
            self.ctx.report("missing-source", "this fact cites no source", self.file,
                            self.mapping.line, self._name(key))
            return ()
        return self.refs(key, "source")

    def ref(self, key: str, kind: str, required: bool = True) -> str | None:
        """A single id to resolve later."""
        value = self.text(key, required)
        if value is not None:
            self.ctx.refs.append(Ref(kind, value, self.file, self.line(key), self._name(key)))
        return value

    def children(self, key: str, required: bool = False) -> Iterator[tuple[Mapping, str]]:
        """The mappings of a list field, each with its path (``events[2]``)."""
        value = self._get(key, required)
        if value is None:
            return
        if not isinstance(value, Sequence):
            self._wrong(key, "a list", value)
            return
        for index, item in enumerate(value):
            path = f"{self._name(key)}[{index}]"
            if isinstance(item, Mapping):
                yield item, path
            else:
                self.ctx.report("wrong-type", f"each item must be a mapping, not {item!r}",
                                self.file, value.lines[index], path)

    def child(self, key: str) -> tuple[Mapping, str] | None:
        """A nested mapping field, with its path."""
        value = self._get(key, False)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self._wrong(key, "a mapping", value)
            return None
        return value, self._name(key)


def _before(a: PartialDate, b: PartialDate) -> bool:
    """Whether ``a`` certainly ends before ``b`` starts (compared at the coarser precision)."""
    def parts(d: PartialDate) -> tuple[int, ...]:
        return tuple(v for v in (d.year, d.month, d.day) if v is not None)

    first, second = parts(a), parts(b)
    size = min(len(first), len(second))
    return first[:size] < second[:size]
