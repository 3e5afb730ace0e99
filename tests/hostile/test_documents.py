"""Hostile documents for the coder: each is coded or refused with a stable code, in bounded time.

Pathological Markdown and HTML (a megabyte of one marker, deep nesting), huge lines, NUL
bytes, wrong extensions, encrypted, corrupt and bomb-shaped PDF and DOCX files, empty files;
texts shaped to make a quadratic coder slow (many sentences, one endless sentence, dense
cues); gold files that point outside their source folders or are not text. The time bounds
are generous safety bounds (a quadratic step takes minutes on these inputs), not benchmarks.
"""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import codingdocs
import pytest

from sdpatlas.coding import REFUSAL_CODES, Coder, Proposal, RefusedInput
from sdpatlas.coding.gold import GoldError, load_gold
from sdpatlas.model import Dataset

from conftest import REAL_DATA

SECONDS = 120
MB = 1 << 20
SENTENCE = ("The Participants will strengthen their cooperation on maritime security, "
            "including through joint naval exercises. ")


@pytest.fixture(scope="module")
def coder(real_data: Dataset) -> Coder:
    return Coder.from_data(REAL_DATA, real_data.areas)


def outcome(coder: Coder, data: bytes, name: str) -> str:
    """``coded`` or the refusal's code, within SECONDS."""
    began = time.monotonic()
    try:
        proposal: Proposal | None = coder.code_bytes(data, name)
    except RefusedInput as exc:
        proposal = None
        code = exc.code
    took = time.monotonic() - began
    assert took < SECONDS, f"{name}: {took:.1f} s"
    if proposal is None:
        assert code in REFUSAL_CODES
        return code
    assert len(proposal.coverage) == len(coder.lexicon.area_ids())
    return "coded"


def docx_with(document_xml: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns='
                         '"http://schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


XML_BOMB = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                      for i in range(1, 10))
            + ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
            '2006/main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')

MARKDOWN = ["[", "*", "<", "`", "_", "![", "[a](", "**a ", "__a ", "a **b ", "> ", "#", " |",
            "[[a]", "](x"]


