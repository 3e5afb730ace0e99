"""The rows of the Analysis page's sortable tables, read off an :class:`analysis.Analysis`.

One dict per row, values as the template shows them; ``sort`` values (numbers) are given
where the shown text would not sort right.
"""

from __future__ import annotations

from typing import Any

from sdpatlas import analysis
from sdpatlas.model import AreaId, Dataset
from sdpatlas.render.analysis import p_text

__all__ = ["analysis_rows"]

Row = dict[str, Any]
CONTRASTS = 30


def _standing(a: analysis.CoreAreas, area: AreaId) -> str:
    if area in a.core:
        return "common core"
    if any(s.area == area for s in a.near_core):
        return "near-core"
    if any(s.area == area for s in a.rare):
        return "rare"
    return "covered by none" if area in a.uncovered else "other"


def _areas(result: analysis.Analysis, data: Dataset) -> list[Row]:
    a = result.areas
    return [{"id": s.area, "label": data.area(s.area).label, "short": data.area(s.area).short,
             "count": len(s.covered_by), "of": s.of, "standing": _standing(a, s.area),
             "partners": s.covered_by} for s in a.shares]


def _partners(result: analysis.Analysis, data: Dataset) -> list[Row]:
    nearest = {n.partner: n for n in result.similarity.nearest()}
    consistency = {c.partner: c for c in result.consistency}
    rows = []
    for s in result.evolution.steps:
        near, c = nearest.get(s.partner), consistency.get(s.partner)
        rows.append({"code": s.partner, "name": data.party(s.partner).name,
                     "signed": s.signed.isoformat(), "covered": s.covered,
                     "tailored": [d.area for d in result.tailored.get(s.partner, ())],
                     "omits": [d.area for d in result.omissions.get(s.partner, ())],
                     "nearest": near.nearest if near else (),
                     "jaccard": f"{near.jaccard:.2f}" if near else "",
                     "declared": c.declared if c else None,
                     "difference": c.difference if c else None})
    return rows


def _pairs(result: analysis.Analysis) -> list[Row]:
    return [{"a": x.a, "b": x.b, "jaccard": f"{x.jaccard:.2f}", "shared": x.shared,
             "either": x.either, "hamming": x.hamming} for x in result.similarity.pairs()]


def _contrasts(result: analysis.Analysis, data: Dataset, limit: int = CONTRASTS) -> list[Row]:
    """The smallest p-values, each pair of member lists and area once (groups with the
    same members, such as two names for one set of partners, give the same test)."""
    rows = sorted(((c, r) for c in result.contrasts for r in c.areas if r.difference),
                  key=lambda cr: (cr[1].p_value, cr[1].area, cr[0].key))
    seen: set[tuple[object, ...]] = set()
    kept: list[tuple[analysis.Contrast, analysis.AreaContrast]] = []
    for c, r in rows:
        key = (c.a.members, c.b.members, r.area)
        if key not in seen and len(kept) < limit:
            seen.add(key)
            kept.append((c, r))
    return [{"area": r.area, "short": data.area(r.area).short, "a": c.a.label,
             "a_covered": r.a_covered, "a_of": r.a_of, "b": c.b.label,
             "b_covered": r.b_covered, "b_of": r.b_of, "p": p_text(r.p_value),
             "p_sort": r.p_value, "q": p_text(r.q_value), "q_sort": r.q_value}
            for c, r in kept]


def analysis_rows(result: analysis.Analysis, data: Dataset) -> dict[str, list[Row]]:
    """Every table of the page: areas, partnerships, pairs, group contrasts."""
    return {"area_rows": _areas(result, data), "partner_rows": _partners(result, data),
            "pair_rows": _pairs(result), "contrast_rows": _contrasts(result, data)}
