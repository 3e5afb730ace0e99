"""The comparative findings: common core, tailored elements, similarity, group contrasts,
consistency, evolution and the predicted profile of partners not yet assessed.

The logic is :mod:`sdpatlas.analysis`; the JSON of ``/api/v1/analysis`` is
:func:`sdpatlas.render.analysis.analysis_payload`, the same as ``sdpatlas analyse
--format json``. The page opens with the key findings (:mod:`sdpatlas.render.keyfindings`),
then the interactive charts (inline SVG from :mod:`sdpatlas.render.svgcharts`: hover for the
value, click through), then sortable tables, then every finding in words. The matplotlib
charts of ``sdpatlas chart`` stay available as SVG downloads under ``/downloads/charts/``.
"""

from __future__ import annotations

from typing import Any

from sdpatlas import analysis
from sdpatlas.render.analysis import analysis_payload, analysis_sections
from sdpatlas.render.keyfindings import key_findings
from sdpatlas.render.report import REPORT_CHARTS
from sdpatlas.render.svgcharts import Links, svg_charts
from sdpatlas.render.table import Column, Table
from sdpatlas.web._endpoint import Ctx, Download, Endpoint, Result
from sdpatlas.web._params import Args, Param
from sdpatlas.web._site import Site
from sdpatlas.web.views._analysis_rows import analysis_rows
from sdpatlas.web.views._common import AS_OF, schema

NEAR = Param("near", "int", "Near-core threshold: areas covered by at least this many partners "
             "(default: three quarters of them).", minimum=1, maximum=1000, example="7")


def _contrast_table(result: analysis.Analysis) -> Table:
    rows = tuple((c.key, r.area, c.a.label, r.a_covered, r.a_of, c.b.label, r.b_covered, r.b_of,
                  r.p_value, r.q_value)
                 for c in result.contrasts for r in c.areas)
    return Table((Column("contrast", "Contrast"), Column("area", "#", "right"),
                  Column("group_a", "Group"), Column("a_covered", "Covered", "right"),
                  Column("a_of", "Of", "right"), Column("group_b", "Against"),
                  Column("b_covered", "Covered", "right"), Column("b_of", "Of", "right"),
                  Column("p_value", "p", "right"), Column("q_value", "q", "right")), rows,
                 title="Group contrasts (Fisher's exact test, two-sided)")


def _downloads(ctx: Ctx, result: analysis.Analysis) -> list[tuple[str, str, str]]:
    query = f"?as_of={result.as_of.isoformat()}" if result.as_of else ""
    return [(kind, caption, f"{ctx.urls.root}/downloads/charts/{kind}.svg{query}")
            for kind, caption in REPORT_CHARTS]


def _links(ctx: Ctx) -> Links:
    urls, compare = ctx.urls, ctx.urls.page("compare")
    return Links(partner=urls.partner, area=urls.area, cell=urls.cell,
                 pair=lambda a, b: f"{compare}?partner={a}&partner={b}")


def _page_context(ctx: Ctx, result: analysis.Analysis) -> dict[str, Any]:
    from markupsafe import Markup

    data = ctx.site.data
    downloads = {kind: url for kind, _, url in _downloads(ctx, result)}
    charts = [{"kind": c.kind, "title": c.title, "caption": c.caption, "svg": Markup(c.svg),
               "download": downloads.get(c.kind)}
              for c in svg_charts(data, result, _links(ctx))]
    return {"findings": key_findings(result, data), "charts": charts,
            "downloads": _downloads(ctx, result), **analysis_rows(result, data)}


def _chart_svg(site: Site, args: Args) -> bytes:
    from sdpatlas.render.charts import chart

    return chart(args.text("kind") or "", site.data, as_of=args.day("as_of"))


def analysis_view(ctx: Ctx) -> Result:
    """Every comparative finding; the CSV is the table of group contrasts."""
    data = ctx.site.data
    result = analysis.analyse(data, ctx.args.day("as_of"), near=ctx.args.number("near"))
    context = {"result": result, "sections": analysis_sections(result, data)}
    if ctx.args.fmt == "html":
        context.update(_page_context(ctx, result))
    return Result(analysis_payload(result, data), "Comparative analysis",
                  table=_contrast_table(result), context=context)


KIND = Param("kind", "choice", "The chart.", where="path",
             choices=tuple(kind for kind, _ in REPORT_CHARTS), example="matrix")

CHARTS = (
    Download("chart", "/downloads/charts/{kind}.svg", "A chart of the analysis as SVG",
             "One chart of the Analysis page (as `sdpatlas chart KIND`), optionally as of a "
             "date.", "image/svg+xml", "sdpatlas-{kind}.svg", _chart_svg, params=(KIND, AS_OF)),
)

ENDPOINTS = (
    Endpoint(
        name="analysis", view=analysis_view, page="/analysis", api="/api/v1/analysis",
        template="analysis.html", csv=True, nav="Analysis", params=(AS_OF, NEAR), heavy=True,
        summary="Comparative findings over the assessed partnerships",
        description="The common core (`common_core`), near-core and rare areas, each "
                    "partner's `tailored` elements and `omissions`, pairwise `similarity` "
                    "(Jaccard and Hamming), `identical_profiles`, the clustering, coverage by "
                    "group and `group_contrasts` with Fisher's exact test (counts, p and "
                    "q-values), declared against coded counts, the evolution by signature date, "
                    "and the predicted profile of signed partnerships not yet assessed. The "
                    "same JSON as `sdpatlas analyse --format json`; the CSV lists every "
                    "group contrast.",
        schema=schema("common_core", "rare_areas", "identical_profiles", "tailored",
                      "omissions", "similarity", "group_contrasts",
                      lists=("common_core", "rare_areas", "identical_profiles", "similarity",
                             "group_contrasts"))),
)
