"""Terminal output fits the terminal: every table command within $COLUMNS, --wide whole,
the coder's evidence with its matched words, whole command summaries in --help."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from sdpatlas.cli import cli
from sdpatlas.coding.payload import marked_quote
from sdpatlas.coding.propose import Evidence
from sdpatlas.render.table import Column, Table, as_text
from sdpatlas.render.terminal import column_widths, fit_lines

from conftest import FIXTURE_DATA, REAL_DATA, ROOT

EXAMPLES = ROOT / "examples"

COMMANDS = [
    ("matrix",), ("matrix", "--order", "group"), ("matrix", "--group", "nato-ally"),
    ("matrix", "--as-of", "2025-01-01"), ("partners",), ("partner", "GBR"), ("partner", "JPN"),
    ("areas",), ("area", "maritime"), ("compare", "GBR", "JPN", "CAN"), ("timeline",),
    ("sources",), ("conflicts",), ("validate", "--all"), ("eligibility", "GBR"),
    ("eligibility", "--all"), ("components", str(EXAMPLES / "bom.csv")),
    ("code", str(EXAMPLES / "agreement.md")),
    ("code", str(EXAMPLES / "agreement.md"), "--partner", "JPN", "--diff"),
    ("code", str(EXAMPLES / "agreement.md"), "--table", "segments"),
    ("analyse",), *(("analyse", "--section", s) for s in (
        "areas", "partnerships", "similarity", "contrasts", "evolution", "predictions")),
    ("similar", "JPN"), ("predict", "iceland"),
    ("diff", str(FIXTURE_DATA), str(REAL_DATA)),
]


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database cache for the module: every command here only reads the real data."""
    return tmp_path_factory.mktemp("terminal-cache")


@pytest.fixture(autouse=True)
def reuse_cache(shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SDPATLAS_CACHE", str(shared_cache))
    yield


def run(*args: str, columns: str | None = "100") -> Result:
    return CliRunner().invoke(cli, ["--data", str(REAL_DATA), *args],
                              env={"COLUMNS": columns}, catch_exceptions=False)


def longest(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_table_command_fits_100_columns(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code in (0, 1), result.output
    assert result.stdout.strip()
    assert longest(result.stdout) <= 100


def test_without_columns_or_a_terminal_output_fits_80() -> None:
    result = run("conflicts", columns=None)
    assert longest(result.stdout) <= 80


def test_wide_prints_rows_whole() -> None:
    narrow, wide = run("conflicts").stdout, run("conflicts", "--wide").stdout
    assert longest(narrow) <= 100 < longest(wide)
    assert len(wide.splitlines()) < len(narrow.splitlines())


def test_wide_matrix_words_the_areas_as_table_1_does() -> None:
    from sdpatlas.dataset import load

    areas = load(REAL_DATA).areas
    narrow, wide = run("matrix").stdout, run("matrix", "--wide").stdout
    longer = [a for a in areas if a.label != a.short]
    assert longer, "the real data has areas whose short label differs from Table 1's"
    assert all(f" {a.label} " in wide for a in areas)
    assert not any(a.label in narrow for a in longer)
    assert all(a.short in narrow for a in areas)
    assert longest(narrow) <= 100


def test_wide_sources_show_their_urls() -> None:
    assert "https://" not in run("sources").stdout
    assert "https://" in run("sources", "--wide").stdout


def test_code_evidence_shows_the_matched_words() -> None:
    path = str(EXAMPLES / "agreement.md")
    payload = json.loads(run("code", path, "--format", "json").stdout)
    matched = []
    for area in payload["coverage"].values():
        if area["evidence"]:
            e = area["evidence"][0]
            lo, hi = e["match"][0] - e["start"], e["match"][1] - e["start"]
            matched.append(e["quote"][lo:hi])
    wide = run("code", path, "--wide").stdout
    assert matched and all(f"«{words}»" in wide for words in matched)
    assert run("code", path).stdout.count("«") == len(matched)


def _evidence(quote: str, term: str) -> Evidence:
    at = quote.index(term)
    return Evidence("p1", 1000, 1000 + len(quote), quote, "rule", 0.9, "positive", (term,), (),
                    (1000 + at, 1000 + at + len(term)))


def test_a_long_quote_keeps_a_marked_window_around_the_match() -> None:
    quote = " ".join(["filler words here"] * 40) + " and maritime security at the end."
    text = marked_quote(_evidence(quote, "maritime security"), limit=120)
    assert "«maritime security»" in text and text.startswith("…")
    assert len(text) <= 140
    assert marked_quote(_evidence(quote, "maritime security")).startswith("filler")


def test_a_match_found_only_by_its_term_is_still_marked() -> None:
    e = _evidence("They will patrol the sea lanes together.", "sea lanes")
    moved = Evidence(e.segment, e.start, e.end, e.quote, e.rule, e.score, e.polarity, e.terms,
                     e.cues, (0, 3))
    assert "«sea lanes»" in marked_quote(moved)


def test_key_columns_stay_whole_and_text_wraps() -> None:
    rows = tuple((f"some-long-identifier-{i}", "word " * 60, i) for i in range(3))
    table = Table((Column("id", "Id"), Column("text", "Text"), Column("n", "N", "right")), rows)
    out = as_text(table, 60)
    assert longest(out) <= 60
    assert all(f"some-long-identifier-{i}" in out for i in range(3))
    assert as_text(table).count("\n") == 5


def test_a_table_too_wide_for_its_key_columns_prints_rows_as_blocks() -> None:
    columns = tuple(Column(f"c{i}", f"Column {i}") for i in range(6))
    table = Table(columns, ((*(f"key-{i}-{'x' * 8}" for i in range(6)),),))
    out = as_text(table, 40)
    assert longest(out) <= 40
    assert "Column 0: key-0-xxxxxxxx" in out


def test_column_widths_share_the_room_by_need() -> None:
    assert column_widths([10, 20], [10, 16], 40) == [10, 20]
    assert column_widths([10, 100, 40], [10, 16, 16], 60) == [10, 30, 20]
    assert column_widths([30, 30], [30, 16], 40) is None


def test_long_lines_wrap_under_their_text() -> None:
    lines = fit_lines(["  · " + "word " * 30, "=" * 120], 50)
    assert all(len(line) <= 50 for line in lines)
    assert lines[0].startswith("  · word") and lines[1].startswith("    word")
    assert lines[-1] == "=" * 50


def _root_help(width: int) -> tuple[list[str], dict[str, str]]:
    with click.Context(cli, info_name="sdpatlas", terminal_width=width,
                       max_content_width=100) as ctx:
        lines = cli.get_help(ctx).split("Commands:\n", 1)[1].splitlines()
        names = cli.list_commands(ctx)
        summaries = {}
        for name in names:
            command = cli.get_command(ctx, name)
            assert command is not None
            summaries[name] = command.get_short_help_str(limit=1000)
    return lines, summaries


@pytest.mark.parametrize("width", [60, 80, 100])
def test_root_help_shows_every_summary_whole(width: int) -> None:
    lines, summaries = _root_help(width)
    listing = " ".join(" ".join(lines).split())
    assert all(len(line) <= width for line in lines)
    for name, summary in summaries.items():
        assert summary.endswith(".") and "..." not in summary, name
        assert f"{name} {summary}" in listing, name


def test_summaries_are_short_enough_for_one_line_at_100_columns() -> None:
    lines, summaries = _root_help(100)
    assert len(lines) == len(summaries)
