"""The real dataset reproduces Table 1 of the EPRS briefing (2026) cell for cell.

The expected table is written out here by hand from the briefing, not read back from data/.
Columns in Table 1's order: Moldova, Albania, North Macedonia, Canada, UK, Norway, Japan,
Republic of Korea, India. Y = ✓, N = ✗, E = "Already exists".
"""

from __future__ import annotations

import pytest

from sdpatlas.model import Coverage, Dataset

COLUMNS = ("MDA", "ALB", "MKD", "CAN", "GBR", "NOR", "JPN", "KOR", "IND")
TABLE_1 = {
    1: "YYYYYYYYY",
    2: "YYYYYYYYY",
    3: "YYYYYYYYY",
    4: "YYYYYYYYY",
    5: "NNNYYYYYY",
    6: "YYYYYYYYN",
    7: "YYYYYYYYY",
    8: "YYYYYYYYY",
    9: "YYYYYYYYY",
    10: "YYYYYYNNN",
    11: "YYYYYYYYY",
    12: "YYYNNNNNN",
    13: "YYYYYYYYY",
    14: "NYYYYYNNN",
    15: "NNNYYYYYY",
    16: "NNNYYYYYY",
    17: "NNNYYYNYY",
    18: "NNNYYYYYY",
    19: "NNNNYYNNY",
    20: "YYYYYYYYY",
    21: "NYYYYYYYN",
    22: "EEEEEEYYY",
    23: "NNNNNNNYN",
    24: "YYYYYNNYY",
    25: "NYYNNNNNN",
    26: "NNNYYNNYY",
}
SYMBOL = {"Y": Coverage.YES, "N": Coverage.NO, "E": Coverage.ALREADY_EXISTS}
SIGNED = {"MDA": "2024-05-21", "NOR": "2024-05-28", "JPN": "2024-11-01", "KOR": "2024-11-04",
          "MKD": "2024-11-19", "ALB": "2024-12-18", "GBR": "2025-05-19", "CAN": "2025-06-23",
          "IND": "2026-01-27"}


def test_table_has_26_areas(real_data: Dataset) -> None:
    assert [a.id for a in real_data.areas] == list(range(1, 27))
    assert real_data.area(7).label == ("Non-proliferation and disarmament, conventional weapons, "
                                       "including small arms and light weapons")


@pytest.mark.parametrize("area", sorted(TABLE_1))
def test_every_cell_matches_table_1(real_data: Dataset, area: int) -> None:
    actual = "".join(
        next(k for k, v in SYMBOL.items() if v is real_data.partnership(code).status_of(area))
        for code in COLUMNS)
    assert actual == TABLE_1[area]


def test_234_cells_are_coded(real_data: Dataset) -> None:
    cells = [c for code in COLUMNS for c in real_data.partnership(code).coverage]
    assert len(cells) == 234
    assert all(c.sources for c in cells)


def test_signature_dates(real_data: Dataset) -> None:
    assert {code: str(real_data.partnership(code).signed) for code in SIGNED} == SIGNED


def test_iceland_is_signed_but_not_assessed(real_data: Dataset) -> None:
    iceland = real_data.partnership("ISL")
    assert str(iceland.signed) == "2026-03-18"
    assert {c.status for c in iceland.coverage} == {Coverage.UNKNOWN}
    assert len(iceland.coverage) == 26
