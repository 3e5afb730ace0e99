"""PartialDate: a total order over year, year-month and full dates, and as-of cuts."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from sdpatlas.cli import cli
from sdpatlas.model import PartialDate

from conftest import FIXTURE_DATA


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    """Any valid partial date, with years close together so ties on year and month occur."""
    day = draw(st.dates(dt.date(2023, 1, 1), dt.date(2025, 12, 31)))
    precision = draw(st.sampled_from(("year", "month", "day")))
    if precision == "year":
        return PartialDate(day.year)
    if precision == "month":
        return PartialDate(day.year, day.month)
    return PartialDate(day.year, day.month, day.day)


@given(partial_dates(), partial_dates())
def test_order_is_total_and_antisymmetric(a: PartialDate, b: PartialDate) -> None:
    assert (a < b) + (a == b) + (b < a) == 1
    assert (a <= b <= a) == (a == b)
    assert (a > b) == (b < a) and (a >= b) == (b <= a)


@given(partial_dates(), partial_dates(), partial_dates())
def test_order_is_transitive(a: PartialDate, b: PartialDate, c: PartialDate) -> None:
    if a <= b <= c:
        assert a <= c
    if a < b < c:
        assert a < c


@given(partial_dates(), partial_dates())
def test_order_agrees_with_equality_hash_and_text(a: PartialDate, b: PartialDate) -> None:
    assert (a == b) == (hash(a) == hash(b)) == (str(a) == str(b))
    assert PartialDate.parse(str(a)) == a


@given(partial_dates(), partial_dates(), st.dates(dt.date(2022, 6, 1), dt.date(2026, 6, 1)))
def test_order_never_contradicts_as_of_cuts(a: PartialDate, b: PartialDate,
                                            day: dt.date) -> None:
    if a <= b:
        assert a.earliest() <= b.earliest()
        assert not b.on_or_before(day) or a.on_or_before(day)


@pytest.mark.parametrize(("text", "earlier"), [
    ("2025", "2024-12-31"), ("2025-01", "2025"), ("2025-01-01", "2025-01"),
    ("2025-01-02", "2025-01-01"), ("2025-02", "2025-01-31"), ("2026", "2025-12"),
])
def test_less_precise_first_among_dates_starting_the_same_day(text: str, earlier: str) -> None:
    assert PartialDate.parse(earlier) < PartialDate.parse(text)
    assert sorted([PartialDate.parse(text), PartialDate.parse(earlier)])[0] == \
        PartialDate.parse(earlier)


@pytest.mark.parametrize(("text", "day", "counts"), [
    ("2025", "2024-12-31", False), ("2025", "2025-01-01", True), ("2025-05", "2025-04-30", False),
    ("2025-05", "2025-05-01", True), ("2025-05-03", "2025-05-02", False),
])
def test_a_partial_date_counts_from_its_earliest_day(text: str, day: str, counts: bool) -> None:
    assert PartialDate.parse(text).on_or_before(dt.date.fromisoformat(day)) is counts


@pytest.mark.parametrize(("year", "month", "day"), [(2025, None, 3), (2025, 13, None),
                                                    (2025, 2, 30), (2025, 0, None),
                                                    (2025, 1, 0)])
def test_impossible_dates_cannot_be_built(year: int, month: int | None, day: int | None) -> None:
    with pytest.raises(ValueError, match=r"day|month|range"):
        PartialDate(year, month, day)


def test_comparing_with_another_type_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        assert PartialDate(2025) < dt.date(2025, 1, 1)  # type: ignore[operator]


@pytest.fixture
def year_only_data(tmp_path: Path) -> Path:
    """The fixture dataset with Japan's signature known only to the year (same as Albania's)."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    jpn = data / "partnerships" / "JPN.yaml"
    jpn.write_text(jpn.read_text().replace("date: 2024-11-01", "date: 2024"))
    return data


def _matrix(data: Path, *args: str) -> dict[str, object]:
    result = CliRunner().invoke(cli, ["--data", str(data), "matrix", "--format", "json", *args],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    payload: dict[str, object] = json.loads(result.stdout)
    return payload


def _signed(payload: dict[str, object]) -> list[tuple[str, str]]:
    partners = payload["partners"]
    assert isinstance(partners, list)
    return [(p["code"], p["signed"]) for p in partners]


def test_matrix_orders_a_year_only_signature_before_a_full_date_of_that_year(
        year_only_data: Path) -> None:
    validated = CliRunner().invoke(cli, ["--data", str(year_only_data), "validate"])
    assert validated.exit_code == 0, validated.output
    assert _signed(_matrix(year_only_data)) == [("JPN", "2024"), ("ALB", "2024-12-18")]


@pytest.mark.parametrize(("as_of", "shown"), [
    ("2024-01-01", ["JPN"]), ("2024-12-17", ["JPN"]), ("2024-12-18", ["JPN", "ALB"]),
])
def test_matrix_as_of_counts_a_year_only_signature_from_the_first_of_january(
        year_only_data: Path, as_of: str, shown: list[str]) -> None:
    assert [code for code, _ in _signed(_matrix(year_only_data, "--as-of", as_of))] == shown


def test_matrix_as_of_the_day_before_the_year_has_no_partnership(year_only_data: Path) -> None:
    result = CliRunner().invoke(cli, ["--data", str(year_only_data), "matrix", "--as-of",
                                      "2023-12-31"])
    assert result.exit_code == 2
    assert "no signed partnership" in result.output
