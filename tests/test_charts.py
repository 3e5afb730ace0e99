"""Charts: every kind in both formats, deterministic bytes, and no reference to today."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from synthetic import Spec, make

from sdpatlas import analysis
from sdpatlas.model import Dataset
from sdpatlas.render.charts import CHART_FORMATS, KINDS, chart

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def real_result(real_data: Dataset) -> analysis.Analysis:
    return analysis.analyse(real_data)


@pytest.mark.parametrize("fmt", CHART_FORMATS)
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_chart_is_deterministic(kind: str, fmt: str, real_data: Dataset,
                                      real_result: analysis.Analysis) -> None:
    first = chart(kind, real_data, fmt=fmt, result=real_result)
    again = chart(kind, real_data, fmt=fmt, result=analysis.analyse(real_data))
    assert first == again
    if fmt == "png":
        assert first.startswith(PNG_MAGIC)
    else:
        root = ET.fromstring(first)
        assert root.tag.endswith("svg")
        text = first.decode()
        assert "<dc:date>" not in text
        assert "SDP Atlas" in text
        assert "http://" not in text.replace("http://www.w3.org", "").replace(
            "http://purl.org", "").replace("http://creativecommons.org", "")


def test_charts_do_not_depend_on_today(real_data: Dataset,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    fixed = analysis.analyse(real_data, dt.date(2026, 6, 1))
    before = chart("timeline", real_data, result=fixed)

    class Later(dt.date):
        @classmethod
        def today(cls) -> Later:
            return cls(2031, 1, 1)

    monkeypatch.setattr(dt, "date", Later)
    assert chart("timeline", real_data, result=fixed) == before


def test_the_matrix_names_every_shown_partner(real_data: Dataset,
                                              real_result: analysis.Analysis) -> None:
    svg = chart("matrix", real_data, result=real_result)
    assert svg.count(b"<g id=\"text_") > 26  # glyphs are paths; labels are text groups


def test_as_of_changes_the_chart(real_data: Dataset) -> None:
    early = chart("areas-over-time", real_data, as_of=dt.date(2024, 12, 31))
    late = chart("areas-over-time", real_data)
    assert early != late


@pytest.mark.parametrize("kind", list(KINDS))
def test_small_and_degenerate_datasets_draw(kind: str) -> None:
    one = make([Spec("A", "YNY")])
    empty = make([Spec("A", "???")])
    for data in (one, empty):
        assert chart(kind, data, fmt="svg").startswith(b"<?xml")


def test_unknown_kind_or_format() -> None:
    data = make([Spec("A", "Y")])
    with pytest.raises(ValueError, match="unknown chart 'pie'"):
        chart("pie", data)
    with pytest.raises(ValueError, match="svg or png"):
        chart("matrix", data, fmt="pdf")


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_date_before_any_partnership_draws_an_empty_chart(kind: str,
                                                            real_data: Dataset) -> None:
    svg = chart(kind, real_data, as_of=dt.date(2000, 1, 1))
    assert ET.fromstring(svg).tag.endswith("svg")
