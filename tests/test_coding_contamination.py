"""No lexicon entry may come from held-out text: each must match some development text.

An entry that matches held-out passages but none of the development passages (the manifest's
dev sets and the fixture passages the rules were written against) was written from the
held-out set, and its score would no longer be an honest estimate. The failure names the
entry only, never the held-out text.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from sdpatlas.coding.contamination import held_out_only, lexicon_entries
from sdpatlas.coding.gold import load_gold
from sdpatlas.coding.goldsets import MANIFEST, load_manifest, missing_sources

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "data" / "coding" / "gold"
SOURCES = ROOT.parent / "shared" / "sources"
# sets labelling real texts the project may not keep have their sources elsewhere: folders
# named in SDPATLAS_GOLD_SOURCES (separated by os.pathsep) are read too, else those sets are
# skipped
SOURCE_DIRS = (SOURCES, *(Path(p) for p in os.environ.get("SDPATLAS_GOLD_SOURCES", "").split(
    os.pathsep) if p))
DEV_FIXTURES = (ROOT / "tests" / "fixtures" / "coding" / "passages.jsonl",)


def texts(split: str) -> list[str]:
    paths = [s.path for s in load_manifest(GOLD / MANIFEST)
             if s.split == split and not missing_sources(s.path, SOURCE_DIRS)]
    if split == "dev":
        paths += DEV_FIXTURES
    return [item.text for path in paths for item in load_gold(path, SOURCE_DIRS)]


@pytest.mark.skipif(not SOURCES.is_dir(), reason="the briefing (../shared/sources) is not here")
def test_no_lexicon_entry_matches_only_held_out_text() -> None:
    raw = yaml.safe_load((ROOT / "data" / "coding" / "lexicon.yaml").read_text("utf-8"))
    leaked = held_out_only(lexicon_entries(raw), texts("dev"), texts("heldout"))
    assert [str(e) for e in leaked] == [], "remove these entries from data/coding/lexicon.yaml"


def test_an_entry_seen_only_in_held_out_text_is_found() -> None:
    raw = {"cues": {"cooperation": ["cooperat*"]},
           "areas": {"a": {"strong": ["sea lane*"], "exclusions": ["port visit"],
                           "acronyms": {"strong": ["ZZX"]},
                           "patterns": [{"regex": r"\bnaval\s+drills?\b", "name": "drills",
                                         "trigger": ["drill"]}]}}}
    dev = ["They cooperate on sea lanes."]
    held = ["A port visit and ZZX naval drills on the sea-lane; cooperation."]
    found = {str(e) for e in held_out_only(lexicon_entries(raw), dev, held)}
    assert found == {"areas.a.exclusions: port visit", "areas.a.acronyms.strong: ZZX",
                     "areas.a.patterns: drills", "areas.a.patterns.trigger: drill"}
