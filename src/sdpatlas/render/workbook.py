"""The dataset as an Excel workbook: a wide "Table 1" sheet, then one tidy sheet per table.

Every sheet has a frozen header row, an autofilter over its data and column widths fitted
to its text. Complete dates are real date cells; dates known only to the month or year stay
ISO text (``2024-11``), and the header of each date column says so in a note.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from itertools import groupby
from typing import TYPE_CHECKING

from sdpatlas import analysis
from sdpatlas.model import Dataset
from sdpatlas.render.matrix import CELL_WORDS
from sdpatlas.render.table import Cell, Table, neutralise

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

TABLE_1 = "Table 1"
DATE_KEYS = frozenset({"date", "signed", "since", "until", "adopted"})
DATE_NOTE = ("Complete dates are date cells. A date known only to the month or year is "
             "kept as text (e.g. 2024-11), never guessed to a full date.")
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_WIDTH = 60


def xlsx_bytes(data: Dataset, tables: dict[str, Table]) -> bytes:
    """The workbook: "Table 1", then each tidy table; formula-like text is neutralised.

    Built in memory, so a full disk cannot leave the zip writer half-closed.
    """
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    _table_1(book.create_sheet(TABLE_1), data)
    for name, table in tables.items():
        _tidy(book.create_sheet(title=name[:31]), table)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(key: str, value: Cell) -> Cell | dt.date:
    if key in DATE_KEYS and isinstance(value, str) and _FULL_DATE.match(value):
        return dt.date.fromisoformat(value)
    return neutralise(value)


def _tidy(sheet: Worksheet, table: Table) -> None:
    from openpyxl.comments import Comment

    keys = [c.key for c in table.columns]
    sheet.append(keys)
    for row in table.rows:
        sheet.append([_cell(k, v) for k, v in zip(keys, row, strict=True)])
    for index, key in enumerate(keys, start=1):
        if key in DATE_KEYS:
            sheet.cell(row=1, column=index).comment = Comment(DATE_NOTE, "SDP Atlas")
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
    _finish(sheet, len(table.rows) + 1)


def _table_1(sheet: Worksheet, data: Dataset) -> None:
    """Partners' groups over their columns, then areas as rows and partners as columns in
    Table 1's group order, words in the cells, the totals in a row of their own."""
    from openpyxl.styles import Font

    m = analysis.matrix(data, order="group")
    _group_row(sheet, m, {g.key: g.label for g in data.groups})
    sheet.append(["#", "Area", *(p.name for p in m.parties)])
    for a in m.areas:
        sheet.append([a.id, a.label, *(CELL_WORDS[m.status(p.code, a.id)] for p in m.parties)])
    last = len(m.areas) + 2
    sheet.append([])
    sheet.append([None, "Areas covered (total)",
                  *(m.column_total(p.partner) if p.assessed else None for p in m.partnerships)])
    for row in (1, 2, last + 2):
        for cell in sheet[row]:
            cell.font = Font(bold=True)
    notes = ["Cells: yes = covered; no = not covered; already exists = the cooperation "
             "existed before the partnership; not assessed = not yet coded.",
             *_waiting_note(m)]
    for note in notes:
        sheet.append([None, note])
    _finish(sheet, last, header=2)


def _group_row(sheet: Worksheet, m: analysis.Matrix, labels: dict[str, str]) -> None:
    """Row 1: each partner group's label, merged over its columns."""
    sheet.append([None, None, *(labels.get(g or "", "Other partners") for g in m.column_groups)])
    start = 3
    for _, members in groupby(m.column_groups):
        end = start + len(list(members)) - 1
        if end > start:
            sheet.merge_cells(start_row=1, start_column=start, end_row=1, end_column=end)
        start = end + 1


def _waiting_note(m: analysis.Matrix) -> list[str]:
    waiting = [p.name for p, s in zip(m.parties, m.partnerships, strict=True) if not s.assessed]
    if not waiting:
        return []
    return [f"Signed but not yet assessed, so not totalled: {', '.join(waiting)}."]


def _finish(sheet: Worksheet, last_row: int, header: int = 1) -> None:
    """Frozen header rows, autofilter from the (last) header row over the data rows, fitted
    column widths."""
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = f"C{header + 1}" if sheet.title == TABLE_1 else f"A{header + 1}"
    sheet.auto_filter.ref = f"A{header}:{get_column_letter(sheet.max_column)}{last_row}"
    for index, column in enumerate(sheet.iter_cols(min_row=header, max_row=last_row), start=1):
        longest = max((len(str(c.value)) for c in column if c.value is not None), default=4)
        sheet.column_dimensions[get_column_letter(index)].width = min(longest + 2, MAX_WIDTH)
