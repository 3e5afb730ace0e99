"""The Excel-friendly CSV on the web: ``?excel=1`` on every CSV route and CSV download gives
the bytes ``--format csv-excel`` gives (a UTF-8 byte order mark, CRLF line ends), linked from
every page that links its CSV and from the Data page."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from webclient import TestClient, client_for

from sdpatlas.cli import cli

from conftest import FIXTURE_DATA

BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(FIXTURE_DATA, tmp_path_factory.mktemp("cache")) as c:
        yield c


def _cli(*args: str) -> bytes:
    result = CliRunner().invoke(cli, ["--data", str(FIXTURE_DATA), *args],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.mark.parametrize("command, path", [
    (("matrix",), "/api/v1/matrix.csv"),
    (("partners", "--as-of", "2026-01-01"), "/api/v1/partners.csv?as_of=2026-01-01"),
    (("sources",), "/api/v1/sources.csv"),
])
def test_excel_csv_is_the_cli_csv_excel(client: TestClient, command: tuple[str, ...],
                                        path: str) -> None:
    joined = "&" if "?" in path else "?"
    excel = client.get(path + joined + "excel=1")
    plain = client.get(path)
    assert excel.status_code == plain.status_code == 200
    assert excel.content.startswith(BOM) and not plain.content.startswith(BOM)
    assert excel.content == _cli(*command, "--format", "csv-excel")
    assert excel.content[len(BOM):].replace(b"\r\n", b"\n") == plain.content
    assert excel.content.count(b"\r\n") == plain.content.count(b"\n")
    assert "-excel.csv" in excel.headers["content-disposition"]
    assert "-excel" not in plain.headers["content-disposition"]


@pytest.mark.parametrize("path", ["/downloads/sdpatlas-coverage.csv",
                                  "/downloads/tables/areas.csv"])
def test_excel_downloads(client: TestClient, path: str) -> None:
    excel, plain = client.get(path + "?excel=1"), client.get(path)
    assert excel.status_code == plain.status_code == 200
    assert excel.content.startswith(BOM) and not plain.content.startswith(BOM)
    assert excel.content[len(BOM):].replace(b"\r\n", b"\n") == plain.content
    assert excel.headers["content-disposition"].endswith('-excel.csv"')


def _links(text: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', text)]


def test_pages_and_the_data_page_link_the_excel_variant(client: TestClient) -> None:
    links = _links(client.get("/matrix?group=nato-ally").text)
    assert "/api/v1/matrix.csv?group=nato-ally&excel=1" in links
    data = _links(client.get("/data").text)
    assert "/downloads/sdpatlas-coverage.csv?excel=1" in data
    assert "/downloads/tables/areas.csv?excel=1" in data
    for link in (li for li in data if "excel=1" in li):
        assert client.get(link).content.startswith(BOM), link


def test_the_openapi_document_describes_excel(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    names = {p["name"] for p in paths["/api/v1/matrix.csv"]["get"]["parameters"]}
    assert "excel" in names
    assert "excel" not in {p["name"] for p in paths["/api/v1/matrix"]["get"]["parameters"]}
