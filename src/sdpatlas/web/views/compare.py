"""Two to four partnerships side by side: shared areas, distinct ones, differences."""

from __future__ import annotations

from sdpatlas import analysis
from sdpatlas.render import questions
from sdpatlas.web._endpoint import Ctx, Endpoint, Result
from sdpatlas.web._errors import error
from sdpatlas.web._params import Param
from sdpatlas.web.views._common import schema

MIN_PARTNERS, MAX_PARTNERS = 2, 4
CHOSEN = Param("partner", "partner", f"The partners to compare ({MIN_PARTNERS}–{MAX_PARTNERS}, "
               "code, name or alias); repeat the parameter or separate values with commas.",
               many=True, max_items=MAX_PARTNERS, min_items=MIN_PARTNERS, required=True,
               example="JPN", options=lambda data: tuple(p.partner for p in data.signed()
                                                         if p.assessed))
DIFFERENCES = Param("differences", "flag", "1: list only the areas where they differ.",
                    default=False)


def compare_view(ctx: Ctx) -> Result:
    """The comparison of the chosen partners; the page shows a picker when none are chosen."""
    data = ctx.site.data
    codes = ctx.args.texts("partner")
    choices = [p for p in data.signed() if p.assessed]
    if len(codes) < MIN_PARTNERS and ctx.args.fmt == "html":  # the page: pick (more) partners
        return Result({"partners": list(codes)}, "Compare partners",
                      context={"choices": choices, "result": None, "chosen": codes})
    if not MIN_PARTNERS <= len(codes) <= MAX_PARTNERS:
        raise error("bad-parameter", f"choose {MIN_PARTNERS} to {MAX_PARTNERS} different "
                    f"partners to compare, not {len(codes)} (e.g. ?partner=JPN&partner=IND)",
                    tuple(p.partner for p in choices))
    only_diff = ctx.args.flag("differences")
    try:
        answer = questions.compare(data, list(codes), only_diff)
    except ValueError as exc:  # its text is the library's; the answer names the partners
        assessed = {p.partner for p in choices}
        missing = ", ".join(c for c in codes if c not in assessed) or "a partner"
        raise error("not-comparable", f"{missing}: no coded areas to compare; choose among "
                    "partners whose areas have been assessed",
                    tuple(p.partner for p in choices)) from exc
    result = analysis.compare(data, codes)
    rows = [(a, st) for a, st in result.rows if not only_diff or a.id in result.differing]
    assert isinstance(answer.payload, dict)
    payload, table = answer.payload, answer.table
    title = "Compare " + " and ".join(ctx.site.names[c] for c in result.partners)
    return Result(payload, title, table=table, context={
        "choices": choices, "result": result, "rows": rows, "chosen": result.partners})


ENDPOINTS = (
    Endpoint(
        name="compare", view=compare_view, page="/compare", api="/api/v1/compare",
        template="compare.html",
        csv=True, nav="Compare", params=(CHOSEN, DIFFERENCES),
        summary="Compare two to four partnerships",
        description="The areas all chosen partnerships cover (`shared`), those only one of them "
                    "covers (`only`), those on which they differ (`differing`) and every area "
                    "side by side (`rows`). The CSV is the side-by-side table, as "
                    "`sdpatlas compare --format csv` prints it.",
        schema=schema("partners", "shared", "only", "differing", "rows",
                      lists=("partners", "rows"))),
)
