"""Bytes to text: byte-order marks, UTF-8, then charset detection; binary refused."""

from __future__ import annotations

import codecs
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
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
# Share of control characters above which decoded "text" is taken to be binary.
_MAX_CONTROL_SHARE = 0.01
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


def _checked(text: str, encoding: str, detected: bool) -> Decoded:
    sample = text[:_SAMPLE]
    controls = sum(1 for ch in sample if ch < " " and ch not in _ALLOWED_CONTROLS)
    if sample and controls / len(sample) > _MAX_CONTROL_SHARE:
        raise _binary()
    return Decoded(text, encoding, detected)


def _binary() -> RefusedInput:
    return RefusedInput("binary", "the input is not text in any known encoding",
                        "give a text, Markdown, HTML, PDF or DOCX file")
