"""The codebook's near areas and rare areas on real texts: mechanisms tested on sentences written
for these tests (never taken from a gold set)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdpatlas.coding import Coder
from sdpatlas.model import Coverage, Dataset

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def coder(real_data: Dataset) -> Coder:
    return Coder.from_data(ROOT / "data", real_data.areas)


@pytest.mark.parametrize("text", [
    "The EU and Chile will work together to diversify their sources of critical minerals.",
    "Both sides launched a partnership on critical mineral supply for their industries.",
])
def test_critical_minerals_are_economic_security(coder: Coder, text: str) -> None:
    assert coder.code_text(text).area(21).status is Coverage.YES


def test_who_chairs_or_accompanies_a_delegation_names_no_area(coder: Coder) -> None:
    named = coder.code_text("The Canadian delegation was headed by the Director of Maritime "
                            "Security, who was accompanied by experts on counter-terrorism and "
                            "a liaison officer at Europol.")
    assert {named.area(a).status for a in (8, 15, 24)} == {Coverage.NO}
    acted = coder.code_text("The dialogue was co-chaired by both deputy ministers, and the two "
                            "sides agreed to step up cooperation on maritime security.")
    assert acted.area(15).status is Coverage.YES
