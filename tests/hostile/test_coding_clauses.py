"""Hostile texts for the coder's clause analysis and document structure (coding/_agency,
coding/_structure): runs of capitals, titles, leading phrases, dates and codes shaped to make
their regular expressions backtrack. The time bound is a generous safety bound, not a
benchmark: a backtracking pattern takes minutes on these inputs."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sdpatlas.coding import Coder
from sdpatlas.model import Coverage, Dataset

ROOT = Path(__file__).resolve().parents[2]
SECONDS = 20
SHAPES = {
    "capitals before a speaker": "The " + "Cyber " * 30_000 + "said.",
    "a title of connecting words": "Director of " + "Counter and Terrorism of the " * 8_000,
    "endless leading phrases": "In 2024, " * 20_000 + "Japan will strengthen its defences.",
    "a date far from its verb": "signed " + "x " * 50_000 + "2020 agreement",
    "subject codes": "COPS CYBER " * 30_000,
    "an endless source": "according to " + "The " * 40_000,
    "verbs without end": "Japan " + "adopts " * 30_000,
}


@pytest.fixture(scope="module")
def coder(real_data: Dataset) -> Coder:
    return Coder.from_data(ROOT / "data", real_data.areas)


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_clause_analysis_stays_fast(coder: Coder, name: str) -> None:
    text = "\n".join([SHAPES[name]] * 3)
    began = time.monotonic()
    proposal = coder.code_text(text)
    assert time.monotonic() - began < SECONDS
    assert all(c.status in Coverage for c in proposal.coverage)
