"""Table 1 renderings: terminal table, JSON payload, Markdown, LaTeX and HTML."""

from __future__ import annotations

import html

from sdpatlas.analysis import Matrix
from sdpatlas.model import Coverage, Dataset
from sdpatlas.render.table import Cell, Column, Table
from sdpatlas.render.words import count, listing, plural

SYMBOLS = {Coverage.YES: "✓", Coverage.NO: "✗", Coverage.ALREADY_EXISTS: "○",
           Coverage.UNKNOWN: "?"}
WORDS = {Coverage.YES: "covered", Coverage.NO: "not covered",
         Coverage.ALREADY_EXISTS: "already exists", Coverage.UNKNOWN: "not assessed"}
CELL_WORDS = {Coverage.YES: "yes", Coverage.NO: "no", Coverage.ALREADY_EXISTS: "already exists",
              Coverage.UNKNOWN: "not assessed"}
LEGEND = "Legend: ✓ covered · ✗ not covered · ○ already exists · ? not assessed"


def matrix_table(m: Matrix, data: Dataset, *, display: bool = False,
                 full_labels: bool = False) -> Table:
    """Areas as rows, partners (by code) as columns: the one table behind every rendering.

    The data form (CSV, JSON rows) has words (``yes``, ``no``, ``already exists``, ``not
    assessed``) and no totals; ``display`` gives the reading form: symbols and a total row
    and column, counting assessed partnerships only. ``full_labels``: the areas as Table 1
    words them (``label``) instead of their short labels.
    """
    codes = [p.code for p in m.parties]
    cell = SYMBOLS if display else CELL_WORDS
    area = Column("label", "Area") if full_labels else Column("short", "Area")
    columns = (Column("area", "#", "right"), area,
               *(Column(code, code, "left") for code in codes))
    rows: list[tuple[Cell, ...]] = [
        (a.id, a.label if full_labels else a.short, *(cell[m.status(c, a.id)] for c in codes))
        for a in m.areas]
    if display:
        columns += (Column("total", "Total", "right"),)
        rows = [(*row, m.row_total(a.id)) for row, a in zip(rows, m.areas, strict=True)]
        rows.append((None, "Total", *(m.column_total(p.partner) if p.assessed else None
                                      for p in m.partnerships), None))
    return Table(columns=columns, rows=tuple(rows), title=_title(m),
                 notes=tuple(_notes(m, data, display)))


def _title(m: Matrix) -> str:
    assessed = sum(p.assessed for p in m.partnerships)
    waiting = len(m.partnerships) - assessed
    more = f"; {waiting} more signed, not yet assessed" if waiting else ""
    return (f"Table 1: {count(assessed, 'assessed partnership')} × "
            f"{count(len(m.areas), 'area')}{more}")


def _notes(m: Matrix, data: Dataset, display: bool) -> list[str]:
    notes = [LEGEND] if display else []
    notes.append("Partners: " + "; ".join(
        f"{p.code} {p.name} ({m.partnerships[i].signed})" for i, p in enumerate(m.parties)))
    blocks = _group_blocks(m, data)
    if blocks:
        notes.append("Groups: " + "; ".join(blocks))
    waiting = [p.name for p, s in zip(m.parties, m.partnerships, strict=True) if not s.assessed]
    if waiting:
        notes.append(f"Signed but not yet assessed: {listing(waiting)}; "
                     f"{plural(len(waiting), 'its', 'their')} areas read "
                     "\"not assessed\" and no total counts "
                     f"{plural(len(waiting), 'it', 'them')}.")
    if m.as_of:
        notes.append(f"As of {m.as_of.isoformat()}: only partnerships signed by then.")
    return notes


def _group_blocks(m: Matrix, data: Dataset) -> list[str]:
    labels = {g.key: g.label for g in data.groups}
    blocks: dict[str | None, list[str]] = {}
    for group, party in zip(m.column_groups, m.parties, strict=True):
        blocks.setdefault(group, []).append(party.code)
    return [f"{labels.get(g or '', 'Other partners')}: {' '.join(codes)}"
            for g, codes in blocks.items()]


def matrix_payload(m: Matrix) -> dict[str, object]:
    """The JSON shape of the matrix command."""
    return {
        "as_of": m.as_of.isoformat() if m.as_of else None,
        "partners": [{"code": p.code, "name": p.name, "signed": str(s.signed),
                      "group": g, "assessed": s.assessed,
                      "total": m.column_total(p.code) if s.assessed else None}
                     for p, s, g in zip(m.parties, m.partnerships, m.column_groups, strict=True)],
        "areas": [{"id": a.id, "key": a.key, "label": a.label, "short": a.short,
                   "total": m.row_total(a.id)}
                  for a in m.areas],
        "cells": {p.code: {str(a.id): str(m.status(p.code, a.id)) for a in m.areas}
                  for p in m.parties},
    }


def matrix_markdown(m: Matrix) -> str:
    """Table 1 as a Markdown table with full labels and partner names."""
    head = "| # | Area | " + " | ".join(p.name for p in m.parties) + " |"
    rule = "|---:|---|" + "|".join(":---:" for _ in m.parties) + "|"
    body = [f"| {a.id} | {a.label} | "
            + " | ".join(SYMBOLS[m.status(p.code, a.id)] for p in m.parties) + " |"
            for a in m.areas]
    return "\n".join([head, rule, *body, "", LEGEND]) + "\n"


_LATEX = {Coverage.YES: r"\checkmark", Coverage.NO: r"--", Coverage.ALREADY_EXISTS: "exists",
          Coverage.UNKNOWN: "?"}


_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                  "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                  "^": r"\textasciicircum{}"}


def latex_escape(text: str) -> str:
    """Escape LaTeX's special characters."""
    return "".join(_LATEX_SPECIAL.get(char, char) for char in text)


def matrix_latex(m: Matrix) -> str:
    """Table 1 as a LaTeX tabular (needs the amssymb package for \\checkmark)."""
    spec = "r p{6cm} " + " ".join("c" for _ in m.parties)
    head = "# & Area & " + " & ".join(latex_escape(p.name) for p in m.parties) + r" \\"
    body = [f"{a.id} & {latex_escape(a.label)} & "
            + " & ".join(_LATEX[m.status(p.code, a.id)] for p in m.parties) + r" \\"
            for a in m.areas]
    return "\n".join([r"\begin{tabular}{" + spec + "}", r"\hline", head, r"\hline", *body,
                      r"\hline", r"\end{tabular}"]) + "\n"


def matrix_html(m: Matrix) -> str:
    """Table 1 as an accessible HTML table (caption, scoped headers, text not colour)."""
    esc = html.escape
    head = "".join(f'<th scope="col">{esc(p.name)}</th>' for p in m.parties)
    rows = []
    for a in m.areas:
        cells = "".join(
            f'<td title="{esc(WORDS[m.status(p.code, a.id)])}">'
            f"{esc(SYMBOLS[m.status(p.code, a.id)])}</td>" for p in m.parties)
        rows.append(f'<tr><th scope="row">{a.id}. {esc(a.label)}</th>{cells}</tr>')
    return ("<table>\n<caption>Areas of cooperation covered by the EU's security and defence "
            f"partnerships. {esc(LEGEND)}</caption>\n"
            f'<thead><tr><th scope="col">Area</th>{head}</tr></thead>\n<tbody>\n'
            + "\n".join(rows) + "\n</tbody>\n</table>\n")
