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
from typing import Any

from sdpatlas.analysis._profiles import REGION_LABELS, Profiles
from sdpatlas.model import AreaId, Dataset, PartyCode

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


def _counts(p: Profiles, members: tuple[PartyCode, ...]) -> tuple[list[int], list[int]]:
    """Per area: how many members cover it, and how many have coded it."""
    covered, known = p.matrices
    mask = p.mask(members)
    return ([int(x) for x in (mask @ covered).tolist()],
            [int(x) for x in (mask @ known).tolist()])


def group_coverage(p: Profiles, groups: tuple[PartnerGroup, ...]) -> tuple[GroupCoverage, ...]:
    """Coverage of every area within each group (empty groups give zero counts)."""
    out = []
    for g in groups:
        yes, known = _counts(p, g.members)
        out.append(GroupCoverage(g, tuple(zip(p.areas, yes, known, strict=True))))
    return tuple(out)


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


_RELATIVE_TOLERANCE = 1 + 1e-7  # tables this close to the observed one count as ties (as R)


@lru_cache(maxsize=1)
def _log_factorials(limit: int) -> Any:
    import numpy as np

    return np.concatenate(([0.0], np.cumsum(np.log(np.arange(1, limit + 1, dtype=float)))))


@lru_cache(maxsize=65536)
def fisher_p(a_yes: int, a_no: int, b_yes: int, b_no: int) -> float:
    """Two-sided p-value of Fisher's exact test on the table [[a_yes, a_no], [b_yes, b_no]].

    The probability, under the hypergeometric distribution with the table's margins, of
    every table no more probable than the observed one: the definition scipy's and R's
    ``fisher.test`` use, computed directly (vectorised over the tables with those margins)
    because ``scipy.stats`` costs seconds to import and a millisecond a table. The tests
    check it against ``scipy.stats.fisher_exact``.
    """
    import numpy as np

    row_a, row_b, col = a_yes + a_no, b_yes + b_no, a_yes + b_yes
    n = row_a + row_b
    if 0 in (row_a, row_b, col, n - col):
        return 1.0
    lf = _log_factorials(1 << max(10, n.bit_length()))
    k = np.arange(max(0, col - row_b), min(row_a, col) + 1)
    log_p = (lf[row_a] + lf[row_b] + lf[col] + lf[n - col] - lf[n]
             - lf[k] - lf[row_a - k] - lf[col - k] - lf[row_b - col + k])
    p = np.exp(log_p - log_p.max())
    observed = p[a_yes - k[0]]
    return float(min(1.0, p[p <= observed * _RELATIVE_TOLERANCE].sum() / p.sum()))


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
    (a_yes, a_known), (b_yes, b_known) = _counts(p, a.members), _counts(p, b.members)
    tables = [(area, ay, an, by, bn, fisher_p(ay, an - ay, by, bn - by))
              for area, ay, an, by, bn in zip(p.areas, a_yes, a_known, b_yes, b_known,
                                              strict=True)
              if an and bn]
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
