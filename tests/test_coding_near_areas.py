"""The codebook's near areas and rare areas on real texts: mechanisms tested on sentences written
for these tests (never taken from a gold set)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdpatlas.coding import Coder
from sdpatlas.model import Coverage, Dataset

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def coder(real_data: Dataset) -> Coder:
    return Coder.from_data(ROOT / "data", real_data.areas)


@pytest.mark.parametrize("text", [
    "The EU and Chile will work together to diversify their sources of critical minerals.",
    "Both sides launched a partnership on critical mineral supply for their industries.",
])
def test_critical_minerals_are_economic_security(coder: Coder, text: str) -> None:
    assert coder.code_text(text).area(21).status is Coverage.YES


def test_who_chairs_or_accompanies_a_delegation_names_no_area(coder: Coder) -> None:
    named = coder.code_text("The Canadian delegation was headed by the Director of Maritime "
                            "Security, who was accompanied by experts on counter-terrorism and "
                            "a liaison officer at Europol.")
    assert {named.area(a).status for a in (8, 15, 24)} == {Coverage.NO}
    acted = coder.code_text("The dialogue was co-chaired by both deputy ministers, and the two "
                            "sides agreed to step up cooperation on maritime security.")
    assert acted.area(15).status is Coverage.YES


def test_the_subject_of_a_chaired_meeting_is_no_evidence(coder: Coder) -> None:
    text = ("The EU-Chile Maritime Security Dialogue was co-chaired by Ana Ruiz, Director for "
            "the Americas, and Luis Soto, Head of the Navy Staff.")
    assert coder.code_text(text).area(15).status is Coverage.NO


@pytest.mark.parametrize(("text", "areas"), [
    ("Both sides condemned terrorism in all its forms and manifestations.", (8,)),
    ("The leaders condemned the transfer of ballistic missiles and arms to Russia.", (7,)),
    ("The two sides deplored the attacks on merchant ships in the Red Sea.", (15,)),
])
def test_a_condemnation_states_no_cooperation(coder: Coder, text: str,
                                              areas: tuple[int, ...]) -> None:
    assert {coder.code_text(text).area(a).status for a in areas} == {Coverage.NO}


def test_cooperation_agreed_after_a_condemnation_counts(coder: Coder) -> None:
    text = ("Both sides condemned the attack and agreed to deepen their cooperation on "
            "counter-terrorism.")
    assert coder.code_text(text).area(8).status is Coverage.YES


def test_a_special_envoy_s_title_names_no_area(coder: Coder) -> None:
    text = "Ms Berg will take up the post of Special Envoy for Disarmament and Non-proliferation."
    assert coder.code_text(text).area(7).status is Coverage.NO


@pytest.mark.parametrize(("text", "four"), [
    ("The EU and Canada discussed ways to strengthen cyber security capacity.", False),
    ("Both sides will enhance cyber resilience and protect critical infrastructure.", False),
    ("The EU will strengthen Georgia's cyber incident response capacities.", True),
    ("The partners will jointly build the cyber resilience of the Western Balkans.", True),
    ("Japan and the EU will help ASEAN members boost their cyber defences.", True),
])
def test_cyber_capacity_building_is_for_a_beneficiary(coder: Coder, text: str,
                                                      four: bool) -> None:
    proposal = coder.code_text(text)
    assert (proposal.area(4).status is Coverage.YES) is four
    assert proposal.area(3).status is Coverage.YES


@pytest.mark.parametrize("text", [
    "The collapse of talks on Canada's participation in the SAFE instrument was a setback.",
    "The EU training mission in the country was suspended after the coup.",
])
def test_cooperation_that_collapsed_or_was_suspended_is_not_stated(coder: Coder,
                                                                   text: str) -> None:
    proposal = coder.code_text(text)
    assert {proposal.area(a).status for a in (1, 10, 11)} == {Coverage.NO}


def test_budget_and_legal_words_name_no_actor_beside_an_instrument(coder: Coder) -> None:
    general = coder.code_text(
        "The European Peace Facility is a fund financed outside the EU Budget, under the "
        "Multiannual Financial Framework, and all assistance it provides respects "
        "International Humanitarian Law and Human Rights.")
    assert general.area(5).status is Coverage.NO
    named = coder.code_text("The European Peace Facility will provide assistance to the "
                            "Georgian Defence Forces.")
    assert named.area(5).status is Coverage.YES


@pytest.mark.parametrize("text", [
    "The talks come at a time when disinformation campaigns and cyber-attacks are on the rise.",
    "Both face a security environment marked by terrorism, drones and money laundering.",
])
def test_a_description_of_the_times_is_a_backdrop(coder: Coder, text: str) -> None:
    proposal = coder.code_text(text)
    assert {proposal.area(a).status for a in (3, 6, 8, 24, 26)} == {Coverage.NO}


def test_training_and_equipping_ukraine_s_forces_is_support_for_ukraine(coder: Coder) -> None:
    proposal = coder.code_text("Canada and the EU have stepped up their support to Ukraine, "
                               "including equipment and training for Ukrainian soldiers.")
    assert proposal.area(14).status is Coverage.YES
    # capacity building (5) yields to support for Ukraine; the scorer may still propose it, but
    # never as a confident call (a third of such passages carry 5 beside 14 in the gold sets)
    assert proposal.area(5).status is Coverage.NO or proposal.area(5).confidence < 0.5
