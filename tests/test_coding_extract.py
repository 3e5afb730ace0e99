"""Reading documents: every format, and a clear refusal for every broken or hostile one."""

from __future__ import annotations

import contextlib
import io
import os
import threading
from pathlib import Path

import codingdocs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdpatlas.coding import Limits, RefusedInput
from sdpatlas.coding.extract import extract, read_path, read_stream, sniff

AGREEMENT = ("The Participants will strengthen their cooperation on maritime security and "
             "will hold regular consultations on cyber issues.")


def refused(code: str, data: bytes, name: str = "-", limits: Limits | None = None) -> str:
    with pytest.raises(RefusedInput) as info:
        extract(data, name, limits=limits or Limits())
    assert info.value.code == code, info.value
    return str(info.value)


# ---------------------------------------------------------------- formats

def test_plain_utf8_text() -> None:
    out = extract(AGREEMENT.encode(), "a.txt")
    assert (out.format, out.encoding, out.text) == ("text", "utf-8", AGREEMENT)
    assert len(out.sha256) == 64 and out.size == len(AGREEMENT)


def test_wrong_encoding_is_detected_and_reported() -> None:
    text = ("La coopération renforcée entre l'Union et ses partenaires " * 3 + AGREEMENT) * 4
    out = extract(text.encode("cp1252"), "a.txt")
    assert "coopération" in out.text
    assert any("encoding was detected" in w for w in out.warnings)


@pytest.mark.parametrize("codec", ["utf-16", "utf-8-sig", "utf-32"])
def test_byte_order_marks(codec: str) -> None:
    assert extract(AGREEMENT.encode(codec), "a.txt").text == AGREEMENT


def test_markdown_markup_is_stripped() -> None:
    md = ("# Title\n\nThe **Participants** will [cooperate](https://x.eu) on _space_.\n\n"
          "* one\n* two\n\n| a | b |\n|---|---|\n| c | d |\n")
    text = extract(md.encode(), "a.md").text
    assert "Title" in text and "**" not in text and "](" not in text and "_space_" not in text
    assert "- one" in text and "|" not in text


def test_html_drops_scripts_and_numbers_ordered_lists() -> None:
    page = (b"<html><head><title>t</title><script>var x='maritime';</script></head><body>"
            b"<nav>menu</nav><h1>Partnership</h1><p>The EU and Norway will cooperate.</p>"
            b"<ol><li>Maritime security.</li><li>Space.</li></ol><footer>cookies</footer>"
            b"</body></html>")
    out = extract(page, "a.html")
    assert out.format == "html"
    assert "var x" not in out.text and "menu" not in out.text and "cookies" not in out.text
    assert "1. Maritime security." in out.text and "2. Space." in out.text


def test_html_charset_from_meta() -> None:
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>Sécurité</p></body></html>'
    assert "Sécurité" in extract(page.encode("iso-8859-1"), "a.html").text


def test_pdf_pages_are_extracted_and_separated() -> None:
    data = codingdocs.pdf([["First page on maritime security."], ["Second page on space."]])
    out = extract(data, "a.pdf")
    assert out.format == "pdf" and out.pages == 2
    assert out.text.count("\f") == 1
    assert "maritime security" in out.text and "space" in out.text


def test_pdf_encrypted_without_user_password_is_read_with_a_warning() -> None:
    out = extract(codingdocs.encrypted_pdf(owner_only=True), "a.pdf")
    assert "cyber" in out.text
    assert any("encrypted" in w for w in out.warnings)


def test_docx_paragraphs_numbering_and_tables() -> None:
    data = codingdocs.docx(["The Participants will cooperate."],
                           numbered=["Maritime security.", "Space security."],
                           heading="Areas of cooperation")
    out = extract(data, "a.docx")
    assert out.format == "docx"
    assert "Areas of cooperation" in out.text
    assert "1. Maritime security." in out.text and "2. Space security." in out.text
    assert "Maritime security" in out.text.split("2. Space security.")[1]  # the table


def test_sniffing_without_a_name() -> None:
    assert sniff(codingdocs.pdf([["x"]])) == "pdf"
    assert sniff(codingdocs.docx(["x"])) == "docx"
    assert sniff(b"<!DOCTYPE html><html></html>") == "html"
    assert sniff(b"plain words") == "text"


def test_read_stream_is_bounded() -> None:
    assert read_stream(io.BytesIO(b"abc")) == b"abc"
    with pytest.raises(RefusedInput) as info:
        read_stream(io.BytesIO(b"x" * 11), Limits(max_bytes=10))
    assert info.value.code == "too-large"


def test_non_english_text_is_warned_about() -> None:
    french = ("Les participants renforceront leur coopération dans le domaine de la sécurité "
              "maritime et de la cybersécurité, et ils échangeront des informations sur les "
              "menaces hybrides avec les partenaires de la région. ") * 3
    out = extract(french.encode(), "a.txt")
    assert any("does not look English" in w and "French" in w for w in out.warnings)
    assert not extract((AGREEMENT * 5).encode(), "a.txt").warnings


# ---------------------------------------------------------------- hostile input

def test_empty_and_blank_files() -> None:
    refused("empty", b"", "a.txt")
    refused("empty", b"  \n\t ", "a.txt")
    refused("empty", b"<html><body>  </body></html>", "a.html")


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: no disk is used
        handle.truncate(200 << 20)
    with pytest.raises(RefusedInput) as info:
        read_path(path, Limits(max_bytes=50 << 20))
    assert info.value.code == "too-large" and "limit" in str(info.value)


