"""Hostile requests to the CSV answers of posted documents and of the analysis sections.

``POST /api/v1/components.csv`` and ``POST /api/v1/code.csv`` take the same bodies as their
JSON routes (the upload's size limit, not the small default), refuse bad rows and unknown
tables with the API's one JSON error shape, and answer POST only; an unknown analysis section
is refused by name, and CSV cells a spreadsheet would run stay inert.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from webclient import TestClient, client_for

from conftest import REAL_DATA

BIG_ROWS = 2_000  # ~33 KB: over the 16 KB allowed where no upload is taken


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(REAL_DATA, tmp_path_factory.mktemp("cache")) as c:
        yield c


def _post(client: TestClient, path: str, text: str, **fields: str) -> tuple[int, str]:
    name = "bom.csv" if path.startswith("/api/v1/components") else "agreement.txt"
    response = client.post(path, data=fields, files={"file": (name, text.encode(), "text/plain")})
    return response.status_code, response.text


def test_a_large_bill_of_materials_is_taken_by_the_csv_route(client: TestClient) -> None:
    rows = "".join(f"part {i},{10 + i % 7},{('DEU', 'USA', 'JPN')[i % 3]}\n"
                   for i in range(BIG_ROWS))
    status, body = _post(client, "/api/v1/components.csv", "component,cost,origin\n" + rows)
    assert status == 200, body
    table = list(csv.DictReader(io.StringIO(body)))
    assert {r["country"] for r in table} == {"DEU", "USA", "JPN"}
    assert sum(int(r["lines"]) for r in table) == BIG_ROWS


def test_bad_rows_are_the_json_error_on_the_csv_route(client: TestClient) -> None:
    status, body = _post(client, "/api/v1/components.csv",
                         "component,cost,origin\nwidget,-5,Atlantis\n")
    assert status == 422
    assert '"code":"bad-rows"' in body.replace(" ", "") and "line 2" in body


def test_formula_like_cells_stay_inert_in_the_csv(client: TestClient) -> None:
    status, body = _post(client, "/api/v1/code.csv",
                         "=HYPERLINK(\"http://x\") The parties will cooperate on cyber "
                         "security and countering hybrid threats.", table="segments")
    assert status == 200, body
    texts = [r["text"] for r in csv.DictReader(io.StringIO(body))]
    assert texts and all(not t.startswith(("=", "+", "-", "@")) for t in texts)


@pytest.mark.parametrize("path, field", [("/api/v1/code.csv", "nope"),
                                         ("/api/v1/code.csv", "segments,areas")])
def test_an_unknown_table_is_refused(client: TestClient, path: str, field: str) -> None:
    status, body = _post(client, path, "Cyber security cooperation.", table=field)
    assert status == 400 and "table" in body


def test_the_csv_routes_of_uploads_answer_post_only(client: TestClient) -> None:
    for path in ("/api/v1/components.csv", "/api/v1/code.csv"):
        assert client.get(path).status_code == 405


@pytest.mark.parametrize("section", ["nope", "..%2Fmatrix", "areas%00", "A" * 300])
def test_an_unknown_analysis_section_is_refused(client: TestClient, section: str) -> None:
    for suffix in ("", ".csv"):
        response = client.get(f"/api/v1/analysis/{section}{suffix}")
        assert response.status_code in (400, 404), response.text
        assert response.json()["error"]["code"]
