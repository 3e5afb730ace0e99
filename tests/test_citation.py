"""Citations: the dataset's CFF names its main source; the repository carries both licences."""

from __future__ import annotations

import yaml

from sdpatlas.dataset import load
from sdpatlas.render.export import citation_cff

from conftest import REAL_DATA, ROOT


def test_the_data_citation_names_the_most_cited_briefing() -> None:
    cff = yaml.safe_load(citation_cff(load(REAL_DATA)))
    assert cff["type"] == "dataset" and cff["license"] == "CC-BY-4.0"
    (briefing,) = cff["references"]
    assert briefing["title"] == "The EU's new bilateral security and defence partnerships"
    assert briefing["year"] == "2026"


def test_the_software_citation_and_the_data_licence_are_in_the_repository() -> None:
    software = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert software["type"] == "software" and software["license"] == "MIT"
    assert any(r.get("year") == 2026 for r in software["references"])
    assert "CC BY 4.0" in (REAL_DATA / "LICENSE.md").read_text(encoding="utf-8")
