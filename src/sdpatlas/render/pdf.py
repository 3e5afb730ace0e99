"""The briefing report as PDF, through fpdf2 (an optional extra: ``pip install sdpatlas[pdf]``).

The same content as the HTML and Markdown reports (:func:`report_context`), laid out with
fpdf2, a maintained pure-Python library that needs no browser or system library. The text
uses the DejaVu fonts that ship with matplotlib (so ✓ and ✗ print); the charts are the
PNG renderings of :mod:`sdpatlas.render.charts`. The creation date is fixed, so the same
data gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from sdpatlas import analysis
from sdpatlas.errors import AtlasError
from sdpatlas.model import Dataset
from sdpatlas.render.report import REPORT_CHARTS, report_context

__all__ = ["PdfUnavailable", "pdf_report"]

_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_FONT = "DejaVu"


class PdfUnavailable(AtlasError):
    """fpdf2 is not installed."""

    code = "pdf-unavailable"


def _fonts(pdf: Any) -> None:
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdf.add_font(_FONT, "", str(folder / "DejaVuSans.ttf"))
    pdf.add_font(_FONT, "B", str(folder / "DejaVuSans-Bold.ttf"))
    pdf.add_font(_FONT, "I", str(folder / "DejaVuSans-Oblique.ttf"))


def _heading(pdf: Any, text: str, size: float = 13) -> None:
    pdf.set_font(_FONT, "B", size)
    pdf.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def _bullets(pdf: Any, lines: tuple[str, ...] | list[str], size: float = 8.5) -> None:
    pdf.set_font(_FONT, "", size)
    for line in lines:
        pdf.multi_cell(0, size * 0.5, f"• {line}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.8)
    pdf.ln(2)


def _table(pdf: Any, header: list[str], rows: list[list[str]], widths: tuple[float, ...],
           size: float = 6.5) -> None:
    pdf.set_font(_FONT, "", size)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=size * 0.5,
                   first_row_as_headings=True) as table:
        for cells in [header, *rows]:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.ln(3)


def _matrix(pdf: Any, ctx: dict[str, Any]) -> None:
    m = ctx["matrix"]
    _heading(pdf, "Areas of cooperation by partner (Table 1)")
    header = ["#", "Area", *(f"{c['code']} [{', '.join(map(str, c['refs']))}]"
                              for c in m["columns"]), "Total"]
    rows = [[str(r["id"]), r["label"], *(c["symbol"] for c in r["cells"]), str(r["total"])]
            for r in m["rows"]]
    rows.append(["", "Total", *(str(t) for t in m["totals"]), ""])
    n = len(m["columns"])
    _table(pdf, header, rows, (6, 58, *([max(8.0, 116 / max(n, 1))] * n), 10))
    pdf.set_font(_FONT, "I", 7)
    pdf.multi_cell(0, 3.5, m["legend"] + ".", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _charts(pdf: Any, data: Dataset, result: analysis.Analysis) -> None:
    from sdpatlas.render.charts import chart

    for number, (kind, caption) in enumerate(REPORT_CHARTS, start=1):
        pdf.add_page()
        png = chart(kind, data, fmt="png", as_of=result.as_of, result=result)
        pdf.image(io.BytesIO(png), w=pdf.epw)
        pdf.set_font(_FONT, "I", 8)
        pdf.multi_cell(0, 4, f"Figure {number}. {caption}", new_x="LMARGIN", new_y="NEXT")


def _tables(pdf: Any, ctx: dict[str, Any]) -> None:
    pdf.add_page()
    _heading(pdf, "Group contrasts")
    _bullets(pdf, [f"The smallest p-values of {ctx['test']} between partner groups, with the "
                   "counts behind them; q is the Benjamini–Hochberg adjusted value."])
    _table(pdf, ["Area", "Group", "Covered", "Against", "Covered", "p", "q"],
           [[r["area"], r["a"], r["a_counts"], r["b"], r["b_counts"], r["p"], r["q"]]
            for r in ctx["contrasts"]], (42, 40, 14, 40, 14, 20, 20))
    _heading(pdf, "Declared against coded")
    _bullets(pdf, [ctx["granularity"]])
    _table(pdf, ["Partner", "Declared", "Covered", "Exists", "Difference", "Reading"],
           [[c["partner"], f"{c['declared']} {c['unit']}" if c["declared"] is not None else "—",
             str(c["coded"]), str(c["existing"]),
             f"{c['difference']:+d}" if c["difference"] is not None else "—",
             ctx["codes"][c["code"]]] for c in ctx["consistency"]], (28, 22, 14, 12, 16, 98))


def _references(pdf: Any, ctx: dict[str, Any]) -> None:
    _heading(pdf, "Sources")
    pdf.set_font(_FONT, "", 7.5)
    for number, s in ctx["references"]:
        text = f"{number}. {s.issuer}, {s.title}" + (f" ({s.date})" if s.date else "")
        text += f", {s.url}." if s.url else "."
        pdf.multi_cell(0, 3.8, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.6)


def pdf_report(data: Dataset, result: analysis.Analysis) -> bytes:
    """The briefing as PDF bytes; PdfUnavailable when fpdf2 is not installed."""
    try:
        from fpdf import FPDF
    except ImportError as exc:
        raise PdfUnavailable("PDF output needs fpdf2: pip install 'sdpatlas[pdf]' "
                             "(or use --format html and print it)") from exc
    ctx = report_context(data, result, charts={})
    pdf = FPDF(format="A4")
    pdf.set_creation_date(_EPOCH)
    pdf.set_creator("SDP Atlas")
    pdf.set_title(ctx["title"])
    pdf.set_auto_page_break(auto=True, margin=14)
    _fonts(pdf)
    pdf.add_page()
    _heading(pdf, ctx["title"], 16)
    _bullets(pdf, [f"{ctx['subtitle']} Dataset {ctx['dataset']}."], 9)
    for section in ctx["sections"]:
        _heading(pdf, section.heading, 11)
        _bullets(pdf, section.lines)
    pdf.add_page()
    _matrix(pdf, ctx)
    _charts(pdf, data, result)
    _tables(pdf, ctx)
    _references(pdf, ctx)
    return bytes(pdf.output())
