"""Coverage by partner group, and the contrast between groups on each area.

Partner groups come from the data, never from lists of partners: one per group of
``groups.yaml`` (members by their dated memberships on the analysis day), one per
``party.region``, and the non-European partners. For each contrast and each area the
2×2 table (covered / not covered on either side) is tested with Fisher's exact test
(two-sided, scipy). With a handful of partners per side, only the counts and the exact
p-value are meaningful: they are reported as such, with a Benjamini–Hochberg q-value
over the areas of the same contrast, and never summarised as "significant".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from sdpatlas.analysis._profiles import REGION_LABELS, Profiles
from sdpatlas.model import AreaId, Coverage, Dataset, PartyCode

__all__ = [
    "AreaContrast",
    "Contrast",
    "GroupCoverage",
    "PartnerGroup",
    "contrasts",
    "fisher_p",
    "group_coverage",
    "partner_groups",
]

NON_EUROPEAN = "non-european"


@dataclass(frozen=True)
class PartnerGroup:
    """A set of assessed partners defined by a group membership or a region."""

    key: str
    label: str
    kind: str
    members: tuple[PartyCode, ...]


def partner_groups(data: Dataset, p: Profiles) -> tuple[PartnerGroup, ...]:
    """Every membership group, every region, and the non-European partners."""
    out = [PartnerGroup(g.key, g.label, "group",
                        tuple(c for c in p.partners if g.key in p.parties[c].groups_on(p.on)))
           for g in data.groups]
    regions = sorted({party.region for party in data.parties},
                     key=lambda r: (list(REGION_LABELS).index(r) if r in REGION_LABELS
                                    else len(REGION_LABELS), r))
    out += [PartnerGroup(f"region:{r}", REGION_LABELS.get(r, f"Partners in region {r}"),
                         "region", tuple(c for c in p.partners if p.parties[c].region == r))
            for r in regions]
    out.append(PartnerGroup(NON_EUROPEAN, "Non-European partners", "outside-region",
                            tuple(c for c in p.partners if p.parties[c].region != "europe")))
    return tuple(out)


@dataclass(frozen=True)
class GroupCoverage:
    """How many members of a group cover each area: (area, covered, of known)."""

    group: PartnerGroup
    counts: tuple[tuple[AreaId, int, int], ...]


def _count(p: Profiles, members: tuple[PartyCode, ...], i: int) -> tuple[int, int]:
    cells = [p.statuses[c][i] for c in members]
    return (sum(s is Coverage.YES for s in cells),
            sum(s is not Coverage.UNKNOWN for s in cells))


def group_coverage(p: Profiles, groups: tuple[PartnerGroup, ...]) -> tuple[GroupCoverage, ...]:
    """Coverage of every area within each group (empty groups give zero counts)."""
    return tuple(GroupCoverage(g, tuple((a, *_count(p, g.members, i))
                                        for i, a in enumerate(p.areas)))
                 for g in groups)


@dataclass(frozen=True)
class AreaContrast:
    """One area's 2×2 table between two groups, with Fisher's exact p-value."""

    area: AreaId
    a_covered: int
    a_of: int
    b_covered: int
    b_of: int
    p_value: float
    q_value: float

    @property
    def difference(self) -> float:
        """Share covering in group a minus share in group b."""
        return self.a_covered / self.a_of - self.b_covered / self.b_of


@dataclass(frozen=True)
class Contrast:
    """Two groups compared area by area (rows in area order)."""

    key: str
    a: PartnerGroup
    b: PartnerGroup
    areas: tuple[AreaContrast, ...]

    def strongest(self, limit: int | None = None) -> tuple[AreaContrast, ...]:
        """Areas by ascending p-value (ties by area), where the groups differ at all."""
        rows = sorted((r for r in self.areas if r.difference != 0),
                      key=lambda r: (r.p_value, r.area))
        return tuple(rows[:limit] if limit is not None else rows)

    def area(self, area: AreaId) -> AreaContrast:
        """The row for one area; KeyError if neither side has coded it."""
        found = next((r for r in self.areas if r.area == area), None)
        if found is None:
            raise KeyError(area)
        return found


@lru_cache(maxsize=8192)
def fisher_p(a_yes: int, a_no: int, b_yes: int, b_no: int) -> float:
    """Two-sided p-value of Fisher's exact test on [[a_yes, a_no], [b_yes, b_no]]."""
    from scipy.stats import fisher_exact

    result = fisher_exact([[a_yes, a_no], [b_yes, b_no]], alternative="two-sided")
    return min(1.0, float(result.pvalue))


def _bh(p_values: list[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values (q-values), in the input order."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    q = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        q[i] = running
    return q


def _contrast(p: Profiles, key: str, a: PartnerGroup, b: PartnerGroup) -> Contrast | None:
    tables = []
    for i, area in enumerate(p.areas):
        (ay, an), (by, bn) = _count(p, a.members, i), _count(p, b.members, i)
        if an and bn:
            tables.append((area, ay, an, by, bn, fisher_p(ay, an - ay, by, bn - by)))
    if not tables:
        return None
    q = _bh([t[5] for t in tables])
    rows = tuple(AreaContrast(area, ay, an, by, bn, pv, qv)
                 for (area, ay, an, by, bn, pv), qv in zip(tables, q, strict=True))
    return Contrast(key, a, b, rows)


def _others(p: Profiles, g: PartnerGroup) -> PartnerGroup:
    return PartnerGroup(f"not:{g.key}", "Other partners", "complement",
                        tuple(c for c in p.partners if c not in set(g.members)))


def contrasts(p: Profiles, groups: tuple[PartnerGroup, ...]) -> tuple[Contrast, ...]:
    """Each membership group against the other partners, European against non-European
    partners, and each pair of regions; contrasts with an empty side are left out."""
    plans: list[tuple[str, PartnerGroup, PartnerGroup]] = [
        (f"{g.key}-vs-others", g, _others(p, g)) for g in groups if g.kind == "group"]
    by_key = {g.key: g for g in groups}
    if "region:europe" in by_key and NON_EUROPEAN in by_key:
        plans.append(("europe-vs-non-european", by_key["region:europe"], by_key[NON_EUROPEAN]))
    regions = [g for g in groups if g.kind == "region"]
    plans += [(f"{a.key.removeprefix('region:')}-vs-{b.key.removeprefix('region:')}", a, b)
              for a, b in combinations(regions, 2)]
    out = [_contrast(p, key, a, b) for key, a, b in plans if a.members and b.members]
    return tuple(c for c in out if c is not None)
