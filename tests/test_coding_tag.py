"""The lexicon, the rule tagger and the document-level proposal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from sdpatlas.coding import Coder, LexiconError
from sdpatlas.coding.lexicon import compile_lexicon, load_lexicon
from sdpatlas.model import Coverage, Dataset

ROOT = Path(__file__).resolve().parents[1]
LEXICON = ROOT / "data" / "coding" / "lexicon.yaml"


@pytest.fixture(scope="module")
def coder(real_data: Dataset) -> Coder:
    return Coder.from_data(ROOT / "data", real_data.areas)


def status(coder: Coder, text: str, area: int) -> Coverage:
    return coder.code_text(text).area(area).status


# ---------------------------------------------------------------- the lexicon is data

def test_lexicon_names_every_taxonomy_area_by_key(real_data: Dataset) -> None:
    raw = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))
    assert set(raw["areas"]) == {a.key for a in real_data.areas}


def test_lexicon_does_not_restate_the_taxonomy(real_data: Dataset) -> None:
    text = LEXICON.read_text(encoding="utf-8")
    for area in real_data.areas:
        assert f"label: {area.label}" not in text and f"id: {area.id}\n" not in text


def minimal(fixture_data: Dataset) -> dict[str, Any]:
    return {"cues": {"cooperation": ["cooperat*"]},
            "areas": {a.key: {"strong": [a.short.lower()]} for a in fixture_data.areas}}


@pytest.mark.parametrize(("change", "message"), [
    (lambda r: r["areas"].pop("cyber"), "no entry for the taxonomy areas cyber"),
    (lambda r: r["areas"].update({"nonsense": {}}), "not a taxonomy area key"),
    (lambda r: r["areas"]["cyber"].update({"strong": [False]}), "YAML reads as booleans"),
    (lambda r: r["areas"]["cyber"].update({"colour": ["x"]}), "unknown key(s) colour"),
    (lambda r: r["areas"]["cyber"].update({"acronyms": {"huge": ["X"]}}), "is not a tier"),
    (lambda r: r["areas"]["cyber"].update({"patterns": [{"regex": "("}]}), "valid 'regex'"),
    (lambda r: r["cues"].update({"mood": ["x"]}), "not a cue group"),
    (lambda r: r["areas"]["cyber"].update({"requires": "nothing"}), "must be a cue group"),
    (lambda r: r.update({"weights": {"strong": 3}}), "number in (0, 1]"),
])
def test_lexicon_errors_say_what_is_wrong(fixture_data: Dataset, change: Any,
                                          message: str) -> None:
    raw = minimal(fixture_data)
    change(raw)
    with pytest.raises(LexiconError, match=message.replace("(", r"\(").replace(")", r"\)")
                       .replace("[", r"\[").replace("]", r"\]")):
        compile_lexicon(raw, fixture_data.areas)


def test_a_lexicon_for_another_taxonomy_works(fixture_data: Dataset) -> None:
    coder = Coder(compile_lexicon(minimal(fixture_data), fixture_data.areas))
    proposal = coder.code_text("The Participants will cooperate on maritime matters.")
    assert [c.area for c in proposal.coverage] == [a.id for a in fixture_data.areas]
    assert proposal.area(3).status is Coverage.YES


def test_the_real_lexicon_loads_and_is_cached(real_data: Dataset) -> None:
    assert load_lexicon(LEXICON, real_data.areas) is load_lexicon(LEXICON, real_data.areas)


# ---------------------------------------------------------------- rules

def test_terms_acronyms_and_patterns(coder: Coder) -> None:
    text = ("The Participants will cooperate on counterterrorism, on SALW and on UNSCR 1325, "
            "and will explore participation in PESCO.")
    p = coder.code_text(text)
    assert {a for a in (7, 8, 9, 13) if p.area(a).status is Coverage.YES} == {7, 8, 9, 13}


def test_acronyms_are_case_sensitive(coder: Coder) -> None:
    assert status(coder, "They will cooperate with the EDA.", 9) is Coverage.YES
    assert status(coder, "They will cooperate with Eda, a colleague.", 9) is Coverage.NO


def test_spelling_variants_match(coder: Coder) -> None:
    for text in ("counter-terrorism", "counter terrorism", "Counterterrorism"):
        assert status(coder, f"They will cooperate on {text}.", 8) is Coverage.YES


def test_negation(coder: Coder) -> None:
    p = coder.code_text("The partnership does not include cooperation on space security.")
    assert p.area(16).status is Coverage.NO
    assert p.area(16).evidence[0].polarity == "negated"
    assert status(coder, "They will cooperate not only on space but also on cyber.",
                  16) is Coverage.YES
    assert status(coder, "FIMI is absent from the text.", 6) is Coverage.NO


def test_a_number_after_no_is_not_a_negation(coder: Coder) -> None:
    assert status(coder, "They will apply Regulation No 2019/452 on investment screening.",
                  21) is Coverage.YES


def test_threat_without_cooperation_is_not_an_area(coder: Coder) -> None:
    threat = coder.code_text("Disinformation campaigns by hostile actors have grown.")
    assert threat.area(6).status is Coverage.NO
    assert threat.area(6).evidence[0].rule == "threat-without-cooperation"
    assert status(coder, "The Participants will share information on disinformation.",
                  6) is Coverage.YES
    assert status(coder, "They will jointly counter terrorism.", 8) is Coverage.YES


def test_ukraine_needs_support_nearby(coder: Coder) -> None:
    assert status(coder, "Russia's war of aggression against Ukraine threatens Europe.",
                  14) is Coverage.NO
    assert status(coder, "They will keep supporting Ukraine for as long as it takes.",
                  14) is Coverage.YES


@pytest.mark.parametrize(("text", "expected"), [
    ("The Participants will explore the possibility of concluding an agreement on the "
     "security of information.", Coverage.YES),
    ("The Participants will build on their existing agreement on the security of "
     "information.", Coverage.ALREADY_EXISTS),
    ("The security of information agreement already in force will be fully used.",
     Coverage.ALREADY_EXISTS),
])
def test_security_of_information_exists_or_to_explore(coder: Coder, text: str,
                                                      expected: Coverage) -> None:
    assert status(coder, text, 22) is expected


def test_exclusions(coder: Coder) -> None:
    assert status(coder, "They will cooperate to protect civic space.", 16) is Coverage.NO
    assert status(coder, "They cooperate under their stabilisation and association agreement.",
                  18) is Coverage.NO


def test_list_items_take_the_cues_of_their_lead_in(coder: Coder) -> None:
    text = "The Participants will deepen cooperation on:\n(a) space;\n(b) cyber."
    p = coder.code_text(text)
    assert p.area(16).status is Coverage.YES and p.area(3).status is Coverage.YES
    assert p.area(16).evidence[0].rule == "term+cue"


def test_a_heading_names_an_area(coder: Coder) -> None:
    p = coder.code_text("Maritime security\nThe Participants will hold talks.")
    assert p.area(15).status is Coverage.YES
    assert p.area(15).evidence[0].rule == "term+heading"


# ---------------------------------------------------------------- the proposal

def test_weak_rule_evidence_abstains(real_data: Dataset) -> None:
    rules = Coder(load_lexicon(LEXICON, real_data.areas))  # without the learned scorer
    proposal = rules.code_text("The Participants will cooperate in several operations.")
    assert proposal.area(1).status is Coverage.UNKNOWN
    assert proposal.area(1).evidence


def test_every_area_has_a_status_confidence_and_evidence_shape(coder: Coder) -> None:
    text = "The Participants will strengthen cooperation on maritime security."
    proposal = coder.code_text(text)
    assert len(proposal.coverage) == 26
    for item in proposal.coverage:
        assert 0.0 <= item.confidence <= 1.0
        assert item.evidence or item.status is not Coverage.YES
    evidence = proposal.area(15).evidence[0]
    assert proposal.text[evidence.start:evidence.end] == evidence.quote
    assert proposal.text[evidence.match[0]:evidence.match[1]] == "maritime security"
    assert evidence.segment == "p1.s1" and evidence.terms == ("maritime security",)


def test_absence_is_more_certain_in_a_longer_document(coder: Coder) -> None:
    short = coder.code_text("They will talk.").area(25).confidence
    long = coder.code_text(" ".join(["They will talk."] * 30)).area(25).confidence
    assert short < long


def test_areas_found_in_a_whole_agreement(coder: Coder) -> None:
    text = (ROOT / "tests" / "fixtures" / "coding" / "agreement.md").read_text(encoding="utf-8")
    proposal = coder.code_text(text, "agreement.md")
    found = {c.area for c in proposal.coverage if c.status in (Coverage.YES,
                                                               Coverage.ALREADY_EXISTS)}
    assert found == {1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 13, 14, 15, 17, 20, 22}
    assert proposal.area(22).status is Coverage.ALREADY_EXISTS
    assert proposal.area(16).status is Coverage.NO


@pytest.mark.parametrize("text", [
    "Council of the European Union Brussels, 3 May (OR. en) 8101/25 COPS 90 CYBER 12",
    "Subject: Council conclusions on cyber security",
    "Keywords: cybersecurity; space; economic security",
])
def test_metadata_lines_state_no_area(coder: Coder, text: str) -> None:
    p = coder.code_text(text)
    assert p.area(3).status is Coverage.NO
    assert all(t.polarity == "metadata" for t in p.tags)


def test_an_amount_in_a_currency_is_no_document_code(coder: Coder) -> None:
    text = "The partner will cooperate on cyber security with NOK 400 million and NOK 2 billion."
    assert status(coder, text, 3) is Coverage.YES


@pytest.mark.parametrize(("text", "area"), [
    ("The Council is gravely concerned about the proliferation of weapons of mass "
     "destruction.", 7),
    ("The Council calls on Member States to make full use of the Hybrid Toolbox.", 2),
])
def test_context_and_member_states_alone_state_no_cooperation(coder: Coder, text: str,
                                                              area: int) -> None:
    assert status(coder, text, area) is Coverage.NO


def test_cooperation_beside_a_concern_still_counts(coder: Coder) -> None:
    text = "Concerned by hybrid campaigns, the Participants will cooperate on countering them."
    assert status(coder, text, 2) is Coverage.YES


def test_a_list_item_alone_names_an_area(coder: Coder) -> None:
    assert status(coder, "(c) maritime domain awareness;", 15) is Coverage.YES


def test_resolution_numbers_are_no_document_codes(coder: Coder) -> None:
    text = "The Participants will cooperate on implementing UNSCR 1325 and UNSCR 2250."
    assert status(coder, text, 13) is Coverage.YES


def test_a_long_numbered_recital_is_no_list_item(coder: Coder) -> None:
    text = ("(3) The Union notes with concern that disinformation campaigns have multiplied in "
            "recent years and have targeted elections in several countries of the region.")
    assert status(coder, text, 6) is Coverage.NO


def test_a_marked_list_item_needs_no_cue_but_a_bare_sentence_does(coder: Coder) -> None:
    # under a lead-in that states no cooperation, an item naming no party is weak evidence
    # (the gold guide's conventions: a passage counts only what it names): not a yes
    assert status(coder, "The programme:\n– a seminar for officers;", 11) is not Coverage.YES
    assert status(coder, "The Participants intend to cooperate on:\n– maritime security;\n"
                         "– a seminar for officers;", 11) is Coverage.YES
    assert coder.code_text("– a seminar for officers;").area(11).evidence[0].rule.startswith(
        "term+list-item")
    assert status(coder, "A seminar for officers.", 11) is not Coverage.YES


def test_a_cue_inside_a_threat_name_does_not_activate_it(coder: Coder) -> None:
    text = "Dozens of its citizens travelled to the region as foreign terrorist fighters."
    assert status(coder, text, 8) is Coverage.NO


@pytest.mark.parametrize("text", [
    "WHEREAS the Parties share the objective of strengthening international peace and "
    "security,",
    "The Council regrets that no agreement could be reached on participation in SAFE.",
])
def test_recitals_and_regrets_state_no_cooperation(coder: Coder, text: str) -> None:
    p = coder.code_text(text)
    assert {c.area for c in p.coverage if c.status is Coverage.YES} == set()


def test_an_existing_agreement_in_a_recital_still_counts(coder: Coder) -> None:
    text = ("WHEREAS the Agreement on the security of classified information between the "
            "Parties has been in force since 2011,")
    assert status(coder, text, 22) is Coverage.ALREADY_EXISTS
