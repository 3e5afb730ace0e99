"""The home page (key figures and the timeline) and the API's own documentation."""

from __future__ import annotations

from sdpatlas import __version__, analysis
from sdpatlas.model import Partnership, PartnershipStatus
from sdpatlas.render.jsonable import JSON
from sdpatlas.web._endpoint import Ctx, Endpoint, Result
from sdpatlas.web.views._common import schema
from sdpatlas.web.views.history import release_json


def summary_view(ctx: Ctx) -> Result:
    """Key figures computed from the data, and everything dated."""
    data = ctx.site.data
    signed = data.signed()
    assessed = [p for p in signed if p.assessed]
    common = analysis.compare(data, [p.partner for p in assessed]).shared \
        if len(assessed) >= 2 else ()
    first, latest = (signed[0], signed[-1]) if signed else (None, None)
    counts: dict[str, JSON] = {str(s): sum(p.status is s for p in data.partnerships)
                               for s in PartnershipStatus}

    def mark(p: Partnership | None) -> JSON:
        if p is None:
            return None
        return {"code": p.partner, "name": ctx.site.names[p.partner], "signed": str(p.signed)}

    payload: dict[str, JSON] = {
        "partnerships": counts, "signed": len(signed), "assessed": len(assessed),
        "first_signed": mark(first), "latest_signed": mark(latest), "areas": len(data.areas),
        "common_to_all": list(common), "sources": len(data.sources),
        "conflicts": len(data.conflicts), "content_hash": data.content_hash,
        "dataset": release_json(data),
    }
    entries = analysis.timeline(data)
    prospective = [p for p in data.partnerships if p.status is not PartnershipStatus.SIGNED]
    return Result(payload, "SDP Atlas", context={"questions": _questions(ctx),
        "signed": signed, "assessed": assessed, "common": [data.area(a) for a in common],
        "first": first, "latest": latest, "entries": entries, "prospective": prospective})


def _questions(ctx: Ctx) -> list[dict[str, str]]:
    """Worked questions linking into filtered views (when the data has what they need)."""
    data, out = ctx.site.data, []
    keys = {a.key: a for a in data.areas}
    sea, space = keys.get("maritime-security"), keys.get("space-security")
    if sea and space:
        out.append({"text": "Which partners cover maritime security but not space?",
                    "url": ctx.urls.page("matrix") + f"?area={sea.id}&area={space.id}"})
    assessed = {p.partner for p in data.signed() if p.assessed}
    if {"IND", "JPN"} <= assessed:
        out.append({"text": "How does India's partnership differ from Japan's?",
                    "url": ctx.urls.page("compare") + "?partner=IND&partner=JPN"})
    return out


def api_view(ctx: Ctx) -> Result:
    """Every API operation, read from the OpenAPI document the app serves."""
    spec = ctx.site.spec
    paths = spec.get("paths")
    operations: list[JSON] = []
    if isinstance(paths, dict):
        for path, item in paths.items():
            assert isinstance(item, dict)
            method, op = next(iter(item.items()))
            assert isinstance(op, dict)
            operations.append({"path": ctx.urls.root + path, "method": method.upper(),
                               "operation": op["operationId"], "summary": op["summary"],
                               "tag": (op["tags"] or [""])[0]
                               if isinstance(op["tags"], list) else ""})
    payload: dict[str, JSON] = {"title": "SDP Atlas API", "openapi": ctx.urls.root
                                + "/openapi.json", "software": __version__,
                                "dataset": release_json(ctx.site.data),
                                "operations": operations}
    return Result(payload, "API", context={"spec": spec})


ENDPOINTS = (
    Endpoint(
        name="home", view=summary_view, page="/", api="/api/v1/summary", template="home.html",
        nav="Home",
        summary="Key figures",
        description="How many partnerships are signed, negotiated or proposed, the first and "
                    "latest signature, the areas every assessed partnership covers, and how "
                    "many sources and conflicting claims the dataset holds; `dataset` is the "
                    "dataset's version and the date its facts were checked up to (null when "
                    "unversioned).",
        schema=schema("partnerships", "signed", "assessed", "first_signed", "latest_signed",
                      "areas", "common_to_all", "sources", "conflicts", "content_hash",
                      "dataset")),
    Endpoint(
        name="api", view=api_view, page="/api", api="/api/v1", template="api.html", nav="API",
        summary="The list of API operations",
        description="Every operation of this API with its path and summary; the full "
                    "description is the OpenAPI document at `/openapi.json`. `software` is "
                    "the software's version, `dataset` the dataset's version and coverage "
                    "date (null when unversioned).",
        schema=schema("title", "openapi", "software", "dataset", "operations",
                      lists=("operations",))),
)
