"""One table per question: the CLI and the API serve the same rows and columns.

For each question the CLI's CSV is the API's CSV byte for byte, the CLI's JSON is the API's
JSON (the API only adds links and paging), and the CSV rows are the JSON rows: every CSV
column the JSON also has carries the same value in every row. Questions about a posted
document (a bill of materials, an agreement's text) are asked of the CLI with the file and of
the API by posting it; their JSON differs only in the name the document goes by.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from webclient import TestClient, client_for

from sdpatlas.cli import cli
from sdpatlas.model import Coverage
from sdpatlas.render.matrix import CELL_WORDS

from conftest import REAL_DATA, ROOT

JSONRows = Callable[[object], list[dict[str, object]]]
WEB_ONLY = {"url"}
DAY = "2026-03-18"  # a day something changed: the web answers for it as asked (its snapshot)
GBR_DAY = "2025-11-28"  # a day the United Kingdom's own facts changed (its SAFE answer's)


def _items(payload: object) -> list[dict[str, object]]:
    assert isinstance(payload, list)
    return payload


def _matrix_rows(payload: object) -> list[dict[str, object]]:
    assert isinstance(payload, dict)
    codes = [p["code"] for p in payload["partners"]]
    return [{"area": a["id"], "short": a["short"],
             **{c: CELL_WORDS[Coverage(payload["cells"][c][str(a["id"])])] for c in codes}}
            for a in payload["areas"]]


def _partner_rows(payload: object) -> list[dict[str, object]]:
    assert isinstance(payload, dict)
    return [{"area": int(area), "status": status} for area, status in payload["coverage"].items()]


def _area_rows(payload: object) -> list[dict[str, object]]:
    assert isinstance(payload, dict)
    found = {code: status for status, codes in payload["partners"].items() for code in codes}
    return [{"partner": code, "status": status} for code, status in found.items()]


def _compare_rows(payload: object) -> list[dict[str, object]]:
    assert isinstance(payload, dict)
    return [{"area": r["area"], "short": r["short"],
             **{c: CELL_WORDS[Coverage(s)] for c, s in r["status"].items()}}
            for r in payload["rows"]]


def _trace_rows(payload: object) -> list[dict[str, object]]:
    assert isinstance(payload, dict)
    return payload["trace"]


def _origin_rows(payload: object) -> list[dict[str, object]]:
    assert isinstance(payload, dict)
    return payload["origins"]


def _coverage_rows(payload: object) -> list[dict[str, object]]:
    assert isinstance(payload, dict)
    return [{"area": int(area), "status": found["status"], "confidence": found["confidence"]}
            for area, found in payload["coverage"].items()]


def _segment_rows(payload: object) -> list[dict[str, object]]:
    assert isinstance(payload, dict)
    return payload["segments"]


@dataclass(frozen=True)
class Question:
    name: str
    cli: tuple[str, ...]
    api: str
    rows: JSONRows
    keyed: bool = False  # compare rows by their first column, not by position


QUESTIONS = (
    Question("matrix", ("matrix",), "/api/v1/matrix", _matrix_rows),
    Question("partners", ("partners", "--as-of", DAY), f"/api/v1/partners?as_of={DAY}", _items),
    Question("partner", ("partner", "GBR", "--as-of", DAY),
             f"/api/v1/partners/GBR?as_of={DAY}", _partner_rows),
    Question("areas", ("areas",), "/api/v1/areas", _items),
    Question("area", ("area", "15"), "/api/v1/areas/15", _area_rows, keyed=True),
    Question("compare", ("compare", "GBR", "CAN", "--differences"),
             "/api/v1/compare?partner=GBR&partner=CAN&differences=1", _compare_rows),
    Question("timeline", ("timeline",), "/api/v1/timeline", _items),
    Question("sources", ("sources",), "/api/v1/sources", _items),
    Question("conflicts", ("conflicts",), "/api/v1/conflicts", _items),
    Question("eligibility", ("eligibility", "--all", "--as-of", DAY),
             f"/api/v1/eligibility?as_of={DAY}", _items),
    Question("eligibility-country", ("eligibility", "GBR", "--as-of", GBR_DAY),
             f"/api/v1/eligibility/GBR?as_of={GBR_DAY}", _trace_rows),
    *(Question(f"analysis-{name}", ("analyse", "--section", name, "--as-of", DAY),
               f"/api/v1/analysis/{name}?as_of={DAY}", _items)
      for name in ("areas", "partnerships", "similarity", "contrasts", "evolution",
                   "predictions")),
)


@dataclass(frozen=True)
class Posted:
    """A question about a document: the CLI reads the file, the API is posted it."""

    name: str
    cli: tuple[str, ...]
    api: str
    rows: JSONRows
    named: str  # the JSON key that holds the document's name (its path, or the upload's)
    fields: tuple[tuple[str, str], ...] = ()


BOM_FILE, AGREEMENT = ROOT / "examples" / "bom.csv", ROOT / "examples" / "agreement.md"
POSTED = (
    Posted("components", ("components", str(BOM_FILE), "--as-of", DAY), "/api/v1/components",
           _origin_rows, "file", (("as_of", DAY),)),
    Posted("code", ("code", str(AGREEMENT)), "/api/v1/code", _coverage_rows, "source"),
    Posted("code-segments", ("code", str(AGREEMENT), "--table", "segments"), "/api/v1/code",
           _segment_rows, "source", (("table", "segments"),)),
)


def _document(q: Posted) -> Path:
    return Path(next(a for a in q.cli if a.endswith((".csv", ".md"))))


def _post(client: TestClient, q: Posted, csv_route: bool = False) -> str:
    path = _document(q)
    response = client.post(q.api + (".csv" if csv_route else ""), data=dict(q.fields),
                           files={"file": (path.name, path.read_bytes(), "text/plain")})
    assert response.status_code == 200, response.text
    return response.text


@pytest.mark.parametrize("q", POSTED, ids=lambda q: q.name)
def test_posted_cli_csv_is_the_api_csv(client: TestClient, q: Posted) -> None:
    assert _cli(*q.cli, "--format", "csv") == _post(client, q, csv_route=True)


@pytest.mark.parametrize("q", POSTED, ids=lambda q: q.name)
def test_posted_cli_json_is_the_api_json(client: TestClient, q: Posted) -> None:
    mine, theirs = json.loads(_cli(*q.cli, "--format", "json")), json.loads(_post(client, q))
    assert mine.keys() == theirs.keys()
    assert {k: v for k, v in mine.items() if k != q.named} == \
        {k: v for k, v in theirs.items() if k != q.named}


@pytest.mark.parametrize("q", POSTED, ids=lambda q: q.name)
def test_posted_csv_rows_are_the_json_rows(q: Posted) -> None:
    table = list(csv.DictReader(io.StringIO(_cli(*q.cli, "--format", "csv"))))
    rows = q.rows(json.loads(_cli(*q.cli, "--format", "json")))
    assert table and len(table) == len(rows)
    shared = [k for k in table[0] if k in rows[0]]
    assert len(shared) >= 2 and next(iter(table[0])) in shared
    for csv_row, json_row in zip(table, rows, strict=True):
        assert {k: csv_row[k] for k in shared} == {k: _text(json_row[k]) for k in shared}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(REAL_DATA, tmp_path_factory.mktemp("cache")) as c:
        yield c


def _cli(*args: str) -> str:
    result = CliRunner().invoke(cli, ["--data", str(REAL_DATA), *args], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def _api(client: TestClient, path: str, csv_route: bool = False) -> str:
    if csv_route:
        base, _, query = path.partition("?")
        path = f"{base}.csv" + (f"?{query}" if query else "")
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.text


def _api_json(client: TestClient, path: str) -> object:
    body = json.loads(_api(client, path))
    if isinstance(body, dict) and "items" in body:
        return body["items"]
    return body


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


@pytest.mark.parametrize("q", QUESTIONS, ids=lambda q: q.name)
def test_cli_csv_is_the_api_csv(client: TestClient, q: Question) -> None:
    assert _cli(*q.cli, "--format", "csv") == _api(client, q.api, csv_route=True)


@pytest.mark.parametrize("q", QUESTIONS, ids=lambda q: q.name)
def test_cli_json_is_the_api_json(client: TestClient, q: Question) -> None:
    mine = json.loads(_cli(*q.cli, "--format", "json"))
    theirs = _api_json(client, q.api)
    if isinstance(mine, dict):
        assert isinstance(theirs, dict)
        assert {k: theirs.get(k) for k in mine} == mine
        return
    assert isinstance(theirs, list) and len(theirs) == len(mine)
    for cli_row, api_row in zip(mine, theirs, strict=True):
        assert {k: api_row.get(k) for k in cli_row} == cli_row
        assert set(api_row) - set(cli_row) <= WEB_ONLY


@pytest.mark.parametrize("q", QUESTIONS, ids=lambda q: q.name)
def test_csv_rows_are_the_json_rows(q: Question) -> None:
    table = list(csv.DictReader(io.StringIO(_cli(*q.cli, "--format", "csv"))))
    rows = q.rows(json.loads(_cli(*q.cli, "--format", "json")))
    assert table and len(table) == len(rows)
    first = next(iter(table[0]))
    assert first in rows[0], f"the CSV's key column {first!r} is missing from the JSON"
    if q.keyed:
        by_key = {_text(r[first]): r for r in rows}
        rows = [by_key[t[first]] for t in table]
    shared = [k for k in table[0] if k in rows[0]]
    assert len(shared) >= 2
    for csv_row, json_row in zip(table, rows, strict=True):
        assert {k: csv_row[k] for k in shared} == {k: _text(json_row[k]) for k in shared}


def test_compare_json_rows_honour_differences() -> None:
    every = json.loads(_cli("compare", "GBR", "CAN", "--format", "json"))
    differing = json.loads(_cli("compare", "GBR", "CAN", "--differences", "--format", "json"))
    assert len(every["rows"]) == 26
    assert [r["area"] for r in differing["rows"]] == differing["differing"] != []


def test_sources_csv_columns_in_one_order(client: TestClient) -> None:
    header = _cli("sources", "--format", "csv").splitlines()[0]
    assert header == "id,kind,confidence,date,title,url,cited"
    assert _api(client, "/api/v1/sources.csv").splitlines()[0] == header


def test_coverage_is_counted_over_assessed_partnerships(client: TestClient) -> None:
    from sdpatlas import analysis
    from sdpatlas.dataset import load

    data = load(REAL_DATA)
    assessed, waiting = analysis.assessed(data), analysis.not_assessed(data)
    assert waiting, "the real data has a signed partnership not yet assessed (Iceland)"
    assert analysis.profiles(data).n == len(assessed)
    areas = json.loads(_cli("areas", "--format", "json"))
    assert {a["of"] for a in areas} == {len(assessed)}
    assert max(a["covered_by"] for a in areas) == len(assessed)
    page = client.get("/areas").text
    assert f"of {len(assessed)}<" in page and f"of {len(data.signed())}<" not in page
    matrix = json.loads(_cli("matrix", "--format", "json"))
    unassessed = [p for p in matrix["partners"] if not p["assessed"]]
    assert [p["code"] for p in unassessed] == [p.partner for p in waiting]
    assert all(p["total"] is None for p in unassessed)


def test_tables_say_what_is_not_yet_assessed() -> None:
    from sdpatlas import analysis
    from sdpatlas.dataset import load

    data = load(REAL_DATA)
    names = [data.party(p.partner).name for p in analysis.not_assessed(data)]
    n = len(analysis.assessed(data))
    matrix = _cli("matrix", "--wide")
    assert f"Table 1: {n} assessed partnerships × 26 areas; {len(names)} more signed" in matrix
    assert all(name in matrix.split("Signed but not yet assessed:")[1] for name in names)
    for command in ("areas", "partners"):
        text = _cli(command, "--wide")
        assert f"Counted over the {n} assessed partnerships" in text
        assert all(name in text for name in names)
