"""The sample files under examples/ do what the README says they do."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from sdpatlas.cli import cli

from conftest import ROOT

EXAMPLES = ROOT / "examples"


def _json(*args: str) -> object:
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_sample_bill_of_materials_passes_the_35_percent_rule() -> None:
    report = _json("components", str(EXAMPLES / "bom.csv"))
    assert isinstance(report, dict)
    assert report["lines"] == 12
    assert report["passes"] is True


@pytest.mark.parametrize("name", ["agreement.md", "agreement.pdf"])
def test_sample_agreement_is_coded_with_evidence(name: str) -> None:
    result = _json("code", str(EXAMPLES / name), "--partner", "ISL", "--diff")
    assert isinstance(result, dict)
    proposed = {a["area"] for a in result["areas"] if a["proposed"] == "yes"}
    assert {6, 11, 14} <= proposed
    assert all(a["evidence"] for a in result["areas"] if a["proposed"] == "yes")
    assert result["summary"]["new"] >= len(proposed)


def test_dev_reads_paths_from_the_callers_folder() -> None:
    run = subprocess.run([str(ROOT / "dev"), "sdpatlas", "components", "bom.csv", "--format",
                          "json"], cwd=EXAMPLES, capture_output=True, text=True, timeout=300,
                         check=False)
    assert run.returncode == 0, run.stderr
    assert Path(json.loads(run.stdout)["file"]).name == "bom.csv"
