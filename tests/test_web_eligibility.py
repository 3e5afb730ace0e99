"""The SAFE pages and /api/v1/eligibility routes: same JSON as the CLI, one error shape."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from sdpatlas.web import create_app

from conftest import REAL_DATA


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    mp = pytest.MonkeyPatch()
    mp.setenv("SDPATLAS_CACHE", str(tmp_path_factory.mktemp("web-cache")))
    with TestClient(create_app(REAL_DATA)) as c:
        yield c
    mp.undo()


def test_api_decision_is_the_cli_json(client: TestClient) -> None:
    from click.testing import CliRunner

    from sdpatlas.cli import cli

    api = client.get("/api/v1/eligibility/canada?as_of=2026-03-20")
    assert api.status_code == 200
    cli_json = CliRunner().invoke(cli, ["--data", str(REAL_DATA), "eligibility", "CAN",
                                        "--as-of", api.json()["as_of"], "--format", "json"]).stdout
    assert api.json() == json.loads(cli_json)
    assert api.json()["participation_agreement"] == "provisionally-applied"


def test_page_shows_answer_trace_and_sources(client: TestClient) -> None:
    page = client.get("/eligibility/TUR?as_of=2026-03-01")
    assert page.status_code == 200
    text = page.text
    assert "Trace: every rule considered" in text and "discretionary" in text
    assert 'id="source-efsyn-2025-09-safe-requests"' in text
    assert "<script>" not in text and 'style="' not in text


def test_list_page_and_chosen_country(client: TestClient) -> None:
    page = client.get("/eligibility?as_of=2026-03-01&country=CHE")
    assert page.status_code == 200 and "Switzerland on" in page.text
    data = client.get("/api/v1/eligibility?as_of=2026-03-01&country=CHE").json()
    assert data["decision"]["route"] == "none"
    routes = {i["country"]: i["route"] for i in data["items"]}
    assert routes["NOR"] == "treated_as_member_state" and routes["FRA"] == "member_state"


def test_csv_is_the_table_of_every_party(client: TestClient) -> None:
    body = client.get("/api/v1/eligibility.csv?as_of=2025-12-01").text
    assert body.splitlines()[0].startswith("country,name,route,")
    assert any(line.startswith("GBR,United Kingdom,sdp,") for line in body.splitlines())


def test_unknown_code_and_bad_date_keep_the_error_shape(client: TestClient) -> None:
    missing = client.get("/api/v1/eligibility/atlantis")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "unknown-partner"
    bad = client.get("/api/v1/eligibility/CAN?as_of=2026-02-30")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad-parameter"


def test_routes_are_documented(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/v1/eligibility", "/api/v1/eligibility/{code}"):
        assert spec["paths"][path]["get"]["summary"]
