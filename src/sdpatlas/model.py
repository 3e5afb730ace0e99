"""The domain model of SDP Atlas: the one place where the domain is defined.

Every value is a frozen dataclass. Loaders (``dataset``, ``store``) produce a
:class:`Dataset`; everything else consumes it. Each fact carries the ids of the
sources that support it in a ``sources`` tuple.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property, total_ordering

AreaId = int
PartyCode = str
SourceId = str
Sources = tuple[SourceId, ...]


class Coverage(StrEnum):
    """Whether an agreement covers an area of cooperation (Table 1's cell)."""

    YES = "yes"
    NO = "no"
    ALREADY_EXISTS = "already_exists"
    UNKNOWN = "unknown"


class PartnershipStatus(StrEnum):
    """Where a (prospective) partnership stands."""

    SIGNED = "signed"
    NEGOTIATING = "negotiating"
    EXPLORING = "exploring"
    PROPOSED = "proposed"


class Confidence(StrEnum):
    """How well a source's claims have been checked (FACTS.md tags)."""

    VERIFIED = "verified"
    SECONDARY = "secondary"
    UNVERIFIED = "unverified"


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    """An ISO 8601 calendar date that may be known only to the month or year.

    **Order.** Dates compare as ``(year, month or 0, day or 0)``: by the first day they can
    denote, and among dates that start on the same day, the less precise first. So
    ``2025 < 2025-01 < 2025-01-01 < 2025-01-02 < 2025-02 < 2026``. The order is total and
    agrees with ``==`` and ``hash`` (equal exactly when year, month and day are equal), and it
    never contradicts :meth:`earliest` (``a < b`` implies ``a.earliest() <= b.earliest()``).

    **As-of cuts.** A date counts as on or before a day when its earliest possible day is
    (:meth:`on_or_before`): a signature dated ``2025`` counts as signed by 2025-01-01. Every
    as-of comparison goes through that one method, and :mod:`sdpatlas.snapshots` dates the
    change at :meth:`earliest`.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError(f"a day ({self.day}) needs a month: {self.year}-??-{self.day}")
        month, day = (1 if v is None else v for v in (self.month, self.day))
        dt.date(self.year, month, day)  # ValueError for impossible dates (also month 0, day 0)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError otherwise."""
        match = _PARTIAL_DATE.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        return cls(year, month, day)

    def earliest(self) -> dt.date:
        """The first day the date can denote (the day it takes effect in as-of cuts)."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def on_or_before(self, day: dt.date) -> bool:
        """Whether the date counts as on or before ``day``: its earliest possible day is."""
        return self.earliest() <= day

    def sort_key(self) -> tuple[int, int, int]:
        """``(year, month or 0, day or 0)``: the key of the total order (see the class)."""
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key() < other.sort_key()

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text


@dataclass(frozen=True)
class Source:
    """A cited document."""

    id: SourceId
    title: str
    issuer: str
    kind: str
    confidence: Confidence
    date: PartialDate | None = None
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Cluster:
    """A thematic group of areas of cooperation."""

    key: str
    label: str


@dataclass(frozen=True)
class Area:
    """One of Table 1's 26 areas of cooperation."""

    id: AreaId
    key: str
    label: str
    short: str
    cluster: str
    definition: str


@dataclass(frozen=True)
class Group:
    """A grouping of parties, such as NATO Allies or EU candidate countries."""

    key: str
    label: str
    description: str
    sources: Sources = ()


@dataclass(frozen=True)
class Membership:
    """A party's membership of a group, from ``since`` until ``until`` (open if None)."""

    group: str
    sources: Sources
    since: PartialDate | None = None
    until: PartialDate | None = None
    note: str | None = None

    def active(self, on: dt.date) -> bool:
        """Whether the membership holds on the given day (unknown start counts as held)."""
        started = self.since is None or self.since.on_or_before(on)
        ended = self.until is not None and self.until.on_or_before(on)
        return started and not ended


@dataclass(frozen=True)
class Party:
    """A country or organisation, identified by ISO 3166-1 alpha-3 (or a local code)."""

    code: PartyCode
    name: str
    kind: str
    region: str
    aliases: tuple[str, ...] = ()
    official_name: str | None = None
    memberships: tuple[Membership, ...] = ()
    note: str | None = None

    def groups_on(self, on: dt.date) -> tuple[str, ...]:
        """Keys of the groups this party belongs to on a given day."""
        return tuple(dict.fromkeys(m.group for m in self.memberships if m.active(on)))


@dataclass(frozen=True)
class Event:
    """A dated step in a partnership's life (launched, signed, …)."""

    kind: str
    date: PartialDate
    sources: Sources
    place: str | None = None
    occasion: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Signatory:
    """Who signed (or adopted) a partnership, on the EU's side or the partner's."""

    side: str
    role: str
    sources: Sources
    name: str | None = None


@dataclass(frozen=True)
class Dialogue:
    """A dialogue mechanism a partnership sets up or builds on."""

    name: str
    sources: Sources
    level: str | None = None
    frequency: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Amount:
    """A sum of money in a currency (ISO 4217)."""

    value: float
    currency: str


@dataclass(frozen=True)
class Commitment:
    """A notable commitment or instrument tied to a partnership, with its status."""

    key: str
    label: str
    status: str
    sources: Sources
    date: PartialDate | None = None
    amounts: tuple[Amount, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Note:
    """Any other sourced statement about a partnership, under a topic."""

    topic: str
    text: str
    sources: Sources
    date: PartialDate | None = None


@dataclass(frozen=True)
class DeclaredAreas:
    """How many areas (or themes) the agreement text itself declares."""

    count: int
    unit: str
    sources: Sources


@dataclass(frozen=True)
class CoverageCell:
    """One cell of Table 1: a partnership's status on one area."""

    area: AreaId
    status: Coverage
    sources: Sources
    note: str | None = None


@dataclass(frozen=True)
class Partnership:
    """A Security and Defence Partnership with one partner, signed or prospective."""

    partner: PartyCode
    status: PartnershipStatus
    title: str
    summary: str
    sources: Sources
    events: tuple[Event, ...] = ()
    signatories: tuple[Signatory, ...] = ()
    dialogues: tuple[Dialogue, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    declared: DeclaredAreas | None = None
    coverage: tuple[CoverageCell, ...] = ()
    notes: tuple[Note, ...] = ()

    def event(self, kind: str) -> Event | None:
        """The first event of a kind, if any."""
        return next((e for e in self.events if e.kind == kind), None)

    @property
    def signed(self) -> PartialDate | None:
        """The signature date, if signed."""
        event = self.event("signed")
        return event.date if event else None

    @cached_property
    def _statuses(self) -> dict[AreaId, Coverage]:
        found: dict[AreaId, Coverage] = {}
        for c in self.coverage:
            found.setdefault(c.area, c.status)
        return found

    def status_of(self, area: AreaId) -> Coverage:
        """The coverage status of an area (``unknown`` when not coded)."""
        return self._statuses.get(area, Coverage.UNKNOWN)

    def cited(self) -> Sources:
        """Every source id behind any fact of the partnership, first citation first."""
        groups: list[Sources] = [self.sources]
        groups += [e.sources for e in self.events]
        groups += [s.sources for s in self.signatories]
        groups += [d.sources for d in self.dialogues]
        groups += [c.sources for c in self.commitments]
        groups += [c.sources for c in self.coverage]
        groups += [n.sources for n in self.notes]
        if self.declared:
            groups.append(self.declared.sources)
        return tuple(dict.fromkeys(s for group in groups for s in group))

    @property
    def assessed(self) -> bool:
        """Whether any area has been coded (not all ``unknown``)."""
        return any(c.status is not Coverage.UNKNOWN for c in self.coverage)


@dataclass(frozen=True)
class Claim:
    """One source's version of a contested fact."""

    value: str
    sources: Sources
    preferred: bool = False
    note: str | None = None


@dataclass(frozen=True)
class Conflict:
    """A fact on which sources disagree: every claim kept, one preferred, with why."""

    id: str
    subject: str
    reason: str
    claims: tuple[Claim, ...]
    entity: str | None = None
    field: str | None = None

    @property
    def preferred(self) -> Claim:
        """The claim the dataset adopts."""
        return next(c for c in self.claims if c.preferred)


@dataclass(frozen=True)
class Milestone:
    """A dated event outside any one partnership's lifecycle (Compass, SAFE, Parliament)."""

    id: str
    date: PartialDate
    kind: str
    title: str
    summary: str
    sources: Sources
    parties: tuple[PartyCode, ...] = ()


@dataclass(frozen=True)
class Resolution:
    """A European Parliament resolution and what it calls for."""

    id: str
    date: PartialDate
    title: str
    calls_for: tuple[str, ...]
    sources: Sources
    reference: str | None = None
    partners: tuple[PartyCode, ...] = ()


@dataclass(frozen=True)
class Instrument:
    """A policy or legal instrument the partnerships relate to (Strategic Compass, SAFE)."""

    id: str
    name: str
    kind: str
    summary: str
    sources: Sources
    adopted: PartialDate | None = None
    reference: str | None = None
    elements: tuple[str, ...] = ()


@dataclass(frozen=True)
class Release:
    """The dataset's own version (``YYYY.MM.N``, apart from the software's) and the day
    up to which its facts were checked."""

    version: str
    coverage: PartialDate

    def __str__(self) -> str:
        return f"{self.version} (facts checked up to {self.coverage})"


@dataclass(frozen=True)
class Dataset:
    """The whole dataset; lookups by id are methods, never re-parsing."""

    areas: tuple[Area, ...]
    clusters: tuple[Cluster, ...]
    groups: tuple[Group, ...]
    parties: tuple[Party, ...]
    partnerships: tuple[Partnership, ...]
    sources: tuple[Source, ...]
    conflicts: tuple[Conflict, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    resolutions: tuple[Resolution, ...] = ()
    instruments: tuple[Instrument, ...] = ()
    content_hash: str = field(default="", compare=False)
    release: Release | None = None

    @cached_property
    def _index(self) -> _Index:
        return _Index(self)

    def area(self, area_id: AreaId) -> Area:
        """The area with an id; KeyError if absent."""
        return self._index.areas[area_id]

    def party(self, code: PartyCode) -> Party:
        """The party with a code; KeyError if absent."""
        return self._index.parties[code]

    def partnership(self, code: PartyCode) -> Partnership | None:
        """The partnership with a partner, if any."""
        return self._index.partnerships.get(code)

    def source(self, source_id: SourceId) -> Source:
        """The source with an id; KeyError if absent."""
        return self._index.sources[source_id]

    def group(self, key: str) -> Group:
        """The group with a key; KeyError if absent."""
        return self._index.groups[key]

    def signed(self, as_of: dt.date | None = None) -> tuple[Partnership, ...]:
        """Signed partnerships (by ``as_of`` if given), ordered by signature date."""
        found = self._index.signed.get(as_of)
        if found is None:
            chosen = [
                p
                for p in self.partnerships
                if p.signed is not None and (as_of is None or p.signed.on_or_before(as_of))
            ]
            found = tuple(sorted(chosen, key=lambda p: (p.signed or PartialDate(9999), p.partner)))
            if len(self._index.signed) < SIGNED_CACHED:
                self._index.signed[as_of] = found
        return found


SIGNED_CACHED = 4096  # dates whose signed partnerships a dataset remembers


class _Index:
    """A dataset's lookups by id, built once per dataset (it is immutable)."""

    def __init__(self, data: Dataset) -> None:
        self.areas = {a.id: a for a in data.areas}
        self.parties = {p.code: p for p in data.parties}
        self.partnerships: dict[PartyCode, Partnership] = {}
        for p in data.partnerships:
            self.partnerships.setdefault(p.partner, p)
        self.sources = {s.id: s for s in data.sources}
        self.groups = {g.key: g for g in data.groups}
        self.signed: dict[dt.date | None, tuple[Partnership, ...]] = {}
