"""Mechanisms that carry the coder from written passages to real texts, on sentences written
for these tests (never taken from a gold set)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdpatlas.coding import Coder
from sdpatlas.coding._parties import is_general
from sdpatlas.coding._structure import backdrops, is_survey
from sdpatlas.coding.lexicon import load_lexicon
from sdpatlas.model import Coverage, Dataset

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def coder(real_data: Dataset) -> Coder:
    return Coder.from_data(ROOT / "data", real_data.areas)


@pytest.fixture(scope="module")
def rules(real_data: Dataset) -> Coder:
    """The rule tagger alone, without the learned scorer."""
    return Coder(load_lexicon(ROOT / "data" / "coding" / "lexicon.yaml", real_data.areas))


@pytest.mark.parametrize(("text", "survey"), [
    ("All existing partnerships mention space security.", True),
    ("Four of the agreements refer to counter-terrorism.", True),
    ("The EU's agreements with Chile and Peru each include crisis management.", True),
    ("The Union has separately agreed cooperation with Brazil and Mexico on cyber issues.", True),
    ("Both partnerships set up a dialogue on maritime security.", False),
    ("The Council welcomes the agreements concluded with Iceland and Chile.", False),
    ("A theme not covered by other partnerships is cultural heritage.", False),
    ("The parties will build on existing agreements to deepen cooperation at sea.", False),
])
def test_a_survey_compares_several_partnerships(text: str, survey: bool) -> None:
    assert is_survey(text) is survey


def test_what_a_survey_reports_is_no_cooperation_even_for_the_learned_scorer(
        coder: Coder) -> None:
    text = ("All existing SDPs commit to cooperation on maritime security, cyber issues and "
            "space security.")
    proposal = coder.code_text(text)
    assert {proposal.area(a).status for a in (3, 15, 16)} == {Coverage.NO}
    assert proposal.area(15).evidence[0].polarity == "survey"
    assert coder.code_text("The EU and Chile commit to cooperation on maritime security."
                           ).area(15).status is Coverage.YES


@pytest.mark.parametrize(("text", "general"), [
    ("The Facility allows the Union to help partner countries train their armed forces.", True),
    ("Such measures may include equipment supplied at the request of third states.", True),
    ("These programmes build the capacities of partner countries.", True),
    ("When the EU shares classified information with Third Countries, it needs an Agreement.",
     True),
    ("The EU will help Georgia and third countries in the region train their armed forces.",
     False),
    ("Chile's navy and the EU will support partner countries in the Pacific.", False),
    ("Brazilian officers will train with partner countries.", False),
    ("Both sides will coordinate their support to third countries.", False),
    ("They will coordinate their support to third countries.", False),
    ("Partner countries second experts to the civilian missions.", False),
    ("The Union will support its partners.", False),
    ("Information is shared with third countries that sign an agreement with the EU.", True),
    ("If a joint threat requires it, the Union may help third countries.", True),
    ("The Union and third countries will hold joint exercises.", False),
])
def test_partners_named_only_as_a_kind(text: str, general: bool) -> None:
    assert is_general(text) is general


def test_an_instrument_explained_in_general_states_no_partnership(coder: Coder,
                                                                   rules: Coder) -> None:
    general = coder.code_text("The Facility lets the Union fund capacity building for partner "
                              "countries' armed forces.")
    assert general.area(5).status is Coverage.NO
    assert general.area(5).evidence[0].polarity == "general"
    named = rules.code_text("The Facility lets the Union fund capacity building for Moldova's "
                            "armed forces.")
    assert named.area(5).status is Coverage.YES


@pytest.mark.parametrize(("text", "backdrop"), [
    ("The partners will meet in Lima, amid concern over piracy in the region.",
     "amid concern over piracy in the region"),
    ("Acknowledging the threat of hybrid warfare, the two sides will cooperate on cyber.",
     "Acknowledging the threat of hybrid warfare,"),
    ("The two sides will cooperate on cyber issues.", None),
    ("Given the threat,", None),
    ("Concerned by piracy, the two sides will counter it together.", None),
    ("Intro. Acknowledging the threat of piracy, the two sides will meet.", None),
])
def test_a_backdrop_sets_the_scene(text: str, backdrop: str | None) -> None:
    found = [text[a:b] for a, b in backdrops(text, 0, len(text))]
    assert found == ([backdrop] if backdrop else [])


def test_a_threat_in_the_backdrop_is_no_evidence(rules: Coder) -> None:
    text = ("Acknowledging the threat of hybrid warfare, Chile and the EU will increase "
            "cooperation on cyber security.")
    proposal = rules.code_text(text)
    assert proposal.area(3).status is Coverage.YES
    assert proposal.area(2).status is Coverage.NO and not proposal.area(2).evidence
    amid = rules.code_text("Chile and the EU will hold a dialogue on cyber issues, amid the "
                           "war against Ukraine.")
    assert amid.area(14).status is Coverage.NO and not amid.area(14).evidence


def test_peace_facility_assistance_to_a_partner_is_capacity_building_not_a_tool(
        rules: Coder) -> None:
    proposal = rules.code_text("The EU will deliver equipment for the armed forces of Moldova "
                               "with the European Peace Facility.")
    assert proposal.area(5).status is Coverage.YES
    assert proposal.area(10).status is Coverage.NO
    assert proposal.area(10).evidence[0].polarity == "near-area"
    paying = rules.code_text("Norway will contribute to the European Peace Facility.")
    assert paying.area(10).status is Coverage.YES



@pytest.mark.parametrize(("text", "polarity"), [
    ("The Council adopted a decision establishing a fund for defence equipment, financed by "
     "contributions from the Member States.", "other-actor"),
    ("The Council adopted a fund for defence equipment for the armed forces of Moldova.",
     "positive"),
    ("The Commission will support partners with defence equipment.", "positive"),
    ("The Member States, supported by the External Action Service, held a consular exercise "
     "named “ALPINE 25” alongside the Member States’ embassies.", "other-actor"),
    ("The European Peace Facility was set up to finance military actions that prevent "
     "conflict.", "other-actor"),
    ("The European Peace Facility will finance military equipment for Georgia's armed forces.",
     "positive"),
])
def test_the_union_s_institutions_count_only_acting_with_or_for_a_partner(
        rules: Coder, text: str, polarity: str) -> None:
    tags = [t for t in rules.code_text(text).tags
            if t.area in (5, 9, 10, 11, 18, 19) and t.polarity != "near-area"]
    assert tags and {t.polarity for t in tags} == {polarity}


def test_a_missing_required_cue_is_not_revived_by_the_learned_scorer(coder: Coder) -> None:
    text = ("Chile and the EU signed a partnership in Santiago, days after troops were sent to "
            "fight in Ukraine.")
    assert coder.code_text(text).area(14).evidence[0].polarity == "requires-cue"
