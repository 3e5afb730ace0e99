"""Which areas every partnership covers, which most cover, and which only one or two cover."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sdpatlas.analysis._profiles import Profiles
from sdpatlas.model import AreaId, Coverage, PartyCode

__all__ = ["AreaShare", "CoreAreas", "area_shares", "core_areas", "default_near"]


@dataclass(frozen=True)
class AreaShare:
    """How many of the assessed partnerships cover one area, and which."""

    area: AreaId
    covered_by: tuple[PartyCode, ...]
    of: int

    @property
    def count(self) -> int:
        """How many partners cover the area."""
        return len(self.covered_by)

    @property
    def share(self) -> float:
        """The covered fraction of the partners with a known status (0 when none)."""
        return self.count / self.of if self.of else 0.0


@dataclass(frozen=True)
class CoreAreas:
    """The common core, the near-core, the rare and the uncovered areas.

    ``core``: covered by every one of the ``n`` assessed partnerships (none when n is 0).
    ``near_core``: covered by at least ``k`` but not all. ``rare``: covered by one to
    ``rare_max`` partners, and not by all (so a single partner has no rare areas).
    ``uncovered``: covered by none.
    """

    n: int
    k: int
    rare_max: int
    core: tuple[AreaId, ...]
    near_core: tuple[AreaShare, ...]
    rare: tuple[AreaShare, ...]
    uncovered: tuple[AreaId, ...]
    shares: tuple[AreaShare, ...]


def area_shares(p: Profiles) -> tuple[AreaShare, ...]:
    """Every area's coverage among the assessed partnerships, in area order."""
    out = []
    for i, area in enumerate(p.areas):
        cells = [(c, p.statuses[c][i]) for c in p.partners]
        out.append(AreaShare(area, tuple(c for c, s in cells if s is Coverage.YES),
                             sum(s is not Coverage.UNKNOWN for _, s in cells)))
    return tuple(out)


def default_near(n: int) -> int:
    """The default near-core threshold: three quarters of the partners, rounded up."""
    return max(1, math.ceil(0.75 * n))


def core_areas(p: Profiles, *, near: int | None = None, rare_max: int = 2,
               shares: tuple[AreaShare, ...] | None = None) -> CoreAreas:
    """Split the areas by how many assessed partnerships cover them.

    ``near`` is the near-core threshold k (default :func:`default_near`).
    """
    n = p.n
    k = default_near(n) if near is None else near
    if k < 1:
        raise ValueError(f"the near-core threshold must be at least 1, not {k}")
    if rare_max < 1:
        raise ValueError(f"rare_max must be at least 1, not {rare_max}")
    shares = area_shares(p) if shares is None else shares
    core = tuple(s.area for s in shares if n and s.count == n)
    near_core = tuple(sorted((s for s in shares if k <= s.count < n),
                             key=lambda s: (-s.count, s.area)))
    rare = tuple(sorted((s for s in shares if 1 <= s.count <= rare_max and s.count < n),
                        key=lambda s: (s.count, s.area)))
    uncovered = tuple(s.area for s in shares if s.count == 0)
    return CoreAreas(n=n, k=k, rare_max=rare_max, core=core, near_core=near_core, rare=rare,
                     uncovered=uncovered, shares=shares)
