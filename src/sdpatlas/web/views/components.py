"""The components checker: a bill of materials (CSV) against SAFE's component-cost rule.

The logic is :func:`sdpatlas.eligibility.check_components`, which streams a file; the
posted CSV is written to a private temporary file for it. The answer is built once by
:func:`sdpatlas.render.questions_safe.components`: the JSON of ``POST /api/v1/components``
is ``sdpatlas components BOM.csv --format json`` (``file`` is the uploaded file's name, ``-``
when pasted), ``POST /api/v1/components.csv`` its CSV (the cost by country of origin), which
the page shows too. Bad rows are a 422 ``bad-rows`` error naming each line and reason.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sdpatlas.findings import Finding
from sdpatlas.web._endpoint import Ctx, Endpoint, Result
from sdpatlas.web._errors import error
from sdpatlas.web._forms import FRAMING, Form, Posted
from sdpatlas.web._params import Param
from sdpatlas.web._site import Site
from sdpatlas.web.views._common import schema
from sdpatlas.web.views.eligibility import served_rules

if TYPE_CHECKING:
    from sdpatlas.eligibility import BomError, ComponentReport

MAX_BOM = 16 * 1024 * 1024  # bytes of a posted bill of materials
TOP = 20
AS_OF = Param("as_of", "date", "Count origins as of this date (YYYY-MM-DD; default: today).",
              example="2026-03-20")
REPORT_KEYS = ("file", "as_of", "lines", "total_cost", "non_european_cost",
               "non_european_share_percent", "limit_percent", "passes", "verdict",
               "offending_lines", "origins", "caveats", "rule")


def _row(f: Finding) -> str:
    where = f"line {f.line}" if f.line is not None else "the file"
    return f"{where}{f' ({f.field})' if f.field else ''}: {f.message}"


def bad_rows(name: str, exc: BomError) -> str:
    """The message of a ``bad-rows`` error: one line per bad row, as the CLI lists them."""
    shown = "the pasted table" if name == "-" else name
    more = [f"… and {exc.more} more"] if exc.more else []
    return "\n".join([f"{shown} has errors; nothing was checked:",
                      *(_row(f) for f in exc.findings), *more])


def check(site: Site, posted: Posted, on: dt.date) -> ComponentReport:
    """The component rule's answer on a posted CSV; ApiError ``bad-rows`` for bad rows."""
    from sdpatlas.eligibility import BomError, check_components

    rules = served_rules(site)
    with tempfile.TemporaryDirectory(prefix="sdpatlas-bom-") as folder:
        path = Path(folder) / "bom.csv"
        path.write_bytes(posted.data)
        try:
            report = check_components(path, site.data, rules, on, TOP)
        except BomError as exc:
            raise error("bad-rows", bad_rows(posted.name, exc)) from exc
    return replace(report, file=posted.name)


def components_view(ctx: Ctx) -> Result:
    """The empty form, or the check of the posted bill of materials."""
    on = ctx.args.day("as_of") or ctx.site.today
    if ctx.posted is None:
        return Result({}, "Check a bill of materials", context={"report": None, "on": on})
    from sdpatlas.render.questions_safe import components

    report = check(ctx.site, ctx.posted, on)
    answer = components(report)
    assert isinstance(answer.payload, dict)
    return Result(answer.payload, "Bill of materials: " + report.verdict.replace("-", " "),
                  table=answer.table, context={"report": report, "on": on,
                                               "origins": answer.table.records()})


ENDPOINTS = (
    Endpoint(
        name="components", view=components_view, page="/components",
        api="/api/v1/components", template="components.html", section="eligibility",
        tag="documents", csv=True,
        form=Form(
            text="The bill of materials as CSV text, pasted.",
            file="The bill of materials as a CSV file (UTF-8; comma or semicolon separated).",
            accept=".csv,text/csv", max_body=MAX_BOM + FRAMING, params=(AS_OF,)),
        summary="Check a bill of materials against SAFE's component rule",
        description="Takes a CSV with the columns `component`, `cost`, `origin` (country of "
                    "origin: code or name) and optionally `supplier` (the supplier's country), "
                    "and answers with the non-European share of the components' cost against "
                    "the 35 % limit (components from the EU, the EEA EFTA States and Ukraine "
                    "count as European), the verdict (`pass`, `fail`, or "
                    "`depends-on-agreement`), the largest lines pushing it over, totals per "
                    "origin and the rule's provision and sources. The same JSON as `sdpatlas "
                    "components BOM.csv --format json`; `POST /api/v1/components.csv` answers "
                    "with the cost by country of origin as CSV, as `--format csv` does. Bad "
                    "rows (unknown country, missing or "
                    "negative cost, wrong columns) are a 422 `bad-rows` error listing each "
                    "line and reason.",
        schema=schema(*REPORT_KEYS, lists=("offending_lines", "origins", "caveats"))),
)
