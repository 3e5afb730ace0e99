"""A cheap guess at whether a text is English, from the share of common function words."""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"[^\W\d_]+")
# The most frequent function words of each language; enough to tell them apart.
_STOPWORDS: dict[str, frozenset[str]] = {
    "English": frozenset([
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "as", "by",
        "be", "are", "will", "this", "it", "its", "from", "at", "or", "an", "which",
        "their", "has", "have", "not", "also",
    ]),
    "French": frozenset([
        "le", "la", "les", "de", "des", "du", "et", "à", "en", "un", "une", "est", "que",
        "pour", "dans", "sur", "par", "au", "aux", "avec", "ce", "qui", "sont", "son", "ses",
    ]),
    "German": frozenset([
        "der", "die", "das", "und", "zu", "den", "von", "mit", "des", "auf", "für", "ist",
        "im", "dem", "nicht", "ein", "eine", "als", "auch", "sich", "werden",
    ]),
    "Spanish": frozenset([
        "el", "la", "los", "las", "de", "del", "y", "en", "que", "por", "con", "para",
        "una", "un", "es", "se", "al", "su", "sus", "como",
    ]),
    "Italian": frozenset([
        "il", "lo", "la", "gli", "le", "di", "del", "della", "e", "che", "per", "con",
        "una", "un", "è", "si", "al", "nel", "sono",
    ]),
    "Portuguese": frozenset([
        "o", "os", "a", "as", "de", "do", "da", "dos", "das", "e", "em", "que", "para",
        "com", "uma", "um", "é", "no", "na", "ao", "pelo",
    ]),
    "Dutch": frozenset([
        "de", "het", "een", "en", "van", "in", "op", "te", "dat", "voor", "met", "zijn",
        "is", "niet", "aan", "door", "ook",
    ]),
    "Polish": frozenset([
        "i", "w", "na", "z", "do", "się", "że", "nie", "jest", "o", "to", "od", "przez",
        "dla", "oraz",
    ]),
}
_MIN_WORDS = 30
_MIN_SHARE = 0.12


def language_warning(text: str, limit: int = 20000) -> str | None:
    """A warning when the text does not look English; None when it does or is too short."""
    words = [w.casefold() for w in _WORD.findall(text[: limit * 10])[:limit]]
    if len(words) < _MIN_WORDS:
        return None
    counts = Counter(words)
    shares = {lang: sum(counts[w] for w in stop) / len(words)
              for lang, stop in _STOPWORDS.items()}
    best = max(shares, key=lambda lang: shares[lang])
    if best == "English" or shares["English"] >= _MIN_SHARE:
        return None
    guess = f" (it looks {best})" if shares[best] >= _MIN_SHARE else ""
    return (f"the text does not look English{guess}; the lexicon is English, so expect few "
            "or no areas to be found")
