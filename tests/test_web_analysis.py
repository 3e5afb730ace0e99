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
    assert "<script>" not in text and "style=\"" not in text and "<style" not in text
    assert len(page.content) <= 200_000
    charts = re.findall(r'<a href="(/downloads/charts/[^"]+)" download', text)
    assert len(set(charts)) == len(REPORT_CHARTS)
    for url in set(charts):
        svg = client.get(html.unescape(url))
        assert svg.status_code == 200
        assert svg.headers["content-type"].startswith("image/svg+xml")
        assert svg.content.lstrip().startswith((b"<svg", b"<?xml"))


def test_key_findings_then_charts_then_tables(client: TestClient) -> None:
    text = client.get("/analysis").text
    marks = ('id="key-h"', "<svg xmlns", 'class="data compact sortable"', 'id="findings-words"')
    order = [text.index(mark) for mark in marks]
    assert order == sorted(order)
    key = text[order[0]:order[1]]
    assert '<strong class="kf-figure">10 of 26</strong>' in key
    for anchor in re.findall(r'class="kf-more" href="#([^"]+)"', key):
        assert f'id="{anchor}"' in text


def test_chart_marks_have_titles_and_lead_to_pages(client: TestClient) -> None:
    text = client.get("/analysis").text
    svgs = re.findall(r"<svg xmlns.*?</svg>", text, re.DOTALL)
    assert len(svgs) == 4
    for svg in svgs:
        assert 'role="graphics-document"' in svg and "aria-label=" in svg and "<desc>" in svg
        links = re.findall(r'<a href="([^"]+)" tabindex="-1"[^>]*>(.)', svg)
        assert links and all(first == "<" for _, first in links)
    hrefs = {html.unescape(h) for svg in svgs for h in re.findall(r'<a href="([^"]+)"', svg)}
    for prefix in ("/partners/JPN/areas/15", "/partners/JPN", "/areas/15", "/compare?partner="):
        sample = sorted(h for h in hrefs if h.startswith(prefix))[0]
        assert client.get(sample).status_code == 200, sample


def test_charts_follow_the_date(client: TestClient) -> None:
    page = client.get("/analysis?as_of=2024-05-21")
    urls = re.findall(r'<a href="(/downloads/charts/[^"]+)"', page.text)
    assert urls and all("as_of=2024-05-21" in u for u in urls)
    assert '<strong class="kf-figure">14 of 26</strong>' in page.text
    assert client.get("/downloads/charts/pie.svg").status_code == 404


def test_before_any_partnership_the_page_says_so(client: TestClient) -> None:
    page = client.get("/analysis?as_of=2020-01-01")
    assert page.status_code == 200
    assert "No signed partnership is assessed yet as of 2020-01-01" in page.text


def test_bad_near_keeps_the_error_shape(client: TestClient) -> None:
    response = client.get("/api/v1/analysis?near=0")
    assert response.status_code == 400
    assert "error" in response.json()
