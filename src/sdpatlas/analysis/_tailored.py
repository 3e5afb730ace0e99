"""Per partner: tailored elements (what few others cover) and omissions (what most cover)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sdpatlas.analysis._areas import AreaShare, area_shares
from sdpatlas.analysis._profiles import Profiles
from sdpatlas.model import AreaId, Coverage, PartyCode

__all__ = ["Distinctive", "omissions", "tailored"]


@dataclass(frozen=True)
class Distinctive:
    """An area that sets a partner apart, with the counts behind it.

    ``count`` of ``of`` partners cover the area (the partner itself included);
    ``covered_by`` names them.
    """

    area: AreaId
    count: int
    of: int
    covered_by: tuple[PartyCode, ...]

    @property
    def share(self) -> float:
        """The fraction of partners (with a known status) that cover the area."""
        return self.count / self.of if self.of else 0.0


def _distinctive(share: AreaShare) -> Distinctive:
    return Distinctive(share.area, share.count, share.of, share.covered_by)


def tailored(p: Profiles, shares: tuple[AreaShare, ...] | None = None,
             ) -> Mapping[PartyCode, tuple[Distinctive, ...]]:
    """For each partner, the areas it covers that only a minority (under half) covers.

    Ranked rarest first; ties by area number.
    """
    shares = area_shares(p) if shares is None else shares
    minority = [(p.areas.index(s.area), s) for s in shares if 2 * s.count < s.of]
    out = {}
    for code in p.partners:
        cells = p.statuses[code]
        own = [s for i, s in minority if cells[i] is Coverage.YES]
        out[code] = tuple(_distinctive(s) for s in sorted(own, key=lambda s: (s.count, s.area)))
    return out


def omissions(p: Profiles, shares: tuple[AreaShare, ...] | None = None,
              ) -> Mapping[PartyCode, tuple[Distinctive, ...]]:
    """For each partner, the areas most partners (over half) cover that it marks ``no``.

    ``already_exists`` is not an omission: the partner has the cooperation already.
    Ranked most widely covered first; ties by area number.
    """
    shares = area_shares(p) if shares is None else shares
    majority = [(p.areas.index(s.area), s) for s in shares if 2 * s.count > s.of]
    out = {}
    for code in p.partners:
        cells = p.statuses[code]
        lacking = [s for i, s in majority if cells[i] is Coverage.NO]
        out[code] = tuple(_distinctive(s) for s in sorted(lacking, key=lambda s: (-s.count,
                                                                                    s.area)))
    return out
