"""One answer per table of the comparative analysis: areas, partnerships, pairs, group
contrasts, evolution and the predicted profiles.

As :mod:`sdpatlas.render.questions`: each section is built once as an :class:`Answer` whose
payload is a list of rows (the JSON of ``sdpatlas analyse --section NAME --format json`` and
the ``items`` of ``/api/v1/analysis/NAME``) and whose table is their CSV, terminal and
Markdown form (lists joined with ", "); the Analysis page's sortable tables show the same rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sdpatlas import analysis
from sdpatlas.model import AreaId, Dataset
from sdpatlas.render.jsonable import JSON
from sdpatlas.render.questions import Answer
from sdpatlas.render.table import Cell, Column, Table

__all__ = ["SECTIONS", "section", "sections"]

Row = dict[str, Any]


def _answer(columns: tuple[Column, ...], items: list[Row], title: str) -> Answer:
    rows = tuple(tuple(_cell(item[c.key]) for c in columns) for item in items)
    payload: list[JSON] = list(items)
    return Answer(Table(columns, rows, title=title), payload)


def _cell(value: object) -> Cell:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    assert value is None or isinstance(value, str | int | float)
    return value


def _standing(a: analysis.CoreAreas, area: AreaId) -> str:
    if area in a.core:
        return "common core"
    if any(s.area == area for s in a.near_core):
        return "near-core"
    if any(s.area == area for s in a.rare):
        return "rare"
    return "covered by none" if area in a.uncovered else "other"


def areas(result: analysis.Analysis, data: Dataset) -> Answer:
    """Each area: how many assessed partnerships cover it, its standing and who."""
    a = result.areas
    items = [{"id": s.area, "short": data.area(s.area).short, "label": data.area(s.area).label,
              "count": len(s.covered_by), "of": s.of, "standing": _standing(a, s.area),
              "partners": list(s.covered_by)} for s in a.shares]
    columns = (Column("id", "#", "right"), Column("short", "Area"),
               Column("count", "Covered by", "right"), Column("of", "Of", "right"),
               Column("standing", "Standing"), Column("partners", "Partners"))
    return _answer(columns, items, "Areas: how many partnerships cover each")


def partnerships(result: analysis.Analysis, data: Dataset) -> Answer:
    """Each assessed partnership: areas covered, tailored elements and omissions, nearest
    partner, declared against coded."""
    nearest = {n.partner: n for n in result.similarity.nearest()}
    consistency = {c.partner: c for c in result.consistency}
    items: list[Row] = []
    for s in result.evolution.steps:
        near, c = nearest.get(s.partner), consistency.get(s.partner)
        items.append({"code": s.partner, "name": data.party(s.partner).name,
                      "signed": s.signed.isoformat(), "covered": s.covered,
                      "tailored": [d.area for d in result.tailored.get(s.partner, ())],
                      "omits": [d.area for d in result.omissions.get(s.partner, ())],
                      "nearest": list(near.nearest) if near else [],
                      "jaccard": near.jaccard if near else None,
                      "declared": c.declared if c else None,
                      "difference": c.difference if c else None})
    columns = (Column("code", "Code"), Column("name", "Partner"), Column("signed", "Signed"),
               Column("covered", "Areas", "right"), Column("tailored", "Tailored"),
               Column("omits", "Omits"), Column("nearest", "Nearest"),
               Column("jaccard", "Jaccard", "right"), Column("declared", "Declared", "right"),
               Column("difference", "Coded − declared", "right"))
    return _answer(columns, items, "Partnerships: coverage, tailored elements, nearest partner")


def similarity(result: analysis.Analysis, data: Dataset) -> Answer:
    """Every pair of assessed partnerships, most alike first."""
    del data
    items = [{"a": x.a, "b": x.b, "jaccard": x.jaccard, "shared": x.shared, "either": x.either,
              "hamming": x.hamming, "compared": x.compared} for x in result.similarity.pairs()]
    columns = (Column("a", "Partner"), Column("b", "Partner"),
               Column("jaccard", "Jaccard", "right"), Column("shared", "Shared", "right"),
               Column("either", "Covered by either", "right"),
               Column("hamming", "Areas that differ", "right"))
    return _answer(columns, items, "Pairs: how alike two partnerships are")


def contrasts(result: analysis.Analysis, data: Dataset) -> Answer:
    """Every group contrast on every area (Fisher's exact test, two-sided)."""
    items = [{"contrast": c.key, "area": r.area, "short": data.area(r.area).short,
              "group_a": c.a.label, "a_members": list(c.a.members), "a_covered": r.a_covered,
              "a_of": r.a_of, "group_b": c.b.label, "b_members": list(c.b.members),
              "b_covered": r.b_covered, "b_of": r.b_of, "difference": r.difference,
              "p_value": r.p_value, "q_value": r.q_value}
             for c in result.contrasts for r in c.areas]
    columns = (Column("contrast", "Contrast"), Column("area", "#", "right"),
               Column("group_a", "Group"), Column("a_covered", "Covered", "right"),
               Column("a_of", "Of", "right"), Column("group_b", "Against"),
               Column("b_covered", "Covered", "right"), Column("b_of", "Of", "right"),
               Column("p_value", "p", "right"), Column("q_value", "q", "right"))
    return _answer(columns, items, "Group contrasts (Fisher's exact test, two-sided)")


def evolution(result: analysis.Analysis, data: Dataset) -> Answer:
    """The partnerships by signature date: new areas, areas covered so far, the core so far."""
    items = [{"partner": s.partner, "name": data.party(s.partner).name,
              "signed": s.signed.isoformat(), "covered": s.covered,
              "new_areas": list(s.new_areas), "cumulative": s.cumulative, "core": s.core}
             for s in result.evolution.steps]
    columns = (Column("partner", "Code"), Column("name", "Partner"), Column("signed", "Signed"),
               Column("covered", "Areas", "right"), Column("new_areas", "New areas"),
               Column("cumulative", "So far", "right"), Column("core", "Core", "right"))
    return _answer(columns, items, "Evolution by signature date")


def predictions(result: analysis.Analysis, data: Dataset) -> Answer:
    """Each signed partnership not yet assessed: every area's predicted probability."""
    items = [{"partner": p.partner, "area": a.area, "short": data.area(a.area).short,
              "probability": a.probability, "base_rate": a.base, "likely": a.likely,
              "covered_by": list(a.covered_by), "actual": str(a.actual)}
             for p in result.prospects for a in p.areas]
    columns = (Column("partner", "Partner"), Column("area", "#", "right"),
               Column("short", "Area"), Column("probability", "Probability", "right"),
               Column("base_rate", "Base rate", "right"), Column("likely", "Likely"),
               Column("covered_by", "Covered by the nearest"), Column("actual", "Recorded"))
    return _answer(columns, items, "Predicted profiles of the partnerships not yet assessed")


SECTIONS: dict[str, Callable[[analysis.Analysis, Dataset], Answer]] = {
    "areas": areas, "partnerships": partnerships, "similarity": similarity,
    "contrasts": contrasts, "evolution": evolution, "predictions": predictions}


def section(name: str, result: analysis.Analysis, data: Dataset) -> Answer:
    """One section's answer by name (one of :data:`SECTIONS`)."""
    if name not in SECTIONS:
        raise ValueError(f"unknown section {name!r}; use one of {', '.join(SECTIONS)}")
    return SECTIONS[name](result, data)


def sections(result: analysis.Analysis, data: Dataset) -> dict[str, Answer]:
    """Every section's answer."""
    return {name: build(result, data) for name, build in SECTIONS.items()}
