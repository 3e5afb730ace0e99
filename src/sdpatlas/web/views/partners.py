"""Partners: the list of every (prospective) partnership, and one partner's profile."""

from __future__ import annotations

from sdpatlas import analysis
from sdpatlas.model import Coverage, Dataset, Partnership, PartnershipStatus
from sdpatlas.render import questions
from sdpatlas.render.analysis import (
    partner_findings_lines,
    partner_findings_payload,
    prediction_sections,
)
from sdpatlas.render.jsonable import JSON, jsonable
from sdpatlas.web._endpoint import Ctx, Endpoint, Result, page_of
from sdpatlas.web._errors import error
from sdpatlas.web.views._common import (
    AS_OF,
    PAGED,
    PARTNERSHIP,
    STATUS_ORDER,
    partner_conflicts,
    schema,
    source_records,
)


def partners_view(ctx: Ctx) -> Result:
    """Every partnership, signed first (by date), then negotiating, exploring, proposed."""
    answer = questions.partners(ctx.site.data, ctx.args.day("as_of") or ctx.site.today)
    items: list[JSON] = [{**item, "url": ctx.urls.partner(str(item["code"]))}
                         for item in answer.items if isinstance(item, dict)]
    shown, paging = page_of(ctx, items)
    table = answer.table
    by_status = {s: [i for i in shown if isinstance(i, dict) and i["status"] == str(s)]
                 for s in PartnershipStatus}
    return Result({"items": shown, **paging}, "Partners", table=table,
                  context={"by_status": by_status})


def _rare(data: Dataset, p: Partnership) -> list[tuple[int, tuple[str, ...]]]:
    """Areas this partnership covers that at most two signed partnerships cover."""
    out = []
    for cell in p.coverage:
        if cell.status is Coverage.YES:
            covering = analysis.area_coverage(data, cell.area)[Coverage.YES]
            if len(covering) <= 2:
                out.append((cell.area, covering))
    return out


def _compares(ctx: Ctx, code: str) -> tuple[dict[str, JSON], dict[str, object]]:
    """How the partner compares (if assessed) or its predicted profile: JSON and page values."""
    data = ctx.site.data
    result = ctx.site.analysis(ctx.args.day("as_of"))
    found = analysis.partner_findings(result, code)
    pred = None if found or not result.profiles.n else analysis.predict(data, result.profiles,
                                                                        code)
    context: dict[str, object] = {"result": result, "found": found, "pred": pred,
                                  "compare_lines": partner_findings_lines(found, data)
                                  if found else ()}
    if pred:
        context["prediction_lines"] = prediction_sections(pred, data, result)[0].lines
    return partner_findings_payload(found, pred, result), context


def partner_view(ctx: Ctx) -> Result:
    """One partner: groups, lifecycle, dialogues, commitments, areas, conflicts, sources."""
    data = ctx.site.data
    code = ctx.args.text("code") or ""
    on = ctx.args.day("as_of") or ctx.site.today
    party, p = data.party(code), data.partnership(code)
    if p is None:
        raise error("unknown-partner", f"{party.name} ({code}) has no security and defence "
                    "partnership, signed or prospective")
    rare = _rare(data, p)
    conflicts = partner_conflicts(data, code)
    cited = [s for m in party.memberships for s in m.sources] + list(p.cited())
    sources = source_records(data, tuple(cited))
    findings, compares = _compares(ctx, code)
    answer = questions.partner(data, code, on)
    assert isinstance(answer.payload, dict)
    payload: dict[str, JSON] = {
        **answer.payload,
        "rare_areas": [{"area": a, "covered_by": list(c)} for a, c in rare],
        "conflicts": jsonable(conflicts),
        "sources": jsonable(sources),
        "findings": findings,
    }
    by_status = {s: [c for c in p.coverage if c.status is s] for s in STATUS_ORDER}
    table = answer.table
    memberships = [m for m in party.memberships if m.active(on)]
    return Result(payload, f"{party.name}", table=table, context={
        "party": party, "p": p, "memberships": memberships, "by_status": by_status,
        "rare": rare, "conflicts": conflicts, "sources": sources,
        "primary": analysis.primary_group(party, on), "cells": {c.area: c for c in p.coverage},
        "covered": sum(c.status is Coverage.YES for c in p.coverage), **compares})


ENDPOINTS = (
    Endpoint(
        name="partners", view=partners_view, page="/partners", api="/api/v1/partners",
        template="partners.html",
        csv=True, paged=True, nav="Partners", params=(AS_OF,),
        summary="Every partner, signed or prospective",
        description="Each partnership with its status (signed, negotiating, exploring, "
                    "proposed), signature date, the partner's groups, how many of Table 1's "
                    "areas it covers and how many areas its own text declares.",
        schema=schema(*PAGED, lists=("items",))),
    Endpoint(
        name="partner", view=partner_view, section="partners", page="/partners/{code}",
        api="/api/v1/partners/{code}",
        template="partner.html", csv=True, params=(PARTNERSHIP, AS_OF),
        summary="One partner's profile",
        description="The partner, its groups, its partnership (lifecycle, signatories, "
                    "dialogues, commitments, declared areas), its status on every area, the "
                    "rare areas it covers, conflicting claims about it, every source cited, "
                    "and `findings`: how it compares with the assessed partnerships (tailored "
                    "elements and omissions with their counts, nearest partners by Jaccard, "
                    "identical profiles) or, for a partner not yet assessed, its predicted "
                    "coverage with the predictor's leave-one-out accuracy. The CSV "
                    "lists its status on each area.",
        schema=schema("party", "groups", "partnership", "rare_areas", "conflicts", "sources",
                      "findings"),
        reads=("party", "partnerships")),
)
