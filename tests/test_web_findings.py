"""The analysis findings on partner and area pages, and under "findings" in their JSON."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from test_web_pages import Page
from webclient import TestClient, client_for

from sdpatlas.analysis import fisher_p
from sdpatlas.dataset import load
from sdpatlas.snapshots import Snapshots

from conftest import FIXTURE_DATA, REAL_DATA


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(REAL_DATA, tmp_path_factory.mktemp("cache")) as c:
        yield c


def _section(html: str, heading_id: str) -> str:
    """The <section> holding the heading with this id."""
    start = html.rindex("<section", 0, html.index(f'id="{heading_id}"'))
    return html[start:html.index("</section>", start)]


def test_albania_names_north_macedonia_as_identical(real: TestClient) -> None:
    section = _section(real.get("/partners/ALB").text, "compare-h")
    assert "Identical profile (every area the same): North Macedonia." in section
    assert "North Macedonia (1.00)" in section
    assert "covered by 2 of 9" in section and "Tailored elements" in section
    page = Page(section)
    assert page.problems == [] and page.tables == page.captions == 2
    found = real.get("/api/v1/partners/ALB").json()["findings"]
    assert found["assessed"] and found["identical_with"] == ["MKD"]
    assert found["nearest"] == {"partners": ["MKD"], "jaccard": 1.0}
    assert found["tailored"][0] == {"area": 25, "count": 2, "of": 9,
                                    "covered_by": ["MKD", "ALB"]}
    assert found["prediction"] is None


def test_india_is_the_only_one_to_omit_area_6(real: TestClient) -> None:
    found = real.get("/api/v1/partners/IND").json()["findings"]
    assert found["omissions"][0]["area"] == 6
    assert (found["omissions"][0]["count"], found["omissions"][0]["of"]) == (8, 9)
    assert "IND" not in found["omissions"][0]["covered_by"]


def test_findings_agree_with_the_analysis_route(real: TestClient) -> None:
    whole = real.get("/api/v1/analysis").json()
    for code in whole["tailored"]:
        found = real.get(f"/api/v1/partners/{code}").json()["findings"]
        assert found["tailored"] == whole["tailored"][code]
        assert found["omissions"] == whole["omissions"][code]


def test_iceland_shows_a_prediction_marked_as_such(real: TestClient) -> None:
    section = _section(real.get("/partners/ISL").text, "compare-h")
    assert "Prediction</span>" in section and "not a coding of any text" in section
    assert "(a prediction, not Table 1)" in section
    assert "Leave-one-out over the 9 assessed SDPs" in section
    assert Page(section).problems == []
    found = real.get("/api/v1/partners/ISL").json()["findings"]
    assert not found["assessed"] and found["tailored"] == [] and found["nearest"] is None
    prospect = real.get("/api/v1/analysis").json()["prospects"][0]
    assert prospect["partner"] == "ISL" and found["prediction"] == prospect
    assert found["predictor"]["method"] == "leave-one-out"


def test_area_23_is_covered_only_by_korea(real: TestClient) -> None:
    section = _section(real.get("/areas/23").text, "findings-h")
    assert "Only 1 of the 9 assessed partnerships covers it: Republic of Korea." in section
    assert "Standing: rare" in section and "First covered on 2024-11-04" in section
    found = real.get("/api/v1/areas/23").json()["findings"]
    assert (found["covered_by"], found["standing"]) == (["KOR"], "rare")
    assert found["first_appearance"] == {"date": "2024-11-04", "partners": ["KOR"]}


def test_area_10_shows_the_european_indo_pacific_contrast(real: TestClient) -> None:
    section = _section(real.get("/areas/10").text, "findings-h")
    assert "European partners 5 of 5 vs Indo-Pacific partners 0 of 3; p = 0.018" in section
    assert "significant" not in section
    page = Page(section)
    assert page.problems == [] and page.tables == page.captions == 1
    found = real.get("/api/v1/areas/10").json()["findings"]
    row = next(c for c in found["contrasts"] if c["key"] == "europe-vs-indo-pacific")
    assert (row["a_covered"], row["a_of"], row["b_covered"], row["b_of"]) == (5, 5, 0, 3)
    assert row["p_value"] == pytest.approx(fisher_p(5, 0, 0, 3))
    assert found["contrasts"][0] == row and found["test"].startswith("Fisher's exact test")


def test_core_area_standing(real: TestClient) -> None:
    found = real.get("/api/v1/areas/1").json()["findings"]
    assert (found["standing"], found["count"], found["of"]) == ("core", 9, 9)


def test_before_any_signature_nothing_is_compared(real: TestClient) -> None:
    area = real.get("/areas/10?as_of=2024-01-01").text
    unchanged_since = Snapshots.of_partnerships(load(REAL_DATA)).canonical(date(2024, 1, 1))
    assert f"No signed partnership is assessed yet as of {unchanged_since}" in area
    partner = _section(real.get("/partners/ALB?as_of=2024-01-01").text, "compare-h")
    assert "No signed partnership is assessed yet" in partner and "Prediction" not in partner
    found = real.get("/api/v1/partners/ALB?as_of=2024-01-01").json()["findings"]
    assert found["of"] == 0 and found["prediction"] is None


def test_fixture_pages_carry_findings(tmp_path: Path) -> None:
    with client_for(FIXTURE_DATA, tmp_path) as small:
        for path in ("/partners/JPN", "/partners/AUS", "/areas/3"):
            assert small.get(path).status_code == 200, path
            assert "findings" in small.get(f"/api/v1{path}").json(), path
