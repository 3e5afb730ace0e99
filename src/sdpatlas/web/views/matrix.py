"""Table 1 as an interactive matrix, and the evidence behind each of its cells."""

from __future__ import annotations

import dataclasses
from itertools import groupby

from sdpatlas import analysis
from sdpatlas.model import Coverage, Dataset
from sdpatlas.render import questions
from sdpatlas.render.jsonable import JSON, jsonable
from sdpatlas.render.matrix import LEGEND, WORDS
from sdpatlas.web._endpoint import Ctx, Endpoint, Result
from sdpatlas.web._errors import error
from sdpatlas.web._params import Param
from sdpatlas.web.views._common import (
    AREA,
    AREAS,
    AS_OF,
    CLUSTERS,
    GROUPS,
    PARTNERS,
    PARTNERSHIP,
    cell_conflicts,
    schema,
    source_records,
    status_json,
)
from sdpatlas.web.views.history import cell_history_json

ORDER = Param("order", "choice", "Column order: by signature date, grouped by partner group "
              "(Table 1's layout), or by name.", choices=analysis.ORDERS, default="date")
ASSESSED = Param("assessed", "flag", "1: only partners whose areas have been assessed (Table 1's "
                 "nine; leaves out partnerships signed later and not yet coded).", default=False)


def highlights(data: Dataset, m: analysis.Matrix) -> dict[str, list[int]]:
    """Areas common to every assessed partnership, and areas only one or two cover.

    Counted over all assessed partnerships signed by the matrix's date, whatever
    the filters, so a highlight means the same thing in every view.
    """
    everyone = analysis.matrix(data, as_of=m.as_of)
    assessed = [p for p in everyone.partnerships if p.assessed]
    totals = {a.id: sum(p.status_of(a.id) is Coverage.YES for p in assessed)
              for a in data.areas}
    shown = {a.id for a in m.areas}
    common = [a for a, n in totals.items() if a in shown and assessed and n == len(assessed)]
    rare = [a for a, n in totals.items() if a in shown and 1 <= n <= 2 < len(assessed)]
    return {"common_to_all": common, "one_or_two": rare}


def _blocks(site_labels: dict[str, str], m: analysis.Matrix) -> list[tuple[str, int]]:
    return [(site_labels.get(g or "", "Other partners"), len(list(items)))
            for g, items in groupby(m.column_groups)]


def matrix_view(ctx: Ctx) -> Result:
    """Table 1, filtered and ordered; the page adds filters, highlights and evidence links."""
    data, a = ctx.site.data, ctx.args
    m = analysis.matrix(data, partners=a.texts("partner"), areas=a.ints("area"),
                        groups=a.texts("group"), clusters=a.texts("cluster"),
                        as_of=a.day("as_of"), order=a.text("order") or "date")
    unassessed = [p.partner for p in m.partnerships if not p.assessed]
    if a.flag("assessed"):
        keep = [i for i, p in enumerate(m.partnerships) if p.assessed]
        m = dataclasses.replace(m, partnerships=tuple(m.partnerships[i] for i in keep),
                                parties=tuple(m.parties[i] for i in keep),
                                column_groups=tuple(m.column_groups[i] for i in keep))
    marks = highlights(data, m)
    answer = questions.matrix(m, data)
    assert isinstance(answer.payload, dict)
    payload: dict[str, JSON] = {
        **answer.payload,
        "legend": {str(s): w for s, w in WORDS.items()},
        "highlights": {k: list(v) for k, v in marks.items()},
        "not_assessed": [p.code for p in m.parties if p.code in unassessed],
    }
    title = "The partnership matrix"
    table = answer.table
    shown_groups = {g for p in data.signed()
                    for g in data.party(p.partner).groups_on(ctx.site.today)}
    return Result(payload, title, table=table, context={
        "m": m, "marks": marks, "legend": LEGEND, "unassessed": set(unassessed),
        "grouped": (a.text("order") == "group"), "blocks": _blocks(ctx.site.group_labels, m),
        "group_choices": [g for g in data.groups if g.key in shown_groups],
        "statuses": list(Coverage)})


def cell_view(ctx: Ctx) -> Result:
    """One cell of the matrix: its status, note, sources and any conflicting claim."""
    data = ctx.site.data
    code, area_id = ctx.args.text("code") or "", ctx.args.number("area") or 0
    party, area = data.party(code), data.area(area_id)
    p = data.partnership(code)
    if p is None:
        raise error("unknown-partner", f"{party.name} ({code}) has no security and defence "
                    "partnership, so no matrix cell")
    cell = next((c for c in p.coverage if c.area == area_id), None)
    status = cell.status if cell else Coverage.UNKNOWN
    sources = source_records(data, cell.sources if cell else ())
    conflicts = cell_conflicts(data, code, area_id)
    others = analysis.area_coverage(data, area_id)
    payload: dict[str, JSON] = {
        "partner": {"code": code, "name": party.name, "status": str(p.status),
                    "signed": str(p.signed) if p.signed else None},
        "area": jsonable(area),
        **status_json(status),
        "note": cell.note if cell else None,
        "sources": jsonable(sources),
        "conflicts": jsonable(conflicts),
        "area_coverage": {str(s): list(c) for s, c in others.items()},
        "history": cell_history_json(ctx, code, area_id),
    }
    title = f"{party.name} — {area.label}"
    return Result(payload, title, context={
        "party": party, "partnership": p, "area": area, "status": status, "cell": cell,
        "sources": sources, "conflicts": conflicts, "others": others,
        "history": payload["history"]})


MATRIX_SCHEMA = schema("as_of", "partners", "areas", "cells", "legend", "highlights",
                       "not_assessed", lists=("partners", "areas"))

ENDPOINTS = (
    Endpoint(
        name="matrix", view=matrix_view, page="/matrix", api="/api/v1/matrix",
        template="matrix.html", csv=True,
        nav="Matrix", params=(GROUPS, CLUSTERS, ORDER, ASSESSED, PARTNERS, AREAS, AS_OF),
        summary="The partnership matrix (Table 1)",
        description="Which of the 26 areas of cooperation each signed partnership covers: "
                    "`cells` maps partner code → area number → status (`yes`, `no`, "
                    "`already_exists`, `unknown` = not assessed). Filters combine: partners in "
                    "any chosen group, areas in any chosen cluster. `highlights` lists areas "
                    "every assessed partnership covers and areas only one or two cover. The "
                    "CSV is the same table as `sdpatlas matrix --format csv`.",
        schema=MATRIX_SCHEMA, reads=("partnerships",)),
    Endpoint(
        name="cell", view=cell_view, section="matrix", page="/partners/{code}/areas/{area}",
        api="/api/v1/partners/{code}/areas/{area}", template="cell.html",
        params=(PARTNERSHIP, AREA),
        summary="The evidence behind one matrix cell",
        description="One partner's status on one area, the note and sources behind it, any "
                    "conflicting claim about it, every signed partner's status on the area, "
                    "and `history`: the cell's changes across dataset versions (from the data "
                    "changelog), oldest first, each with the address of the cell as it was.",
        schema=schema("partner", "area", "status", "label", "note", "sources", "conflicts",
                      "history", lists=("sources", "conflicts", "history"))),
)
