"""The context around the partnerships: the timeline, the sources, conflicting claims."""

from __future__ import annotations

from itertools import groupby

from sdpatlas import analysis
from sdpatlas.model import Confidence
from sdpatlas.render import questions
from sdpatlas.web._endpoint import Ctx, Endpoint, Result, page_of
from sdpatlas.web._params import Param
from sdpatlas.web.views._common import AS_OF, PAGED, PARTNERS, schema

CATEGORIES = ("partnership", "milestone", "parliament", "instrument")
CATEGORY = Param("category", "choice", "Only these kinds of entry; repeatable.", many=True,
                 choices=CATEGORIES, max_items=len(CATEGORIES))
CONFIDENCE = Param("confidence", "choice", "Only sources of this confidence.",
                   choices=tuple(str(c) for c in Confidence))


def timeline_view(ctx: Ctx) -> Result:
    """Signatures, negotiations, SAFE steps and Parliament's resolutions, oldest first."""
    codes, kinds = tuple(ctx.args.texts("partner")), tuple(ctx.args.texts("category"))
    as_of = ctx.args.day("as_of")
    answer = questions.timeline(ctx.site.data, as_of, codes, kinds)
    entries = [e for e in analysis.timeline(ctx.site.data, as_of)
               if (not codes or set(codes) & set(e.parties))
               and (not kinds or e.category in kinds)]
    shown, paging = page_of(ctx, answer.items)
    offset = ctx.args.integer("offset")
    page = entries[offset:offset + len(shown)]
    years = [(year, list(group)) for year, group in groupby(page, key=lambda e: e.date.year)]
    return Result({"items": shown, **paging}, "Timeline", table=answer.table,
                  context={"years": years, "categories": CATEGORIES})


def sources_view(ctx: Ctx) -> Result:
    """Every cited document with its confidence and how many facts cite it."""
    data = ctx.site.data
    usage = analysis.source_usage(data)
    confidence = ctx.args.text("confidence")
    chosen = [s for s in data.sources if confidence is None or str(s.confidence) == confidence]
    answer = questions.sources(data, confidence)
    shown, paging = page_of(ctx, answer.items)
    offset = ctx.args.integer("offset")
    return Result({"items": shown, **paging}, "Sources", table=answer.table,
                  context={"sources": chosen[offset:offset + len(shown)], "usage": usage,
                           "confidences": [str(c) for c in Confidence]})


def conflicts_view(ctx: Ctx) -> Result:
    """Facts on which sources disagree: every claim, the preferred one and why."""
    conflicts = ctx.site.data.conflicts
    answer = questions.conflicts(ctx.site.data)
    shown, paging = page_of(ctx, answer.items)
    offset = ctx.args.integer("offset")
    return Result({"items": shown, **paging}, "Conflicting claims", table=answer.table,
                  context={"conflicts": conflicts[offset:offset + len(shown)]})


ENDPOINTS = (
    Endpoint(
        name="timeline", view=timeline_view, page="/timeline", api="/api/v1/timeline",
        template="timeline.html",
        csv=True, paged=True, nav="Timeline", tag="context", params=(CATEGORY, PARTNERS, AS_OF),
        summary="Everything dated, oldest first",
        description="Partnership lifecycles (launch, negotiations, signature), SAFE and other "
                    "milestones, instruments adopted and the European Parliament's resolutions, "
                    "each with its sources.",
        schema=schema(*PAGED, lists=("items",))),
    Endpoint(
        name="sources", view=sources_view, page="/sources", api="/api/v1/sources",
        template="sources.html",
        csv=True, paged=True, nav="Sources", tag="context", params=(CONFIDENCE,),
        summary="Every cited source",
        description="Each document the dataset cites, with its issuer, date, URL, confidence "
                    "(verified, secondary, unverified) and how many facts cite it.",
        schema=schema(*PAGED, lists=("items",))),
    Endpoint(
        name="conflicts", view=conflicts_view, page="/conflicts", api="/api/v1/conflicts",
        template="conflicts.html",
        csv=True, paged=True, tag="context", section="sources",
        summary="Conflicting claims between sources",
        description="Facts on which sources disagree. Every claim is kept with its sources; one "
                    "is preferred, and `reason` says why. `entity` and `field` say which fact "
                    "(e.g. `partnership:GBR`, `coverage.19` for one matrix cell).",
        schema=schema(*PAGED, lists=("items",))),
)
