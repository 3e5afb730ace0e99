"""Loading data/rules/safe.yaml: every defect is a finding with a code and a location."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sdpatlas.eligibility import KINDS, RuleKind, RulesError, load_rules, validate_rules
from sdpatlas.eligibility._rules import Provision
from sdpatlas.findings import KINDS as DATASET_KINDS
from sdpatlas.model import Dataset

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "data" / "rules" / "safe.yaml"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    (folder / "rules").mkdir(parents=True)
    shutil.copy(RULES, folder / "rules" / "safe.yaml")
    return folder


def _edit(data_dir: Path, old: str, new: str) -> int:
    path = data_dir / "rules" / "safe.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[:text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def test_the_real_rules_load_and_cover_every_kind() -> None:
    rules = load_rules(ROOT / "data")
    assert {r.kind for r in rules.rules} == set(RuleKind)
    assert rules.limit.max_share_percent == 35
    assert rules.file == "data/rules/safe.yaml"


@pytest.mark.parametrize(("old", "new", "code"), [
    ("provision: {act: safe, article: 5}", "provision: {act: sfae, article: 5}", "unknown-act"),
    ("applies: {from: 2025-05-29, until: 2030-12-31}",
     "applies: {from: 2025-05-29, until: 2024-12-31}", "bad-window"),
    ("    kind: caveat\n    discretionary: true", "    kind: warning\n    discretionary: true",
     "bad-value"),
    ("    test: signed-partnership", "    test: signed-partnership\n    tset: x", "unknown-field"),
    ("applies: {from: 2025-05-29, until: 2030-12-31}",
     "applies: {from: 29 May 2025, until: 2030-12-31}", "bad-date"),
    ("    discretionary: true", "    discretionary: maybe", "wrong-type"),
    ("    sources: [efsyn-2025-09-safe-requests]\n", "\n", "missing-source"),
    ("  - id: member-state\n", "  - id: borrowing\n", "duplicate-id"),
    ("    kind: components", "    kind: caveat", "rule-incomplete"),
    ("    for_routes: [candidate, sdp]\n    commitment:", "    commitment:", "rule-incomplete"),
])
def test_each_defect_is_reported_where_it_is(data_dir: Path, old: str, new: str,
                                             code: str) -> None:
    line = _edit(data_dir, old, new)
    found = [f for f in validate_rules(data_dir) if f.code == code]
    assert found, [str(f) for f in validate_rules(data_dir)]
    assert found[0].file == "data/rules/safe.yaml"
    if code not in {"duplicate-id", "rule-incomplete", "missing-source"}:
        assert found[0].line is not None and abs(found[0].line - line) <= 2
    with pytest.raises(RulesError) as caught:
        load_rules(data_dir)
    assert any(f.code == code for f in caught.value.findings)


@pytest.mark.parametrize(("old", "new", "code"), [
    ("milestones: [safe-mandates-uk-canada]", "milestones: [safe-mandate-uk]",
     "unknown-milestone"),
    ("sources: [efsyn-2025-09-safe-requests]", "sources: [efsyn-2025]", "unknown-source"),
    ("groups: [eu-member]\n    grants: [borrow]", "groups: [eu-members]\n    grants: [borrow]",
     "unknown-group"),
    ("parties: [UKR]\n    route:", "parties: [UKRAINE]\n    route:", "unknown-party"),
])
def test_references_are_checked_against_the_dataset(data_dir: Path, real_data: Dataset,
                                                    old: str, new: str, code: str) -> None:
    line = _edit(data_dir, old, new)
    found = [f for f in validate_rules(data_dir, real_data) if f.code == code]
    assert found and found[0].line == line
    assert not [f for f in validate_rules(data_dir) if f.code == code]


def test_syntax_errors_missing_file_and_wrong_shape(data_dir: Path, tmp_path: Path) -> None:
    _edit(data_dir, "rules:\n", "rules:\n  - id: [\n")
    assert validate_rules(data_dir)[0].code == "yaml-syntax"
    assert validate_rules(tmp_path / "nowhere")[0].code == "missing-file"
    (data_dir / "rules" / "safe.yaml").write_text("- just a list\n", encoding="utf-8")
    assert validate_rules(data_dir)[0].code == "wrong-type"


def test_finding_kinds_are_unique_and_have_hints() -> None:
    codes = [k.code for k in (*DATASET_KINDS, *KINDS)]
    assert len(codes) == len(set(codes))
    assert all(k.hint and k.title for k in KINDS)


@pytest.mark.parametrize(("provision", "text", "checked"), [
    (Provision("safe", "Reg. 2025/1106", 16, "3"), "Art. 16(3) Reg. 2025/1106", True),
    (Provision("safe", "Reg. 2025/1106", 16), "Art. 16 Reg. 2025/1106", False),
    (Provision("tfeu", "TFEU", 218, "6", "a", verified=False), "Art. 218(6)(a) TFEU", False),
    (Provision("safe", "Reg. 2025/1106"), "Reg. 2025/1106", False),
])
def test_provisions_say_what_is_unverified(provision: Provision, text: str,
                                           checked: bool) -> None:
    assert (str(provision), provision.checked) == (text, checked)
