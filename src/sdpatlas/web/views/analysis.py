"""The comparative findings: common core, tailored elements, similarity, group contrasts,
consistency, evolution and the predicted profile of partners not yet assessed.

The logic is :mod:`sdpatlas.analysis`; the JSON of ``/api/v1/analysis`` is
:func:`sdpatlas.render.analysis.analysis_payload`, the same as ``sdpatlas analyse
--format json``. Each table of the findings is built once by
:mod:`sdpatlas.render.questions_analysis`: ``/api/v1/analysis/{section}`` (JSON and CSV) is
``sdpatlas analyse --section NAME``, and the page's sortable tables show the same rows.
The page opens with the key findings (:mod:`sdpatlas.render.keyfindings`), then the
interactive charts (inline SVG from :mod:`sdpatlas.render.svgcharts`: hover for the
value, click through), then sortable tables, then every finding in words. The matplotlib
charts of ``sdpatlas chart`` stay available as SVG downloads under ``/downloads/charts/``.
"""

from __future__ import annotations

from typing import Any

from sdpatlas import analysis
from sdpatlas.render.analysis import analysis_payload, analysis_sections
from sdpatlas.render.keyfindings import key_findings
from sdpatlas.render.questions import Answer
from sdpatlas.render.questions_analysis import SECTIONS, section, sections
from sdpatlas.render.report import REPORT_CHARTS
from sdpatlas.render.svgcharts import Links, svg_charts
from sdpatlas.web._endpoint import Ctx, Download, Endpoint, Result
from sdpatlas.web._params import Args, Param
from sdpatlas.web._site import Site
from sdpatlas.web.views._analysis_rows import analysis_rows
from sdpatlas.web.views._common import AS_OF, schema

NEAR = Param("near", "int", "Near-core threshold: areas covered by at least this many partners "
             "(default: three quarters of them; above the partners assessed that day: all of "
             "them).", minimum=1, maximum=1000, example="7")


def _downloads(ctx: Ctx, result: analysis.Analysis) -> list[tuple[str, str, str]]:
    query = f"?as_of={result.as_of.isoformat()}" if result.as_of else ""
    return [(kind, caption, f"{ctx.urls.root}/downloads/charts/{kind}.svg{query}")
            for kind, caption in REPORT_CHARTS]


def _links(ctx: Ctx) -> Links:
    urls, compare = ctx.urls, ctx.urls.page("compare")
    return Links(partner=urls.partner, area=urls.area, cell=urls.cell,
                 pair=lambda a, b: f"{compare}?partner={a}&partner={b}")


def _page_context(ctx: Ctx, result: analysis.Analysis,
                  answers: dict[str, Answer]) -> dict[str, Any]:
    from markupsafe import Markup

    data = ctx.site.data
    query = f"?as_of={result.as_of.isoformat()}" if result.as_of else ""
    csv = {name: f"{ctx.urls.root}/api/v1/analysis/{name}.csv{query}" for name in answers}
    downloads = {kind: url for kind, _, url in _downloads(ctx, result)}
    charts = [{"kind": c.kind, "title": c.title, "caption": c.caption, "svg": Markup(c.svg),
               "download": downloads.get(c.kind)}
              for c in svg_charts(data, result, _links(ctx))]
    return {"findings": key_findings(result, data), "charts": charts,
            "downloads": _downloads(ctx, result), "csv": csv, **analysis_rows(answers)}


def _chart_svg(site: Site, args: Args) -> bytes:
    from sdpatlas.render.charts import chart

    return chart(args.text("kind") or "", site.data, as_of=args.day("as_of"))


def _analysis(ctx: Ctx) -> analysis.Analysis:
    """The analysis asked for; a ``near`` above the number of partners assessed on that day
    means all of them (the API's schema cannot know how many there are on each day)."""
    near = ctx.args.number("near")
    result = analysis.analyse(ctx.site.data, ctx.args.day("as_of"), near=near)
    partners = len(result.profiles.partners)
    if near is not None and partners and near > partners:
        return analysis.analyse(ctx.site.data, ctx.args.day("as_of"), near=partners)
    return result


def analysis_view(ctx: Ctx) -> Result:
    """Every comparative finding; the CSV is the table of group contrasts."""
    data = ctx.site.data
    result = _analysis(ctx)
    context = {"result": result, "sections": analysis_sections(result, data)}
    if ctx.args.fmt == "html":
        context.update(_page_context(ctx, result, sections(result, data)))
    return Result(analysis_payload(result, data), "Comparative analysis",
                  table=section("contrasts", result, data).table, context=context)


def section_view(ctx: Ctx) -> Result:
    """One table of the findings: its rows as JSON items, the table as CSV."""
    data = ctx.site.data
    result = _analysis(ctx)
    name = ctx.args.text("section") or ""
    answer = section(name, result, data)
    return Result({"as_of": result.as_of.isoformat() if result.as_of else None,
                   "section": name, "items": answer.payload}, answer.table.title,
                  table=answer.table)


SECTION = Param("section", "choice", "The table of the findings.", where="path",
                choices=tuple(SECTIONS), example="similarity")
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
                             "group_contrasts")),
        reads=("partnerships",)),
    Endpoint(
        name="analysis-section", view=section_view, api="/api/v1/analysis/{section}",
        csv=True, section="analysis", params=(SECTION, AS_OF, NEAR), heavy=True,
        summary="One table of the comparative findings",
        description="The rows of one table of the findings, as `sdpatlas analyse --section "
                    "NAME` gives them: `areas` (how many assessed partnerships cover each "
                    "area, and its standing), `partnerships` (coverage, tailored elements, "
                    "omissions, nearest partner, declared against coded), `similarity` (every "
                    "pair: Jaccard, shared areas, Hamming distance), `contrasts` (every group "
                    "contrast on every area: counts, p and q-values), `evolution` (by "
                    "signature date) and `predictions` (each area's probability for the "
                    "partnerships not yet assessed). The CSV is the same table.",
        schema=schema("as_of", "section", "items", lists=("items",)), reads=("partnerships",)),
)
