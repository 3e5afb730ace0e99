"""Bytes to text: byte-order marks, UTF-8, then charset detection; binary refused."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from sdpatlas.coding._errors import RefusedInput

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# What no text holds in any number: control characters other than the whitespace ones (C0
# and C1), lone surrogates, private-use characters, and U+FFFD for bytes no encoding read.
_UNREADABLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffd"
                         "\U000f0000-\U0010ffff]")
# Share of such characters above which decoded "text" is taken to be binary: real texts in
# eighteen languages and their usual encodings hold none, random bytes read as text (behind
# a byte-order mark, or as UTF-8 full of U+FFFD) over 11 % (benchmarks/binary_input.py);
# the bound leaves room for a few strays (a symbol font's bullets copied from a PDF).
_MAX_UNREADABLE_SHARE = 0.02
_SAMPLE = 1 << 20


@dataclass(frozen=True)
class Decoded:
    """Text and the encoding it was read with."""

    text: str
    encoding: str
    detected: bool


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Decode ``data``; RefusedInput('binary') when it is not text in any encoding."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _checked(data.decode(name, errors="replace"), name, detected=False)
    if declared:
        try:
            return _checked(data.decode(declared), declared.lower(), detected=False)
        except (LookupError, UnicodeDecodeError):
            pass
    if b"\x00" in data[:_SAMPLE]:
        raise _binary()
    try:
        return _checked(data.decode("utf-8"), "utf-8", detected=False)
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:_SAMPLE]).best()
    if best is None or best.encoding is None:
        raise _binary()
    return _checked(data.decode(best.encoding, errors="replace"), best.encoding, detected=True)


def unreadable_share(text: str) -> float:
    """The share of the characters of (the start of) a text that no real text holds."""
    sample = text[:_SAMPLE]
    return len(_UNREADABLE.findall(sample)) / len(sample) if sample else 0.0


def _checked(text: str, encoding: str, detected: bool) -> Decoded:
    share = unreadable_share(text)
    if share > _MAX_UNREADABLE_SHARE:
        raise _binary(f"read as {encoding}, {round(share * 100)} % of its characters are "
                      "control, private-use or undecodable ones")
    return Decoded(text, encoding, detected)


def _binary(why: str = "no known encoding reads it") -> RefusedInput:
    return RefusedInput("binary", f"the input is binary data, not text ({why})",
                        "give a text, Markdown, HTML, PDF or DOCX file (an image or an "
                        "archive holds no text to code)")
