"""The plain-Python average linkage against scipy's: the same matrix and leaves, bit for bit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.cluster.hierarchy import leaves_list, linkage
from scipy.spatial.distance import squareform

from sdpatlas.analysis._linkage import average_linkage, leaves

Matrix = list[list[float]]


def _scipy(distance: Matrix) -> tuple[list[list[float]], list[int]]:
    tree = linkage(squareform(np.array(distance), checks=False), method="average")
    return tree.tolist(), leaves_list(tree).tolist()


def _ours(distance: Matrix) -> tuple[list[list[float]], list[int]]:
    tree = average_linkage(distance)
    return [list(row) for row in tree], list(leaves(tree))


def _jaccard_distance(profiles: list[list[bool]]) -> Matrix:
    def distance(a: list[bool], b: list[bool]) -> float:
        either = sum(x or y for x, y in zip(a, b, strict=True))
        shared = sum(x and y for x, y in zip(a, b, strict=True))
        return 1.0 - (shared / either if either else 1.0)
    return [[distance(a, b) for b in profiles] for a in profiles]


@st.composite
def profile_sets(draw: st.DrawFn) -> list[list[bool]]:
    n, areas = draw(st.integers(2, 14)), draw(st.integers(1, 16))
    return draw(st.lists(st.lists(st.booleans(), min_size=areas, max_size=areas),
                         min_size=n, max_size=n))


@st.composite
def square_matrices(draw: st.DrawFn) -> Matrix:
    n = draw(st.integers(2, 12))
    values = st.sampled_from([0.0, 0.125, 0.25, 1 / 3, 0.5, 2 / 3, 0.75, 1.0]) | st.floats(0, 1)
    upper = {(i, j): draw(values) for i in range(n) for j in range(i + 1, n)}
    return [[0.0 if i == j else upper[min(i, j), max(i, j)] for j in range(n)]
            for i in range(n)]


@settings(max_examples=300, deadline=None)
@given(profile_sets())
def test_jaccard_profiles_cluster_as_in_scipy(profiles: list[list[bool]]) -> None:
    distance = _jaccard_distance(profiles)
    assert _ours(distance) == _scipy(distance)


@settings(max_examples=300, deadline=None)
@given(square_matrices())
def test_any_distances_with_ties_cluster_as_in_scipy(distance: Matrix) -> None:
    assert _ours(distance) == _scipy(distance)


def test_only_the_upper_triangle_is_read() -> None:
    distance = [[0.0, 0.2, 0.9], [0.7, 0.0, 0.4], [0.1, 0.3, 0.0]]
    assert _ours(distance) == _scipy(distance)
    assert average_linkage(distance)[0] == (0.0, 1.0, 0.2, 2.0)


def test_all_equal_distances_keep_scipy_tie_order() -> None:
    distance = [[0.0 if i == j else 0.5 for j in range(6)] for i in range(6)]
    assert _ours(distance) == _scipy(distance)


def test_hundreds_of_partners_cluster_as_in_scipy() -> None:
    rng = np.random.default_rng(7)
    profiles = (rng.random((300, 26)) < 0.4).tolist()
    distance = _jaccard_distance(profiles)
    assert _ours(distance) == _scipy(distance)
