"""Resolving the countries a bill of materials names: dataset parties first, then ISO 3166.

Kosovo, which ISO 3166 does not list, comes from the dataset (local code XKX).
"""

from __future__ import annotations

import difflib
from functools import cache

from sdpatlas.model import Dataset
from sdpatlas.names import fold


@cache
def _iso() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """ISO 3166-1 countries from pycountry: (alpha-3, alpha-2, names)."""
    import pycountry

    rows = []
    for country in pycountry.countries:
        names = (getattr(country, "common_name", ""), country.name,
                 getattr(country, "official_name", ""))
        rows.append((country.alpha_3, country.alpha_2, tuple(n for n in names if n)))
    return tuple(rows)


class Countries:
    """Country names, aliases and ISO codes (alpha-3 or alpha-2), folded, to alpha-3 codes."""

    def __init__(self, data: Dataset) -> None:
        self.names: dict[str, str] = {}
        self.display: dict[str, str] = {}
        for party in data.parties:
            self.display[party.code] = party.name
            for name in (party.code, party.name, party.official_name or "", *party.aliases):
                if name:
                    self.names.setdefault(fold(name), party.code)
        for a3, a2, names in _iso():
            self.display.setdefault(a3, names[0])
            for name in (a3, a2, *names):
                self.names.setdefault(fold(name), a3)

    def code(self, text: str) -> str | None:
        """The alpha-3 code a text names, or None."""
        return self.names.get(fold(text))

    def name(self, code: str) -> str:
        """The display name of a code."""
        return self.display.get(code, code)

    def suggest(self, text: str) -> str:
        """`` (did you mean …?)`` for an unknown name, or ''."""
        close = difflib.get_close_matches(fold(text), list(self.names), n=3, cutoff=0.7)
        shown = list(dict.fromkeys(f"{self.names[c]}" for c in close))
        return f" (did you mean {', '.join(shown)}?)" if shown else ""
