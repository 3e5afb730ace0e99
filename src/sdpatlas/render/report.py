"""The briefing report: the key findings, the charts, Table 1, every computed finding and
numbered sources.

HTML is one self-contained, printable file: CSS and charts inline (the SVG charts of
:mod:`sdpatlas.render.svgcharts`, a title on every mark, no links and no script), and a
Content Security Policy that forbids loading anything, so opening it makes no request.
Markdown carries the same text, with the matplotlib charts written as SVG files beside
it. Every sentence comes from :mod:`sdpatlas.render.analysis` and
:mod:`sdpatlas.render.keyfindings`, filled from the computed results; the output carries
no timestamp, so the same data gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sdpatlas import analysis
from sdpatlas.model import Coverage, Dataset, PartyCode, Source, Sources
from sdpatlas.render.analysis import TEST_NAME, analysis_sections
from sdpatlas.render.keyfindings import key_findings
from sdpatlas.render.matrix import LEGEND, SYMBOLS, WORDS
from sdpatlas.render.words import count

__all__ = ["REPORT_CHARTS", "html_report", "markdown_report", "report_context"]

TEMPLATES = Path(__file__).with_name("templates")
REPORT_CHARTS = (
    ("matrix", "Table 1 as a heat map, partners grouped as in Table 1."),
    ("timeline", "When each partnership was signed, and the talks still under way."),
    ("areas-over-time", "Areas per SDP by signature date; the common core shrinks as "
                        "partnerships are added."),
    ("similarity", "Pairwise Jaccard similarity, ordered by the clustering (dendrogram)."),
    ("group-coverage", "Share of each group's partners that cover each area."),
)


@dataclass
class Citations:
    """Numbers sources in order of first citation."""

    data: Dataset
    order: list[str] = field(default_factory=list)

    def cite(self, sources: Iterable[str]) -> tuple[int, ...]:
        """The reference numbers of some sources, numbering new ones."""
        numbers = []
        for source in dict.fromkeys(sources):
            if source not in self.order:
                self.order.append(source)
            numbers.append(self.order.index(source) + 1)
        return tuple(sorted(numbers))

    def references(self) -> list[tuple[int, Source]]:
        """Every cited source with its number."""
        return [(i, self.data.source(s)) for i, s in enumerate(self.order, start=1)]


def _matrix(data: Dataset, result: analysis.Analysis, cite: Citations) -> dict[str, Any]:
    m = analysis.matrix(data, order="group", as_of=result.as_of)
    labels = {g.key: g.label for g in data.groups}
    columns: list[dict[str, Any]] = []
    for party, p, group in zip(m.parties, m.partnerships, m.column_groups, strict=True):
        cell_sources: Sources = tuple(s for c in p.coverage for s in c.sources)
        signed = p.event("signed")
        columns.append({"code": party.code, "name": party.name, "signed": str(p.signed),
                        "group": labels.get(group or "", "Other partners"),
                        "refs": cite.cite((*(signed.sources if signed else ()),
                                           *cell_sources)),
                        "assessed": p.assessed})
    codes = [party.code for party in m.parties]
    rows = [{"id": a.id, "label": a.label, "total": m.row_total(a.id),
             "cells": [{"symbol": SYMBOLS[m.status(c, a.id)], "word": WORDS[m.status(c, a.id)],
                        "status": str(m.status(c, a.id))} for c in codes]}
            for a in m.areas]
    return {"columns": columns, "rows": rows, "legend": LEGEND,
            "totals": [m.column_total(c) for c in codes]}


def _groups(data: Dataset, result: analysis.Analysis, cite: Citations) -> list[dict[str, Any]]:
    out = []
    for g in result.groups:
        if g.group.kind != "group" or not g.group.members:
            continue
        sources = [s for c in g.group.members for m in result.profiles.parties[c].memberships
                   if m.group == g.group.key and m.active(result.profiles.on) for s in m.sources]
        out.append({"label": g.group.label, "members": _names(data, g.group.members),
                    "refs": cite.cite(sources)})
    return out


def _names(data: Dataset, codes: Iterable[PartyCode]) -> str:
    return ", ".join(data.party(c).name for c in codes)


def _contrasts(data: Dataset, result: analysis.Analysis, limit: int = 12) -> list[dict[str, Any]]:
    rows = sorted(((c, r) for c in result.contrasts for r in c.areas if r.difference),
                  key=lambda cr: (cr[1].p_value, cr[1].area, cr[0].key))
    seen: set[tuple[tuple[PartyCode, ...], tuple[PartyCode, ...], int]] = set()
    out: list[dict[str, Any]] = []
    for c, r in rows:
        key = (c.a.members, c.b.members, r.area)
        if key in seen:
            continue
        seen.add(key)
        out.append({"area": f"{r.area} {data.area(r.area).short}", "a": c.a.label,
                    "a_counts": f"{r.a_covered}/{r.a_of}", "b": c.b.label,
                    "b_counts": f"{r.b_covered}/{r.b_of}", "p": f"{r.p_value:.4f}",
                    "q": f"{r.q_value:.3f}"})
        if len(out) >= limit:
            break
    return out


def _consistency(data: Dataset, result: analysis.Analysis,
                 cite: Citations) -> list[dict[str, Any]]:
    return [{"partner": data.party(c.partner).name, "declared": c.declared, "unit": c.unit,
             "coded": c.coded, "existing": c.existing, "difference": c.difference,
             "code": c.code, "refs": cite.cite(c.sources)} for c in result.consistency]


def report_context(data: Dataset, result: analysis.Analysis, *,
                   charts: Mapping[str, str]) -> dict[str, Any]:
    """Everything the templates show; ``charts`` maps each chart kind to what to embed."""
    cite = Citations(data)
    p = result.profiles
    matrix = _matrix(data, result, cite)
    return {
        "title": "The EU's security and defence partnerships: comparative findings",
        "subtitle": (f"Computed by SDP Atlas from {count(p.n, 'assessed partnership')}"
                     + (f", as of {p.as_of.isoformat()}" if p.as_of else "")
                     + f"; groups as of {p.on.isoformat()}."),
        "dataset": data.content_hash[:12] or "unhashed",
        "matrix": matrix,
        "findings": key_findings(result, data),
        "sections": analysis_sections(result, data),
        "charts": [{"kind": k, "caption": caption, "body": charts[k]}
                   for k, caption in REPORT_CHARTS if k in charts],
        "groups": _groups(data, result, cite),
        "contrasts": _contrasts(data, result),
        "test": TEST_NAME,
        "consistency": _consistency(data, result, cite),
        "granularity": analysis.GRANULARITY_NOTE,
        "codes": analysis.CONSISTENCY_CODES,
        "evaluation": result.evaluation,
        "references": cite.references(),
        "unassessed": [c["name"] for c in matrix["columns"] if not c["assessed"]],
        "yes": Coverage.YES,
    }


def _environment(autoescape: bool) -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=autoescape,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["refs"] = lambda numbers: ", ".join(str(n) for n in numbers)
    env.filters["pct"] = lambda x: f"{100 * x:.0f}%"
    env.filters["md"] = lambda text: str(text).replace("|", "\\|").replace("\n", " ")
    return env


def _charts(data: Dataset, result: analysis.Analysis) -> dict[str, bytes]:
    from sdpatlas.render.charts import chart

    return {k: chart(k, data, fmt="svg", as_of=result.as_of, result=result)
            for k, _ in REPORT_CHARTS}


def html_report(data: Dataset, result: analysis.Analysis) -> str:
    """The briefing as one self-contained HTML document (no script, no request)."""
    from markupsafe import Markup

    from sdpatlas.render.svgcharts import svg_charts

    context = report_context(data, result, charts={})
    context["charts"] = [{"kind": c.kind, "title": c.title, "caption": c.caption,
                          "body": Markup(c.svg)} for c in svg_charts(data, result)]
    return str(_environment(autoescape=True).get_template("report.html.j2").render(context))


def markdown_report(data: Dataset, result: analysis.Analysis, *,
                    image_prefix: str = "report") -> tuple[str, dict[str, bytes]]:
    """The briefing as Markdown, and the SVG files it links to (file name → bytes)."""
    images = {f"{image_prefix}-{k}.svg": svg for k, svg in _charts(data, result).items()}
    context = report_context(data, result,
                             charts={k: f"{image_prefix}-{k}.svg" for k, _ in REPORT_CHARTS})
    text = _environment(autoescape=False).get_template("report.md.j2").render(context)
    return str(text), images
