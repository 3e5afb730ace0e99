"""A plain table value and its four renderings: text, Markdown, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from sdpatlas.render.terminal import fit_lines, grid

Cell = str | int | float | None
FORMATS = ("table", "json", "csv", "csv-excel", "md")
CSV_FORMATS = ("csv", "csv-excel")


@dataclass(frozen=True)
class Column:
    """A column: its JSON/CSV key and its human header; ``wrap=False`` marks a key column
    that a terminal table never wraps (short code-like columns are found without it)."""

    key: str
    header: str
    align: str = "left"
    wrap: bool = True


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

    def without(self, *keys: str) -> Table:
        """The same table without the columns of some keys (a narrower view of it)."""
        keep = [i for i, c in enumerate(self.columns) if c.key not in keys]
        return Table(tuple(self.columns[i] for i in keep),
                     tuple(tuple(row[i] for i in keep) for row in self.rows),
                     self.title, self.notes)


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        return f"{cell:,.2f}".rstrip("0").rstrip(".")
    return str(cell)


def as_text(table: Table, width: int | None = None) -> str:
    """Aligned columns for a terminal, every line at most ``width`` characters (if given)."""
    out = [*fit_lines([table.title], width), ""] if table.title else []
    out += grid([c.header for c in table.columns],
                [[_text(cell) for cell in row] for row in table.rows],
                [c.align == "right" for c in table.columns], [c.wrap for c in table.columns],
                width)
    if table.notes:
        out += ["", *fit_lines(table.notes, width)]
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


def as_csv(table: Table, *, excel: bool = False) -> str:
    """CSV with a header row of column keys.

    ``excel``: the variant Excel on Windows opens as UTF-8 (a byte order mark, CRLF lines).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n" if excel else "\n")
    writer.writerow([c.key for c in table.columns])
    writer.writerows([[neutralise(cell) for cell in row] for row in table.rows])
    return ("\ufeff" if excel else "") + buffer.getvalue()


def as_json(payload: object) -> str:
    """Indented JSON with non-ASCII kept readable."""
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def render(table: Table, fmt: str, payload: object | None = None,
           width: int | None = None) -> str:
    """Render a table in one of FORMATS; JSON uses ``payload`` when given, the terminal
    table fits ``width`` when given."""
    if fmt == "table":
        return as_text(table, width)
    if fmt == "md":
        return as_markdown(table)
    if fmt in CSV_FORMATS:
        return as_csv(table, excel=fmt == "csv-excel")
    if fmt == "json":
        return as_json(table.records() if payload is None else payload)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
