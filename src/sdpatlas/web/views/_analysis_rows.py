"""The rows of the Analysis page's sortable tables: the rows of each section's answer
(:mod:`sdpatlas.render.questions_analysis`), the group contrasts narrowed to the strongest.

``sort`` values (numbers) are given where the shown text would not sort right.
"""

from __future__ import annotations

from typing import Any

from sdpatlas.render.analysis import p_text
from sdpatlas.render.questions import Answer

__all__ = ["analysis_rows"]

Row = dict[str, Any]
CONTRASTS = 30


def _rows(answer: Answer) -> list[Row]:
    return [row for row in answer.items if isinstance(row, dict)]


def _contrasts(items: list[Row], limit: int = CONTRASTS) -> list[Row]:
    """The smallest p-values, each pair of member lists and area once (groups with the
    same members, such as two names for one set of partners, give the same test)."""
    rows = sorted((r for r in items if r["difference"]),
                  key=lambda r: (r["p_value"], r["area"], r["contrast"]))
    seen: set[tuple[object, ...]] = set()
    kept: list[Row] = []
    for r in rows:
        key = (tuple(r["a_members"]), tuple(r["b_members"]), r["area"])
        if key not in seen and len(kept) < limit:
            seen.add(key)
            kept.append(r)
    return [{**r, "a": r["group_a"], "b": r["group_b"], "p": p_text(r["p_value"]),
             "p_sort": r["p_value"], "q": p_text(r["q_value"]), "q_sort": r["q_value"]}
            for r in kept]


def analysis_rows(answers: dict[str, Answer]) -> dict[str, list[Row]]:
    """Every table of the page: areas, partnerships, pairs, group contrasts."""
    return {"area_rows": _rows(answers["areas"]), "partner_rows": _rows(answers["partnerships"]),
            "pair_rows": _rows(answers["similarity"]),
            "contrast_rows": _contrasts(_rows(answers["contrasts"]))}
