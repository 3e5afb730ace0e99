"""The context around the partnerships: the timeline, the sources, conflicting claims."""

from __future__ import annotations

from itertools import groupby

from sdpatlas import analysis
from sdpatlas.model import Confidence
from sdpatlas.render.jsonable import JSON, jsonable
from sdpatlas.render.table import Column, Table
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
    codes, kinds = set(ctx.args.texts("partner")), ctx.args.texts("category")
    entries = [e for e in analysis.timeline(ctx.site.data, ctx.args.day("as_of"))
               if (not codes or codes & set(e.parties)) and (not kinds or e.category in kinds)]
    items: list[JSON] = [{**jsonable(e), "year": e.date.year} for e in entries]  # type: ignore[dict-item]
    shown, paging = page_of(ctx, items)
    offset = ctx.args.integer("offset")
    page = entries[offset:offset + len(shown)]
    rows = tuple((str(e.date), e.category, e.title, ", ".join(e.parties), ", ".join(e.sources))
                 for e in entries)
    columns = (Column("date", "Date"), Column("category", "Category"), Column("title", "What"),
               Column("parties", "Parties"), Column("sources", "Sources"))
    years = [(year, list(group)) for year, group in groupby(page, key=lambda e: e.date.year)]
    return Result({"items": shown, **paging}, "Timeline", table=Table(columns, rows, "Timeline"),
                  context={"years": years, "categories": CATEGORIES})


def sources_view(ctx: Ctx) -> Result:
    """Every cited document with its confidence and how many facts cite it."""
    data = ctx.site.data
    usage = analysis.source_usage(data)
    confidence = ctx.args.text("confidence")
    chosen = [s for s in data.sources if confidence is None or str(s.confidence) == confidence]
    items: list[JSON] = [{**jsonable(s), "cited": usage[s.id]}  # type: ignore[dict-item]
                         for s in chosen]
    shown, paging = page_of(ctx, items)
    rows = tuple((s.id, s.kind, str(s.confidence), str(s.date) if s.date else None, s.title,
                  s.url, usage[s.id]) for s in chosen)
    columns = (Column("id", "Id"), Column("kind", "Kind"), Column("confidence", "Confidence"),
               Column("date", "Date"), Column("title", "Title"), Column("url", "URL"),
               Column("cited", "Cited", "right"))
    offset = ctx.args.integer("offset")
    return Result({"items": shown, **paging}, "Sources", table=Table(columns, rows, "Sources"),
                  context={"sources": chosen[offset:offset + len(shown)], "usage": usage,
                           "confidences": [str(c) for c in Confidence]})


def conflicts_view(ctx: Ctx) -> Result:
    """Facts on which sources disagree: every claim, the preferred one and why."""
    conflicts = ctx.site.data.conflicts
    items: list[JSON] = [jsonable(c) for c in conflicts]
    shown, paging = page_of(ctx, items)
    rows = tuple((c.id, c.subject, c.preferred.value,
                  " | ".join(f"{x.value} ({', '.join(x.sources)})" for x in c.claims
                             if not x.preferred), c.reason) for c in conflicts)
    columns = (Column("id", "Id"), Column("subject", "Subject"), Column("preferred", "Preferred"),
               Column("other_claims", "Other claims"), Column("reason", "Why preferred"))
    offset = ctx.args.integer("offset")
    return Result({"items": shown, **paging}, "Conflicting claims",
                  table=Table(columns, rows, f"Conflicting claims ({len(rows)})"),
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
