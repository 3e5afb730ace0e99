"""The key findings: a few short statements, each led by its number, read off an
:class:`~sdpatlas.analysis.Analysis` (no analysis of its own; the full findings are
:func:`sdpatlas.render.analysis.analysis_sections`). The Analysis page and the HTML report
open with them; ``anchor`` names the chart or table on the page that shows the detail.
"""

from __future__ import annotations

from dataclasses import dataclass

from sdpatlas import analysis
from sdpatlas.model import Dataset
from sdpatlas.render.analysis import p_text, rare_most
from sdpatlas.render.words import count, country, listing, plural

__all__ = ["KeyFinding", "key_findings"]


@dataclass(frozen=True)
class KeyFinding:
    """One statement: its number (``figure``), the words after it, where to look next."""

    figure: str
    text: str
    anchor: str

    def __str__(self) -> str:
        return f"{self.figure} {self.text}"


def _names(data: Dataset, codes: tuple[str, ...]) -> str:
    return listing([data.party(c).name for c in codes])


def _core(result: analysis.Analysis) -> KeyFinding:
    a, n_areas = result.areas, len(result.profiles.areas)
    return KeyFinding(f"{len(a.core)} of {n_areas}",
                      f"{plural(n_areas, 'area')} {plural(len(a.core), 'is')} covered by all "
                      f"{count(a.n, 'assessed partnership')}: the common core.", "table-areas")


def _rare(result: analysis.Analysis, data: Dataset) -> KeyFinding | None:
    a = result.areas
    rare = [f"{s.area} {data.area(s.area).short} ({_names(data, s.covered_by)})"
            for s in a.rare]
    shown = "; ".join(rare[:4]) + (f" and {len(rare) - 4} more" if len(rare) > 4 else "")
    if not rare and not a.uncovered:
        return None
    text = (f"{plural(len(rare), 'area')} {plural(len(rare), 'is')} rare, covered by at most "
            f"{rare_most(a)} of the {a.n}" + (f": {shown}" if rare else ""))
    if a.uncovered:
        text += f"; {count(len(a.uncovered), 'area')} by none"
    return KeyFinding(str(len(rare)), text + ".", "table-areas")


def _range(result: analysis.Analysis, data: Dataset) -> KeyFinding | None:
    steps = sorted(result.evolution.steps, key=lambda s: (-s.covered, s.signed))
    if len(steps) < 2:
        return None
    most, least = steps[0], steps[-1]
    return KeyFinding(f"{least.covered}–{most.covered}",
                      f"areas per partnership: {country(data.party(most.partner).name)} "
                      f"covers the most, {country(data.party(least.partner).name)} the fewest.",
                      "table-partners")


def _alike(result: analysis.Analysis, data: Dataset) -> list[KeyFinding]:
    pairs = result.similarity.pairs()
    if not pairs:
        return []
    best, worst = pairs[0], pairs[-1]
    same = (f": identical profiles, the same {count(best.shared, 'area')} covered"
            if result.identical else ", the most alike pair")
    found = [KeyFinding(f"{best.jaccard:.2f}", f"Jaccard similarity of "
                        f"{_names(data, (best.a, best.b))}{same}.", "chart-similarity")]
    if len(pairs) > 1:
        found.append(KeyFinding(f"{worst.jaccard:.2f}", f"Jaccard similarity of "
                                f"{_names(data, (worst.a, worst.b))}, the least alike pair: "
                                f"{count(worst.hamming, 'area')} differ.", "chart-similarity"))
    return found


def _evolution(result: analysis.Analysis, data: Dataset) -> KeyFinding | None:
    steps = result.evolution.steps
    if len(steps) < 2:
        return None
    first, last = steps[0], steps[-1]
    return KeyFinding(f"{first.core} → {last.core}",
                      f"areas in the common core: after the first SDP "
                      f"({data.party(first.partner).name}, {first.signed.isoformat()}) and once "
                      f"all {len(steps)} were signed; "
                      f"together they cover {last.cumulative} of {len(result.profiles.areas)}.",
                      "chart-areas-over-time")


def _contrast(result: analysis.Analysis, data: Dataset) -> KeyFinding | None:
    rows = sorted(((c, r) for c in result.contrasts for r in c.areas if r.difference),
                  key=lambda cr: (cr[1].p_value, cr[1].area, cr[0].key))
    if not rows:
        return None
    c, r = rows[0]
    return KeyFinding(f"p = {p_text(r.p_value)}",
                      f"the strongest group contrast: {r.area} {data.area(r.area).short}, "
                      f"{c.a.label} {r.a_covered} of {r.a_of} against {c.b.label} "
                      f"{r.b_covered} of {r.b_of} (q = {p_text(r.q_value)}); with so few "
                      "partnerships none is called significant.", "table-contrasts")


def _prospects(result: analysis.Analysis, data: Dataset) -> list[KeyFinding]:
    e, n_areas = result.evaluation, len(result.profiles.areas)
    check = (f" (checked by leaving each assessed SDP out: {100 * e.accuracy:.0f}% of cells "
             f"right, against {100 * e.baseline_accuracy:.0f}% for the majority rule)"
             if e.scores else "")
    return [KeyFinding(f"{len(p.likely_areas)} of {n_areas}",
                       f"areas likely in {country(data.party(p.partner).name)}'s SDP, which is "
                       f"not yet assessed, predicted from similar partners{check}.",
                       "findings-words")
            for p in result.prospects if not p.assessed]


def key_findings(result: analysis.Analysis, data: Dataset) -> tuple[KeyFinding, ...]:
    """The headline statements, most general first; empty without assessed partnerships."""
    if not result.profiles.n:
        return ()
    found = [_core(result), _rare(result, data), _range(result, data),
             *_alike(result, data), _evolution(result, data), _contrast(result, data),
             *_prospects(result, data)]
    return tuple(f for f in found if f is not None)
