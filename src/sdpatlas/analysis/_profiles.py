"""The coded data every statistic rests on: the signed, assessed partnerships and their cells.

A signed partnership whose every cell is ``unknown`` (signed but not yet assessed) is
left out of every statistic over coded data and listed in ``excluded`` instead; it is
the natural target of the predictor. Within an assessed partnership, a cell that is
still ``unknown`` is left out of the counts for that one area (``of`` counts only known
cells), so a partially coded partnership never counts as "not covering" an area.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sdpatlas.model import AreaId, Coverage, Dataset, PartialDate, Party, PartyCode

__all__ = ["REGION_LABELS", "Profiles", "features", "profiles"]

# Display order and labels of party.region values; unknown regions sort last by key.
REGION_LABELS = {
    "europe": "European partners",
    "north-america": "North American partners",
    "indo-pacific": "Indo-Pacific partners",
    "other": "Partners in other regions",
}


@dataclass(frozen=True, eq=False)
class Profiles:
    """Coverage of the signed, assessed partnerships, as of a day.

    ``partners`` are ordered by signature date (then code); ``statuses`` holds each
    partner's cells aligned with ``areas``. Groups are read on ``on`` (``as_of`` or today).
    """

    areas: tuple[AreaId, ...]
    partners: tuple[PartyCode, ...]
    statuses: Mapping[PartyCode, tuple[Coverage, ...]]
    signed: Mapping[PartyCode, dt.date]
    parties: Mapping[PartyCode, Party]
    excluded: tuple[PartyCode, ...]
    on: dt.date
    as_of: dt.date | None = None

    @property
    def n(self) -> int:
        """How many assessed partnerships the statistics rest on."""
        return len(self.partners)

    @cached_property
    def matrices(self) -> tuple[Any, Any]:
        """Covered and known indicators, partners × areas, as numpy float arrays."""
        import numpy as np

        shape = (len(self.partners), len(self.areas))
        covered = np.array([[s is Coverage.YES for s in self.statuses[c]]
                            for c in self.partners], dtype=float).reshape(shape)
        known = np.array([[s is not Coverage.UNKNOWN for s in self.statuses[c]]
                          for c in self.partners], dtype=float).reshape(shape)
        return covered, known

    def mask(self, members: tuple[PartyCode, ...]) -> Any:
        """A 0/1 numpy vector over ``partners`` marking the members."""
        import numpy as np

        chosen = set(members)
        return np.array([c in chosen for c in self.partners], dtype=float)

    def covered(self, code: PartyCode) -> frozenset[AreaId]:
        """The areas a partner covers (status ``yes``)."""
        return frozenset(a for a, s in zip(self.areas, self.statuses[code], strict=True)
                         if s is Coverage.YES)

    def features(self, code: PartyCode) -> frozenset[str]:
        """The groups and region a partner is described by (see :func:`features`)."""
        return features(self.parties[code], self.on)

    def without(self, code: PartyCode) -> Profiles:
        """The same profiles with one partner left out (for leave-one-out)."""
        return Profiles(self.areas, tuple(c for c in self.partners if c != code),
                        self.statuses, self.signed, self.parties, self.excluded, self.on,
                        self.as_of)


def features(party: Party, on: dt.date) -> frozenset[str]:
    """A party's groups on a day and its region, as ``group:KEY`` and ``region:KEY``."""
    return frozenset({*(f"group:{g}" for g in party.groups_on(on)), f"region:{party.region}"})


def profiles(data: Dataset, as_of: dt.date | None = None) -> Profiles:
    """The signed partnerships (by ``as_of`` if given), split into assessed and excluded."""
    areas = tuple(a.id for a in data.areas)
    parties = {p.code: p for p in data.parties}
    chosen, excluded = [], []
    statuses: dict[PartyCode, tuple[Coverage, ...]] = {}
    signed: dict[PartyCode, dt.date] = {}
    for p in data.signed(as_of):
        if not p.assessed:
            excluded.append(p.partner)
            continue
        cells = {c.area: c.status for c in p.coverage}
        statuses[p.partner] = tuple(cells.get(a, Coverage.UNKNOWN) for a in areas)
        signed[p.partner] = (p.signed or PartialDate(9999)).earliest()
        chosen.append(p.partner)
    return Profiles(areas=areas, partners=tuple(chosen), statuses=statuses, signed=signed,
                    parties=parties, excluded=tuple(excluded),
                    on=as_of or dt.date.today(), as_of=as_of)