def test_oversized_bytes_are_refused() -> None:
    refused("too-large", b"word " * 100, "a.txt", Limits(max_bytes=100))


def test_missing_path_and_directory(tmp_path: Path) -> None:
    for path in (tmp_path / "nope.pdf", tmp_path):
        with pytest.raises(RefusedInput) as info:
            read_path(path)
        assert info.value.code == "unreadable"


def test_zip_bomb_docx_is_refused() -> None:
    bomb = codingdocs.zip_bomb_docx(64 << 20)
    assert len(bomb) < 200_000
    message = refused("zip-bomb", bomb, "bomb.docx")
    assert "expands" in message


def test_zip_bomb_over_total_size_is_refused() -> None:
    refused("zip-bomb", codingdocs.zip_bomb_docx(8 << 20), "bomb.docx",
            Limits(max_unzipped=4 << 20))


def test_zip_with_too_many_entries_is_refused() -> None:
    refused("zip-bomb", codingdocs.many_entries_docx(50), "many.docx", Limits(max_zip_entries=20))


def test_docx_that_is_not_a_zip_or_not_word() -> None:
    refused("corrupt", b"PK\x03\x04 this is not really a zip", "a.docx")
    refused("corrupt", b"plain text named .docx", "a.docx")
    refused("corrupt", codingdocs.many_entries_docx(0).replace(b"word/document.xml",
                                                              b"word/documenx.xml"), "a.docx")


def test_password_protected_office_file_is_refused() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    refused("encrypted", ole, "a.docx")
    refused("encrypted", ole)


def test_encrypted_pdf_is_refused() -> None:
    message = refused("encrypted", codingdocs.encrypted_pdf("secret"), "a.pdf")
    assert "password" in message


def test_corrupt_pdfs_are_refused() -> None:
    good = codingdocs.pdf([["Some text."]])
    refused("corrupt", good[: len(good) // 3], "a.pdf")
    refused("corrupt", b"%PDF-1.7\n" + os.urandom(2000), "a.pdf")
    refused("corrupt", b"not a pdf at all", "a.pdf")


def test_pdf_without_text_layer_is_refused() -> None:
    message = refused("empty", codingdocs.pdf([["x"]], text=False), "scan.pdf")
    assert "OCR" in message


def test_pdf_page_limit() -> None:
    data = codingdocs.pdf([["a"], ["b"], ["c"]])
    refused("too-many-pages", data, "a.pdf", Limits(max_pages=2))


def test_character_limit() -> None:
    refused("too-long", b"word " * 1000, "a.txt", Limits(max_chars=100))


def test_binary_garbage_is_refused() -> None:
    garbage = bytes(range(256)) * 40
    refused("binary", garbage, "a.txt")
    refused("binary", os.urandom(4096) + b"\x00", "a.txt")


def test_unknown_extension_is_refused() -> None:
    refused("unsupported", b"whatever", "a.xlsx")


def test_parser_time_limit() -> None:
    message = refused("timeout", codingdocs.pdf([["text"]] * 3), "a.pdf", Limits(seconds=0.001))
    assert "longer than" in message


def test_parser_memory_limit() -> None:
    # Through the fork server (the caller has a thread), whose children start small: a
    # forked child may also reuse the free heap it inherits, which no limit can see.
    data = codingdocs.docx([os.urandom(300).hex() for _ in range(3000)])
    errors: list[RefusedInput] = []

    def work() -> None:
        try:
            extract(data, "a.docx", limits=Limits(memory=8 << 20))
        except RefusedInput as exc:
            errors.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(60)
    assert [e.code for e in errors] == ["memory"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000), st.sampled_from(["a.txt", "a.md", "-"]))
def test_any_bytes_give_text_or_a_refusal(data: bytes, name: str) -> None:
    try:
        out = extract(data, name)
    except RefusedInput as exc:
        assert exc.code in ("empty", "binary", "corrupt", "encrypted", "unsupported")
    else:
        assert out.text.strip()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000), st.sampled_from(["a.html", "a.pdf", "a.docx"]))
def test_parsers_in_the_sandbox_never_crash(data: bytes, name: str) -> None:
    with contextlib.suppress(RefusedInput):
        extract(data, name)


def test_a_caller_with_threads_parses_through_the_fork_server() -> None:
    results: list[str] = []

    def work() -> None:
        results.append(extract(codingdocs.docx(["They will cooperate on space."]), "a.docx").text)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(60)
    assert results and "space" in results[0]


@pytest.mark.parametrize(("text", "codec"), [
    ("Le Conseil a adopté une décision relative à la participation du Canada à la mission.",
     "cp1252"),
    ("Très bien: l'été dernier, à Genève, la coopération était déjà là.", "cp1252"),
    ("Il est prévu d'élargir le dialogue à d'autres domaines, notamment la cybersécurité.",
     "cp1252"),
    ("A cooperação em matéria de segurança e defesa foi reforçada, disse o ministro.", "cp1252"),
    ("Współpraca w dziedzinie bezpieczeństwa i obrony została wzmocniona przez Unię.",
     "cp1250"),
    ("Spolupráce v oblasti bezpečnosti a obrany mezi EU a Českou republikou se prohloubila.",
     "cp1250"),
    ("A biztonsági és védelmi együttműködés jelentősen erősödött az elmúlt években.", "cp1250"),
    ("ES bendradarbiavimas saugumo srityje sustiprėjo, susitarta dėl kibernetinių grėsmių.",
     "cp1257"),
])
def test_a_short_legacy_text_is_read_in_its_own_languages_letters(text: str, codec: str) -> None:
    assert extract(text.encode(codec), "note.txt").text.strip() == text
