"""A plain table value and its four renderings: text, Markdown, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

Cell = str | int | float | None
FORMATS = ("table", "json", "csv", "md")


@dataclass(frozen=True)
class Column:
    """A column: its JSON/CSV key and its human header."""

    key: str
    header: str
    align: str = "left"


@dataclass(frozen=True)
class Table:
    """Rows of cells under named columns, with an optional title and notes."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    title: str = ""
    notes: tuple[str, ...] = field(default=())

    def records(self) -> list[dict[str, Cell]]:
        """The rows as mappings keyed by column key."""
        return [dict(zip((c.key for c in self.columns), row, strict=True)) for row in self.rows]


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        return f"{cell:,.2f}".rstrip("0").rstrip(".")
    return str(cell)


def as_text(table: Table) -> str:
    """Aligned columns for a terminal."""
    headers = [c.header for c in table.columns]
    body = [[_text(cell) for cell in row] for row in table.rows]
    widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        parts = [cell.rjust(w) if col.align == "right" else cell.ljust(w)
                 for cell, w, col in zip(cells, widths, table.columns, strict=True)]
        return "  ".join(parts).rstrip()

    out = [table.title, ""] if table.title else []
    out += [line(headers), "  ".join("─" * w for w in widths)]
    out += [line(r) for r in body]
    if table.notes:
        out += ["", *table.notes]
    return "\n".join(out) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def as_markdown(table: Table) -> str:
    """A GitHub-flavoured Markdown table."""
    out = [f"**{_md_escape(table.title)}**", ""] if table.title else []
    out.append("| " + " | ".join(_md_escape(c.header) for c in table.columns) + " |")
    out.append("|" + "|".join("---:" if c.align == "right" else "---"
                              for c in table.columns) + "|")
    out += ["| " + " | ".join(_md_escape(_text(cell)) for cell in row) + " |"
            for row in table.rows]
    if table.notes:
        out += ["", *(_md_escape(n) for n in table.notes)]
    return "\n".join(out) + "\n"


def neutralise(cell: Cell) -> Cell:
    """Make text that a spreadsheet would run as a formula inert (CSV/XLSX injection)."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


def as_csv(table: Table) -> str:
    """CSV with a header row of column keys."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.key for c in table.columns])
    writer.writerows([[neutralise(cell) for cell in row] for row in table.rows])
    return buffer.getvalue()


def as_json(payload: object) -> str:
    """Indented JSON with non-ASCII kept readable."""
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def render(table: Table, fmt: str, payload: object | None = None) -> str:
    """Render a table in one of FORMATS; JSON uses ``payload`` when given."""
    if fmt == "table":
        return as_text(table)
    if fmt == "md":
        return as_markdown(table)
    if fmt == "csv":
        return as_csv(table)
    if fmt == "json":
        return as_json(table.records() if payload is None else payload)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
