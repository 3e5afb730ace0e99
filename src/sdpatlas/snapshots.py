"""The days on which the dataset's answers can change, and the snapshot any date falls in.

Every as-of answer (matrix, partners, areas, analysis, timeline, eligibility) reads the
dataset through two kinds of comparison only: "this dated fact is on or before the day"
(:meth:`PartialDate.on_or_before`, so also memberships' ``since``/``until``) and "the day lies
in this rule's window" (``start <= day <= end`` in ``data/rules/safe.yaml``). The first flips
on a fact's earliest day, the second on a window's start and on the day after its end. So the
answers for any two days with no change day between them are the same, and
:func:`canonical_as_of` maps a day to the latest change day on or before it (before the first
one, to the day before it). Only the echo of the date itself differs.

Many answers read fewer facts, so they change on fewer days. One party's SAFE answer reads its
own memberships, its own partnership, the milestones that name it and the rules' windows
(:meth:`Snapshots.of_party`); the matrix, the area pages and the comparative analysis read
which partnerships are signed and their partners' groups (:meth:`Snapshots.of_partnerships`);
a partner's page reads both (their union, ``|``). Each is a subset of the dataset's days.

    >>> snapshots = Snapshots.of(data, rules)                  # doctest: +SKIP
    >>> day = date(2025, 6, 15)                                 # doctest: +SKIP
    >>> snapshots.canonical(day), snapshots.following(day)      # doctest: +SKIP
    (datetime.date(2025, 6, 2), datetime.date(2025, 6, 18))
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sdpatlas.model import Dataset, PartialDate

if TYPE_CHECKING:
    from sdpatlas.eligibility import RuleSet

__all__ = ["Snapshots", "canonical_as_of", "snapshot_dates"]

_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Snapshots:
    """The change days of a dataset (and its SAFE rules), oldest first."""

    days: tuple[dt.date, ...]

    @classmethod
    def of(cls, data: Dataset, rules: RuleSet | None = None) -> Snapshots:
        """The change days of ``data``, and of the windows of ``rules`` when given."""
        return cls(snapshot_dates(data, rules))

    @classmethod
    def of_party(cls, data: Dataset, code: str, rules: RuleSet | None = None) -> Snapshots:
        """The days on which party ``code``'s own answers (its SAFE decision) can change."""
        days = {date.earliest() for date in _dated_for(data, code)}
        days.update(_rule_days(rules) if rules is not None else ())
        return cls(tuple(sorted(days)))

    @classmethod
    def of_partnerships(cls, data: Dataset) -> Snapshots:
        """The days on which a partnership is signed, or a party with a partnership joins or
        leaves a group."""
        return cls(tuple(sorted({date.earliest() for date in _dated_partnerships(data)})))

    def __or__(self, other: Snapshots) -> Snapshots:
        return Snapshots(tuple(sorted({*self.days, *other.days})))

    def canonical(self, day: dt.date) -> dt.date:
        """The latest change day on or before ``day`` (the day before the first change when
        ``day`` precedes them all): every as-of answer is the same for both."""
        index = bisect_right(self.days, day)
        if index:
            return self.days[index - 1]
        return self.days[0] - _DAY if self.days else day

    def following(self, day: dt.date) -> dt.date | None:
        """The first change day after ``day`` (where its snapshot ends); None after the last."""
        index = bisect_right(self.days, day)
        return self.days[index] if index < len(self.days) else None


def snapshot_dates(data: Dataset, rules: RuleSet | None = None) -> tuple[dt.date, ...]:
    """Every day on which an as-of answer can change, oldest first."""
    days = {date.earliest() for date in _dated(data)}
    days.update(_rule_days(rules) if rules is not None else ())
    return tuple(sorted(days))


def canonical_as_of(data: Dataset, as_of: dt.date | None,
                    rules: RuleSet | None = None) -> dt.date | None:
    """``as_of``'s snapshot (see :meth:`Snapshots.canonical`); None (no cut) stays None."""
    return None if as_of is None else Snapshots.of(data, rules).canonical(as_of)


def _dated(data: Dataset) -> Iterator[PartialDate]:
    """Every date an as-of answer compares with the day."""
    for party in data.parties:
        for m in party.memberships:
            yield from (d for d in (m.since, m.until) if d is not None)
    for p in data.partnerships:
        yield from (e.date for e in p.events)
        yield from (c.date for c in p.commitments if c.date is not None)
    yield from (m.date for m in data.milestones)
    yield from (r.date for r in data.resolutions)
    yield from (i.adopted for i in data.instruments if i.adopted is not None)


def _dated_for(data: Dataset, code: str) -> Iterator[PartialDate]:
    """Every date one party's own answers compare with the day."""
    for party in data.parties:
        if party.code == code:
            for m in party.memberships:
                yield from (d for d in (m.since, m.until) if d is not None)
    for p in data.partnerships:
        if p.partner == code:
            yield from (e.date for e in p.events)
            yield from (c.date for c in p.commitments if c.date is not None)
    yield from (m.date for m in data.milestones if code in m.parties)


def _dated_partnerships(data: Dataset) -> Iterator[PartialDate]:
    """Every date the signed partnerships and their partners' groups compare with the day."""
    partners = {p.partner for p in data.partnerships}
    for party in data.parties:
        if party.code in partners:
            for m in party.memberships:
                yield from (d for d in (m.since, m.until) if d is not None)
    yield from (p.signed for p in data.partnerships if p.signed is not None)


def _rule_days(rules: RuleSet) -> Iterator[dt.date]:
    """The first day each rule applies, and the first day it no longer does."""
    for rule in rules.rules:
        if rule.window.start is not None:
            yield rule.window.start
        if rule.window.end is not None and rule.window.end < dt.date.max:
            yield rule.window.end + _DAY
