"""The changelog's lines about cells of Table 1, read back (release.coverage_changes)."""

from __future__ import annotations

import pytest

from sdpatlas.diff import Change
from sdpatlas.release import CellChange, Entry, _line, cell_history, coverage_changes


def _entry(version: str, *lines: str) -> Entry:
    text = f"## {version} — facts checked up to 2026-12-01\n\n" + "".join(
        f"- {line}\n" for line in lines)
    return Entry(version, "2026-12-01", "", text)


@pytest.mark.parametrize(("change", "expected"), [
    (Change("coverage", "ALB area 3", "changed", "status", "no", "yes", ("brief", "x-1")),
     CellChange("V", "ALB", 3, "changed", "status", "no", "yes", ("brief", "x-1"))),
    (Change("coverage", "JPN area 15", "changed", "note", None, "A note (with brackets)."),
     CellChange("V", "JPN", 15, "changed", "note", "—", "A note (with brackets).")),
    (Change("coverage", "ISL area 2", "added", sources=("eprs-2026",)),
     CellChange("V", "ISL", 2, "added", sources=("eprs-2026",))),
    (Change("coverage", "ISL area 26", "removed"), CellChange("V", "ISL", 26, "removed")),
])
def test_each_line_written_for_a_cell_reads_back(change: Change, expected: CellChange) -> None:
    assert coverage_changes(_entry("V", _line(change))) == (expected,)


def test_other_lines_are_not_cells() -> None:
    entry = _entry("V", _line(Change("event", "ALB signed 2024-12-18", "changed", "note",
                                     "a", "b")), _line(Change("source", "coverage-x", "added")))
    prose = Entry("V", "", "", entry.text + "coverage ALB area 3: status no → yes\n")
    assert coverage_changes(prose) == ()


def test_a_cells_history_runs_oldest_first_over_versions() -> None:
    newest = _entry("2026.12.2", _line(Change("coverage", "ALB area 3", "changed", "status",
                                              "yes", "no")))
    middle = _entry("2026.12.1", _line(Change("coverage", "ALB area 4", "changed", "status",
                                              "no", "yes")))
    first = _entry("2026.12.0", _line(Change("coverage", "ALB area 3", "changed", "status",
                                             "unknown", "yes")))
    steps = cell_history((newest, middle, first), "ALB", 3)
    assert [(s.version, s.old, s.new) for s in steps] == [
        ("2026.12.0", "unknown", "yes"), ("2026.12.2", "yes", "no")]
    assert cell_history((newest, middle, first), "JPN", 3) == ()
