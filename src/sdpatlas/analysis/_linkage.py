"""Average-linkage (UPGMA) clustering as scipy computes it, without importing scipy.

A port of ``scipy.cluster.hierarchy.linkage(y, method="average")`` (the nearest-neighbour
chain of Müllner, with scipy's tie-breaking, stable sort and relabelling) and of
``leaves_list``: the same linkage matrix and the same leaf order, bit for bit. Clustering
the partners takes a millisecond (numpy, already loaded for the similarity matrices),
while importing ``scipy.cluster`` costs a third of a second or more at every start of
``analyse`` and ``report``. ``tests/test_analysis_linkage.py`` checks the port against scipy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["LinkageRow", "average_linkage", "leaves"]

LinkageRow = tuple[float, float, float, float]


def average_linkage(distance: Any) -> tuple[LinkageRow, ...]:
    """scipy's linkage matrix (left id, right id, distance, size) for a square numpy
    distance matrix, read from its upper triangle like ``squareform(distance, checks=False)``."""
    import numpy as np

    upper = np.triu(np.asarray(distance, dtype=float), 1)
    if not np.isfinite(upper).all():
        raise ValueError("average linkage needs finite distances")
    d = upper + upper.T
    np.fill_diagonal(d, np.inf)
    merges = sorted(_nn_chain(d), key=lambda row: row[2])
    return _relabel(merges, len(d))


def _nn_chain(d: Any) -> list[LinkageRow]:
    """Merge the two mutual nearest neighbours at the end of the chain, n − 1 times; the
    distances of a merged-away cluster become infinite, so it is never nearest again."""
    import numpy as np

    size = [1] * len(d)
    chain: list[int] = []
    merges: list[LinkageRow] = []
    for _ in range(len(d) - 1):
        if not chain:
            chain.append(next(i for i, s in enumerate(size) if s > 0))
        x, y, nearest = _mutual_neighbours(d, chain)
        x, y = min(x, y), max(x, y)
        nx, ny = size[x], size[y]
        merges.append((float(x), float(y), nearest, float(nx + ny)))
        size[x], size[y] = 0, nx + ny
        joined = (nx * d[x] + ny * d[y]) / (nx + ny)
        d[y], d[:, y] = joined, joined
        d[x], d[:, x], d[y, y] = np.inf, np.inf, np.inf
    return merges


def _mutual_neighbours(d: Any, chain: list[int]) -> tuple[int, int, float]:
    """Follow the chain of nearest neighbours to two mutual ones and pop them off it; a tie
    keeps the previous link of the chain, else the lowest id (as scipy's loop does)."""
    for _ in range(2 * len(d)):  # a chain never grows longer than the clusters left
        x = chain[-1]
        y = int(d[x].argmin())
        if len(chain) > 1 and d[x, chain[-2]] <= d[x, y]:
            y = chain[-2]
            del chain[-2:]
            return x, y, float(d[x, y])
        chain.append(y)
    raise AssertionError("the chain of nearest neighbours did not end")


def _relabel(merges: list[LinkageRow], n: int) -> tuple[LinkageRow, ...]:
    """Give each merged cluster the id n + k of the k-th merge (scipy's ``label``)."""
    parent = list(range(2 * n - 1))
    sizes = [1] * n + [0] * (n - 1)
    out = []
    for k, (a, b, dist, _) in enumerate(merges):
        x, y = sorted((_root(parent, int(a)), _root(parent, int(b))))
        parent[x] = parent[y] = n + k
        sizes[n + k] = sizes[x] + sizes[y]
        out.append((float(x), float(y), dist, float(sizes[n + k])))
    return tuple(out)


def _root(parent: list[int], x: int) -> int:
    root = x
    while parent[root] != root:
        root = parent[root]
    while parent[x] != root:
        parent[x], x = root, parent[x]
    return root


def leaves(linkage: Sequence[LinkageRow]) -> tuple[int, ...]:
    """The leaf ids left to right in the dendrogram (scipy's ``leaves_list``)."""
    n = len(linkage) + 1
    out: list[int] = []
    stack = [2 * n - 2]
    while stack:
        node = stack.pop()
        if node < n:
            out.append(node)
        else:
            left, right = linkage[node - n][:2]
            stack += [int(right), int(left)]
    return tuple(out)
