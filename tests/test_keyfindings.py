"""Key findings: short statements led by their number, read off the analysis."""

from __future__ import annotations

import datetime as dt
import re

from sdpatlas import analysis
from sdpatlas.model import Dataset
from sdpatlas.render.keyfindings import key_findings

ANCHORS = {"table-areas", "table-partners", "chart-similarity", "chart-areas-over-time",
           "table-contrasts", "findings-words"}


def test_real_data_headlines(real_data: Dataset) -> None:
    found = key_findings(analysis.analyse(real_data), real_data)
    assert str(found[0]) == ("10 of 26 areas are covered by all 9 assessed partnerships: "
                             "the common core.")
    assert all(re.search(r"\d", f.figure) for f in found)
    assert {f.anchor for f in found} <= ANCHORS
    assert any("North Macedonia and Albania" in f.text and "identical" in f.text for f in found)
    assert any("Iceland" in f.text for f in found)
    assert all(len(str(f)) < 260 for f in found)


def test_follows_the_date(real_data: Dataset) -> None:
    found = key_findings(analysis.analyse(real_data, dt.date(2024, 5, 21)), real_data)
    assert found[0].figure == "14 of 26"
    assert not any("Jaccard" in f.text for f in found)


def test_nothing_before_the_first_partnership(real_data: Dataset) -> None:
    assert key_findings(analysis.analyse(real_data, dt.date(2020, 1, 1)), real_data) == ()
