"""Charts as SVG or PNG bytes: offline (matplotlib's Agg and SVG back ends, no pyplot)
and byte-for-byte deterministic for the same data.

Determinism comes from a fixed salt for SVG ids, no creation date, a fixed creator,
the DejaVu Sans font that ships with matplotlib, glyphs drawn as paths, and no reference
to today's date (open-ended spans end at the latest date in the data, or ``as_of``).
Colours follow the Okabe–Ito palette, and every coded cell also carries a symbol, so no
chart relies on colour alone.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sdpatlas import analysis
from sdpatlas.model import Coverage, Dataset, PartnershipStatus

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

__all__ = ["CHART_FORMATS", "KINDS", "chart"]

CHART_FORMATS = ("svg", "png")
KINDS = {
    "matrix": "Table 1 as a heat map, partners grouped like Table 1",
    "timeline": "Signature timeline of signed and negotiating partnerships",
    "similarity": "Jaccard similarity heat map with the clustering's dendrogram",
    "areas-over-time": "Areas per SDP by signature date, with cumulative and common totals",
    "group-coverage": "Share of each group's partners covering each area",
}

BLUE, ORANGE, GREEN, VERMILLION, GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#BBBBBB"
STATUS_STYLE = {  # fill colour, symbol, symbol colour
    Coverage.YES: (BLUE, "✓", "white"),
    Coverage.NO: ("#EEEEEE", "✗", "#555555"),
    Coverage.ALREADY_EXISTS: (ORANGE, "E", "black"),
    Coverage.UNKNOWN: ("white", "?", "#555555"),
}
_RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "sdpatlas",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 10,
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "image.interpolation": "nearest",
}
_METADATA = {"svg": {"Date": None, "Creator": "SDP Atlas"}, "png": {"Software": "SDP Atlas"}}


def chart(kind: str, data: Dataset, *, fmt: str = "svg", as_of: dt.date | None = None,
          result: analysis.Analysis | None = None) -> bytes:
    """Draw one chart of ``KINDS`` as ``svg`` or ``png`` bytes.

    ``result`` reuses an analysis already computed (it must match ``as_of``).
    ValueError for an unknown kind or format.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown chart {kind!r}; use one of {', '.join(KINDS)}")
    if fmt not in CHART_FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}; use svg or png")
    import matplotlib

    with matplotlib.rc_context(_RC):
        result = result or analysis.analyse(data, as_of)
        fig = _DRAW[kind](data, result)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, metadata=_METADATA[fmt], bbox_inches="tight")
    return buffer.getvalue()


