"""The 26 areas of cooperation, and who covers each."""

from __future__ import annotations

from sdpatlas import analysis
from sdpatlas.render import questions
from sdpatlas.render.analysis import area_findings_lines, area_findings_payload, p_text
from sdpatlas.render.jsonable import JSON
from sdpatlas.web._endpoint import Ctx, Endpoint, Result
from sdpatlas.web.views._common import AREA, AS_OF, CLUSTERS, STATUS_ORDER, schema


def areas_view(ctx: Ctx) -> Result:
    """Every area with its cluster and how many signed partnerships cover it."""
    data = ctx.site.data
    as_of = ctx.args.day("as_of")
    answer = questions.areas(data, as_of, tuple(ctx.args.texts("cluster")))
    items: list[JSON] = [{**item, "url": ctx.urls.area(int(str(item["id"])))}
                         for item in answer.items if isinstance(item, dict)]
    by_cluster = [(c, [i for i in items if isinstance(i, dict) and i["cluster"] == c.key])
                  for c in data.clusters]
    return Result({"items": items, "total": len(items)}, "Areas of cooperation",
                  table=answer.table,
                  context={"by_cluster": [(c, i) for c, i in by_cluster if i],
                           "assessed_count": len(analysis.assessed(data, as_of)),
                           "counted_note": answer.table.notes[0]})


def area_view(ctx: Ctx) -> Result:
    """One area: definition, cluster, and every signed partner by status."""
    data = ctx.site.data
    area = data.area(ctx.args.number("area") or 0)
    as_of = ctx.args.day("as_of")
    groups = analysis.area_coverage(data, area.id, as_of)
    answer = questions.area(data, area.id, as_of)
    assert isinstance(answer.payload, dict)
    cluster = ctx.site.cluster_labels.get(area.cluster, area.cluster)
    result = ctx.site.analysis(as_of)
    found = analysis.area_findings(result, area.id)
    payload = {**answer.payload, "findings": area_findings_payload(found, result)}
    return Result(payload, f"{area.id}. {area.label}", table=answer.table, context={
        "area": area, "groups": groups, "cluster": cluster, "order": STATUS_ORDER,
        "found": found, "finding_lines": area_findings_lines(found, result, data),
        "p_text": p_text, **_neighbours(ctx, area.id)})


def _neighbours(ctx: Ctx, area_id: int) -> dict[str, object]:
    ids = [a.id for a in ctx.site.data.areas]
    i = ids.index(area_id)
    return {"previous": ctx.site.data.area(ids[i - 1]) if i > 0 else None,
            "next": ctx.site.data.area(ids[i + 1]) if i + 1 < len(ids) else None}


ENDPOINTS = (
    Endpoint(
        name="areas", view=areas_view, page="/areas", api="/api/v1/areas", template="areas.html",
        csv=True,
        nav="Areas", params=(CLUSTERS, AS_OF),
        summary="The 26 areas of cooperation",
        description="Table 1's areas with their stable key, short label, thematic cluster and "
                    "how many signed partnerships cover each.",
        schema=schema("items", "total", lists=("items",)), reads=("partnerships",)),
    Endpoint(
        name="area", view=area_view, section="areas", page="/areas/{area}",
        api="/api/v1/areas/{area}", template="area.html",
        csv=True, params=(AREA, AS_OF),
        summary="One area and who covers it",
        description="The area's definition, the signed partners grouped by their status on "
                    "it, and `findings`: how many assessed partnerships cover it, whether it is "
                    "core, near-core or rare, when it first appeared, and the contrasts between "
                    "partner groups on it (counts, Fisher's exact p-value and q-value). The CSV "
                    "lists each signed partner's status.",
        schema=schema("area", "partners", "findings"), reads=("partnerships",)),
)
