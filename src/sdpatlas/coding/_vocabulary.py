"""The word list that repair checks joined fragments against.

``data/coding/words.txt`` is built from the project's own vocabulary (the briefing, the sourced
facts, the taxonomy, the dataset's summaries and the lexicon) by::

    python -m sdpatlas.coding._vocabulary FILE... > data/coding/words.txt

At run time the words of the taxonomy and of the lexicon are added to it, and, for each
document, the words that occur intact in that document.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from sdpatlas.coding._errors import CodingError
from sdpatlas.paths import DataFileError, read_data_file

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_SUFFIXES = frozenset(("s", "es", "ed", "d", "ing", "ly", "er", "ers", "al", "ally", "ment",
                       "ments", "ion", "ions", "ity", "ities", "ive", "ness"))
_LONGEST_SUFFIX = max(map(len, _SUFFIXES))


def words_of(texts: Iterable[str], minimum: int = 2) -> set[str]:
    """The lower-case words (letters only) of some texts."""
    found: set[str] = set()
    for text in texts:
        found.update(w.casefold() for w in WORD.findall(text) if len(w) >= minimum)
    return found


@cache
def load_wordlist(path: Path) -> frozenset[str]:
    """The words of a one-word-a-line file (lines starting with # are comments)."""
    if not path.is_file():
        return frozenset()
    try:
        lines = read_data_file(path).decode("utf-8").splitlines()
    except (DataFileError, UnicodeDecodeError) as exc:
        raise CodingError(f"{path}: cannot read the word list: {exc}",
                          hint="Rebuild it as UTF-8 text, one word a line (see "
                               "sdpatlas.coding._vocabulary).") from exc
    return frozenset(line.strip().casefold() for line in lines
                     if line.strip() and not line.startswith("#"))


class Vocabulary:
    """Known words: a static list plus, optionally, the intact words of one document."""

    def __init__(self, static: Iterable[str], document: Iterable[str] = ()) -> None:
        self.static = frozenset(static)
        self.document = frozenset(document)

    def is_word(self, word: str) -> bool:
        """Whether ``word`` is in the static list (exactly, or with a plural ending)."""
        w = word.casefold()
        return w in self.static or (w.endswith("s") and w[:-1] in self.static)

    def knows(self, word: str) -> bool:
        """Whether ``word`` is known, in either list, directly or as a regular inflection."""
        w = word.casefold()
        if w in self.static or w in self.document:
            return True
        for n in range(1, min(_LONGEST_SUFFIX, len(w) - 3) + 1):
            stem = w[:-n]
            if w[-n:] in _SUFFIXES and (stem in self.static or stem + "e" in self.static):
                return True
        return False


def main(paths: list[str]) -> None:
    """Print the sorted vocabulary of the given files, one word a line."""
    texts = (Path(p).read_text(encoding="utf-8") for p in paths)
    words = sorted(w for w in words_of(texts, minimum=2) if w.isalpha())
    print("# Built by python -m sdpatlas.coding._vocabulary from the project's own texts.")
    print("\n".join(words))


if __name__ == "__main__":
    main(sys.argv[1:])
