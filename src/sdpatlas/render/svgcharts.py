"""Interactive charts as inline SVG, drawn on the server from an :class:`~analysis.Analysis`.

No JavaScript is needed: every mark carries a ``<title>`` (the browser shows its value on
hover) and, when :class:`Links` says where, is a link to the partner, area, cell or
comparison behind it. Each chart has an ``aria-label``, a ``<title>`` and a ``<desc>``; it
is ``role="img"`` when unlinked, and ``role="graphics-document"`` when its marks are links
(an image's content is presentational, so links inside one would be nested interactive
controls). The same numbers are in the tables beside the charts, so the marks' links stay
out of the tab order (``tabindex="-1"``). Colours are presentation attributes (no ``style``),
so the strict Content-Security-Policy holds; symbols and numbers are drawn on every mark,
so no chart relies on colour alone. Marks carry ``data-p`` (partner) and ``data-a`` (area)
for hover highlighting by ``atlas.js``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape

from sdpatlas import analysis
from sdpatlas.model import AreaId, Coverage, Dataset, PartyCode
from sdpatlas.render.matrix import SYMBOLS, WORDS
from sdpatlas.render.words import count, plural

__all__ = ["OFFLINE", "Links", "SvgChart", "group_chart", "matrix_chart", "similarity_chart",
           "svg_charts", "timeline_chart"]

FILL = {Coverage.YES: ("#0072B2", "#ffffff"), Coverage.NO: ("#eeeeee", "#555555"),
        Coverage.ALREADY_EXISTS: ("#E69F00", "#000000"), Coverage.UNKNOWN: ("#ffffff", "#555555")}
GREEN, VERMILLION, BLUE, GRID, INK = "#009E73", "#D55E00", "#0072B2", "#dddddd", "#1b2230"
_FILL_INK = {status: (fill, f' fill="{ink}"') for status, (fill, ink) in FILL.items()}
LABEL_W, CELL, ROW = 196, 34, 20


@dataclass(frozen=True)
class Links:
    """Where marks lead; ``None`` leaves marks unlinked (the offline report)."""

    partner: Callable[[PartyCode], str] | None = None
    area: Callable[[AreaId], str] | None = None
    cell: Callable[[PartyCode, AreaId], str] | None = None
    pair: Callable[[PartyCode, PartyCode], str] | None = None


OFFLINE = Links()


@dataclass(frozen=True)
class SvgChart:
    """One chart: its key, title, caption and the ``<svg>`` element as text."""

    kind: str
    title: str
    caption: str
    svg: str


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _svg(kind: str, width: float, height: float, title: str, desc: str,
         body: Iterable[str]) -> str:
    marks = "".join(body)
    role = "graphics-document" if "<a " in marks else "img"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="svgchart" data-chart="{kind}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
            f'height="{height:.0f}" role="{role}" aria-label="{_e(title)}" '
            f'font-family="system-ui, sans-serif" font-size="11" fill="{INK}" '
            f'text-anchor="middle"><title>{_e(title)}</title><desc>{_e(desc)}</desc>{marks}</svg>')


def _mark(inner: str, tip: str, href: str | None, keys: str = "") -> str:
    content = f"<title>{_e(tip)}</title>{inner}"
    if href is None:
        return f"<g{keys}>{content}</g>"
    return f'<a href="{_e(href)}" tabindex="-1"{keys}>{content}</a>'


def _keys(partner: str | None = None, area: AreaId | None = None) -> str:
    return ((f' data-p="{_e(partner)}"' if partner else "")
            + (f' data-a="{area}"' if area is not None else ""))


def _n(v: float) -> str:
    return f"{v:.1f}".removesuffix(".0")


def _text(x: float, y: float, text: object, anchor: str = "", extra: str = "") -> str:
    align = f' text-anchor="{anchor}"' if anchor else ""
    return f'<text x="{_n(x)}" y="{_n(y)}"{align}{extra}>{_e(text)}</text>'


def _rect(x: float, y: float, w: float, h: float, fill: str, extra: str = "") -> str:
    return (f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" '
            f'fill="{fill}"{extra}/>')


def _use(ref: str, y: float) -> str:
    return f'<use href="#{ref}" y="{_n(y)}"/>'


def _column(x: float, key: str, marks: Iterable[str]) -> str:
    """Marks of one column, shifted into place (they are drawn from x = 0)."""
    return f'<g transform="translate({_n(x)} 0)"{key}>{"".join(marks)}</g>'


def _go(link: Callable[..., str] | None, *args: object) -> str | None:
    return link(*args) if link else None


def _area_labels(data: Dataset, areas: Iterable[AreaId], top: float,
                 links: Links) -> list[str]:
    out = []
    for row, area in enumerate(areas):
        label = f"{area} {data.area(area).short}"
        out.append(_mark(_text(LABEL_W - 8, top + row * ROW + 14, label, "end"),
                     data.area(area).label, _go(links.area, area), _keys(area=area)))
    return out


def matrix_chart(data: Dataset, result: analysis.Analysis, links: Links = OFFLINE) -> SvgChart:
    """Table 1 as a heat map, partners grouped as in Table 1; each cell links to its
    evidence, each header to the partner, each row label to the area."""
    m = analysis.matrix(data, order="group", as_of=result.as_of)
    codes = [p.code for p in m.parties]
    top, areas = 64.0, [a.id for a in m.areas]
    body = [*_group_brackets(data, m, top), *_area_labels(data, areas, top, links)]
    body.append("<defs>" + "".join(
        f'<g id="mx-{status.name}"><rect x="1" width="{CELL - 2}" height="{ROW - 2}" '
        f'fill="{fill}" stroke="#cccccc"/>{_text(CELL / 2, 13, SYMBOLS[status], "", ink)}</g>'
        for status, (fill, ink) in _FILL_INK.items()) + "</defs>")
    for col, party in enumerate(m.parties):
        marks = [_mark(_text(CELL / 2, top - 6, party.code, "", ' font-weight="700"'),
                       f"{party.name}: {m.column_total(party.code)} areas covered",
                       _go(links.partner, party.code))]
        for row, area in enumerate(areas):
            status = m.status(party.code, area)
            marks.append(_mark(_use(f"mx-{status.name}", top + row * ROW + 1),
                               f"{party.name}, {area} {data.area(area).short}: {WORDS[status]}",
                               _go(links.cell, party.code, area), _keys(area=area)))
        body.append(_column(LABEL_W + col * CELL, _keys(party.code), marks))
    total_x = LABEL_W + len(codes) * CELL + 18
    body.append(_text(total_x, top - 6, "Total", "", ' fill="#555555"'))
    for row, area in enumerate(areas):
        body.append(_text(total_x, top + row * ROW + 14, m.row_total(area)))
    height = top + len(areas) * ROW + 8
    title = "Areas of cooperation by partner"
    desc = (f"{len(areas)} areas by {len(codes)} signed partnerships, grouped as in Table 1: "
            "✓ covered, ✗ not covered, ○ already exists, ? not assessed.")
    return SvgChart("matrix", title, desc,
                    _svg("matrix", total_x + 24, height, title, desc, body))


def _group_brackets(data: Dataset, m: analysis.Matrix, top: float) -> list[str]:
    labels = {g.key: g.label for g in data.groups}
    out, start, n = [], 0, len(m.column_groups)
    for col in range(1, n + 1):
        if col < n and m.column_groups[col] == m.column_groups[start]:
            continue
        x0, x1 = LABEL_W + start * CELL + 2, LABEL_W + col * CELL - 2
        label = labels.get(m.column_groups[start] or "", "Other partners")
        out.append(f'<path d="M{x0:.0f} {top - 26}V{top - 30}H{x1:.0f}V{top - 26}" '
                   f'fill="none" stroke="#888888"/>')
        out.append(_mark(_text((x0 + x1) / 2, top - 34, _short(label, (x1 - x0) / 6), "",
                               ' font-size="9" fill="#555555"'), label, None))
        start = col
    return out


def _short(text: str, chars: float) -> str:
    return text if len(text) <= chars else text[:max(int(chars) - 1, 1)] + "…"


def _day(d: dt.date) -> float:
    return float(d.toordinal())


def timeline_chart(data: Dataset, result: analysis.Analysis,
                   links: Links = OFFLINE) -> SvgChart:
    """Areas per SDP by signature date, with the areas covered by some SDP so far (green)
    and by every SDP so far (the common core, dashed); each point links to its partner."""
    steps = result.evolution.steps
    n_areas = len(result.profiles.areas)
    width, height, left, right, top, bottom = 640.0, 300.0, 40.0, 24.0, 34.0, 30.0
    title = "Areas per partnership by signature date"
    if not steps:
        desc = "No assessed partnership yet."
        return SvgChart("areas-over-time", title, desc, _svg(
            "areas-over-time", width, 60, title, desc, [_text(10, 30, desc)]))
    first, last = _day(steps[0].signed), _day(steps[-1].signed)
    span = max(last - first, 1.0)

    def x(d: dt.date) -> float:
        return left + 10 + (_day(d) - first) / span * (width - left - right - 20)

    def y(v: float) -> float:
        return top + (1 - v / max(n_areas, 1)) * (height - top - bottom)

    body = [*_y_axis(y, n_areas, left, width - right), *_x_ticks(steps, x, height - bottom)]
    for key, colour, dash, label in (("cumulative", GREEN, "", "covered by at least one SDP"),
                                     ("core", VERMILLION, ' stroke-dasharray="5 3"',
                                      "covered by every SDP so far")):
        points = [(x(s.signed), y(getattr(s, key))) for s in steps]
        path = (f"M{_n(points[0][0])} {_n(points[0][1])}"
                + "".join(f"H{_n(px)}V{_n(py)}" for px, py in points[1:])
                + f"H{_n(width - right)}")
        body.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}>'
                    f"<title>Areas {label}</title></path>")
    last_above = -100.0  # a label close to the last one above goes below its point
    for s in steps:
        name, px, py = data.party(s.partner).name, x(s.signed), y(s.covered)
        below = px - last_above < 30
        last_above = last_above if below else px
        tip = (f"{name}, signed {s.signed.isoformat()}: {s.covered} areas; {s.cumulative} "
               f"covered by some SDP so far, {s.core} by all")
        dot = (f'<circle cx="{_n(px)}" cy="{_n(py)}" r="6" fill="{BLUE}" stroke="#ffffff"/>'
               + _text(px, py + (19 if below else -9), s.partner, "", ' font-size="10"'))
        body.append(_mark(dot, tip, _go(links.partner, s.partner), _keys(s.partner)))
    body.append(_legend(left))
    desc = (f"{count(len(steps), 'partnership')} from {steps[0].signed.isoformat()} to "
            f"{steps[-1].signed.isoformat()}: together they cover {steps[-1].cumulative} of "
            f"{n_areas} areas; {steps[-1].core} {plural(steps[-1].core, 'is', 'are')} covered "
            "by all.")
    return SvgChart("areas-over-time", title, desc,
                    _svg("areas-over-time", width, height, title, desc, body))


def _y_axis(y: Callable[[float], float], n: int, x0: float, x1: float) -> list[str]:
    out = []
    for v in range(0, n + 1, 5):
        out.append(f'<path d="M{x0:.0f} {y(v):.1f}H{x1:.0f}" stroke="{GRID}"/>')
        out.append(_text(x0 - 6, y(v) + 4, v, "end", ' fill="#555555"'))
    return out


def _x_ticks(steps: tuple[analysis.Step, ...], x: Callable[[dt.date], float],
             base: float) -> list[str]:
    first, last = steps[0].signed, steps[-1].signed
    out = []
    for year in range(first.year, last.year + 1):
        for month in (1, 7):
            day = dt.date(year, month, 1)
            if first <= day <= last:
                label = str(year) if month == 1 else f"Jul {year}"
                out.append(f'<path d="M{x(day):.1f} {base}v5" stroke="#555555"/>')
                out.append(_text(x(day), base + 17, label, "", ' fill="#555555"'))
    return out


def _legend(left: float) -> str:
    items = ((BLUE, "areas in the SDP"), (GREEN, "covered by at least one SDP"),
             (VERMILLION, "covered by every SDP so far"))
    out, x = [], left
    for colour, label in items:
        out.append(_rect(x, 10, 14, 4, colour)
                   + _text(x + 19, 16, label, "start", ' font-size="10"'))
        x += 26 + 5.6 * len(label)
    return "".join(out)


def _blue(v: float) -> str:
    lo, hi = (240, 246, 251), (8, 81, 156)
    return "#" + "".join(f"{round(a + (b - a) * v):02x}" for a, b in zip(lo, hi, strict=True))


def similarity_chart(data: Dataset, result: analysis.Analysis,
                     links: Links = OFFLINE) -> SvgChart:
    """Pairwise Jaccard similarity, ordered by the clustering; each cell links to the
    comparison of the two partners, each label to the partner."""
    sim, order = result.similarity, list(result.clustering.leaves)
    n, left, top, size = len(order), 150.0, 30.0, 38.0
    body = []
    for i, code in enumerate(order):
        name = data.party(code).name
        body.append(_mark(_text(left - 8, top + i * size + 23, _short(name, 22), "end"), name,
                          _go(links.partner, code), _keys(code)))
        body.append(_mark(_text(left + i * size + size / 2, top - 8, code, "",
                                ' font-weight="700"'), name, _go(links.partner, code),
                          _keys(code)))
        for j, other in enumerate(order):
            x = sim.pair(code, other) if code != other else None
            v = sim.score(code, other)
            tip = (f"{name} and {data.party(other).name}: Jaccard {v:.2f}; {x.shared} areas "
                   f"shared of {x.either} covered by either, {x.hamming} differ" if x
                   else f"{name}: itself")
            cell = (_rect(left + j * size + 1, top + i * size + 1, size - 2, size - 2, _blue(v))
                    + _text(left + j * size + size / 2, top + i * size + 23, f"{v:.2f}",
                            "", f' font-size="10" fill="{"#ffffff" if v > 0.6 else INK}"'))
            href = _go(links.pair, code, other) if x else None
            body.append(_mark(cell, tip, href, _keys(f"{code} {other}")))
    title = "How alike the partnerships are (Jaccard similarity of covered areas)"
    desc = (f"{n} assessed partnerships, ordered by average-linkage clustering; 1.00 means "
            "the same covered areas, 0.00 none in common.")
    return SvgChart("similarity", title, desc,
                    _svg("similarity", left + n * size + 8, top + n * size + 8, title, desc,
                         body))


def _group_columns(result: analysis.Analysis) -> list[tuple[str, analysis.GroupCoverage]]:
    """Groups of two or more partners (one partner's share is its own profile, in the
    matrix); groups with the same members share a column."""
    columns: list[tuple[str, analysis.GroupCoverage]] = []
    for g in result.groups:
        if len(g.group.members) < 2:
            continue
        same = next((i for i, (_, c) in enumerate(columns)
                     if c.group.members == g.group.members), None)
        if same is None:
            columns.append((g.group.label, g))
        else:
            columns[same] = (f"{columns[same][0]} / {g.group.label}", columns[same][1])
    return columns


def group_chart(data: Dataset, result: analysis.Analysis, links: Links = OFFLINE) -> SvgChart:
    """For each area, the share of each group's partners that cover it, as bars."""
    columns, areas = _group_columns(result), list(result.profiles.areas)
    top, width, bar = 150.0, 64.0, 36.0
    body = [*_area_labels(data, areas, top, links),
            f'<defs><rect id="gc-bg" x="2" width="{_n(bar)}" height="{ROW - 6}" '
            f'fill="#e6eaf0"/></defs>']
    for col, (label, g) in enumerate(columns):
        members = ", ".join(data.party(c).name for c in g.group.members)
        head = _text(0, 0, _short(f"{label} ({len(g.group.members)})", 34), "start",
                     f' transform="translate(10 {_n(top - 6)}) rotate(-45)"')
        marks = [_mark(head, f"{label}: {members}", None)]
        for row, (area, covered, of) in enumerate(g.counts):
            y = top + row * ROW
            fill = (f'<path d="M2 {_n(y + ROW / 2)}h{_n(bar * covered / of)}" '
                    f'stroke="{BLUE}"/>' if covered and of else "")
            shape = _use("gc-bg", y + 3) + fill + _text(width - 4, y + 14, f"{covered}/{of}")
            tip = f"{label}: {covered} of {of} cover {area} {data.area(area).short}"
            marks.append(_mark(shape, tip, _go(links.area, area), _keys(area=area)))
        body.append(f'<g transform="translate({_n(LABEL_W + col * width)} 0)" '
                    f'stroke-width="{ROW - 6}" text-anchor="end" font-size="10">'
                    f'{"".join(marks)}</g>')
    title = "Coverage by partner group"
    desc = (f"For each of {len(areas)} areas, how many of each group's assessed partners "
            "cover it (bar length: the share); groups of two or more partners.")
    return SvgChart("group-coverage", title, desc,
                    _svg("group-coverage", LABEL_W + len(columns) * width + 120,
                         top + len(areas) * ROW + 8, title, desc, body))


def svg_charts(data: Dataset, result: analysis.Analysis,
               links: Links = OFFLINE) -> tuple[SvgChart, ...]:
    """Every chart of the analysis, in reading order."""
    return (matrix_chart(data, result, links), timeline_chart(data, result, links),
            similarity_chart(data, result, links), group_chart(data, result, links))