def _figure(width: float, height: float, *, constrained: bool = True) -> Figure:
    """A figure; heat maps with long rotated headers skip the constrained layout (which
    would squeeze the axes to fit them) and rely on the tight bounding box when saved."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained" if constrained else None)


def _matrix(data: Dataset, result: analysis.Analysis) -> Figure:
    m = analysis.matrix(data, order="group", as_of=result.as_of)
    statuses = list(STATUS_STYLE)
    codes = [p.code for p in m.parties]
    cells = [[statuses.index(m.status(c, a.id)) for c in codes] for a in m.areas]
    fig = _figure(2.8 + 0.62 * max(len(codes), 1), max(4.0, 1.4 + 0.24 * len(m.areas)),
                  constrained=False)
    ax = fig.add_subplot()
    from matplotlib.colors import ListedColormap

    cmap = ListedColormap([STATUS_STYLE[s][0] for s in statuses])
    if codes:
        ax.imshow(cells, cmap=cmap, vmin=0, vmax=len(statuses) - 1, aspect="auto")
    for row, area in enumerate(m.areas):
        for col, code in enumerate(codes):
            _, symbol, colour = STATUS_STYLE[m.status(code, area.id)]
            ax.text(col, row, symbol, ha="center", va="center", color=colour, fontsize=7)
    ax.set_yticks(range(len(m.areas)), [f"{a.id} {a.short}" for a in m.areas])
    ax.set_xticks(range(len(codes)), [p.name for p in m.parties], rotation=40, ha="left")
    ax.xaxis.tick_top()
    ax.set_xlim(-0.5, max(len(codes), 1) - 0.5)
    ax.set_ylim(len(m.areas) - 0.5, -0.5)
    if not codes:
        ax.text(0, len(m.areas) / 2, "No partnership signed by this date", ha="center")
    _group_brackets(ax, data, m)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title("Areas of cooperation by partner (✓ covered, ✗ not, E already exists, "
                 "? not assessed)", loc="left", pad=70)
    return fig


def _group_brackets(ax: Any, data: Dataset, m: analysis.Matrix) -> None:
    labels = {g.key: g.label for g in data.groups}
    start = 0
    for col in range(1, len(m.column_groups) + 1):
        if col == len(m.column_groups) or m.column_groups[col] != m.column_groups[start]:
            key = m.column_groups[start]
            ax.text((start + col - 1) / 2, len(m.areas) + 0.1, labels.get(key or "", "Other"),
                    ha="center", va="top", fontsize=7, style="italic")
            if col < len(m.column_groups):
                ax.axvline(col - 0.5, color="black", linewidth=1.2)
            start = col


def _event_date(event: Any) -> dt.date:
    day: dt.date = event.date.earliest()
    return day


def _timeline(data: Dataset, result: analysis.Analysis) -> Figure:
    cut = result.as_of
    shown = [p for p in data.partnerships
             if p.status in (PartnershipStatus.SIGNED, PartnershipStatus.NEGOTIATING)
             and p.events and (cut is None or min(map(_event_date, p.events)) <= cut)]
    shown.sort(key=lambda p: (_event_date(p.event("signed") or p.events[0]), p.partner))
    days = [_event_date(e) for p in data.partnerships for e in p.events]
    end = cut or (max(days) if days else dt.date(2000, 1, 1))
    fig = _figure(8.0, 1.2 + 0.32 * max(len(shown), 1))
    ax = fig.add_subplot()
    for row, p in enumerate(shown):
        launched, signed = p.event("negotiations-launched"), p.event("signed")
        sign_day = _event_date(signed) if signed and (cut is None or
                                                      _event_date(signed) <= cut) else None
        if launched is not None:
            stop = sign_day or end
            ax.plot([_x(_event_date(launched)), _x(stop)], [row, row],
                    color=ORANGE if sign_day is None else GREY, linewidth=2.5,
                    linestyle="-" if sign_day else "--")
            ax.plot([_x(_event_date(launched))], [row], "o", mfc="white", mec=ORANGE)
        if sign_day is not None:
            ax.plot([_x(sign_day)], [row], "o", color=BLUE, markersize=7)
            ax.annotate(sign_day.isoformat(), (_x(sign_day), row), xytext=(6, 3),
                        textcoords="offset points", fontsize=7)
    ax.set_yticks(range(len(shown)), [data.party(p.partner).name for p in shown])
    ax.set_ylim(len(shown) - 0.5, -0.7)
    _quarters(ax, [d for p in shown for d in map(_event_date, p.events)] + [end])
    ax.grid(axis="x", color="#DDDDDD")
    ax.set_axisbelow(True)
    ax.set_title("Security and defence partnerships: ● signed, ○ talks launched, "
                 "dashed = still negotiating", loc="left")
    return fig


def _x(day: dt.date) -> float:
    """Dates on the x axis are plain day numbers (proleptic ordinals)."""
    return float(day.toordinal())


def _quarters(ax: Any, days: list[dt.date]) -> None:
    """Ticks on the first day of each quarter the dates span, labelled by year or month."""
    if not days:
        return
    first, last = min(days), max(days)
    ticks, year, month = [], first.year, 1 + 3 * ((first.month - 1) // 3)
    while dt.date(year, month, 1) <= last:
        day = dt.date(year, month, 1)
        if day >= first:
            ticks.append(day)
        year, month = (year + 1, 1) if month == 10 else (year, month + 3)
    labels = [str(d.year) if d.month == 1 else d.strftime("%b") for d in ticks]
    ax.set_xticks([_x(d) for d in ticks], labels)


def _similarity(data: Dataset, result: analysis.Analysis) -> Figure:
    sim, tree = result.similarity, result.clustering
    order = list(tree.leaves)
    n = len(order)
    fig = _figure(2.5 + 0.55 * max(n, 1), 3.0 + 0.5 * max(n, 1))
    if n >= 2:
        grid = fig.add_gridspec(2, 1, height_ratios=(1, 3))
        top, ax = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
        _dendrogram(top, tree, n)
    else:
        ax = fig.add_subplot()
    if not n:
        ax.text(0.5, 0.5, "No assessed partnership to compare", ha="center", va="center")
        ax.set_axis_off()
        return fig
    values = [[sim.score(a, b) for b in order] for a in order]
    ax.imshow(values, cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto")
    for i, a in enumerate(order):
        for j, b in enumerate(order):
            ax.text(j, i, f"{sim.score(a, b):.2f}", ha="center", va="center", fontsize=7,
                    color="white" if sim.score(a, b) > 0.6 else "black")
    ax.set_xticks(range(n), order)
    ax.set_yticks(range(n), [f"{data.party(c).name} ({c})" for c in order])
    ax.set_xlim(-0.5, n - 0.5)
    ax.tick_params(length=0)
    fig.suptitle("Jaccard similarity of covered areas, ordered by average-linkage clustering",
                 x=0.02, ha="left", fontsize=10)
    return fig


def _dendrogram(ax: Any, tree: analysis.Clustering, n: int) -> None:
    import numpy as np
    from scipy.cluster.hierarchy import dendrogram

    dendrogram(np.array(tree.linkage), ax=ax, no_labels=True, color_threshold=0,
               above_threshold_color="#444444")
    ax.set_xlim(0, 10 * n)
    ax.set_ylabel("1 − Jaccard")
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_xticks([])


def _areas_over_time(data: Dataset, result: analysis.Analysis) -> Figure:
    steps = result.evolution.steps
    fig = _figure(8.0, 4.2)
    ax = fig.add_subplot()
    x = [_x(s.signed) for s in steps]
    ax.step(x, [s.cumulative for s in steps], where="post", color=GREEN,
            label="areas covered by at least one SDP")
    ax.step(x, [s.core for s in steps], where="post", color=VERMILLION, linestyle="--",
            label="areas covered by every SDP so far")
    ax.plot(x, [s.covered for s in steps], "o", color=BLUE, label="areas in the SDP")
    last_above = -math.inf  # a label within a month of the last one above goes below
    for s, xi in zip(steps, x, strict=True):
        below = xi - last_above < 31
        last_above = last_above if below else xi
        ax.annotate(s.partner, (xi, s.covered), xytext=(0, -12 if below else 6),
                    textcoords="offset points", ha="center", fontsize=7)
    ax.set_ylim(0, len(result.profiles.areas) + 2)
    ax.set_ylabel("areas of cooperation")
    _quarters(ax, [s.signed for s in steps])
    ax.grid(color="#DDDDDD")
    ax.legend(loc="lower right", frameon=False)
    ax.set_title("Areas per SDP by signature date", loc="left")
    return fig


def _group_coverage(data: Dataset, result: analysis.Analysis) -> Figure:
    columns: list[tuple[str, analysis.GroupCoverage]] = []
    for g in result.groups:
        if not g.group.members:
            continue
        same = next((i for i, (_, c) in enumerate(columns)
                     if c.group.members == g.group.members), None)
        if same is None:
            columns.append((g.group.label, g))
        else:
            columns[same] = (f"{columns[same][0]} / {g.group.label}", columns[same][1])
    areas = result.profiles.areas
    labels = [f"{label} ({len(c.group.members)})" for label, c in columns]
    fig = _figure(3.0 + 0.75 * max(len(columns), 1), max(4.0, 1.6 + 0.24 * len(areas)),
                  constrained=False)
    ax = fig.add_subplot()
    shares = [[(c.counts[i][1] / c.counts[i][2]) if c.counts[i][2] else 0.0
               for _, c in columns] for i in range(len(areas))]
    if columns:
        ax.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto")
    for i in range(len(areas)):
        for j, (_, c) in enumerate(columns):
            _, covered, of = c.counts[i]
            ax.text(j, i, f"{covered}/{of}", ha="center", va="center", fontsize=6.5,
                    color="white" if of and covered / of > 0.6 else "black")
    ax.set_yticks(range(len(areas)), [f"{a} {data.area(a).short}" for a in areas])
    ax.set_xticks(range(len(columns)), labels, rotation=40, ha="left")
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    ax.set_title("Coverage by partner group (covered / partners in the group)", loc="left")
    return fig


_DRAW: dict[str, Callable[[Dataset, analysis.Analysis], Figure]] = {
    "matrix": _matrix,
    "timeline": _timeline,
    "similarity": _similarity,
    "areas-over-time": _areas_over_time,
    "group-coverage": _group_coverage,
}