@pytest.mark.parametrize("unit", MARKDOWN)
def test_a_megabyte_of_one_markdown_marker_is_coded(coder: Coder, unit: str) -> None:
    body = unit * (MB // len(unit))
    assert outcome(coder, body.encode(), "x.md") in ("coded", "empty")  # "***" is a rule
    lines = ((unit * 100 + "\n") * (MB // (100 * len(unit) + 1))).encode()
    assert outcome(coder, lines, "x.md") in ("coded", "empty")


HOSTILE: dict[str, tuple[Callable[[], bytes], str, set[str]]] = {
    "deeply nested quotes and lists": (lambda: b"> - " * 50_000 + b"cyber", "x.md",
                                       {"coded"}),
    "deeply nested HTML": (lambda: b"<div>" * 200_000 + b"cyber defence", "x.html",
                           {"coded", "corrupt", "empty"}),
    "a megabyte of <": (lambda: b"<" * MB, "x.html", {"coded", "corrupt", "empty"}),
    "an ordered list of 50,000 items": (
        lambda: b"<ol>" + b"<li>cooperation on cyber defence</li>" * 50_000 + b"</ol>",
        "x.html", {"coded"}),
    "one line of 2 MB without a full stop": (
        lambda: b"we will not cooperate on maritime security and cyber defence " * 33_000,
        "x.txt", {"coded"}),
    "2 MB of one letter": (lambda: b"a" * (2 * MB), "x.txt", {"coded"}),
    "a megabyte of hyphenated line ends": (lambda: b"coop-\neration " * (MB // 14), "x.txt",
                                           {"coded"}),
    "dense cues and terms": (lambda: b"no maritime security cooperation support ukraine, "
                             * 40_000, "x.txt", {"coded"}),
    "20,000 paragraphs numbered 1.": (lambda: ("1. " + SENTENCE + "\n").encode() * 20_000,
                                      "x.txt", {"coded"}),
    "NUL bytes": (lambda: b"cyber\x00defence\x00" * 1000, "x.txt", {"binary"}),
    "a PDF named .txt": (lambda: codingdocs.pdf([["cyber defence"]]), "x.txt", {"binary"}),
    "text named .pdf": (lambda: b"cyber defence", "x.pdf", {"corrupt"}),
    "a DOCX named .pdf": (lambda: codingdocs.docx(["cyber"]), "x.pdf", {"corrupt"}),
    "text named .docx": (lambda: b"cyber defence", "x.docx", {"corrupt"}),
    "a PDF named .docx": (lambda: codingdocs.pdf([["cyber defence"]]), "x.docx", {"corrupt"}),
    "an encrypted PDF": (codingdocs.encrypted_pdf, "x.pdf", {"encrypted"}),
    "a truncated PDF": (lambda: codingdocs.pdf([["cyber defence"]])[:600], "x.pdf",
                        {"corrupt", "empty"}),
    "a PDF of random bytes": (lambda: b"%PDF-1.7\n" + os.urandom(200_000), "x.pdf",
                              {"corrupt", "empty"}),
    "a zip bomb DOCX": (codingdocs.zip_bomb_docx, "x.docx", {"zip-bomb"}),
    "a DOCX of 5,000 entries": (lambda: codingdocs.many_entries_docx(5000), "x.docx",
                                {"zip-bomb"}),
    "an XML bomb in a DOCX": (lambda: docx_with(XML_BOMB), "x.docx", {"coded", "corrupt"}),
    "Markdown over the character limit": (lambda: b"[" * (6 * MB), "x.md", {"too-long"}),
    "an empty file": (lambda: b"", "x.txt", {"empty"}),
    "blank lines only": (lambda: b"\n \n\t\n", "x.md", {"empty"}),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_documents_are_coded_or_refused(coder: Coder, case: str) -> None:
    make, name, expected = HOSTILE[case]
    assert outcome(coder, make(), name) in expected


def test_twice_the_sentences_take_about_twice_the_time(coder: Coder) -> None:
    """Linear, not quadratic: 40,000 sentences within a bound 20,000 took 25 s to break."""
    began = time.monotonic()
    proposal = coder.code_text(SENTENCE * 40_000)
    assert time.monotonic() - began < SECONDS
    assert len(proposal.segments) == 40_000


# ---------------------------------------------------------------- the command line

def sdpatlas(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", "from sdpatlas.cli import main; main()",
                             "--data", str(REAL_DATA), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(process: subprocess.Popen[str]) -> tuple[int, str]:
    _out, err = process.communicate(timeout=SECONDS * 2)
    assert "Traceback" not in err, err
    return process.returncode, err


def test_code_on_a_megabyte_of_brackets_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "brackets.md"
    path.write_bytes(b"[" * MB)
    assert finished(sdpatlas("code", str(path), "--format", "json"))[0] == 0


@pytest.mark.parametrize(("content", "name", "code"), [
    (b"", "empty.txt", "empty"), (b"\x00\x01" * 100, "nul.txt", "binary"),
    (b"not a pdf", "fake.pdf", "corrupt"),
])
def test_code_refuses_with_exit_2_and_the_code(tmp_path: Path, content: bytes, name: str,
                                               code: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    status, err = finished(sdpatlas("code", str(path)))
    assert status == 2 and f"error [{code}]: " in err and name in err


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if entry.name.isdigit() and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_parser_child_dies_with_a_killed_coder(tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    path.write_bytes(b"<html><body>" + b"<p>cooperation on <b>cyber</b> defence</p>" * 600_000)
    process = sdpatlas("code", str(path))
    deadline = time.monotonic() + SECONDS
    children: list[int] = []
    while not children and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
        children = _children(process.pid)
    assert children, "the parser child never started"
    os.kill(process.pid, signal.SIGKILL)
    process.communicate()
    deadline = time.monotonic() + 5
    while any(_alive(c) for c in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(c) for c in children)


# ---------------------------------------------------------------- gold files

def gold_line(source: str) -> str:
    return f'{{"id": "a", "areas": [], "source": "{source}", "start": 0, "end": 4}}\n'


@pytest.mark.parametrize("source", ["../../../../etc/passwd", "/etc/passwd", "../outside.txt"])
def test_gold_sources_stay_inside_the_source_folders(tmp_path: Path, source: str) -> None:
    (tmp_path / "outside.txt").write_text("secret text")
    folder = tmp_path / "sources"
    folder.mkdir()
    gold = folder / "gold.jsonl"
    gold.write_text(gold_line(source))
    where = re.escape(str(gold))
    with pytest.raises(GoldError, match=rf"{where}:1: the source .* outside the source folders"):
        load_gold(gold, (folder,))


def test_a_binary_gold_file_names_the_file_and_line(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_bytes(b'{"id": "a", "areas": [], "text": "x"}\n\xff\xfe\x00binary')
    where = re.escape(str(gold))
    with pytest.raises(GoldError, match=rf"{where}:2: the gold file is not UTF-8 text"):
        load_gold(gold, (tmp_path,))


def test_a_source_that_is_not_text_is_refused(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_bytes(b"\xff\xfe\x00\x81" * 10)
    gold = tmp_path / "gold.jsonl"
    gold.write_text(gold_line("doc.txt"))
    with pytest.raises(GoldError, match=r"doc\.txt:1: the source is not UTF-8 text"):
        load_gold(gold, (tmp_path,))


def test_deeply_nested_gold_json_is_refused(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("[" * 100_000 + "\n")
    with pytest.raises(GoldError, match=rf"{re.escape(str(gold))}:1: "):
        load_gold(gold, (tmp_path,))


def test_evaluate_exits_2_on_a_traversal_without_printing_the_file(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(gold_line("../../../../../../etc/passwd"))
    status, err = finished(sdpatlas("evaluate", str(gold), "--sources", str(tmp_path)))
    assert status == 2 and f"{gold}:1" in err and "root:" not in err
