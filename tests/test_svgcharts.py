"""Inline SVG charts: well-formed, accessible, a title on every mark, links only when asked."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from sdpatlas import analysis
from sdpatlas.model import Dataset
from sdpatlas.render.svgcharts import OFFLINE, Links, svg_charts

SVG = "{http://www.w3.org/2000/svg}"
LINKS = Links(partner=lambda c: f"/partners/{c}", area=lambda a: f"/areas/{a}",
              cell=lambda c, a: f"/partners/{c}/areas/{a}",
              pair=lambda a, b: f"/compare?partner={a}&partner={b}")
KINDS = ["matrix", "areas-over-time", "similarity", "group-coverage"]


def _trees(data: Dataset, links: Links = LINKS,
           as_of: dt.date | None = None) -> dict[str, ET.Element]:
    return {c.kind: ET.fromstring(c.svg)
            for c in svg_charts(data, analysis.analyse(data, as_of), links)}


def _marks(tree: ET.Element) -> list[ET.Element]:
    return [el for el in tree.iter() if el.tag in (f"{SVG}a", f"{SVG}g")
            and el.find(f"{SVG}title") is not None]


@pytest.fixture(scope="module")
def real(real_data: Dataset) -> dict[str, ET.Element]:
    return _trees(real_data)


def test_every_chart_is_an_accessible_image(real: dict[str, ET.Element]) -> None:
    assert list(real) == KINDS
    for tree in real.values():
        assert tree.get("role") == "graphics-document"
        assert tree.get("aria-label")
        assert tree[0].tag == f"{SVG}title" and tree[0].text == tree.get("aria-label")
        assert tree[1].tag == f"{SVG}desc" and tree[1].text


def test_every_link_has_a_title_and_stays_out_of_the_tab_order(
        real: dict[str, ET.Element]) -> None:
    for tree in real.values():
        for link in tree.iter(f"{SVG}a"):
            assert link.get("href", "").startswith("/")
            assert link.get("tabindex") == "-1"
            assert link[0].tag == f"{SVG}title" and link[0].text


def test_no_style_attributes_or_elements(real: dict[str, ET.Element]) -> None:
    for tree in real.values():
        assert not [el for el in tree.iter() if "style" in el.attrib or el.tag == f"{SVG}style"]
        assert not list(tree.iter(f"{SVG}script"))


def test_the_matrix_links_each_cell_to_its_evidence(real_data: Dataset,
                                                    real: dict[str, ET.Element]) -> None:
    hrefs = {a.get("href") for a in real["matrix"].iter(f"{SVG}a")}
    signed = analysis.matrix(real_data, order="group")
    assert {f"/partners/{p.code}/areas/{a.id}" for p in signed.parties
            for a in signed.areas} <= hrefs
    titles = [t.text for t in real["matrix"].iter(f"{SVG}title")]
    assert "Japan, 15 Maritime security: covered" in titles


def test_similarity_cells_compare_the_two_partners(real_data: Dataset,
                                                   real: dict[str, ET.Element]) -> None:
    links = [a for a in real["similarity"].iter(f"{SVG}a")
             if a.get("href", "").startswith("/compare")]
    n = analysis.analyse(real_data).profiles.n
    assert len(links) == n * (n - 1)
    assert all(a.get("data-p", "").count(" ") == 1 for a in links)
    first = links[0][0].text or ""
    assert "Jaccard" in first and "shared" in first


def test_offline_charts_have_titles_but_no_links(real_data: Dataset) -> None:
    for tree in _trees(real_data, OFFLINE).values():
        assert not list(tree.iter(f"{SVG}a"))
        assert tree.get("role") == "img"
        assert _marks(tree)


def test_small_and_empty_datasets(fixture_data: Dataset) -> None:
    trees = _trees(fixture_data)
    assert list(trees) == KINDS
    empty = _trees(fixture_data, as_of=dt.date(1990, 1, 1))
    assert "No assessed partnership" in (empty["areas-over-time"][1].text or "")


def test_same_data_same_bytes(fixture_data: Dataset) -> None:
    result = analysis.analyse(fixture_data)
    assert svg_charts(fixture_data, result, LINKS) == svg_charts(fixture_data, result, LINKS)
