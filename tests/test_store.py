"""The database: round trips, determinism, atomic builds, read-only access, the cache."""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdpatlas import store
from sdpatlas.dataset import load
from sdpatlas.errors import OutputError
from sdpatlas.findings import DatasetError
from sdpatlas.model import (
    Amount,
    Commitment,
    Coverage,
    CoverageCell,
    Dataset,
    Event,
    PartialDate,
    Partnership,
    PartnershipStatus,
)
from sdpatlas.render.export import dataset_json

from conftest import FIXTURE_DATA, REAL_DATA


@pytest.mark.parametrize("directory", [FIXTURE_DATA, REAL_DATA], ids=["fixture", "real"])
def test_yaml_model_database_json_round_trip(directory: Path, tmp_path: Path) -> None:
    data = load(directory)
    back = store.read(store.build(data, tmp_path / "atlas.sqlite"))
    assert back == data
    assert back.content_hash == data.content_hash
    assert json.dumps(dataset_json(back)) == json.dumps(dataset_json(data))


def test_builds_are_byte_for_byte_deterministic(fixture_data: Dataset, tmp_path: Path) -> None:
    first = store.build(fixture_data, tmp_path / "a.sqlite").read_bytes()
    second = store.build(fixture_data, tmp_path / "b.sqlite").read_bytes()
    assert first == second


def test_database_is_queryable_with_sql(real_data: Dataset, tmp_path: Path) -> None:
    path = store.build(real_data, tmp_path / "atlas.sqlite")
    db = sqlite3.connect(path)
    maritime = [r[0] for r in db.execute(
        "SELECT partner FROM matrix WHERE area_key = 'maritime-security' AND status = 'yes' "
        "ORDER BY partner")]
    assert maritime == ["CAN", "GBR", "IND", "JPN", "KOR", "NOR"]
    cited = db.execute("SELECT count(*) FROM citations WHERE entity = 'coverage'").fetchone()[0]
    assert cited >= 234
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_failed_build_leaves_the_old_file_and_no_temporary(fixture_data: Dataset,
                                                              tmp_path: Path) -> None:
    target = store.build(fixture_data, tmp_path / "atlas.sqlite")
    before = target.read_bytes()
    broken = dataclasses.replace(fixture_data, areas=fixture_data.areas[:1])  # dangling coverage
    with pytest.raises(store.StoreError):
        store.build(broken, target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas.sqlite"]


def test_databases_are_opened_read_only(fixture_data: Dataset, tmp_path: Path) -> None:
    db = store.connect(store.build(fixture_data, tmp_path / "atlas.sqlite"))
    with pytest.raises(sqlite3.OperationalError):
        db.execute("DELETE FROM areas")


def test_reading_something_else_is_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(store.StoreError, match="not a readable"):
        store.read(junk)
    with pytest.raises(store.StoreError, match="no database"):
        store.read(tmp_path / "absent.sqlite")


def test_open_dataset_builds_once_then_reuses_the_cache(isolated_cache: Path) -> None:
    data, path = store.open_dataset(FIXTURE_DATA)
    assert path.parent == isolated_cache
    stamp = path.stat().st_mtime_ns
    again, same = store.open_dataset(FIXTURE_DATA)
    assert same == path and again == data and path.stat().st_mtime_ns == stamp


def test_invalid_data_writes_no_database(tmp_path: Path, isolated_cache: Path) -> None:
    (tmp_path / "data").mkdir()
    with pytest.raises(DatasetError):
        store.open_dataset(tmp_path / "data")
    assert list(isolated_cache.iterdir()) == []


def test_a_corrupt_cache_entry_is_rebuilt(isolated_cache: Path) -> None:
    _, path = store.open_dataset(FIXTURE_DATA)
    path.write_bytes(b"garbage")
    data, again = store.open_dataset(FIXTURE_DATA)
    assert again == path and data.partnership("ALB") is not None


@pytest.mark.parametrize("kind", ["folder", "symlink", "fifo"])
def test_build_replaces_only_a_regular_file(kind: str, fixture_data: Dataset,
                                            tmp_path: Path) -> None:
    kept = tmp_path / "kept.sqlite"
    kept.write_bytes(b"someone's file")
    target = tmp_path / "target"
    {"folder": target.mkdir, "symlink": lambda: target.symlink_to(kept),
     "fifo": lambda: os.mkfifo(target)}[kind]()
    with pytest.raises(OutputError, match="only a regular file"):
        store.build(fixture_data, target)
    assert kept.read_bytes() == b"someone's file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.sqlite", "target"]


def test_an_unwritable_cache_falls_back_to_a_temporary_database(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "file").write_bytes(b"")
    monkeypatch.setenv("SDPATLAS_CACHE", str(tmp_path / "file" / "cache"))
    with pytest.warns(store.CacheUnavailable, match="Not a directory"):
        data, path = store.open_dataset(FIXTURE_DATA)
    assert store.read(path) == data and not path.is_relative_to(tmp_path)


def test_stale_temporaries_are_those_of_this_tool_only(tmp_path: Path) -> None:
    names = [".atlas-abc.sqlite.x1.part", ".atlas-abc.sqlite.x2.tmp", ".other.sqlite.x3.part",
             "atlas-abc.sqlite"]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    assert store.remove_stale_temporaries(tmp_path) == []  # fresh: maybe a running build
    later = time.time() + store.STALE_AFTER + 1
    removed = store.remove_stale_temporaries(tmp_path, now=later)
    assert sorted(p.name for p in removed) == names[:2]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[2:])


texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1,
                max_size=30)
dates = st.builds(PartialDate, st.integers(1990, 2030), st.none() | st.integers(1, 12),
                  st.none()).map(lambda d: d if d.month else PartialDate(d.year))
statuses = st.sampled_from(list(Coverage))


@st.composite
def partnerships(draw: st.DrawFn, base: Dataset) -> Partnership:
    code = draw(st.sampled_from(["ALB", "JPN"]))
    sources = tuple(s.id for s in base.sources)
    cells = tuple(CoverageCell(a.id, draw(statuses), sources[:1], draw(st.none() | texts))
                  for a in base.areas)
    events = (Event("signed", draw(dates), sources, draw(st.none() | texts)),)
    commitments = tuple(Commitment(draw(texts), draw(texts), "exists", sources[1:],
                                   amounts=(Amount(draw(st.floats(0, 1e12)), "EUR"),))
                        for _ in range(draw(st.integers(0, 2))))
    return Partnership(partner=code, status=PartnershipStatus.SIGNED, title=draw(texts),
                       summary=draw(texts), sources=sources, events=events,
                       commitments=commitments, coverage=cells)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_valid_dataset_survives_the_database(fixture_data: Dataset, tmp_path: Path,
                                                 data: st.DataObject) -> None:
    chosen = data.draw(st.lists(partnerships(fixture_data), min_size=1, max_size=2,
                                unique_by=lambda p: p.partner))
    original = dataclasses.replace(fixture_data, partnerships=tuple(
        sorted(chosen, key=lambda p: p.partner)))
    path = store.build(original, tmp_path / "property.sqlite")
    assert store.read(path) == original
