"""How coverage grew: areas per SDP by signature date, first appearances, cumulative totals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sdpatlas.analysis._profiles import Profiles
from sdpatlas.model import AreaId, PartyCode

__all__ = ["Evolution", "FirstAppearance", "Step", "evolution"]


@dataclass(frozen=True)
class Step:
    """One assessed SDP in signature order, and the state of things once it was signed.

    ``new_areas``: areas no earlier-signed SDP covered. ``cumulative``: distinct areas
    covered by the SDPs signed so far. ``core``: areas common to all of them.
    """

    partner: PartyCode
    signed: dt.date
    covered: int
    new_areas: tuple[AreaId, ...]
    cumulative: int
    core: int


@dataclass(frozen=True)
class FirstAppearance:
    """When an area was first covered, and by which SDP(s) signed that day."""

    area: AreaId
    date: dt.date
    partners: tuple[PartyCode, ...]


@dataclass(frozen=True)
class Evolution:
    """Steps in signature order, first appearances in area order, never-covered areas."""

    steps: tuple[Step, ...]
    first: tuple[FirstAppearance, ...]
    never: tuple[AreaId, ...]


def evolution(p: Profiles) -> Evolution:
    """The growth of coverage over the assessed SDPs (signed by ``as_of``, if given)."""
    covered = {c: p.covered(c) for c in p.partners}
    steps: list[Step] = []
    first: dict[AreaId, FirstAppearance] = {}
    earlier: set[AreaId] = set()  # covered by SDPs signed before the current day
    seen: set[AreaId] = set()
    core: set[AreaId] | None = None
    day: dt.date | None = None
    for code in p.partners:
        if p.signed[code] != day:
            day, earlier = p.signed[code], set(seen)
        new = tuple(sorted(covered[code] - earlier))
        for area in new:
            found = first.get(area)
            first[area] = FirstAppearance(area, day, (*found.partners, code) if found
                                          else (code,))
        seen |= covered[code]
        core = set(covered[code]) if core is None else core & covered[code]
        steps.append(Step(code, day, len(covered[code]), new, len(seen), len(core)))
    return Evolution(tuple(steps), tuple(first[a] for a in p.areas if a in first),
                     tuple(a for a in p.areas if a not in first))
