"""The Analysis page and /api/v1/analysis: the same findings as `sdpatlas analyse`."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from webclient import TestClient, client_for

from sdpatlas.cli import cli
from sdpatlas.render.report import REPORT_CHARTS

from conftest import REAL_DATA


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(REAL_DATA, tmp_path_factory.mktemp("web-cache")) as c:
        yield c


def test_api_is_the_cli_json(client: TestClient) -> None:
    api = client.get("/api/v1/analysis?as_of=2026-03-01")
    assert api.status_code == 200
    cli_json = CliRunner().invoke(cli, ["--data", str(REAL_DATA), "analyse", "--as-of",
                                        api.json()["as_of"], "--format", "json"]).stdout
    assert api.json() == json.loads(cli_json)
    assert api.json()["common_core"] == [1, 2, 3, 4, 7, 8, 9, 11, 13, 20]


def test_csv_lists_the_group_contrasts(client: TestClient) -> None:
    response = client.get("/api/v1/analysis.csv")
    assert response.status_code == 200
    header, *rows = response.text.splitlines()
    assert header.startswith("contrast,area,group_a")
    assert any(r.startswith("europe-vs-indo-pacific,10,") for r in rows)


def test_page_shows_findings_and_charts(client: TestClient) -> None:
    page = client.get("/analysis")
    assert page.status_code == 200
    text = page.text
    assert "Common core: 10 areas covered by all 9" in text
    assert "<script>" not in text and "style=\"" not in text
    assert len(page.content) <= 200_000
    charts = re.findall(r'<img src="(/downloads/charts/[^"]+)"', text)
    assert len(charts) == len(REPORT_CHARTS)
    for url in charts:
        svg = client.get(html.unescape(url))
        assert svg.status_code == 200
        assert svg.headers["content-type"].startswith("image/svg+xml")
        assert svg.content.lstrip().startswith((b"<svg", b"<?xml"))


def test_charts_follow_the_date(client: TestClient) -> None:
    page = client.get("/analysis?as_of=2024-05-21")
    urls = re.findall(r'<img src="([^"]+)"', page.text)
    assert urls and all("as_of=2024-05-21" in u for u in urls)
    assert client.get("/downloads/charts/pie.svg").status_code == 404


def test_bad_near_keeps_the_error_shape(client: TestClient) -> None:
    response = client.get("/api/v1/analysis?near=0")
    assert response.status_code == 400
    assert "error" in response.json()
