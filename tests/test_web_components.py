"""The components checker page and POST /api/v1/components: the CLI's JSON, bad rows as 422."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from test_web_code import Markup, assert_error
from webclient import TestClient, client_for

from sdpatlas.cli import cli
from sdpatlas.web.views.components import MAX_BOM

from conftest import REAL_DATA, ROOT

BOM = ROOT / "tests" / "fixtures" / "bom"
AS_OF = "2026-03-20"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(REAL_DATA, tmp_path_factory.mktemp("cache")) as c:
        yield c


def post(client: TestClient, name: str, path: str = "/api/v1/components",
         as_of: str = AS_OF) -> object:
    return client.post(path, data={"as_of": as_of},
                       files={"file": (name, (BOM / name).read_bytes())})


@pytest.mark.parametrize(("name", "verdict"), [
    ("at_limit.csv", "pass"), ("just_over.csv", "fail"), ("eea_efta_supplier.csv", "pass"),
    ("ukraine_supplier.csv", "pass"), ("agreement_supplier.csv", "depends-on-agreement"),
    ("semicolons.csv", "pass")])
def test_the_answer_is_the_cli_json(client: TestClient, name: str, verdict: str) -> None:
    response = post(client, name)
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    result = CliRunner().invoke(cli, ["--data", str(REAL_DATA), "components",
                                      str(BOM / name), "--as-of", AS_OF, "--format", "json"])
    expected = json.loads(result.stdout)
    expected["file"] = name
    assert response.json() == expected  # type: ignore[attr-defined]
    assert expected["verdict"] == verdict


def test_just_over_names_the_line_pushing_it_over(client: TestClient) -> None:
    data = post(client, "just_over.csv").json()  # type: ignore[attr-defined]
    assert data["passes"] is False and data["non_european_share_percent"] == "35.001"
    assert [o["line"] for o in data["offending_lines"]] == [3]
    page = post(client, "just_over.csv", "/components")
    text = page.text  # type: ignore[attr-defined]
    assert page.status_code == 200 and "Fails: 35.001 %" in text  # type: ignore[attr-defined]
    assert "<th scope=\"row\">Radar</th>" in text and Markup(text).problems == []


def test_pasted_csv_and_the_default_date(client: TestClient) -> None:
    text = (BOM / "at_limit.csv").read_text(encoding="utf-8")
    data = client.post("/api/v1/components", data={"text": text}).json()
    assert data["verdict"] == "pass" and data["file"] == "-"
    assert data["as_of"] == client.app.state.site.today.isoformat()  # type: ignore[attr-defined]


def test_bad_rows_are_a_422_naming_each_line(client: TestClient) -> None:
    message = assert_error(post(client, "bad_rows.csv"), 422, "bad-rows")
    lines = message.splitlines()
    assert lines[0] == "bad_rows.csv has errors; nothing was checked:"
    assert [line.split(" (")[0] for line in lines[1:]] == [f"line {n}" for n in range(3, 8)]
    assert "unknown origin country 'Atlantis'" in lines[1] and "negative" in lines[2]
    page = post(client, "bad_rows.csv", "/components")
    assert page.status_code == 422  # type: ignore[attr-defined]
    assert "<li>line 3 (origin): unknown origin country" in page.text  # type: ignore[attr-defined]


@pytest.mark.parametrize(("files", "fragment"), [
    ({"file": ("wrong_columns.csv", (BOM / "wrong_columns.csv").read_bytes())}, "lacks"),
    ({"file": ("empty.csv", b"")}, "lacks"),
    ({"file": ("latin1.csv", "component,cost,origin\nPièce,1,FRA\n".encode("latin-1"))},
     "cannot read"),
])
def test_unreadable_tables_are_bad_rows(client: TestClient, files: dict[str, object],
                                        fragment: str) -> None:
    response = client.post("/api/v1/components", files=files)  # type: ignore[arg-type]
    assert fragment in assert_error(response, 422, "bad-rows")


def test_a_hostile_component_name_renders_inert(client: TestClient) -> None:
    csv = "component,cost,origin\n<script>alert(1)</script>,900,USA\nAirframe,100,FRA\n"
    page = client.post("/components", data={"text": csv})
    assert page.status_code == 200
    assert Markup(page.text).problems == [] and "&lt;script&gt;alert(1)" in page.text


def test_bad_date_and_oversized_body(client: TestClient) -> None:
    assert "as_of" in assert_error(post(client, "at_limit.csv", as_of="yesterday"), 400,
                                   "bad-parameter")
    huge = b"component,cost,origin\n" + b"x,1,FRA\n" * (MAX_BOM // 8 + 9000)
    response = client.post("/api/v1/components", files={"file": ("huge.csv", huge)})
    assert_error(response, 413, "content-too-large")


def test_get_shows_the_form_and_the_api_wants_post(client: TestClient) -> None:
    page = client.get(f"/components?as_of={AS_OF}")
    assert page.status_code == 200 and f'value="{AS_OF}"' in page.text
    assert 'enctype="multipart/form-data"' in page.text and Markup(page.text).problems == []
    response = client.get("/api/v1/components")
    assert_error(response, 405, "method-not-allowed")
    assert response.headers["allow"] == "POST"
    op = client.get("/openapi.json").json()["paths"]["/api/v1/components"]["post"]
    fields = op["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]
    assert set(fields) == {"text", "file", "as_of"}
    assert fields["as_of"]["anyOf"][0]["format"] == "date"  # or empty, as a blank form sends
    assert 'id="op-components"' in client.get("/api").text
