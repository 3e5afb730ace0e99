"""The Data page and the downloads of the whole dataset."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from sdpatlas.render import export
from sdpatlas.render.table import as_csv, as_json
from sdpatlas.web._endpoint import EXCEL, Ctx, Download, Endpoint, Result
from sdpatlas.web._params import Args, Param
from sdpatlas.web._site import Site

ZIP_TIME = (2026, 1, 1, 0, 0, 0)  # fixed, so the same data gives the same bytes


def _coverage_csv(site: Site, args: Args) -> bytes:
    return as_csv(export.coverage_table(site.data), excel=args.flag("excel")).encode()


def _json(site: Site, args: Args) -> bytes:
    return as_json(export.dataset_json(site.data)).encode()


def _xlsx(site: Site, args: Args) -> bytes:
    return export.xlsx_bytes(site.data)


def _sqlite(site: Site, args: Args) -> bytes:
    return site.db_path.read_bytes()


def _datapackage(site: Site, args: Args) -> bytes:
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="sdpatlas-") as folder:
        root = Path(folder) / "sdp-atlas"
        export.write_datapackage(site.data, root)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(root.rglob("*")):
                info = zipfile.ZipInfo(f"sdp-atlas/{path.relative_to(root).as_posix()}",
                                       ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def _table(site: Site, args: Args) -> bytes:
    table = export.tables(site.data)[args.text("name") or ""]
    return as_csv(table, excel=args.flag("excel")).encode()


def table_names() -> tuple[str, ...]:
    """The tidy tables of the export, in order (fixed by the export's code, not the data)."""
    from sdpatlas.model import Dataset

    empty = Dataset(areas=(), clusters=(), groups=(), parties=(), partnerships=(), sources=())
    return tuple(export.tables(empty))


TABLE = Param("name", "choice", "The table's name.", where="path", choices=table_names(),
              example="coverage")

DOWNLOADS = (
    Download("coverage-csv", "/downloads/sdpatlas-coverage.csv", "Table 1 as CSV",
             "One row per partner × area with the status, note and sources (as "
             "`sdpatlas export --format csv`).", "text/csv; charset=utf-8",
             "sdpatlas-coverage.csv", _coverage_csv, params=(EXCEL,)),
    Download("json", "/downloads/sdpatlas.json", "The whole dataset as JSON",
             "Areas, groups, parties, partnerships with coverage, sources, conflicts, milestones, "
             "resolutions and instruments (as `sdpatlas export --format json`).",
             "application/json", "sdpatlas.json", _json),
    Download("xlsx", "/downloads/sdpatlas.xlsx", "The whole dataset as an Excel workbook",
             "Table 1 on a wide first sheet laid out as in the briefing, then one sheet per "
             "tidy table (complete dates as date cells, frozen headers, filters); text that a "
             "spreadsheet would run as a formula is neutralised.",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "sdpatlas.xlsx", _xlsx),
    Download("sqlite", "/downloads/sdpatlas.sqlite", "The SQLite database",
             "The database this server reads (read-only), for sqlite3, DuckDB, pandas or "
             "Datasette; the `matrix` view holds Table 1 as rows.",
             "application/vnd.sqlite3", "sdpatlas.sqlite", _sqlite),
    Download("datapackage", "/downloads/sdpatlas-datapackage.zip", "A Frictionless data package",
             "A zip of one CSV per tidy table and `datapackage.json` describing them.",
             "application/zip", "sdpatlas-datapackage.zip", _datapackage),
    Download("table", "/downloads/tables/{name}.csv", "One tidy table as CSV",
             "One table of the dataset (areas, parties, coverage, events, sources …) as CSV.",
             "text/csv; charset=utf-8", "sdpatlas-{name}.csv", _table, params=(TABLE, EXCEL)),
)


def data_view(ctx: Ctx) -> Result:
    """The downloads, and each tidy table with its size."""
    tables = export.tables(ctx.site.data)
    files = [d for d in DOWNLOADS if all(p.where != "path" for p in d.params)]
    listing = [{"name": n, "rows": len(t.rows), "columns": [c.key for c in t.columns],
                "url": ctx.urls.root + f"/downloads/tables/{n}.csv",
                "excel": ctx.urls.root + f"/downloads/tables/{n}.csv?excel=1"}
               for n, t in tables.items()]
    return Result({"downloads": [{"name": d.name, "url": ctx.urls.root + d.path,
                                  "summary": d.summary} for d in files],
                   "tables": listing},  # type: ignore[dict-item]
                  "Data and downloads", context={"files": files, "tables": listing})


ENDPOINTS = (
    Endpoint(name="data", view=data_view, page="/data", template="data.html", nav="Data",
             summary="Data and downloads",
             description="Downloads of the whole dataset and of each tidy table."),
)
