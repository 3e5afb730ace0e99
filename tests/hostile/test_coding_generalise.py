"""Hostile texts for the coder's tests of whose cooperation a segment states (coding/_parties,
the survey and backdrop tests of coding/_structure, the instrument subject of coding/_agency):
runs of the Union's words, of scene-setting phrases and of plural agreements shaped to make
their scans quadratic or their regular expressions backtrack. The time bound is a generous
safety bound, not a benchmark."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sdpatlas.coding import Coder
from sdpatlas.model import Coverage, Dataset

ROOT = Path(__file__).resolve().parents[2]
SECONDS = 20
SHAPES = {
    "the Union's words before partners in general": "The " + "EU Council " * 30_000
                                                    + "will help third countries.",
    "quotes and spaces before capitals": "help third countries " + "“ ' EU " * 30_000,
    "endless backdrops": "amid " * 40_000 + "cyber cooperation.",
    "a leading phrase without its comma": "Acknowledging " + "the threat of " * 20_000,
    "plural agreements without end": "All existing " + "agreements " * 30_000 + "each cover",
    "an instrument's name without its noun": "The " + "European " * 40_000 + "will fund it.",
    "joint without a threat": "joint " * 40_000 + "third countries",
}


@pytest.fixture(scope="module")
def coder(real_data: Dataset) -> Coder:
    return Coder.from_data(ROOT / "data", real_data.areas)


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_the_parties_tests_stay_fast(coder: Coder, name: str) -> None:
    text = "\n".join([SHAPES[name]] * 3)
    began = time.monotonic()
    proposal = coder.code_text(text)
    assert time.monotonic() - began < SECONDS
    assert all(c.status in Coverage for c in proposal.coverage)
