"""The learned scorer: data, not code; it only weighs the rules' proposals; it saw no held-out
text; and the shipped file is what training on the development sets gives."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from sdpatlas.coding import Coder, LexiconError
from sdpatlas.coding.contamination import held_out_only, learned_entries
from sdpatlas.coding.goldsets import MANIFEST, load_manifest, missing_sources
from sdpatlas.coding.learned import VETO, LearnedModel, load_model, model_path
from sdpatlas.coding.lexicon import compile_lexicon
from sdpatlas.model import Coverage, Dataset

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT.parent / "shared" / "sources"
GOLD = ROOT / "data" / "coding" / "gold"
sys.path.insert(0, str(ROOT / "tests"))

from test_coding_contamination import SOURCE_DIRS, texts  # noqa: E402


def lexicon(fixture_data: Dataset) -> dict[str, Any]:
    body: dict[str, Any] = {a.key: {} for a in fixture_data.areas}
    body["maritime"] = {"strong": ["naval"], "threats": {"strong": ["piracy"]}}
    return {"cues": {"cooperation": ["cooperat*"], "context": ["condemn*"]}, "areas": body}


def coder(fixture_data: Dataset, weights: dict[str, float]) -> Coder:
    model = LearnedModel(weights, 0.0, (1.0, 0.0), yes=0.6, abstain=0.3)
    return Coder(compile_lexicon(lexicon(fixture_data), fixture_data.areas), model=model)


def test_a_low_probability_vetoes_a_rule_proposal(fixture_data: Dataset) -> None:
    p = coder(fixture_data, {"a3|w:drills": -3.0}).code_text("They cooperate on naval drills.")
    assert p.area(3).status is Coverage.NO
    assert p.area(3).evidence[0].polarity == VETO


def test_a_middling_probability_abstains(fixture_data: Dataset) -> None:
    p = coder(fixture_data, {}).code_text("They cooperate on naval drills.")
    assert p.area(3).status is Coverage.UNKNOWN  # p = 0.5: between abstain and yes
    assert p.area(3).confidence == 0.5


def test_a_confirmed_note_keeps_its_own_evidence(fixture_data: Dataset) -> None:
    text = "Intro.\nThey condemn piracy and naval raids."
    p = coder(fixture_data, {"a3|pol:context-only": 3.0}).code_text(text)
    area = p.area(3)
    assert area.status is Coverage.YES
    evidence = area.evidence[0]
    assert evidence.rule.endswith("+learned")
    assert p.text[evidence.start:evidence.end] == evidence.quote
    assert p.text[evidence.match[0]:evidence.match[1]] in evidence.terms


def test_with_no_rule_proposal_the_model_adds_nothing(fixture_data: Dataset) -> None:
    p = coder(fixture_data, {"a3|w:drills": 9.0}).code_text("They cooperate on drills.")
    assert p.area(3).status is Coverage.NO and not p.area(3).evidence


def test_the_shipped_coder_uses_the_model_and_keeps_evidence_exact(
        real_data: Dataset) -> None:
    shipped = Coder.from_data(ROOT / "data", real_data.areas)
    assert shipped.model is not None
    p = shipped.code_text("The Participants will deepen their cooperation on maritime "
                          "security, including joint naval exercises.")
    assert p.area(15).status is Coverage.YES
    for e in p.area(15).evidence:
        assert p.text[e.start:e.end] == e.quote
        assert e.start <= e.match[0] < e.match[1] <= e.end


@pytest.mark.parametrize(("content", "message"), [
    ("{", "not a learned scorer"),
    ('{"weights": {}, "bias": 0, "platt": [1, 0]}', "band"),
    ('{"weights": {}, "bias": 0, "platt": [1, 0], "band": {"yes": 0.2, "abstain": 0.5}}',
     "band.abstain must be at most band.yes"),
])
def test_a_broken_model_file_is_named(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "learned.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError, match=message):
        load_model(path)


def test_a_learned_word_seen_only_in_held_out_text_is_found() -> None:
    weights = {"w:frigate": 0.5, "a3|term:sea lane": 0.2, "a3|rule:term+cue": 0.1}
    found = held_out_only(learned_entries(weights), ["They patrol the sea-lanes."],
                          ["A frigate on the sea lane."])
    assert [e.value for e in found] == ["w:frigate"]


def _trained_on() -> dict[str, str]:
    raw = json.loads(model_path(ROOT / "data").read_text(encoding="utf-8"))
    return dict(raw["trained_on"])


def _gold_file(name: str) -> Path:
    fixture = ROOT / "tests" / "fixtures" / "coding" / name
    return fixture if fixture.is_file() else GOLD / name


@pytest.mark.skipif(not SOURCES.is_dir(), reason="the briefing (../shared/sources) is not here")
def test_no_learned_weight_comes_from_held_out_text() -> None:
    absent = [n for n in _trained_on() if missing_sources(_gold_file(n), SOURCE_DIRS)]
    if absent:
        pytest.skip(f"trained also on {', '.join(sorted(absent))}, whose texts are kept outside "
                    "the repository: name their folder in SDPATLAS_GOLD_SOURCES to check")
    raw = json.loads(model_path(ROOT / "data").read_text(encoding="utf-8"))
    leaked = held_out_only(learned_entries(raw["weights"]), texts("dev"), texts("heldout"))
    assert [str(e) for e in leaked] == [], "retrain on the development sets only"


def test_the_shipped_model_was_trained_on_todays_development_sets() -> None:
    manifest = {s.path.name: s for s in load_manifest(GOLD / MANIFEST)}
    trained = _trained_on()
    dev = {name for name, s in manifest.items() if s.split == "dev"}
    assert not set(trained) & {n for n, s in manifest.items() if s.split == "heldout"}
    assert dev <= set(trained), "run benchmarks/coding_train.py --write with every dev set's texts"
    for name, digest in trained.items():
        data = _gold_file(name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, f"{name} changed since training"


@pytest.mark.skipif(not SOURCES.is_dir(), reason="the briefing (../shared/sources) is not here")
def test_the_shipped_model_is_what_training_on_dev_gives() -> None:
    pytest.importorskip("sklearn")
    absent = [n for n in _trained_on() if missing_sources(_gold_file(n), SOURCE_DIRS)]
    if absent:
        pytest.skip(f"trained also on {', '.join(sorted(absent))}, whose texts are kept outside "
                    "the repository: name their folder in SDPATLAS_GOLD_SOURCES to check")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from coding_train import train

    stored = json.loads(model_path(ROOT / "data").read_text(encoding="utf-8"))
    assert train(SOURCE_DIRS).raw == stored, "run benchmarks/coding_train.py --write"

