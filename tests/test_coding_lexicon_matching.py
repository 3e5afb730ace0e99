"""The lexicon's matchers (a longer or exact entry never hides another entry's match) and
its near-area precedence."""

from __future__ import annotations

from typing import Any

import pytest

from sdpatlas.coding import Coder, LexiconError
from sdpatlas.coding.lexicon import compile_lexicon
from sdpatlas.model import Coverage, Dataset


def lexicon(fixture_data: Dataset, **areas: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {a.key: {} for a in fixture_data.areas}
    body.update(areas)
    return {"cues": {"cooperation": ["cooperat*"]}, "areas": body}


def statuses(raw: dict[str, Any], fixture_data: Dataset, text: str) -> dict[int, Coverage]:
    coder = Coder(compile_lexicon(raw, fixture_data.areas))
    return {c.area: c.status for c in coder.code_text(text).coverage}


def test_an_exact_term_does_not_hide_a_wildcard_spelling_the_same_word(
        fixture_data: Dataset) -> None:
    raw = lexicon(fixture_data, hybrid={"strong": ["mission"]}, maritime={"strong": ["mission*"]})
    found = statuses(raw, fixture_data, "They will cooperate on the mission.")
    assert found[1] is Coverage.YES
    assert found[3] is Coverage.YES


def test_a_longer_trigger_does_not_hide_a_shorter_one_inside_it(fixture_data: Dataset) -> None:
    raw = lexicon(fixture_data,
                  hybrid={"patterns": [{"regex": r"\bsupport\w* the armed", "name": "armed",
                                        "trigger": ["armed forces"]}]},
                  maritime={"patterns": [{"regex": r"\bforces at sea\b", "name": "sea",
                                          "trigger": ["forces"]}]})
    found = statuses(raw, fixture_data,
                     "They cooperate to support the armed forces at sea.")
    assert found[1] is Coverage.YES
    assert found[3] is Coverage.YES


def test_a_wildcard_trigger_is_not_hidden_by_an_exact_one(fixture_data: Dataset) -> None:
    raw = lexicon(fixture_data,
                  hybrid={"patterns": [{"regex": r"\bjoint missions?\b", "name": "joint",
                                        "trigger": ["mission"]}]},
                  maritime={"patterns": [{"regex": r"\bnaval missions?\b", "name": "naval",
                                          "trigger": ["mission*"]}]})
    found = statuses(raw, fixture_data, "They cooperate in a joint naval mission.")
    assert found[3] is Coverage.YES
    assert found[1] is Coverage.NO


def test_the_longest_term_still_speaks_alone(fixture_data: Dataset) -> None:
    raw = lexicon(fixture_data, cyber={"strong": ["cyber capacity building"]},
                  maritime={"strong": ["capacity building"]})
    found = statuses(raw, fixture_data, "They cooperate on cyber capacity building.")
    assert found[2] is Coverage.YES
    assert found[3] is Coverage.NO


def test_an_area_yields_to_its_near_area_in_the_same_segment(fixture_data: Dataset) -> None:
    raw = lexicon(fixture_data, cyber={"strong": ["cyber"]},
                  maritime={"strong": ["capacity building"], "yields_to": ["cyber"]})
    together = statuses(raw, fixture_data, "They cooperate on capacity building in cyber.")
    assert (together[2], together[3]) == (Coverage.YES, Coverage.NO)
    alone = statuses(raw, fixture_data, "They cooperate on capacity building.")
    assert alone[3] is Coverage.YES


def test_yields_to_names_a_taxonomy_area(fixture_data: Dataset) -> None:
    raw = lexicon(fixture_data, maritime={"yields_to": ["nowhere"]})
    with pytest.raises(LexiconError, match="yields_to names 'nowhere'"):
        compile_lexicon(raw, fixture_data.areas)


def test_a_plural_in_es_follows_a_sibilant_only(fixture_data: Dataset) -> None:
    raw = lexicon(fixture_data, maritime={"strong": ["not", "tax"]})
    found = statuses(raw, fixture_data, "They cooperate as the Council notes.")
    assert found[3] is Coverage.NO
    assert statuses(raw, fixture_data, "They cooperate on taxes.")[3] is Coverage.YES
