"""The gold manifest: splits fixed before tuning, and frozen held-out files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sdpatlas.coding.gold import GoldError, default_source_dirs, load_gold
from sdpatlas.coding.goldsets import (
    MANIFEST,
    GoldSet,
    check_set,
    documents,
    file_sha256,
    load_manifest,
    missing_sources,
    select_sets,
)

GOLD = Path(__file__).resolve().parents[1] / "data" / "coding" / "gold"


def test_every_set_matches_its_recorded_hash() -> None:
    sets = load_manifest(GOLD / MANIFEST)
    assert {s.split for s in sets} == {"dev", "heldout"}
    for gold_set in sets:
        check_set(gold_set)


def test_no_heldout_file_changed_after_freezing() -> None:
    for gold_set in load_manifest(GOLD / MANIFEST):
        if gold_set.split == "heldout":
            assert file_sha256(gold_set.path) == gold_set.sha256, (
                f"{gold_set.path.name} changed after it was frozen; restore it from git")


def is_gold_set(path: Path) -> bool:
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    return "text" in first or "source" in first


def test_every_gold_set_is_in_the_manifest() -> None:
    listed = {s.path.name for s in load_manifest(GOLD / MANIFEST)}
    assert {p.name for p in GOLD.glob("*.jsonl") if is_gold_set(p)} <= listed


def copy_gold(tmp_path: Path) -> Path:
    for path in GOLD.iterdir():
        if path.suffix in (".jsonl", ".json"):
            shutil.copy(path, tmp_path / path.name)
    return tmp_path / MANIFEST


def test_a_changed_heldout_file_is_refused(tmp_path: Path) -> None:
    manifest = copy_gold(tmp_path)
    heldout = next(s for s in load_manifest(manifest) if s.split == "heldout")
    with heldout.path.open("a", encoding="utf-8") as out:
        out.write("\n")
    with pytest.raises(GoldError, match="held-out set changed after it was frozen"):
        select_sets((), manifest, "heldout")
    assert all(split == "dev" for _, split in select_sets((), manifest, "dev"))


@pytest.mark.parametrize(("entry", "message"), [
    ({"file": "x.jsonl", "split": "test", "sha256": "0" * 64}, "split must be one of"),
    ({"file": "x.jsonl", "split": "dev", "sha256": "abc"}, "64 hex digits"),
    ({"file": "../x.jsonl", "split": "dev", "sha256": "0" * 64}, "inside"),
    ({"split": "dev"}, "string 'file'"),
])
def test_manifest_errors_name_the_entry(tmp_path: Path, entry: dict[str, str],
                                        message: str) -> None:
    path = tmp_path / MANIFEST
    path.write_text(json.dumps({"sets": [entry]}), encoding="utf-8")
    with pytest.raises(GoldError, match=message):
        load_manifest(path)


def test_documents_group_passages_by_their_source(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text('{"id": "a", "doc": "d1"}\n{"id": "b", "doc": "d1"}\n{"id": "c"}\n',
                    encoding="utf-8")
    assert documents(path) == {"a": "d1", "b": "d1", "c": "c"}


@pytest.mark.parametrize("gold_set", load_manifest(GOLD / MANIFEST), ids=lambda s: s.name)
def test_every_set_loads_its_recorded_passages(gold_set: GoldSet) -> None:
    dirs = default_source_dirs(gold_set.path)
    missing = missing_sources(gold_set.path, dirs)
    if missing:
        pytest.skip(f"the sources of {gold_set.name} ({missing[0]}, ...) are kept outside the "
                    "repository; score it with sdpatlas evaluate --sources DIR")
    loaded = load_gold(gold_set.path, dirs)
    assert gold_set.passages in (None, len(loaded))


def test_missing_sources_names_the_absent_files(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text('{"id": "a", "source": "here.txt"}\n{"id": "b", "source": "gone.txt"}\n'
                    '{"id": "c", "text": "x"}\n', encoding="utf-8")
    (tmp_path / "here.txt").write_text("x", encoding="utf-8")
    assert missing_sources(path, (tmp_path,)) == ["gone.txt"]
