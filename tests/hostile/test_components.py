"""Hostile bills of materials: many bad rows, huge cells, FIFOs and devices.

The checker reads a file once, resolves each distinct country once, and keeps at most
MAX_PROBLEMS located problems (counting the rest); anything but a regular file is refused
before it is opened for reading, so a pipe or a device never blocks it.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sdpatlas.eligibility import BomError, RuleSet, check_components, load_rules
from sdpatlas.eligibility._components import MAX_PROBLEMS
from sdpatlas.model import Dataset

from conftest import REAL_DATA

SECONDS = 60
AFTER = dt.date(2026, 3, 20)
ROWS = 100_000


@pytest.fixture(scope="module")
def rules(real_data: Dataset) -> RuleSet:
    return load_rules(REAL_DATA, real_data)


def bom(path: Path, origins: list[str]) -> Path:
    path.write_text("component,cost,origin\n" + "".join(f"part {i},10,{origin}\n"
                                                          for i, origin in enumerate(origins)))
    return path


def problems(path: Path, data: Dataset, rules: RuleSet) -> BomError:
    began = time.monotonic()
    with pytest.raises(BomError) as caught:
        check_components(path, data, rules, AFTER)
    assert time.monotonic() - began < SECONDS
    return caught.value


@pytest.mark.parametrize("distinct", [False, True])
def test_many_unknown_countries_are_capped_and_counted(tmp_path: Path, real_data: Dataset,
                                                       rules: RuleSet, distinct: bool) -> None:
    names = [f"Narnia{i}" if distinct else "Narnia" for i in range(ROWS)]
    error = problems(bom(tmp_path / "bad.csv", names), real_data, rules)
    assert len(error.findings) == MAX_PROBLEMS
    assert error.more == ROWS - MAX_PROBLEMS
    first = error.findings[0]
    assert (first.code, first.line, first.field) == ("bom-country", 2, "origin")


def test_a_huge_country_cell_is_shortened_in_the_message(tmp_path: Path, real_data: Dataset,
                                                         rules: RuleSet) -> None:
    error = problems(bom(tmp_path / "huge.csv", ["x" * 5_000_000]), real_data, rules)
    assert len(str(error.findings[0])) < 1000


def test_good_rows_among_bad_ones_still_count_once_each(tmp_path: Path, real_data: Dataset,
                                                        rules: RuleSet) -> None:
    error = problems(bom(tmp_path / "mixed.csv", ["DEU", "Narnia"] * 1000), real_data, rules)
    assert [f.line for f in error.findings] == list(range(3, 3 + 2 * MAX_PROBLEMS, 2))
    assert error.more == 1000 - MAX_PROBLEMS


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_not_waited_on(tmp_path: Path, real_data: Dataset,
                                         rules: RuleSet) -> None:
    fifo = tmp_path / "bom.csv"
    os.mkfifo(fifo)
    error = problems(fifo, real_data, rules)
    assert error.findings[0].code == "bom-unreadable"
    assert "not a regular file" in str(error.findings[0])


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_refused(real_data: Dataset, rules: RuleSet) -> None:
    error = problems(Path("/dev/zero"), real_data, rules)
    assert "not a regular file" in str(error.findings[0])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_components_on_a_fifo_exits_2(tmp_path: Path) -> None:
    fifo = tmp_path / "bom.csv"
    os.mkfifo(fifo)
    done = subprocess.run([sys.executable, "-c", "from sdpatlas.cli import main; main()",
                           "--data", str(REAL_DATA), "components", str(fifo)],
                          capture_output=True, text=True, timeout=SECONDS * 2, check=False)
    assert done.returncode == 2, done.stderr
    assert "not a regular file" in done.stderr and "Traceback" not in done.stderr
