"""The JSON and CSV API in-process: every route, filters, paging, errors, headers, files."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from webclient import TestClient, client_for

from sdpatlas.cli import cli
from sdpatlas.render import export
from sdpatlas.render.table import as_csv
from sdpatlas.web._errors import ERROR_CODES
from sdpatlas.web.views import ENDPOINTS

from conftest import FIXTURE_DATA, REAL_DATA


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(FIXTURE_DATA, tmp_path_factory.mktemp("cache")) as c:
        yield c


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(REAL_DATA, tmp_path_factory.mktemp("cache")) as c:
        yield c


def assert_error(response: object, status: int, code: str) -> dict[str, object]:
    """The one error shape, exactly."""
    assert hasattr(response, "status_code") and hasattr(response, "json")
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert list(body) == ["error"]
    error = body["error"]
    assert set(error) == {"status", "code", "message", "suggestions"}
    assert error["status"] == status and error["code"] == code
    assert ERROR_CODES[code][0] == status
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["suggestions"], list)
    return error  # type: ignore[no-any-return]


EXAMPLES = {"code": "JPN", "area": "15", "name": "coverage", "section": "similarity"}
QUERIES = {"compare": "?partner=JPN&partner=IND"}


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.api], ids=lambda e: e.name)
def test_every_api_route_answers_with_its_documented_keys(real: TestClient, endpoint: object,
                                                          ) -> None:
    from sdpatlas.web._endpoint import Endpoint

    assert isinstance(endpoint, Endpoint) and endpoint.api
    path = endpoint.api.format(**EXAMPLES)
    query = QUERIES.get(endpoint.name, "")
    response = real.get(path + query)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    for key in endpoint.schema.get("required", []):  # type: ignore[union-attr]
        assert key in body, f"{path} lacks {key}"
    if endpoint.csv:
        csv = real.get(path + ".csv" + query)
        assert csv.status_code == 200
        assert csv.headers["content-type"] == "text/csv; charset=utf-8"
        assert "attachment" in csv.headers["content-disposition"]


def test_matrix_cells_and_highlights(client: TestClient) -> None:
    body = client.get("/api/v1/matrix").json()
    assert [p["code"] for p in body["partners"]] == ["JPN", "ALB"]
    assert body["cells"]["JPN"] == {"1": "yes", "2": "no", "3": "yes", "4": "yes"}
    assert body["cells"]["ALB"]["4"] == "already_exists"
    assert body["highlights"] == {"common_to_all": [1], "one_or_two": []}
    assert body["legend"]["unknown"] == "not assessed"


@pytest.mark.parametrize(("query", "partners", "areas"), [
    ("group=nato-ally", ["ALB"], [1, 2, 3, 4]),
    ("group=NATO%20Allies", ["ALB"], [1, 2, 3, 4]),
    ("cluster=domains", ["JPN", "ALB"], [3, 4]),
    ("area=maritime&area=1", ["JPN", "ALB"], [1, 3]),
    ("area=1,2", ["JPN", "ALB"], [1, 2]),
    ("order=name", ["ALB", "JPN"], [1, 2, 3, 4]),
    ("partner=japan", ["JPN"], [1, 2, 3, 4]),
    ("as_of=2024-12-01", ["JPN"], [1, 2, 3, 4]),
    ("assessed=1", ["JPN", "ALB"], [1, 2, 3, 4]),
])
def test_matrix_filters(client: TestClient, query: str, partners: list[str],
                        areas: list[int]) -> None:
    body = client.get(f"/api/v1/matrix?{query}").json()
    assert [p["code"] for p in body["partners"]] == partners
    assert [a["id"] for a in body["areas"]] == areas


def test_matrix_csv_is_the_cli_csv(client: TestClient) -> None:
    cli_csv = CliRunner().invoke(cli, ["--data", str(FIXTURE_DATA), "matrix", "--format",
                                       "csv", "--group", "nato-ally"]).stdout
    assert client.get("/api/v1/matrix.csv?group=nato-ally").text == cli_csv


def test_real_matrix_counts_nine_assessed_and_iceland(real: TestClient) -> None:
    body = real.get("/api/v1/matrix").json()
    assert len(body["areas"]) == 26
    assert body["not_assessed"] == ["ISL"]
    assessed = real.get("/api/v1/matrix?assessed=1").json()
    assert [p["code"] for p in assessed["partners"]] == [
        "MDA", "NOR", "JPN", "KOR", "MKD", "ALB", "GBR", "CAN", "IND"]
    grouped = real.get("/api/v1/matrix?order=group&group=nato-ally").json()
    assert {p["code"] for p in grouped["partners"]} >= {"NOR", "GBR", "CAN", "ISL"}


def test_cell_evidence_has_sources_and_its_conflict(real: TestClient) -> None:
    body = real.get("/api/v1/partners/GBR/areas/19").json()
    assert body["status"] == "yes" and body["label"] == "covered"
    assert body["sources"] and all("title" in s for s in body["sources"])
    assert [c["field"] for c in body["conflicts"]] == ["coverage.19"]
    assert "GBR" in body["area_coverage"]["yes"]


def test_cell_of_an_unassessed_partner_is_not_assessed(real: TestClient) -> None:
    body = real.get("/api/v1/partners/ISL/areas/15").json()
    assert body["status"] == "unknown" and body["label"] == "not assessed"


def test_partner_profile_is_the_cli_json_plus_evidence(client: TestClient) -> None:
    cli_json = json.loads(CliRunner().invoke(cli, ["--data", str(FIXTURE_DATA), "partner",
                                                   "JPN", "--format", "json"]).stdout)
    body = client.get("/api/v1/partners/JPN").json()
    assert {k: body[k] for k in cli_json} == cli_json
    assert {"rare_areas", "conflicts", "sources"} <= set(body)


def test_area_is_the_cli_json(client: TestClient) -> None:
    cli_json = json.loads(CliRunner().invoke(cli, ["--data", str(FIXTURE_DATA), "area",
                                                   "maritime", "--format", "json"]).stdout)
    body = client.get("/api/v1/areas/3").json()
    assert {k: body[k] for k in cli_json} == cli_json and set(body) - set(cli_json) == {"findings"}


def test_aliases_in_paths_redirect_to_the_canonical_address(client: TestClient) -> None:
    response = client.get("/api/v1/partners/japan?as_of=2024-12-18", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == "/api/v1/partners/JPN?as_of=2024-12-18"
    assert client.get("/areas/maritime", follow_redirects=False).headers["location"] == \
        "/areas/3"


def test_compare(client: TestClient) -> None:
    body = client.get("/api/v1/compare?partner=JPN,ALB").json()
    assert body["shared"] == [1]
    assert body["only"] == {"JPN": [3, 4], "ALB": [2]}
    assert body["differing"] == [2, 3, 4]
    diff = client.get("/api/v1/compare?partner=JPN&partner=ALB&differences=1").json()
    assert [r["area"] for r in diff["rows"]] == [2, 3, 4]


@pytest.mark.parametrize(("query", "status", "code"), [
    ("", 400, "bad-parameter"),
    ("partner=JPN", 400, "bad-parameter"),
    ("partner=JPN&partner=AUS", 400, "not-comparable"),
    ("partner=JPN&partner=FRA", 404, "unknown-partner"),
    ("partner=JPN&partner=japn", 200, ""),
    ("partner=JPN,ALB,AUS", 400, "not-comparable"),
    ("partner=JPN,ALB,AUS,JPN,ALB", 400, "bad-parameter"),
    ("partner=JPN&partner=ALB&differences=maybe", 400, "bad-parameter"),
])
def test_compare_refuses_bad_choices(client: TestClient, query: str, status: int,
                                     code: str) -> None:
    response = client.get(f"/api/v1/compare?{query}")
    if status == 200:
        return
    assert_error(response, status, code)


def test_unknown_partner_is_404_with_suggestions(client: TestClient) -> None:
    error = assert_error(client.get("/api/v1/partners/japn"), 404, "unknown-partner")
    assert error["suggestions"] == ["JPN"]
    assert "did you mean" in str(error["message"])
    error = assert_error(client.get("/api/v1/matrix?partner=albnia"), 404, "unknown-partner")
    assert error["suggestions"] == ["ALB"]


@pytest.mark.parametrize(("path", "status", "code"), [
    ("/api/v1/areas/99", 404, "unknown-area"),
    ("/api/v1/matrix?group=natto-ally", 404, "unknown-group"),
    ("/api/v1/matrix?cluster=domain", 404, "unknown-cluster"),
    ("/api/v1/matrix?order=random", 400, "bad-parameter"),
    ("/api/v1/matrix?order=date&order=name", 400, "bad-parameter"),
    ("/api/v1/matrix?as_of=yesterday", 400, "bad-parameter"),
    ("/api/v1/matrix?as_of=2025-02-30", 400, "bad-parameter"),
    ("/api/v1/matrix?assessed=perhaps", 400, "bad-parameter"),
    ("/api/v1/matrix?partner=" + "x" * 101, 400, "bad-parameter"),
    ("/api/v1/matrix?area=" + ",".join(["1"] * 31), 400, "bad-parameter"),
    ("/api/v1/matrix?" + "&".join(f"p{i}=1" for i in range(201)), 400, "too-many-parameters"),
    ("/api/v1/partners?limit=0", 400, "bad-parameter"),
    ("/api/v1/partners?limit=1000000", 400, "bad-parameter"),
    ("/api/v1/partners?limit=-1", 400, "bad-parameter"),
    ("/api/v1/sources?offset=1e9", 400, "bad-parameter"),
    ("/api/v1/sources?confidence=certain", 400, "bad-parameter"),
    ("/api/v1/timeline?category=gossip", 400, "bad-parameter"),
    ("/api/v1/partners/FRA", 404, "unknown-partner"),
    ("/api/v1/nothing", 404, "not-found"),
    ("/downloads/tables/secrets.csv", 404, "not-found"),
    ("/api/v1/matrix?x=" + "y" * 9000, 414, "uri-too-long"),
])
def test_bad_requests_share_one_error_shape(client: TestClient, path: str, status: int,
                                            code: str) -> None:
    response = client.get(path)
    assert_error(response, status, code)
    assert response.headers["cache-control"] == "no-cache"


def test_paging_is_bounded_and_linked(client: TestClient) -> None:
    first = client.get("/api/v1/partners?limit=2").json()
    assert [i["code"] for i in first["items"]] == ["JPN", "ALB"]
    assert (first["total"], first["limit"], first["offset"]) == (3, 2, 0)
    assert first["next"] == "/api/v1/partners?limit=2&offset=2"
    second = client.get(first["next"]).json()
    assert [i["code"] for i in second["items"]] == ["AUS"] and second["next"] is None


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_only_get_is_served(client: TestClient, method: str) -> None:
    response = client.request(method, "/api/v1/matrix")
    assert_error(response, 405, "method-not-allowed")
    assert response.headers["allow"] == "GET, HEAD"
    page = client.request(method, "/matrix")
    assert page.status_code == 405 and page.headers["content-type"].startswith("text/html")
    assert client.request(method, "/static/atlas.css").status_code == 405


def test_request_bodies_are_refused(client: TestClient) -> None:
    response = client.request("GET", "/api/v1/matrix", content=b"x" * 20_000)
    assert_error(response, 413, "content-too-large")


def test_head_and_conditional_get(client: TestClient) -> None:
    first = client.get("/api/v1/matrix?group=nato-ally")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=300"
    assert client.head("/api/v1/matrix?group=nato-ally").headers["etag"] == etag
    again = client.get("/api/v1/matrix?group=nato-ally", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    other = client.get("/api/v1/matrix?group=eu-candidate").headers["etag"]
    assert other != etag
    same_meaning = client.get("/api/v1/matrix?group=NATO%20Allies").headers["etag"]
    assert same_meaning == etag
    assert client.get("/matrix").headers["etag"] != client.get("/api/v1/matrix").headers["etag"]


def test_etag_follows_the_dataset_content(client: TestClient, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, copy)
    (copy / "partnerships" / "JPN.yaml").write_text(
        (copy / "partnerships" / "JPN.yaml").read_text().replace("Tokyo", "Kyoto"))
    with client_for(copy, tmp_path / "cache") as changed:
        assert changed.get("/api/v1/areas").headers["etag"] != \
            client.get("/api/v1/areas").headers["etag"]


@pytest.mark.parametrize("path", ["/", "/matrix", "/api/v1/matrix", "/static/atlas.css",
                                  "/nowhere", "/api/v1/nowhere", "/openapi.json"])
def test_security_headers_everywhere(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["x-frame-options"] == "DENY"


def test_api_allows_cross_origin_reads(client: TestClient) -> None:
    assert client.get("/api/v1/areas").headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-origin" not in client.get("/areas").headers


def test_static_files_are_cached_long_when_tagged(client: TestClient) -> None:
    page = client.get("/").text
    css = page.split('rel="stylesheet" href="')[1].split('"')[0]
    response = client.get(css)
    assert response.status_code == 200 and "immutable" in response.headers["cache-control"]


def test_downloads(client: TestClient, fixture_data: object) -> None:
    from sdpatlas.model import Dataset

    assert isinstance(fixture_data, Dataset)
    coverage = client.get("/downloads/sdpatlas-coverage.csv")
    assert coverage.text == as_csv(export.coverage_table(fixture_data))
    assert 'filename="sdpatlas-coverage.csv"' in coverage.headers["content-disposition"]
    whole = client.get("/downloads/sdpatlas.json").json()
    assert [p["partner"] for p in whole["partnerships"]] == ["ALB", "AUS", "JPN"]
    assert client.get("/downloads/tables/areas.csv").text.startswith("id,key,label")


def test_xlsx_download_opens(client: TestClient) -> None:
    from openpyxl import load_workbook

    response = client.get("/downloads/sdpatlas.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert {"areas", "coverage", "sources"} <= set(book.sheetnames)


def test_sqlite_download_is_the_database(client: TestClient, tmp_path: Path) -> None:
    target = tmp_path / "atlas.sqlite"
    target.write_bytes(client.get("/downloads/sdpatlas.sqlite").content)
    db = sqlite3.connect(target)
    assert db.execute("SELECT count(*) FROM matrix").fetchone()[0] == 8
    db.close()


def test_datapackage_download_is_a_valid_package(client: TestClient, tmp_path: Path) -> None:
    response = client.get("/downloads/sdpatlas-datapackage.zip")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        assert "sdp-atlas/datapackage.json" in names and "sdp-atlas/coverage.csv" in names
        archive.extractall(tmp_path)
    package = json.loads((tmp_path / "sdp-atlas" / "datapackage.json").read_text())
    assert {r["name"] for r in package["resources"]} >= {"areas", "coverage"}
    assert client.get("/downloads/sdpatlas-datapackage.zip").content == response.content


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The fixture data with a partner named like a script and a note like a formula."""
    import shutil

    folder = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(FIXTURE_DATA, folder)
    parties = folder / "parties.yaml"
    parties.write_text(parties.read_text().replace(
        "name: Japan", "name: \"<script>alert('x')</script>\""))
    jpn = folder / "partnerships" / "JPN.yaml"
    jpn.write_text(jpn.read_text().replace("note: To be explored.",
                                           "note: '=HYPERLINK(\"http://evil\",\"x\")'"))
    with client_for(folder, tmp_path_factory.mktemp("cache")) as c:
        yield c


