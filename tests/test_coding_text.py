"""Repair and segmentation: what PDFs of Council documents contain, and stable offsets."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdpatlas.coding._vocabulary import Vocabulary
from sdpatlas.coding.repair import repair
from sdpatlas.coding.segment import segment

KNOWN = ("the participants will face an increasingly challenging security environment as "
         "demonstrated by unilateral attempts to change status quo force well hybrid campaigns "
         "cooperation maritime protection critical infrastructure effective efficient office "
         "ice of decision making known in to at and on fight against terrorism difficult")
WORDS = Vocabulary(KNOWN.split(" "))


def fixed(raw: str, words: Vocabulary = WORDS) -> str:
    return repair(raw, words).text


@pytest.mark.parametrize(("raw", "expected"), [
    ("an increasingly chal enging environment", "an increasingly challenging environment"),
    ("unilateral at empts to change", "unilateral attempts to change"),
    ("as wel as", "as well as"),
    ("the e ective fight", "the effective fight"),
    ("a dif icult fight", "a difficult fight"),
])
def test_lost_ligatures_are_rejoined_to_known_words(raw: str, expected: str) -> None:
    assert fixed(raw) == expected


def test_real_words_are_never_joined() -> None:
    assert fixed("in to the office of ice") == "in to the office of ice"
    assert fixed("Borrell and Kallas at Brussels") == "Borrell and Kallas at Brussels"


def test_a_word_known_only_from_the_document_itself_is_used() -> None:
    raw = "The interoperability of forces matters. Their interoper ability is key."
    assert "Their interoperability is key" in fixed(raw)


def test_ligature_code_points_and_soft_hyphens() -> None:
    result = repair("e\ufb00ective co\u00adop\u00ad\neration", WORDS)
    assert result.text == "effective cooperation"
    assert result.counts["ligature-character"] == 1


@pytest.mark.parametrize(("raw", "expected"), [
    ("strengthen their co-\noperation on", "strengthen their cooperation on"),
    ("the well-\nknown threats", "the well-known threats"),
    ("decision-\nmaking", "decision-making"),
    ("hy-\nbrid campaigns", "hybrid campaigns"),
    ("the EU-\nJapan dialogue", "the EU-Japan dialogue"),
])
def test_line_end_hyphenation(raw: str, expected: str) -> None:
    assert fixed(raw) == expected


def test_running_headers_footers_page_numbers_and_limite_are_removed() -> None:
    page = ("9941/24 ABC/def {n}\nRELEX.5 LIMITE EN\n"
            "The Participants will, {word}, strengthen cooperation on maritime security and\n"
            "critical infrastructure against hybrid campaigns of every kind, {word}.\n"
            "They will {word} meet in {word} places and talk about {word} matters.\n"
            "Then a third line about the {word} subject of the {word} page of the text.\n"
            "EU-Iceland partnership draft\n{n}")
    words = ["first", "second", "third", "fourth"]
    raw = "\f".join(page.format(n=n, word=words[n - 1]) for n in range(1, 5))
    result = repair(raw, WORDS)
    assert "LIMITE" not in result.text and "9941/24" not in result.text
    assert "partnership draft" not in result.text and "\n2" not in result.text
    assert result.text.count("maritime security") == 4
    assert result.counts["header-footer"] >= 16


def test_markers_are_removed_without_page_breaks_too() -> None:
    raw = "LIMITE\nThe Participants will cooperate.\nPage 3 of 9\nST 9941/24\nMore text."
    text = fixed(raw)
    assert "LIMITE" not in text and "Page 3" not in text and "9941" not in text


def test_wrapped_lines_are_reflowed_but_paragraphs_and_items_kept() -> None:
    raw = ("1. The Participants will strengthen their cooperation on maritime security, and\n"
           "will hold regular consultations on space security in the coming years ahead.\n"
           "2. The Participants will cooperate on cyber issues.\n"
           "(a) first item;\n(b) second item.\n\nMaritime security\nA new paragraph.")
    lines = fixed(raw).split("\n")
    assert lines[0].startswith("1. The Participants") and lines[0].endswith("ahead.")
    assert lines[1] == "2. The Participants will cooperate on cyber issues."
    assert lines[2:4] == ["(a) first item;", "(b) second item."]
    assert "Maritime security" in lines


def test_repair_is_idempotent_on_clean_text() -> None:
    clean = "The Participants will cooperate on maritime security.\n\nThey will meet yearly."
    assert fixed(clean) == clean
    assert fixed(fixed(clean)) == clean


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_repair_never_fails_and_leaves_no_page_breaks(raw: str) -> None:
    text = repair(raw, WORDS).text
    assert "\f" not in text and "\r" not in text


# ---------------------------------------------------------------- segmentation

DOCUMENT = """Article 3
Areas of cooperation
12. The Participants will cooperate on maritime security, e.g. through port calls. They meet.
(a) first, on space;
(b) second, on cyber.
13. Regulation (EU) No 2025/1106 applies. Mr. J. Smith agreed.
A closing paragraph without a number. It has two sentences!
12. A second paragraph twelve in an annex."""


def test_segments_take_the_documents_own_numbering() -> None:
    ids = [s.id for s in segment(DOCUMENT)]
    assert ids == ["art3", "h1", "n12.s1", "n12.s2", "n12.a.s1", "n12.b.s1", "n13.s1",
                   "n13.s2", "p1.s1", "p1.s2", "n12-2.s1"]


def test_segments_know_their_paragraph_and_section() -> None:
    segs = {s.id: s for s in segment(DOCUMENT)}
    assert segs["n12.a.s1"].paragraph == "n12.a" and segs["n12.a.s1"].section == "h1"
    assert segs["art3"].kind == "heading" and segs["n12.s1"].kind == "sentence"


def test_sentences_respect_abbreviations_and_initials() -> None:
    segs = {s.id: s.text for s in segment(DOCUMENT)}
    assert segs["n12.s1"].endswith("e.g. through port calls.")
    assert segs["n13.s1"] == "Regulation (EU) No 2025/1106 applies."
    assert segs["n13.s2"] == "Mr. J. Smith agreed."


def test_numbers_are_not_part_of_the_sentence() -> None:
    first = next(s for s in segment(DOCUMENT) if s.id == "n12.s1")
    assert first.text.startswith("The Participants")


def test_segmentation_is_stable() -> None:
    assert segment(DOCUMENT) == segment(DOCUMENT)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .,;:!?()\n12A-Z")), max_size=300))
def test_offsets_point_into_the_text(text: str) -> None:
    segs = segment(text)
    for s in segs:
        assert text[s.start:s.end] == s.text and s.text.strip() == s.text and s.text
    assert len({s.id for s in segs}) == len(segs)
    assert all(a.end <= b.start for a, b in itertools.pairwise(segs))
