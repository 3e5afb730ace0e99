"""Queries over the model: the matrix, comparisons, area coverage, the timeline.

Pure functions: each takes a Dataset and returns plain typed values that the
CLI, the renderers and the web all consume. An area counts as *covered* by an
agreement when its status is ``yes`` (``already_exists`` means the agreement
itself does not add it).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sdpatlas.model import (
    Area,
    AreaId,
    Commitment,
    Coverage,
    CoverageCell,
    Dataset,
    Dialogue,
    Event,
    Instrument,
    Milestone,
    PartialDate,
    Partnership,
    Party,
    PartyCode,
    Resolution,
    Signatory,
    Sources,
)

__all__ = [
    "ORDERS",
    "PRIMARY_GROUPS",
    "Comparison",
    "Matrix",
    "TimelineEntry",
    "area_coverage",
    "assessed",
    "compare",
    "matrix",
    "not_assessed",
    "primary_group",
    "source_usage",
    "timeline",
]

# Order in which a partner's groups decide its column block (Table 1's layout).
PRIMARY_GROUPS = ("eu-candidate", "nato-ally", "eea-efta", "nato-global-partner")
ORDERS = ("date", "group", "name")


def assessed(data: Dataset, as_of: dt.date | None = None) -> tuple[Partnership, ...]:
    """The signed partnerships (by ``as_of``) whose areas have been assessed.

    The one definition every count of coverage rests on ("covered by 9 of 9"): a signed
    partnership whose every cell is still ``unknown`` is not counted, in any total.
    """
    return tuple(p for p in data.signed(as_of) if p.assessed)


def not_assessed(data: Dataset, as_of: dt.date | None = None) -> tuple[Partnership, ...]:
    """The signed partnerships (by ``as_of``) whose areas are not yet assessed."""
    return tuple(p for p in data.signed(as_of) if not p.assessed)


def primary_group(party: Party, on: dt.date) -> str | None:
    """The first of PRIMARY_GROUPS the party belongs to on a day, if any."""
    held = party.groups_on(on)
    return next((g for g in PRIMARY_GROUPS if g in held), None)


@dataclass(frozen=True)
class Matrix:
    """Table 1: partnerships as columns, areas as rows."""

    partnerships: tuple[Partnership, ...]
    parties: tuple[Party, ...]
    areas: tuple[Area, ...]
    column_groups: tuple[str | None, ...]
    as_of: dt.date | None = None

    def status(self, code: PartyCode, area: AreaId) -> Coverage:
        """The cell for one partner and one area."""
        partnership = next(p for p in self.partnerships if p.partner == code)
        return partnership.status_of(area)

    def row_total(self, area: AreaId) -> int:
        """How many of the shown partnerships cover an area."""
        return sum(p.status_of(area) is Coverage.YES for p in self.partnerships)

    def column_total(self, code: PartyCode) -> int:
        """How many of the shown areas a partnership covers."""
        return sum(self.status(code, a.id) is Coverage.YES for a in self.areas)


def matrix(data: Dataset, *, partners: Iterable[PartyCode] = (), areas: Iterable[AreaId] = (),
           groups: Iterable[str] = (), clusters: Iterable[str] = (),
           as_of: dt.date | None = None, order: str = "date") -> Matrix:
    """The coverage matrix of signed partnerships, filtered and ordered.

    ``groups`` keeps partners in any of the groups (on ``as_of``, or today);
    ``as_of`` keeps only what was signed by then.
    """
    on = as_of or dt.date.today()
    wanted, in_groups = set(partners), set(groups)
    chosen = [p for p in data.signed(as_of)
              if (not wanted or p.partner in wanted)
              and (not in_groups or in_groups & set(data.party(p.partner).groups_on(on)))]
    keys = {"date": lambda p: (_signed(p), p.partner),
            "name": lambda p: (data.party(p.partner).name, ""),
            "group": lambda p: (_group_rank(data.party(p.partner), on), _signed(p))}
    if order not in keys:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
    chosen.sort(key=keys[order])
    area_ids, cluster_keys = set(areas), set(clusters)
    rows = tuple(a for a in data.areas
                 if (not area_ids or a.id in area_ids)
                 and (not cluster_keys or a.cluster in cluster_keys))
    parties = tuple(data.party(p.partner) for p in chosen)
    return Matrix(partnerships=tuple(chosen), parties=parties, areas=rows,
                  column_groups=tuple(primary_group(p, on) for p in parties), as_of=as_of)


def _signed(p: Partnership) -> dt.date:
    return (p.signed or PartialDate(9999)).earliest()


def _group_rank(party: Party, on: dt.date) -> int:
    group = primary_group(party, on)
    return PRIMARY_GROUPS.index(group) if group else len(PRIMARY_GROUPS)


@dataclass(frozen=True)
class Comparison:
    """Two or more partnerships side by side."""

    partners: tuple[PartyCode, ...]
    shared: tuple[AreaId, ...]
    only: dict[PartyCode, tuple[AreaId, ...]]
    rows: tuple[tuple[Area, tuple[Coverage, ...]], ...]
    differing: tuple[AreaId, ...] = field(default=())


def compare(data: Dataset, codes: Iterable[PartyCode]) -> Comparison:
    """Shared areas, areas only one of them covers, and the full side-by-side rows."""
    chosen = tuple(dict.fromkeys(codes))
    if len(chosen) < 2:
        raise ValueError("compare needs at least two different partners")
    partnerships = []
    for code in chosen:
        found = data.partnership(code)
        if found is None or not found.coverage:
            raise ValueError(f"{code} has no coded partnership to compare")
        partnerships.append(found)
    rows = tuple((a, tuple(p.status_of(a.id) for p in partnerships)) for a in data.areas)
    covered = {p.partner: {a.id for a, s in rows if s[i] is Coverage.YES}
               for i, p in enumerate(partnerships)}
    shared = set.intersection(*covered.values())
    only = {code: tuple(sorted(covered[code] - set().union(*(covered[o] for o in chosen
                                                             if o != code))))
            for code in chosen}
    differing = tuple(a.id for a, s in rows if len(set(s)) > 1)
    return Comparison(partners=chosen, shared=tuple(sorted(shared)), only=only, rows=rows,
                      differing=differing)


def area_coverage(data: Dataset, area: AreaId,
                  as_of: dt.date | None = None) -> dict[Coverage, tuple[PartyCode, ...]]:
    """Signed partners grouped by their status on one area."""
    out: dict[Coverage, list[PartyCode]] = {status: [] for status in Coverage}
    for p in data.signed(as_of):
        out[p.status_of(area)].append(p.partner)
    return {status: tuple(codes) for status, codes in out.items()}


@dataclass(frozen=True)
class TimelineEntry:
    """One dated thing that happened."""

    date: PartialDate
    category: str
    kind: str
    title: str
    parties: tuple[PartyCode, ...]
    sources: Sources


_ACRONYMS = frozenset({"safe", "sdp", "ep", "eu", "eda", "pesco", "nato"})


def event_label(kind: str) -> str:
    """A lifecycle event kind as words (``safe-negotiations-concluded`` → SAFE negotiations …)."""
    return " ".join(w.upper() if w in _ACRONYMS else w for w in kind.split("-"))


def timeline(data: Dataset, as_of: dt.date | None = None) -> tuple[TimelineEntry, ...]:
    """Everything dated in the dataset, oldest first."""
    entries = [TimelineEntry(e.date, "partnership", e.kind,
                             f"{data.party(p.partner).name}: {event_label(e.kind)}"
                             + (f" ({e.occasion})" if e.occasion else ""),
                             (p.partner,), e.sources)
               for p in data.partnerships for e in p.events]
    entries += [TimelineEntry(m.date, "milestone", m.kind, m.title, m.parties, m.sources)
                for m in data.milestones]
    entries += [TimelineEntry(r.date, "parliament", "resolution", r.title, r.partners, r.sources)
                for r in data.resolutions]
    entries += [TimelineEntry(i.adopted, "instrument", i.kind, f"{i.name} adopted", (), i.sources)
                for i in data.instruments if i.adopted is not None]
    if as_of is not None:
        entries = [e for e in entries if e.date.on_or_before(as_of)]
    return tuple(sorted(entries, key=lambda e: (e.date.earliest(), e.category, e.title)))


def source_usage(data: Dataset) -> Counter[str]:
    """How many facts cite each source."""
    counts: Counter[str] = Counter()
    for group in data.groups:
        counts.update(group.sources)
    for party in data.parties:
        for m in party.memberships:
            counts.update(m.sources)
    for p in data.partnerships:
        counts.update(p.sources)
        items: list[Event | Signatory | Dialogue | Commitment | CoverageCell] = [
            *p.events, *p.signatories, *p.dialogues, *p.commitments, *p.coverage]
        for item in items:
            counts.update(item.sources)
        if p.declared:
            counts.update(p.declared.sources)
    for conflict in data.conflicts:
        for claim in conflict.claims:
            counts.update(claim.sources)
    things: list[Milestone | Resolution | Instrument] = [
        *data.milestones, *data.resolutions, *data.instruments]
    for thing in things:
        counts.update(thing.sources)
    return counts