@pytest.mark.parametrize("path", ["/", "/matrix", "/partners", "/partners/JPN",
                                  "/partners/JPN/areas/4", "/compare?partner=JPN&partner=ALB",
                                  "/areas/1", "/timeline"])
def test_hostile_names_render_inert_in_html(hostile: TestClient, path: str) -> None:
    text = hostile.get(path).text
    assert "<script>alert" not in text and 'href="javascript:' not in text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in text


def test_a_script_source_url_never_reaches_a_page(tmp_path: Path) -> None:
    import shutil

    from sdpatlas.findings import DatasetError
    from sdpatlas.web import create_app

    folder = Path(shutil.copytree(FIXTURE_DATA, tmp_path / "data"))
    sources = folder / "sources.yaml"
    sources.write_text(sources.read_text().replace("url: https://example.org/brief",
                                                   "url: \"javascript:alert('x')\""))
    with pytest.raises(DatasetError, match="bad-url"):
        create_app(folder)


def test_hostile_text_is_neutralised_in_csv_and_xlsx(hostile: TestClient) -> None:
    from openpyxl import load_workbook

    csv = hostile.get("/downloads/sdpatlas-coverage.csv").text
    assert "'=HYPERLINK" in csv and ",=HYPERLINK" not in csv
    book = load_workbook(io.BytesIO(hostile.get("/downloads/sdpatlas.xlsx").content))
    notes = [c.value for row in book["coverage"].iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert notes and all(n.startswith("'=") for n in notes)
    body = hostile.get("/api/v1/partners/JPN/areas/4").json()
    assert body["note"].startswith("=HYPERLINK")  # JSON keeps data as data


def test_gzip_when_asked_with_its_own_etag(client: TestClient) -> None:
    plain = client.get("/matrix", headers={"Accept-Encoding": "identity"})
    packed = client.get("/matrix", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["vary"] == plain.headers["vary"] == "Accept-Encoding"
    assert packed.content == plain.content  # httpx decodes it
    assert packed.headers["etag"] != plain.headers["etag"]
    again = client.get("/matrix", headers={"Accept-Encoding": "gzip",
                                                   "If-None-Match": packed.headers["etag"]})
    assert again.status_code == 304
