"""The dated facts about one party that rules read: memberships, partnership, SAFE steps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sdpatlas.eligibility._decision import Fact, strongest
from sdpatlas.model import Confidence, Dataset, Event, Membership, Milestone, Partnership, Party
from sdpatlas.render.words import country, listing

SAFE_MILESTONE_KIND = "safe"


class Facts:
    """What the dataset says about a party, as of a day, with sources and confidence."""

    def __init__(self, data: Dataset, party: Party, on: dt.date,
                 confidence: dict[str, Confidence] | None = None) -> None:
        self.data = data
        self.party = party
        self.on = on
        self.labels = {g.key: g.label for g in data.groups}
        self._confidence = confidence if confidence is not None else source_confidence(data)
        self.partnership: Partnership | None = data.partnership(party.code)

    def confidence(self, sources: Iterable[str]) -> Confidence | None:
        """How well the best of some sources is checked (None when there are none)."""
        found = [self._confidence.get(s, Confidence.UNVERIFIED) for s in sources]
        return strongest(found) if found else None

    def fact(self, statement: str, sources: tuple[str, ...] = (), date: str | None = None) -> Fact:
        """A fact with the confidence of its sources."""
        return Fact(statement, sources, self.confidence(sources), date)

    @property
    def subject(self) -> str:
        """The party's name at the start of a sentence (``The United Kingdom``)."""
        name = country(self.party.name)
        return name[:1].upper() + name[1:]

    def label(self, group: str) -> str:
        """A group's label (its key when unknown)."""
        return self.labels.get(group, group)

    def memberships(self, groups: Iterable[str]) -> list[Membership]:
        """The party's memberships of some groups that hold on the day."""
        wanted = set(groups)
        return [m for m in self.party.memberships if m.group in wanted and m.active(self.on)]

    def membership_fact(self, m: Membership) -> Fact:
        """``Norway is among the EEA EFTA States since 1994-01-01``."""
        since = f" since {m.since}" if m.since else ""
        until = f" until {m.until}" if m.until else ""
        return self.fact(f"{self.subject} is among the {self.label(m.group)}{since}{until}",
                         m.sources, str(m.since) if m.since else None)

    def not_member_fact(self, groups: Iterable[str]) -> Fact:
        """The absence of any membership of some groups on the day (no source: no record)."""
        names = listing([self.label(g) for g in groups], "or")
        return Fact(f"{self.subject} is not recorded among the {names} on {self.on}")

    def signed(self) -> Event | None:
        """The SDP's signature event, if signed by the day."""
        p = self.partnership
        event = p.event("signed") if p else None
        return event if event and event.date.on_or_before(self.on) else None

    def event_fact(self, event: Event) -> Fact:
        """A partnership event as a fact."""
        where = f" ({event.place})" if event.place else ""
        return self.fact(f"SDP event '{event.kind}' on {event.date}{where}", event.sources,
                         str(event.date))

    def events_by_day(self) -> list[Event]:
        """The partnership's events up to the day."""
        p = self.partnership
        return [e for e in p.events if e.date.on_or_before(self.on)] if p else []

    def safe_milestones(self, until: dt.date | None = None) -> list[Milestone]:
        """SAFE milestones that name the party, up to a day (every one when None)."""
        return [m for m in self.data.milestones
                if m.kind == SAFE_MILESTONE_KIND and self.party.code in m.parties
                and (until is None or m.date.on_or_before(until))]

    def milestone_fact(self, m: Milestone) -> Fact:
        """A milestone as a fact."""
        return self.fact(f"{m.title} ({m.date}, milestone {m.id})", m.sources, str(m.date))


def source_confidence(data: Dataset) -> dict[str, Confidence]:
    """Each source id's confidence."""
    return {s.id: s.confidence for s in data.sources}
