"""How alike the partnerships are: Jaccard and Hamming, nearest partners, identical
profiles and a hierarchical clustering.

Jaccard compares the sets of covered areas: shared ÷ covered by either (two empty sets
count as identical, 1.0). The Hamming variant counts the areas, among those both have
coded, that one covers and the other does not. Identical profiles agree on every cell of
Table 1 (``yes``, ``no``, ``already_exists`` alike). The clustering is average linkage
(UPGMA) on Jaccard distance, 1 − Jaccard, computed as scipy does it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from sdpatlas.analysis._linkage import average_linkage, leaves
from sdpatlas.analysis._profiles import Profiles
from sdpatlas.model import Coverage, PartyCode

__all__ = [
    "Clustering",
    "Merge",
    "Nearest",
    "Pair",
    "Similarity",
    "clustering",
    "identical_profiles",
    "similarity",
]

T = TypeVar("T")


@dataclass(frozen=True)
class Pair:
    """Two partners and how alike they are."""

    a: PartyCode
    b: PartyCode
    jaccard: float
    hamming: int
    shared: int
    either: int
    compared: int


@dataclass(frozen=True)
class Nearest:
    """A partner's most similar partner(s) by Jaccard; ties are all listed."""

    partner: PartyCode
    nearest: tuple[PartyCode, ...]
    jaccard: float


@dataclass(frozen=True)
class Similarity:
    """Square matrices over ``partners`` (in that order)."""

    partners: tuple[PartyCode, ...]
    jaccard: tuple[tuple[float, ...], ...]
    hamming: tuple[tuple[int, ...], ...]
    shared: tuple[tuple[int, ...], ...]
    compared: tuple[tuple[int, ...], ...]
    sizes: tuple[int, ...]

    def score(self, a: PartyCode, b: PartyCode) -> float:
        """The Jaccard similarity of two partners."""
        return self.jaccard[self.partners.index(a)][self.partners.index(b)]

    def pair(self, a: PartyCode, b: PartyCode) -> Pair:
        """Everything known about one pair."""
        i, j = self.partners.index(a), self.partners.index(b)
        return Pair(a, b, self.jaccard[i][j], self.hamming[i][j], self.shared[i][j],
                    self.sizes[i] + self.sizes[j] - self.shared[i][j], self.compared[i][j])

    def pairs(self) -> tuple[Pair, ...]:
        """Every unordered pair, most alike first (ties in partner order)."""
        n = len(self.partners)
        order = sorted(((i, j) for i in range(n) for j in range(i + 1, n)),
                       key=lambda ij: -self.jaccard[ij[0]][ij[1]])
        return tuple(self.pair(self.partners[i], self.partners[j]) for i, j in order)

    def nearest(self) -> tuple[Nearest, ...]:
        """Each partner's nearest partner(s); empty when there is only one partner."""
        out = []
        for i, code in enumerate(self.partners):
            row = [(s, j) for j, s in enumerate(self.jaccard[i]) if j != i]
            if row:
                best = max(s for s, _ in row)
                out.append(Nearest(code, tuple(self.partners[j] for s, j in row if s == best),
                                   best))
        return tuple(out)


def similarity(p: Profiles) -> Similarity:
    """Pairwise Jaccard and Hamming over the assessed partnerships (vectorised)."""
    import numpy as np

    covered, known = p.matrices
    shared = covered @ covered.T
    sizes = covered.sum(axis=1)
    either = sizes[:, None] + sizes[None, :] - shared
    jaccard = np.divide(shared, either, out=np.ones(shared.shape), where=either > 0)
    one_side = covered @ known.T
    hamming = one_side + one_side.T - 2 * shared
    return Similarity(partners=p.partners, jaccard=_rows(jaccard.tolist()),
                      hamming=_rows(hamming.astype(int).tolist()),
                      shared=_rows(shared.astype(int).tolist()),
                      compared=_rows((known @ known.T).astype(int).tolist()),
                      sizes=tuple(int(x) for x in sizes.tolist()))


def _rows(matrix: list[list[T]]) -> tuple[tuple[T, ...], ...]:
    return tuple(tuple(row) for row in matrix)


def identical_profiles(p: Profiles) -> tuple[tuple[PartyCode, ...], ...]:
    """Groups of two or more partners whose every cell agrees, in partner order."""
    groups: Mapping[tuple[Coverage, ...], list[PartyCode]] = defaultdict(list)
    for code in p.partners:
        groups[p.statuses[code]].append(code)
    return tuple(tuple(codes) for codes in groups.values() if len(codes) > 1)


@dataclass(frozen=True)
class Merge:
    """One step of the clustering: two clusters joined at a Jaccard distance."""

    left: tuple[PartyCode, ...]
    right: tuple[PartyCode, ...]
    distance: float


@dataclass(frozen=True)
class Clustering:
    """Average-linkage clustering on Jaccard distance.

    ``linkage`` is scipy's linkage matrix (rows: left id, right id, distance, size) and
    ``leaves`` the partners in dendrogram order.
    """

    partners: tuple[PartyCode, ...]
    leaves: tuple[PartyCode, ...]
    linkage: tuple[tuple[float, float, float, float], ...]
    method: str = "average"

    def merges(self) -> tuple[Merge, ...]:
        """The joins, closest first, each naming the partners on either side."""
        members: list[tuple[PartyCode, ...]] = [(c,) for c in self.partners]
        out = []
        for left, right, distance, _ in self.linkage:
            a, b = members[int(left)], members[int(right)]
            members.append(a + b)
            out.append(Merge(a, b, distance))
        return tuple(out)

    def flat(self, threshold: float) -> tuple[tuple[PartyCode, ...], ...]:
        """Clusters whose members join below a Jaccard distance (cut of the tree)."""
        cluster_of: dict[PartyCode, tuple[PartyCode, ...]] = {c: (c,) for c in self.partners}
        for m in self.merges():
            if m.distance <= threshold:
                joined = tuple(c for c in self.leaves if c in set(m.left + m.right))
                for c in joined:
                    cluster_of[c] = joined
        return tuple(dict.fromkeys(cluster_of[c] for c in self.leaves))


def clustering(sim: Similarity) -> Clustering:
    """Cluster the partners (average linkage); trivial below two partners."""
    if len(sim.partners) < 2:
        return Clustering(sim.partners, sim.partners, ())
    import numpy as np

    tree = average_linkage(np.clip(1.0 - np.array(sim.jaccard, dtype=float), 0.0, 1.0))
    rows = tuple((a, b, round(d, 12), size) for a, b, d, size in tree)
    return Clustering(sim.partners, tuple(sim.partners[i] for i in leaves(tree)), rows)
