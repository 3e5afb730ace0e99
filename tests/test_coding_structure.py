"""Document structure (sdpatlas.coding._structure): metadata, recitals, names."""

from __future__ import annotations

import pytest

from sdpatlas.coding._structure import attributions, dated, is_metadata, is_recital, outside_names
from sdpatlas.coding.lexicon import Entry, Hit


@pytest.mark.parametrize("text", [
    "CSDP/PSDC CFSP/PESC COPS CYBER HYBRID ATALANTA",
    "COPS POLMIL CIVCOM HYBRID",
    "LIMITE COASI RELEX",
    "Delegations will find attached the Council conclusions on counter-terrorism.",
    "Council of the European Union – Delegations will find in the annex the conclusions.",
    "OUTCOME OF PROCEEDINGS From: General Secretariat Subject: maritime security",
    "EEAS Factsheet – EU-Japan security and defence cooperation – May 2026",
    "Press release: the EU and Korea hold their first space dialogue",
    "EU sets up a new fund Infographic - the fund in figures",
    "No. prev. doc.: 5512/26",
])
def test_metadata(text: str) -> None:
    assert is_metadata(text)


@pytest.mark.parametrize("text", [
    "CYBER SECURITY AND HYBRID THREATS",
    "ARTICLE 3 COOPERATION ON MARITIME SECURITY",
    "The Participants will cooperate on cyber security and hybrid threats.",
    "EU and Japan agree to deepen cooperation on space security",
    "The factsheet lists the areas of cooperation.",
])
def test_no_metadata(text: str) -> None:
    assert not is_metadata(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("RECALLING the agreement on the security of information,", True),
    ("Concerned by hybrid campaigns,", True),
    ("The Participants recall their agreement.", False),
])
def test_recitals(text: str, expected: bool) -> None:
    assert is_recital(text) is expected


def cue(text: str, word: str) -> Hit:
    start = text.index(word)
    return Hit(start, start + len(word), word, (Entry(0, 1.0, "support", word),))


def test_a_cue_inside_a_name_is_no_cue() -> None:
    text = "The Council welcomed the Ukraine Support Instrument and will support Moldova."
    inside, outside = cue(text, "Support"), cue(text, "support")
    assert outside_names(text, 0, len(text), [inside, outside]) == [outside]


def test_names_are_found_only_in_the_span_asked() -> None:
    text = "First. The Cyber Solidarity Act."
    word = cue(text, "Solidarity")
    assert outside_names(text, 0, 6, [word]) == [word]
    assert outside_names(text, 7, len(text), [word]) == []


@pytest.mark.parametrize(("text", "speaker"), [
    ("The exercise ended on Friday, EU Naval Force Operation Atalanta said.",
     "EU Naval Force Operation Atalanta said"),
    ("The patrol followed the plan, according to an Atalanta statement.",
     "according to an Atalanta statement"),
    ("Officers will teach the police, the mission said.", "the mission said"),
    ("The workshop was moderated by the EU Counter-Terrorism Coordinator.",
     "EU Counter-Terrorism Coordinator"),
    ("He met the Director of Counter-Terrorism, who spoke.", "Director of Counter-Terrorism"),
])
def test_attributions_name_who_speaks(text: str, speaker: str) -> None:
    assert [text[a:b] for a, b in attributions(text, 0, len(text))] == [speaker]


def test_who_chairs_a_meeting_and_the_meeting_chaired_are_attributions() -> None:
    text = ("Talks on cyber issues were chaired by an envoy, who was accompanied by experts, "
            "and the sides agreed to meet again.")
    assert {text[a:b] for a, b in attributions(text, 0, len(text))} == {
        "were chaired by an envoy, who was accompanied by experts",
        "Talks on cyber issues were chaired by an envoy, who was accompanied by experts"}


def test_a_sentence_without_a_speaker_has_no_attribution() -> None:
    text = "The Participants will take part in Operation Atalanta."
    assert attributions(text, 0, len(text)) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("The agreement was signed in 2008.", ["signed in 2008"]),
    ("Building on the 2014 agreement, they will act.", ["2014 agreement"]),
    ("The agreement dates from 2004.", ["dates from 2004"]),
    ("They will conclude an agreement by 2027.", []),
])
def test_dated_agreements(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in dated(text, 0, len(text))] == expected
