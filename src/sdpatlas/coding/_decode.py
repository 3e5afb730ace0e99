"""Bytes to text: byte-order marks, UTF-8, then charset detection; binary refused."""

from __future__ import annotations

import codecs
import re
import unicodedata
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
_MARGIN = 0.1
# The single-byte encodings texts are still found in (Windows, ISO 8859, KOI8), which may
# take the detector's first place from a sibling; DOS and Mac code pages only keep one.
_COMMON_SINGLE_BYTE = frozenset([f"cp{n}" for n in range(1250, 1259)]
                                + [f"iso8859_{n}" for n in range(2, 17)]
                                + ["latin_1", "koi8_r", "koi8_u"])
_NON_ASCII = re.compile("[^\x00-\x7f]")
_PLAUSIBILITY_SAMPLE = 1 << 16
# The letters beyond ASCII of the Latin-script languages of Europe (lower case).
_ALPHABETS = tuple(frozenset(letters) for letters in (
    "àâæçéèêëîïôœùûüÿ",  # French
    "äöüß",  # German
    "áéíñóúü",  # Spanish
    "àáâãçéêíóôõú",  # Portuguese
    "àèéìíîòóùú",  # Italian
    "áéíóúëïäöü",  # Dutch
    "æøåäöéáíóúýþð",  # Danish, Norwegian, Swedish, Finnish, Icelandic
    "ąćęłńóśźż",  # Polish
    "áčďéěíňóřšťúůýž",  # Czech
    "áäčďéíĺľňóôŕšťúýž",  # Slovak
    "áéíóöőúüű",  # Hungarian
    "čćđšž",  # Slovenian, Croatian
    "ăâîșțşţ",  # Romanian
    "ąčęėįšųūž",  # Lithuanian
    "āčēģīķļņšūž",  # Latvian
    "äõöüšž",  # Estonian
    "ċġħżàèìòù",  # Maltese
    "çğıöşüâî",  # Turkish
))


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
    encoding = _detected(data[:_SAMPLE])
    if encoding is None:
        raise _binary()
    return _checked(data.decode(encoding, errors="replace"), encoding, detected=True)


def _detected(sample: bytes) -> str | None:
    """The encoding that reads ``sample`` as the text of one language.

    Single-byte encodings of one family (windows-1250, -1252, -1257 ...) often read a short
    text about equally well by the detector's measures. Among its first choice and the common
    encodings it ranks near it (within a margin on mess and on coherence, both noisy on short
    texts), the one whose non-ASCII letters belong to one language's alphabet, with no symbol
    inside a word, and the letters most languages share, wins: French read as windows-1250
    ("Genčve") loses to windows-1252 ("Genève"), Polish read as windows-1257 ("zosta³a") to
    windows-1250.
    """
    matches = [m for m in from_bytes(sample) if m.encoding]
    if not matches:
        return None
    first = matches[0]
    near = [first, *(m for m in matches[1:] if m.encoding in _COMMON_SINGLE_BYTE
                     and m.chaos <= first.chaos + _MARGIN
                     and m.coherence >= first.coherence - _MARGIN)]
    return str(max(near, key=lambda m: _plausibility(str(m)[:_PLAUSIBILITY_SAMPLE])).encoding)


def _plausibility(text: str) -> tuple[float, int, float]:
    """How much a decoded text reads as one European language (higher is better).

    The largest share of its non-ASCII letters one alphabet holds (letters of other scripts
    than Latin count as held: this measure does not judge them); then fewer non-ASCII
    symbols between two letters; then how many alphabets its letters are in, on average.
    """
    letters = [c for c in _NON_ASCII.findall(text.lower()) if c.isalpha()]
    symbols = sum(_symbol_in_word(text, m.start()) for m in _NON_ASCII.finditer(text, 1))
    if not letters:
        return 1.0, -symbols, 0.0
    other_scripts = sum(not unicodedata.name(c, "").startswith("LATIN") for c in letters)
    fit = (other_scripts + max(sum(c in alphabet for c in letters) for alphabet in _ALPHABETS)
           ) / len(letters)
    shared = sum(sum(c in alphabet for alphabet in _ALPHABETS) for c in letters) / len(letters)
    return fit, -symbols, shared


def _symbol_in_word(text: str, i: int) -> bool:
    """Whether ``text[i]`` is a non-ASCII symbol or number between two letters ("zosta³a")."""
    return (unicodedata.category(text[i])[0] in "SNC" and i + 1 < len(text)
            and text[i - 1].isalpha() and text[i + 1].isalpha())


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
