"""Loading and validating datasets: every defect gives its own finding, file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sdpatlas.dataset import load, validate
from sdpatlas.findings import KINDS, DatasetError, Severity
from sdpatlas.model import Coverage, PartialDate

from conftest import FIXTURE_DATA


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the fixture dataset."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def errors(directory: Path) -> list[tuple[str, str, int | None]]:
    return [(f.code, f.file, f.line) for f in validate(directory)
            if f.severity is Severity.ERROR]


def test_fixture_is_valid(data_dir: Path) -> None:
    assert errors(data_dir) == []
    data = load(data_dir)
    assert [p.partner for p in data.partnerships] == ["ALB", "AUS", "JPN"]
    assert data.partnership("JPN").status_of(4) is Coverage.YES


# (file, old text, new text, expected code, expected line)
CASES = [
    ("sources.yaml", "  - id: news\n", "  - id: news\n    title: [unclosed\n",
     "yaml-syntax", None),
    ("partnerships/ALB.yaml", "  2: yes\n", "  2: yes\n  1: no\n", "duplicate-key", 34),
    ("partnerships/ALB.yaml", "  3: no\n", "  3: no\n  27: no\n", "unknown-area", 35),
    ("partnerships/ALB.yaml", "date: 2024-12-18", "date: 2024-13-45", "bad-date", 8),
    ("partnerships/JPN.yaml", "partner: JPN", "partner: ALB", "file-name-mismatch", 1),
    ("partnerships/ALB.yaml", "    sources: [news]\n", "", "missing-source", 12),
    ("partnerships/ALB.yaml", "sources: [brief, news]", "sources: [brief, nwes]",
     "unknown-source", 10),
    ("parties.yaml", "      - group: eu-candidate", "      - group: eu-candidat",
     "unknown-group", 11),
    ("milestones.yaml", "parties: [JPN]", "parties: [XYZ]", "unknown-party", 7),
    ("partnerships/ALB.yaml", "title: EU–Albania partnership", "titel: EU–Albania partnership",
     "unknown-field", 3),
    ("partnerships/ALB.yaml", "  4: already_exists\n", "", "coverage-incomplete", 31),
    ("partnerships/ALB.yaml", "  3: no", "  3: maybe", "bad-value", 34),
    ("partnerships/ALB.yaml", "status: signed", "status: singed", "bad-value", 2),
    ("sources.yaml", "  - id: news", "  - id: brief", "duplicate-id", 10),
    ("conflicts.yaml", 'value: "2024-12-18"', 'value: "2024-12-19"', "conflict-mismatch", 2),
    ("conflicts.yaml", "        preferred: true\n", "", "bad-conflict", 2),
    ("conflicts.yaml", "entity: partnership:ALB", "entity: partnership:XXX",
     "unknown-reference", 4),
    ("partnerships/AUS.yaml", "sources: [brief]\nevents:",
     "sources: [brief]\ncoverage_sources: [brief]\ncoverage:\n  1: yes\nevents:",
     "coverage-unexpected", 7),
    ("partnerships/JPN.yaml", "  - kind: signed", "  - kind: launched", "signed-without-date", 6),
    ("parties.yaml", "aliases: [Oz]", "aliases: [Nippon]", "duplicate-id", 26),
    ("sources.yaml", "url: https://example.org/brief", 'url: "javascript:alert(1)"', "bad-url",
     9),
    ("parties.yaml", "since: 2014-06\n", "since: 2014-06\n        until: 2014-05-31\n",
     "date-range", 13),
    ("partnerships/ALB.yaml", "count: 13", "count: -13", "out-of-range", 20),
    ("partnerships/ALB.yaml", "value: 14500000", "value: -1", "out-of-range", 28),
    ("partnerships/ALB.yaml", "date: 2024-12-18", "date: 1899-12-18", "out-of-range", 8),
    ("partnerships/ALB.yaml", "count: 13", "count: 9223372036854775808", "number-too-large", 20),
]


@pytest.mark.parametrize(("file", "old", "new", "code", "line"), CASES,
                         ids=[f"{c[3]}-{i}" for i, c in enumerate(CASES)])
def test_each_defect_is_reported_where_it_is(data_dir: Path, file: str, old: str, new: str,
                                             code: str, line: int | None) -> None:
    edit(data_dir / file, old, new)
    found = errors(data_dir)
    expected_file = f"data/{file}"
    matching = [f for f in found if f[0] == code and f[1] == expected_file]
    assert matching, found
    if line is not None:
        assert line in [f[2] for f in matching], found
    with pytest.raises(DatasetError) as raised:
        load(data_dir)
    assert code in {f.code for f in raised.value.findings}


def test_yaml_syntax_error_has_a_line(data_dir: Path) -> None:
    edit(data_dir / "sources.yaml", "  - id: news\n", "  - id: news\n    title: [unclosed\n")
    (finding,) = [f for f in validate(data_dir) if f.code == "yaml-syntax"]
    assert finding.line is not None and finding.line >= 10


def test_missing_file_and_missing_directory(data_dir: Path, tmp_path: Path) -> None:
    (data_dir / "groups.yaml").unlink()
    assert ("missing-file", "data/groups.yaml", None) in errors(data_dir)
    assert errors(tmp_path / "nowhere")[0][0] == "missing-file"


@pytest.mark.parametrize(("since", "until", "wrong"), [
    ("2014-06", "2014", False), ("2014-06", "2014-06-01", False), ("2014", "2013-12", True),
    ("2014-06-02", "2014-06-01", True), ("2014-06", "2014-05-31", True),
])
def test_a_period_is_compared_at_the_coarser_precision(data_dir: Path, since: str, until: str,
                                                       wrong: bool) -> None:
    edit(data_dir / "parties.yaml", "since: 2014-06\n",
         f"since: {since}\n        until: {until}\n")
    assert (("date-range", "data/parties.yaml", 13) in errors(data_dir)) is wrong


def test_yes_and_no_stay_words_and_dates_stay_text(data_dir: Path) -> None:
    data = load(data_dir)
    assert data.partnership("ALB").status_of(3) is Coverage.NO
    assert data.party("ALB").memberships[1].since == PartialDate(2014, 6)


def test_conflicts_are_reported_as_information(data_dir: Path) -> None:
    notes = [f for f in validate(data_dir) if f.code == "conflicting-claim"]
    assert [n.field for n in notes] == ["albania-date"]
    assert notes[0].severity is Severity.INFO


def test_unused_source_is_a_warning(data_dir: Path) -> None:
    with (data_dir / "sources.yaml").open("a", encoding="utf-8") as handle:
        handle.write("  - id: spare\n    title: t\n    issuer: i\n    kind: news\n"
                     "    confidence: secondary\n")
    found = [f for f in validate(data_dir) if f.code == "unused-source"]
    assert found and found[0].severity is Severity.WARNING
    load(data_dir)  # warnings do not stop a load


def test_every_finding_kind_has_a_hint_and_a_unique_code() -> None:
    codes = [k.code for k in KINDS]
    assert len(codes) == len(set(codes))
    assert all(k.hint and k.title for k in KINDS)


@pytest.mark.parametrize("text", ["2024", "2024-06", "2024-06-30"])
def test_partial_dates_round_trip(text: str) -> None:
    assert str(PartialDate.parse(text)) == text


@pytest.mark.parametrize("text", ["2024-13", "2024-02-30", "24-01-01", "June 2024", ""])
def test_bad_partial_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)
