"""Small helpers that turn counts and keys into words a reader expects."""

from __future__ import annotations

from collections.abc import Sequence

_IRREGULAR = {"country": "countries", "party": "parties", "is": "are", "was": "were",
              "covers": "cover", "has": "have", "State": "States"}
_ACRONYMS = {"safe": "SAFE", "sdp": "SDP", "sdps": "SDPs", "eu": "EU", "ep": "EP",
             "eea": "EEA", "efta": "EFTA", "nato": "NATO", "eda": "EDA", "pesco": "PESCO",
             "csdp": "CSDP", "fimi": "FIMI", "uk": "UK", "pfp": "PfP"}


def plural(count: int, noun: str, many: str | None = None) -> str:
    """The noun for a count: ``plural(1, "area")`` → ``area``, ``plural(2, "area")`` → ``areas``."""
    if count == 1:
        return noun
    return many or _IRREGULAR.get(noun) or noun + "s"


def count(number: int, noun: str, many: str | None = None) -> str:
    """A count with its noun: ``1 area``, ``3 areas``, ``0 lines``."""
    return f"{number} {plural(number, noun, many)}"


def label(key: str) -> str:
    """A key as words, acronyms kept: ``safe-collapsed`` → ``SAFE collapsed``."""
    words = str(key).replace("_", " ").replace("-", " ").split()
    return " ".join(_ACRONYMS.get(w, w) for w in words)


def sentence_label(key: str) -> str:
    """:func:`label` with a capital first letter (acronyms untouched)."""
    text = label(key)
    return text[:1].upper() + text[1:]


def listing(items: Sequence[str], conjunction: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


_WITH_THE = ("United ", "Republic of ", "Netherlands", "Philippines")


def country(name: str) -> str:
    """A country's name as it reads mid-sentence: ``the United Kingdom``, ``Canada``."""
    return f"the {name}" if name.startswith(_WITH_THE) else name
