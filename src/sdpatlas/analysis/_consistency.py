"""Declared against coded: how many areas each text announces and how many Table 1 codes.

The two counts measure different things. Table 1 applies one taxonomy of 26 areas to
every agreement, while each text numbers its own areas (or themes): one of the text's
areas can span several of Table 1's rows, several of its points can fall into one row,
and cooperation that already exists elsewhere is coded "already exists" rather than
counted. Each row therefore carries a stable ``code`` and an explanation built from its
own numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sdpatlas.analysis._profiles import Profiles
from sdpatlas.model import Coverage, Dataset, PartyCode, Sources
from sdpatlas.render.words import count

__all__ = ["CONSISTENCY_CODES", "GRANULARITY_NOTE", "Consistency", "consistency"]

GRANULARITY_NOTE = (
    "Table 1 applies one taxonomy of 26 areas to every agreement, while each text numbers "
    "its own areas or themes; the counts differ because the two divide the same cooperation "
    "at different granularity, not because either is wrong.")

CONSISTENCY_CODES = {
    "same-count": "The text declares as many areas as Table 1 codes as covered.",
    "same-with-existing": "The counts agree once the areas Table 1 marks 'already exists' "
                          "are added.",
    "finer-taxonomy": "Table 1 codes more areas than the text declares: it splits some of "
                      "the text's areas into several of its own.",
    "coarser-taxonomy": "Table 1 codes fewer areas than the text declares: several of the "
                        "text's areas fall into one of Table 1's.",
    "different-unit": "The text is organised by another unit (e.g. themes), so its count is "
                      "not a count of areas.",
    "not-declared": "The dataset records no count declared by the text.",
}


@dataclass(frozen=True)
class Consistency:
    """One partnership's declared count against Table 1's coding."""

    partner: PartyCode
    declared: int | None
    unit: str | None
    coded: int
    existing: int
    code: str
    explanation: str
    sources: Sources = ()

    @property
    def difference(self) -> int | None:
        """Coded minus declared (None when nothing is declared)."""
        return None if self.declared is None else self.coded - self.declared


def _code(declared: int, unit: str, coded: int, existing: int) -> str:
    if unit != "areas":
        return "different-unit"
    if coded == declared:
        return "same-count"
    if existing and coded + existing == declared:
        return "same-with-existing"
    return "finer-taxonomy" if coded > declared else "coarser-taxonomy"


def _explain(declared: int, unit: str, coded: int, existing: int, code: str) -> str:
    said = f"The text declares {declared} {unit}; Table 1 codes {count(coded, 'area')} as covered"
    said += f" and {existing} as already existing" if existing else ""
    gap = abs(coded - declared)
    detail = {
        "same-count": "the counts agree.",
        "same-with-existing": "counting the existing ones the totals agree.",
        "finer-taxonomy": f"{gap} more, because Table 1 divides the text's areas more finely.",
        "coarser-taxonomy": f"{gap} fewer, because several of the text's areas fall into "
                            "one of Table 1's.",
        "different-unit": f"the text's {unit} are broader than Table 1's areas, so "
                          "the counts are not comparable one to one.",
    }[code]
    return f"{said}: {detail}"


def consistency(data: Dataset, p: Profiles) -> tuple[Consistency, ...]:
    """Declared against coded for every assessed partnership, in partner order."""
    out = []
    for code in p.partners:
        cells = p.statuses[code]
        coded = sum(s is Coverage.YES for s in cells)
        existing = sum(s is Coverage.ALREADY_EXISTS for s in cells)
        partnership = data.partnership(code)
        declared = partnership.declared if partnership else None
        if declared is None:
            out.append(Consistency(code, None, None, coded, existing, "not-declared",
                                   CONSISTENCY_CODES["not-declared"]))
            continue
        kind = _code(declared.count, declared.unit, coded, existing)
        out.append(Consistency(code, declared.count, declared.unit, coded, existing, kind,
                               _explain(declared.count, declared.unit, coded, existing, kind),
                               declared.sources))
    return tuple(out)
