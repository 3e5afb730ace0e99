"""Who does what in a segment (sdpatlas.coding._agency), on sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdpatlas.coding import Coder
from sdpatlas.coding._agency import Agency, agency
from sdpatlas.coding.lexicon import Lexicon, load_lexicon
from sdpatlas.model import Coverage, Dataset

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def lexicon(real_data: Dataset) -> Lexicon:
    return load_lexicon(ROOT / "data" / "coding" / "lexicon.yaml", real_data.areas)


@pytest.fixture(scope="module")
def coder(real_data: Dataset) -> Coder:
    return Coder.from_data(ROOT / "data", real_data.areas)


@pytest.fixture(scope="module")
def rules(lexicon: Lexicon) -> Coder:
    """The rule tagger alone, without the learned scorer that weighs its notes."""
    return Coder(lexicon)


def analyse(lexicon: Lexicon, text: str) -> Agency:
    cues = [(h, frozenset(e.kind for e in h.entries)) for h in lexicon.cues.hits(text)]
    return agency(text, 0, len(text), cues)


@pytest.mark.parametrize(("text", "subject", "act", "verdict"), [
    # one actor's own measures
    ("Japan will strengthen its cyber defences.", "single", "own", "unilateral"),
    ("Korea will double its spending on maritime surveillance.", "single", "own",
     "unilateral"),
    ("In 2023, Moldova set up its own centre against disinformation.", "single", "own",
     "unilateral"),
    ("Allies agreed to boost their own defence industrial production.", "outsider", "own",
     "unilateral"),
    # another organisation, or the Union's institutions alone
    ("The OSCE will deploy a monitoring mission to the region.", "foreign", "plain",
     "other-actor"),
    ("Russia and China hold joint naval drills near Japan", "foreign", "together",
     "other-actor"),
    ("The Commission proposed a new regulation on military mobility.", "outsider", "plain",
     "other-actor"),
    # a fact, a concern or a goal, with nothing done together
    ("A secure cyberspace is a precondition for economic growth.", "single", "plain",
     "statement"),
    ("Both sides noted that terrorist groups exploit the conflict.", "joint", "plain",
     "context"),
    ("Japan and the EU emphasise the need to uphold the freedom of navigation.", "joint",
     "plain", "goal"),
    ("We reiterate our commitment to the Charter of the United Nations.", "joint", "plain",
     "goal"),
    ("They did not agree on a common approach to autonomous weapons.", "joint", "plain",
     "negated-act"),
    # cooperation: no verdict
    ("The EU and Japan will strengthen maritime security in the Indo-Pacific.", "joint",
     "plain", None),
    ("Japan will take part in the EU's naval exercise.", "single", "together", None),
    ("The EU and Moldova are committed to cooperating on maritime security.", "joint",
     "together", None),
    ("The EU will help Moldova strengthen its cyber defences.", "single", "together", None),
    ("The Commission will support the Moldovan border police.", "outsider", "together", None),
    ("The African Union will deploy troops with support from the Peace Facility.", "foreign",
     "together", None),
    ("We reiterate our commitment to deepen cooperation on counter-terrorism.", "joint",
     "together", None),
    ("They will not only exchange views but also hold joint exercises.", "joint", "together",
     None),
    ("Norway's engagement is not new; it already participates in PESCO projects.", "single",
     "together", None),
])
def test_subject_act_and_verdict(lexicon: Lexicon, text: str, subject: str, act: str,
                                 verdict: str | None) -> None:
    assert analyse(lexicon, text) == Agency(subject, act, verdict)


def test_a_leading_phrase_is_not_the_subject(lexicon: Lexicon) -> None:
    text = "On Monday, the Commission adopted its work programme on military mobility."
    assert analyse(lexicon, text).subject == "outsider"


def test_a_subordinate_clause_hides_no_subject(lexicon: Lexicon) -> None:
    found = analyse(lexicon, "Moldova to get more EU military aid as Russia steps up pressure")
    assert found.subject == "none" and found.verdict is None


@pytest.mark.parametrize(("text", "area", "polarity"), [
    ("Japan will strengthen its cyber defences.", 3, "unilateral"),
    ("The OSCE will deploy a monitoring mission to the region.", 20, "other-actor"),
    ("A secure cyberspace is a precondition for economic growth.", 3, "statement"),
    ("The two sides did not reach an agreement on a common approach to the regulation of "
     "autonomous weapons.", 26, "negated-act"),
])
def test_the_tagger_keeps_such_matches_as_notes(rules: Coder, text: str, area: int,
                                                polarity: str) -> None:
    proposal = rules.code_text(text)
    assert proposal.area(area).status is Coverage.NO
    assert proposal.area(area).evidence[0].polarity == polarity


def test_a_list_item_is_judged_by_its_lead_in_not_its_own_words(rules: Coder) -> None:
    text = "The Participants intend to cooperate in the following areas:\n(a) its cyber defence;"
    assert rules.code_text(text).area(3).status is Coverage.YES
    concern = ("The Council notes with concern the following developments:\n"
               "- the deployment of drones near the border;\n- the militarisation of outer space.")
    proposal = rules.code_text(concern)
    assert {proposal.area(a).status for a in (16, 26)} == {Coverage.NO}
    assert proposal.area(16).evidence[0].polarity == "context-only"


def test_a_speaker_is_no_evidence(coder: Coder) -> None:
    said = coder.code_text("Ships of both navies held a drill, EU Naval Force Operation Atalanta "
                           "said.")
    assert said.area(1).status is Coverage.NO
    took_part = coder.code_text("The Korean navy will take part in Operation Atalanta.")
    assert took_part.area(1).status is Coverage.YES


@pytest.mark.parametrize(("text", "expected"), [
    ("The parties signed an agreement on the security of information in 2008.",
     Coverage.ALREADY_EXISTS),
    ("The Security of Information Agreement, in force since 2016, could also cover "
     "intelligence assessments in the future.", Coverage.ALREADY_EXISTS),
    ("Building on the 2014 agreement on the security of information, the Participants may "
     "consider new areas of cooperation.", Coverage.ALREADY_EXISTS),
    ("The EU and Japan have already started negotiations on an agreement on the security of "
     "information.", Coverage.YES),
    ("Since 2019 the two sides have been exploring a security of information agreement.",
     Coverage.YES),
    ("RECALLING the Agreement between the European Union and Japan on the security of "
     "information, signed in 2021,", Coverage.ALREADY_EXISTS),
])
def test_an_agreement_exists_when_its_existence_is_the_nearer_cue(coder: Coder, text: str,
                                                                   expected: Coverage) -> None:
    assert coder.code_text(text).area(22).status is expected
