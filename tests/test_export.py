"""Exports: the JSON contract, tidy CSV, XLSX, the data package, matrix renderings."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sdpatlas.cli import cli

from conftest import FIXTURE_DATA, REAL_DATA

GOLDEN = Path(__file__).parent / "golden"


def run(*args: str, data: Path = FIXTURE_DATA) -> Result:
    return CliRunner().invoke(cli, ["--data", str(data), *args], catch_exceptions=False)


def test_json_export_contract() -> None:
    payload = json.loads(run("export", "--format", "json", data=REAL_DATA).stdout)
    assert {"areas", "partnerships", "parties", "sources", "conflicts"} <= set(payload)
    assert [a["id"] for a in payload["areas"]] == list(range(1, 27))
    assert {"id", "key", "label"} <= set(payload["areas"][0])
    india = next(p for p in payload["partnerships"] if p["partner"] == "IND")
    assert india["partner_name"] == "India" and india["status"] == "signed"
    assert india["signed"] == "2026-01-27"
    assert india["coverage"]["6"] == "no" and len(india["coverage"]) == 26
    australia = next(p for p in payload["partnerships"] if p["partner"] == "AUS")
    assert australia["status"] == "negotiating" and australia["coverage"] == {}


def test_tidy_csv_has_one_row_per_partner_and_area() -> None:
    rows = list(csv.DictReader(io.StringIO(run("export", "--format", "csv",
                                               data=REAL_DATA).stdout)))
    assert len(rows) == 10 * 26  # nine coded SDPs and Iceland, not yet assessed
    cell = next(r for r in rows if r["partner"] == "KOR" and r["area"] == "23")
    assert cell["status"] == "yes" and cell["sources"] == "eprs-2026"


def test_xlsx_has_a_sheet_per_table(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "sdp.xlsx"
    assert run("export", "--format", "xlsx", "-o", str(target)).exit_code == 0
    book = load_workbook(target)
    assert {"areas", "parties", "partnerships", "coverage", "sources", "claims"} <= set(
        book.sheetnames)
    coverage = list(book["coverage"].values)
    assert coverage[0][:2] == ("partner", "partner_name") and len(coverage) == 1 + 8


def test_formula_like_text_is_neutralised(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    path = data / "parties.yaml"
    path.write_text(path.read_text("utf-8").replace("name: Albania",
                                                    'name: "=HYPERLINK(\\"http://x\\")"'), "utf-8")
    text = run("export", "--format", "csv", data=data).stdout
    assert "'=HYPERLINK" in text
    run("export", "--format", "xlsx", "-o", str(tmp_path / "x.xlsx"), data=data)
    names = [row[1] for row in load_workbook(tmp_path / "x.xlsx")["parties"].values]
    assert "'=HYPERLINK(\"http://x\")" in names


def test_binary_and_folder_exports_need_an_output() -> None:
    for fmt in ("xlsx", "datapackage"):
        result = run("export", "--format", fmt)
        assert result.exit_code == 2 and "-o" in result.stderr


def test_data_package_is_valid_frictionless(tmp_path: Path) -> None:
    from frictionless import validate

    target = tmp_path / "package"
    assert run("export", "--format", "datapackage", "-o", str(target),
               data=REAL_DATA).exit_code == 0
    report = validate(str(target / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    names = {r["name"] for r in json.loads((target / "datapackage.json").read_text())["resources"]}
    assert {"coverage", "areas", "sources"} <= names


def test_data_package_replaces_an_old_one_whole(tmp_path: Path) -> None:
    target = tmp_path / "package"
    assert run("export", "--format", "datapackage", "-o", str(target)).exit_code == 0
    (target / "stale.csv").write_text("old", "utf-8")
    assert run("export", "--format", "datapackage", "-o", str(target)).exit_code == 0
    assert not (target / "stale.csv").exists()
    assert [p for p in os.listdir(tmp_path) if p.startswith(".")] == []


def test_data_package_keeps_a_folder_it_did_not_write(tmp_path: Path) -> None:
    target = tmp_path / "thesis"
    target.mkdir()
    (target / "thesis.txt").write_text("years of work", "utf-8")
    result = run("export", "--format", "datapackage", "-o", str(target))
    assert result.exit_code == 2 and "output-not-empty" in result.stderr
    assert os.listdir(target) == ["thesis.txt"]
    assert run("export", "--format", "datapackage", "-o", str(target), "--force").exit_code == 0
    assert not (target / "thesis.txt").exists() and (target / "datapackage.json").is_file()


@pytest.mark.parametrize("fmt", ["md", "latex", "html", "cff"])
def test_matrix_renderings_match_golden_files(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"out.{fmt}"
    assert run("export", "--format", fmt, "-o", str(target)).exit_code == 0
    expected = (GOLDEN / f"matrix.{fmt}").read_text(encoding="utf-8")
    assert target.read_text(encoding="utf-8") == expected
    assert run("export", "--format", fmt).stdout == expected


def test_html_export_escapes_names(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    path = data / "parties.yaml"
    path.write_text(path.read_text("utf-8").replace("name: Japan",
                                                    'name: "<script>alert(1)</script>"'), "utf-8")
    out = run("export", "--format", "html", data=data).stdout
    assert "<script>" not in out and "&lt;script&gt;" in out


CELL_WORDS = {"yes", "no", "already exists", "not assessed"}


def test_xlsx_table_1_is_the_briefing_layout(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from sdpatlas import analysis
    from sdpatlas.dataset import load

    target = tmp_path / "sdp.xlsx"
    assert run("export", "--format", "xlsx", "-o", str(target), data=REAL_DATA).exit_code == 0
    book = load_workbook(target)
    assert book.sheetnames[0] == "Table 1"
    sheet = book["Table 1"]
    rows = list(sheet.values)
    data = load(REAL_DATA)
    signed = data.signed()
    groups = {g.label for g in data.groups} | {"Other partners"}
    assert rows[0][:3] != (None, None, None) and set(rows[0][2:]) - {None} <= groups
    assert rows[1][:2] == ("#", "Area") and len(rows[1]) == 2 + len(signed)
    body = rows[2:2 + len(data.areas)]
    assert [r[0] for r in body] == [a.id for a in data.areas]
    assert {cell for r in body for cell in r[2:]} <= CELL_WORDS
    assert all(cell is None for cell in rows[2 + len(data.areas)])  # totals stand apart
    totals = dict(zip(rows[1][2:], rows[3 + len(data.areas)][2:], strict=True))
    waiting = {data.party(p.partner).name for p in analysis.not_assessed(data)}
    assert waiting and all(totals[name] is None for name in waiting)
    assert all(isinstance(totals[data.party(p.partner).name], int)
               for p in analysis.assessed(data))
    assert sheet.freeze_panes == "C3" and sheet.merged_cells.ranges
    assert sheet.auto_filter.ref == f"A2:{sheet.cell(2, len(rows[1])).column_letter}" \
                                    f"{2 + len(data.areas)}"


def test_xlsx_tidy_sheets_have_date_cells_frozen_headers_and_filters(tmp_path: Path) -> None:
    import datetime as dt

    from openpyxl import load_workbook

    target = tmp_path / "sdp.xlsx"
    assert run("export", "--format", "xlsx", "-o", str(target), data=REAL_DATA).exit_code == 0
    book = load_workbook(target)
    events = book["events"]
    header = [c.value for c in events[1]]
    column = header.index("date") + 1
    dates = [events.cell(row, column).value for row in range(2, events.max_row + 1)]
    assert any(isinstance(d, dt.datetime) for d in dates)
    partial = [d for d in dates if isinstance(d, str)]
    assert partial and all(len(d) in (4, 7) for d in partial)  # year or year-month, as text
    assert "text" in events.cell(1, column).comment.text
    for name in ("events", "sources", "coverage", "partnerships"):
        sheet = book[name]
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    widths = [book["sources"].column_dimensions[c].width for c in "ABCDE"]
    assert max(widths) > 20


def test_matrix_csv_has_words_and_no_totals() -> None:
    rows = list(csv.reader(io.StringIO(run("matrix", "--format", "csv", data=REAL_DATA).stdout)))
    assert rows[0][:2] == ["area", "short"] and "total" not in rows[0]
    assert len(rows) == 1 + 26 and not any(r[1] == "Total" for r in rows)
    assert {cell for r in rows[1:] for cell in r[2:]} <= CELL_WORDS


@pytest.mark.parametrize("args", [("matrix",), ("export",), ("areas",)])
def test_csv_excel_is_utf8_with_bom_and_crlf(args: tuple[str, ...]) -> None:
    plain = run(*args, "--format", "csv", data=REAL_DATA).stdout_bytes
    excel = run(*args, "--format", "csv-excel", data=REAL_DATA).stdout_bytes
    assert excel.startswith(b"\xef\xbb\xbf") and not plain.startswith(b"\xef\xbb\xbf")
    text = excel[3:].decode("utf-8")
    assert text.splitlines(keepends=True)[0].endswith("\r\n") and text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text))) == list(csv.reader(io.StringIO(plain.decode())))


def test_csv_excel_written_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "coverage.csv"
    assert run("export", "--format", "csv-excel", "-o", str(target)).exit_code == 0
    assert target.read_bytes().startswith(b"\xef\xbb\xbfpartner,")
