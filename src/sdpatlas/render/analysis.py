"""Comparative findings as JSON, and as sentences written from the computed results.

Nothing here knows about particular partners: every sentence is filled from an
:class:`~sdpatlas.analysis.Analysis`, so adding an SDP file changes the prose too.
"""

from __future__ import annotations

from collections.abc import Iterable

from sdpatlas import analysis
from sdpatlas.analysis import Analysis, AreaFindings, Distinctive, PartnerFindings, Prediction
from sdpatlas.model import AreaId, Coverage, Dataset, PartyCode
from sdpatlas.render.jsonable import JSON
from sdpatlas.render.profiles import Section, feature_words
from sdpatlas.render.words import count as _n

__all__ = ["analysis_payload", "analysis_sections", "area_findings_lines",
           "area_findings_payload", "p_text", "partner_findings_lines",
           "partner_findings_payload", "prediction_payload", "prediction_sections",
           "rare_most", "similar_payload", "similar_sections", "similarity_payload"]

TEST_NAME = "Fisher's exact test, two-sided"


def _share(d: Distinctive | analysis.AreaShare) -> dict[str, JSON]:
    return {"area": d.area, "count": len(d.covered_by), "of": d.of,
            "covered_by": list(d.covered_by)}


def _group(g: analysis.PartnerGroup) -> dict[str, JSON]:
    return {"key": g.key, "label": g.label, "kind": g.kind, "members": list(g.members)}


def _contrast(c: analysis.Contrast) -> dict[str, JSON]:
    return {"key": c.key, "a": _group(c.a), "b": _group(c.b), "test": TEST_NAME,
            "areas": [{"area": r.area, "a_covered": r.a_covered, "a_of": r.a_of,
                       "b_covered": r.b_covered, "b_of": r.b_of,
                       "difference": r.difference, "p_value": r.p_value,
                       "q_value": r.q_value} for r in c.areas]}


def similarity_payload(result: Analysis) -> dict[str, JSON]:
    """Pairs (most alike first), nearest partners, identical profiles and the clustering."""
    sim = result.similarity
    return {
        "similarity": [{"a": x.a, "b": x.b, "jaccard": x.jaccard, "hamming": x.hamming,
                        "shared": x.shared, "either": x.either, "compared": x.compared}
                       for x in sim.pairs()],
        "nearest": {n.partner: {"partners": list(n.nearest), "jaccard": n.jaccard}
                    for n in sim.nearest()},
        "identical_profiles": [list(g) for g in result.identical],
        "clustering": {"method": result.clustering.method, "metric": "1 - jaccard",
                       "leaves": list(result.clustering.leaves),
                       "merges": [{"left": list(m.left), "right": list(m.right),
                                   "distance": m.distance}
                                  for m in result.clustering.merges()]},
    }


def prediction_payload(pred: Prediction) -> dict[str, JSON]:
    """One predicted profile."""
    return {"partner": pred.partner, "features": list(pred.features),
            "assessed": pred.assessed, "fallback": pred.fallback,
            "neighbours": [{"partner": n.partner, "weight": n.weight, "shared": list(n.shared)}
                           for n in pred.neighbours],
            "likely_areas": list(pred.likely_areas),
            "areas": [{"area": a.area, "probability": a.probability, "base_rate": a.base,
                       "likely": a.likely, "covered_by": list(a.covered_by),
                       "actual": str(a.actual)} for a in pred.areas]}


def _evaluation(result: Analysis) -> dict[str, JSON]:
    e = result.evaluation
    return {"method": "leave-one-out", "prior": analysis.PRIOR, "cells": e.cells,
            "accuracy": e.accuracy, "baseline": "covered if most other partners cover it",
            "baseline_accuracy": e.baseline_accuracy, "brier": e.brier,
            "partners": [{"partner": s.partner, "correct": s.correct, "known": s.known,
                          "baseline_correct": s.baseline_correct, "brier": s.brier}
                         for s in e.scores]}


def analysis_payload(result: Analysis, data: Dataset) -> dict[str, JSON]:
    """The JSON shape of ``sdpatlas analyse`` (and of the web's analysis route)."""
    p, a = result.profiles, result.areas
    return {
        "as_of": p.as_of.isoformat() if p.as_of else None,
        "groups_on": p.on.isoformat(),
        "partners": [{"code": c, "name": p.parties[c].name, "signed": p.signed[c].isoformat()}
                     for c in p.partners],
        "excluded": [{"code": c, "name": data.party(c).name,
                      "reason": "signed but not assessed (every area unknown)"}
                     for c in p.excluded],
        "common_core": list(a.core),
        "near_core": {"threshold": a.k, "of": a.n, "areas": [_share(s) for s in a.near_core]},
        "rare_areas": [_share(s) for s in a.rare],
        "uncovered_areas": list(a.uncovered),
        "area_shares": [_share(s) for s in a.shares],
        "tailored": {c: [_share(d) for d in ds] for c, ds in result.tailored.items()},
        "omissions": {c: [_share(d) for d in ds] for c, ds in result.omissions.items()},
        **similarity_payload(result),
        "group_coverage": [{**_group(g.group),
                            "areas": [{"area": x, "covered": y, "of": z} for x, y, z in g.counts]}
                           for g in result.groups],
        "group_contrasts": [_contrast(c) for c in result.contrasts],
        "consistency": {"note": analysis.GRANULARITY_NOTE,
                        "partners": [{"partner": c.partner, "declared": c.declared,
                                      "unit": c.unit, "coded": c.coded, "existing": c.existing,
                                      "difference": c.difference, "code": c.code,
                                      "explanation": c.explanation, "sources": list(c.sources)}
                                     for c in result.consistency]},
        "evolution": {
            "steps": [{"partner": s.partner, "signed": s.signed.isoformat(),
                       "covered": s.covered, "new_areas": list(s.new_areas),
                       "cumulative": s.cumulative, "core": s.core}
                      for s in result.evolution.steps],
            "first_appearance": [{"area": f.area, "date": f.date.isoformat(),
                                  "partners": list(f.partners)}
                                 for f in result.evolution.first],
            "never_covered": list(result.evolution.never)},
        "prospects": [prediction_payload(x) for x in result.prospects],
        "predictor": _evaluation(result),
    }


# --- sentences ---------------------------------------------------------------------------


def _area(data: Dataset, area: AreaId) -> str:
    return f"{area} {data.area(area).short}"


def _areas(data: Dataset, areas: Iterable[AreaId]) -> str:
    return "; ".join(_area(data, a) for a in areas) or "none"


def _names(data: Dataset, codes: Iterable[PartyCode]) -> str:
    names = [data.party(c).name for c in codes]
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _p(value: float) -> str:
    return f"{value:.3f}" if value >= 0.001 else f"{value:.1e}"


def _basis(result: Analysis, data: Dataset) -> Section:
    p = result.profiles
    lines = [f"{_n(p.n, 'signed partnership')} with an assessed coverage: "
             + "; ".join(f"{data.party(c).name} ({p.signed[c].isoformat()})" for c in p.partners)
             + "." if p.partners else "No signed partnership with an assessed coverage yet."]
    if p.excluded:
        lines.append(f"Left out of every statistic, because signed but not yet assessed: "
                     f"{_names(data, p.excluded)}.")
    lines.append(f"An area counts as covered when Table 1 marks it ✓; 'already exists' does "
                 f"not count. Groups are read as of {p.on.isoformat()}"
                 + (f"; only partnerships signed by {p.as_of.isoformat()} count." if p.as_of
                    else "."))
    return Section("Basis", tuple(lines))


def _core(result: Analysis, data: Dataset) -> Section:
    a = result.areas
    lines = [f"Common core: {_n(len(a.core), 'area')} covered by all {a.n}: "
             f"{_areas(data, a.core)}." if a.core else
             f"No area is covered by all {_n(a.n, 'partnership')}."]
    for s in a.near_core:
        missing = [c for c in result.profiles.partners if c not in s.covered_by]
        lines.append(f"Near-core: {_area(data, s.area)} — {s.count} of {s.of}; "
                     f"not covered by {_names(data, missing)}.")
    for s in a.rare:
        lines.append(f"Rare: {_area(data, s.area)} — only {_names(data, s.covered_by)}.")
    if a.uncovered:
        lines.append(f"Covered by none: {_areas(data, a.uncovered)}.")
    return Section("Common core, near-core and rare areas", tuple(lines))


def _distinctive(result: Analysis, data: Dataset) -> Section:
    lines = []
    for code in result.profiles.partners:
        name = data.party(code).name
        own, lacks = result.tailored[code], result.omissions[code]
        if own:
            lines.append(f"{name} — tailored: " + "; ".join(
                f"{_area(data, d.area)} ({d.count} of {d.of})" for d in own) + ".")
        if lacks:
            lines.append(f"{name} — omits: " + "; ".join(
                f"{_area(data, d.area)} (covered by {d.count} of {d.of})" for d in lacks) + ".")
    return Section("Tailored elements and omissions",
                   tuple(lines) or ("No partnership departs from the majority.",))


def _similarity(result: Analysis, data: Dataset, top: int = 5) -> Section:
    lines = [f"Identical profiles (every area the same): {_names(data, g)}."
             for g in result.identical]
    pairs = result.similarity.pairs()
    if pairs:
        lines.append("Most alike (Jaccard over covered areas): " + "; ".join(
            f"{x.a}–{x.b} {x.jaccard:.2f}" for x in pairs[:top]) + ".")
        lines.append("Least alike: " + "; ".join(
            f"{x.a}–{x.b} {x.jaccard:.2f} ({_n(x.hamming, 'area')} differ)"
            for x in reversed(pairs[-min(top, len(pairs)):])) + ".")
    merges = result.clustering.merges()
    if merges:
        last = merges[-1]
        lines.append(f"The clustering (average linkage on 1 − Jaccard) splits the partners "
                     f"last into {{{', '.join(last.left)}}} and {{{', '.join(last.right)}}}, "
                     f"at distance {last.distance:.2f}.")
    return Section("Similarity", tuple(lines) or ("Fewer than two partnerships to compare.",))


def _contrasts(result: Analysis, data: Dataset, limit: int = 8,
               ceiling: float = 0.05) -> Section:
    seen: set[tuple[tuple[PartyCode, ...], tuple[PartyCode, ...], AreaId]] = set()
    lines: list[str] = []
    rows = sorted(((c, r) for c in result.contrasts for r in c.areas if r.difference),
                  key=lambda cr: (cr[1].p_value, cr[1].area, cr[0].key))
    for c, r in rows:
        key = (c.a.members, c.b.members, r.area)
        if r.p_value > ceiling or key in seen or len(lines) >= limit:
            continue
        seen.add(key)
        lines.append(f"{_area(data, r.area)}: {c.a.label} {r.a_covered} of {r.a_of} vs "
                     f"{c.b.label} {r.b_covered} of {r.b_of}; p = {_p(r.p_value)}, "
                     f"q = {_p(r.q_value)}.")
    n_tests = sum(len(c.areas) for c in result.contrasts)
    lines.append(f"{TEST_NAME}, over {n_tests} area-by-contrast tables. With so few "
                 "partnerships per group each p-value rests on a handful of agreements; "
                 "q-values adjust for testing every area (Benjamini–Hochberg). Contrasts with "
                 f"p above {ceiling} are in the JSON output.")
    return Section("Group contrasts", tuple(lines))


def _consistency(result: Analysis, data: Dataset) -> Section:
    lines = [f"{data.party(c.partner).name}: {c.explanation}" for c in result.consistency]
    return Section("Declared against coded", (*lines, analysis.GRANULARITY_NOTE))


def _evolution(result: Analysis, data: Dataset) -> Section:
    steps = result.evolution.steps
    if not steps:
        return Section("Evolution", ("No assessed partnership yet.",))
    first, last = steps[0], steps[-1]
    lines = [f"{s.signed.isoformat()} {data.party(s.partner).name}: {_n(s.covered, 'area')}"
             + (f", new: {', '.join(str(a) for a in s.new_areas)}" if s.new_areas else "")
             + f"; {s.cumulative} covered by some SDP so far, {s.core} by all."
             for s in steps]
    lines.append(f"The common core went from {_n(first.core, 'area')} after the first SDP to "
                 f"{last.core} once all {len(steps)} were signed; together they cover "
                 f"{last.cumulative} of {len(result.profiles.areas)} areas.")
    if result.evolution.never:
        lines.append(f"Never covered: {_areas(data, result.evolution.never)}.")
    return Section("Evolution", tuple(lines))


def prediction_sections(pred: Prediction, data: Dataset, result: Analysis) -> list[Section]:
    """One predicted profile: who it leans on, what it likely covers, how sure."""
    name = data.party(pred.partner).name
    lean = "; ".join(f"{data.party(n.partner).name} {n.weight:.2f} "
                     f"({feature_words(data, n.shared)})"
                     for n in pred.neighbours[:6]) or "none shares a group or region: base rates"
    lines = [f"Described by: {feature_words(data, pred.features)}.", f"Leans on: {lean}."]
    lines.append(f"Likely ({len(pred.likely_areas)}): {_areas(data, pred.likely_areas)}.")
    unsure = sorted(pred.areas, key=lambda a: (abs(a.probability - 0.5), a.area))[:4]
    lines.append("Least certain: " + "; ".join(
        f"{_area(data, a.area)} {a.probability:.2f}" for a in unsure) + ".")
    if pred.assessed:
        right = sum(a.likely == (a.actual is Coverage.YES) for a in pred.areas
                    if a.actual is not Coverage.UNKNOWN)
        lines.append(f"{name} is already coded; left out of the training data, the prediction "
                     f"matches {right} of {len(pred.areas)} coded areas.")
    e = result.evaluation
    if e.scores:
        lines.append(f"Leave-one-out over the {len(e.scores)} assessed SDPs: "
                     f"{_pct(e.accuracy)} of {e.cells} cells right, against "
                     f"{_pct(e.baseline_accuracy)} for 'covered if most others cover it' "
                     f"(Brier score {e.brier:.3f}).")
    rows = tuple(f"{_area(data, a.area)}: {a.probability:.2f}"
                 + (f" ({', '.join(a.covered_by)})" if a.covered_by else "")
                 + (f" — coded {a.actual}" if pred.assessed else "")
                 for a in pred.areas)
    return [Section(f"Predicted profile of {name}", tuple(lines)),
            Section("Probability per area (neighbours that cover it)", rows)]


def similar_payload(result: Analysis, code: PartyCode) -> dict[str, JSON]:
    """The JSON shape of ``similar X``: every other partner, most alike first."""
    sim = result.similarity
    rows = sorted((sim.pair(code, c) for c in sim.partners if c != code),
                  key=lambda x: (-x.jaccard, sim.partners.index(x.b)))
    return {"partner": code, "similar": [
        {"partner": x.b, "jaccard": x.jaccard, "hamming": x.hamming, "shared": x.shared,
         "either": x.either, "compared": x.compared} for x in rows]}


def similar_sections(result: Analysis, data: Dataset, code: PartyCode) -> list[Section]:
    """One partner's similarity to every other, most alike first."""
    sim = result.similarity
    others = sorted((c for c in sim.partners if c != code),
                    key=lambda c: (-sim.score(code, c), sim.partners.index(c)))
    rows = []
    for c in others:
        x = sim.pair(code, c)
        rows.append(f"{data.party(c).name} ({c}): Jaccard {x.jaccard:.2f}, {x.shared} shared of "
                    f"{x.either}, {_n(x.hamming, 'area')} differ")
    found = analysis.partner_findings(result, code)
    extra = []
    if found and found.identical_with:
        extra.append(f"Identical profile: {_names(data, found.identical_with)}.")
    return [Section("Most alike first", tuple(rows)), *([Section("Notes", tuple(extra))]
                                                        if extra else [])]


def analysis_sections(result: Analysis, data: Dataset) -> list[Section]:
    """Every finding as titled sections of sentences."""
    sections = [_basis(result, data), _core(result, data), _distinctive(result, data),
                _similarity(result, data), _contrasts(result, data),
                _consistency(result, data), _evolution(result, data)]
    for pred in result.prospects:
        sections += prediction_sections(pred, data, result)[:1]
    return sections


# --- one partner, one area ---------------------------------------------------------------

STANDINGS = {
    "core": "common core: every assessed partnership covers it",
    "near-core": "near-core: covered by at least {k} of the {n}, though not by all",
    "rare": "rare: covered by at most {rare_max} of the {n}",
    "uncovered": "covered by none of the {n}",
    "other": "neither core (all {n}), near-core (at least {k}) nor rare (at most {rare_max})",
}

_NONE_YET = "No signed partnership is assessed yet{as_of}: there is nothing to compare."


def rare_most(a: analysis.CoreAreas) -> int:
    """The most partnerships a rare area has: ``rare_max``, yet fewer than all of them."""
    return max(1, min(a.rare_max, a.n - 1))


def p_text(value: float) -> str:
    """An exact p-value as the findings print it (three decimals, or scientific if tiny)."""
    return _p(value)


def partner_findings_payload(found: PartnerFindings | None, pred: Prediction | None,
                             result: Analysis) -> dict[str, JSON]:
    """How one partner compares: its findings if assessed, else its predicted profile."""
    near = found.nearest if found else None
    c = found.consistency if found else None
    return {
        "as_of": result.as_of.isoformat() if result.as_of else None, "of": result.profiles.n,
        "assessed": found is not None,
        "tailored": [_share(d) for d in found.tailored] if found else [],
        "omissions": [_share(d) for d in found.omissions] if found else [],
        "nearest": {"partners": list(near.nearest), "jaccard": near.jaccard} if near else None,
        "identical_with": list(found.identical_with) if found else [],
        "consistency": {"declared": c.declared, "unit": c.unit, "coded": c.coded,
                        "code": c.code, "explanation": c.explanation} if c else None,
        "prediction": prediction_payload(pred) if pred else None,
        "predictor": _evaluation(result) if pred else None,
    }


def partner_findings_lines(found: PartnerFindings, data: Dataset) -> tuple[str, ...]:
    """Nearest partner(s), identical profiles and the declared-against-coded count."""
    lines = []
    if found.nearest:
        n = found.nearest
        lines.append(f"Nearest partner{'s' if len(n.nearest) > 1 else ''} by Jaccard over "
                     f"covered areas: {_names(data, n.nearest)} ({n.jaccard:.2f}).")
    if found.identical_with:
        lines.append(f"Identical profile (every area the same): "
                     f"{_names(data, found.identical_with)}.")
    if found.consistency:
        lines.append(found.consistency.explanation)
    return tuple(lines)


def area_findings_payload(found: AreaFindings, result: Analysis) -> dict[str, JSON]:
    """How many assessed partners cover one area, its standing, first appearance, contrasts."""
    a, first = result.areas, found.first
    return {
        "as_of": result.as_of.isoformat() if result.as_of else None,
        **_share(found.share), "standing": found.standing,
        "thresholds": {"partners": a.n, "near_core": a.k, "rare_max": a.rare_max},
        "first_appearance": {"date": first.date.isoformat(), "partners": list(first.partners)}
        if first else None,
        "test": TEST_NAME,
        "contrasts": [{"key": c.key, "a": _group(c.a), "b": _group(c.b),
                       "a_covered": r.a_covered, "a_of": r.a_of, "b_covered": r.b_covered,
                       "b_of": r.b_of, "difference": r.difference, "p_value": r.p_value,
                       "q_value": r.q_value} for c, r in found.contrasts],
    }


def _coverers(s: analysis.AreaShare, data: Dataset, rare: bool) -> str:
    if not s.count:
        return f"None of the {s.of} assessed partnerships covers it."
    verb = "covers" if s.count == 1 else "cover"
    return (f"{'Only ' if rare else ''}{s.count} of the {s.of} assessed partnerships {verb} "
            f"it: {_names(data, s.covered_by)}.")


def area_findings_lines(found: AreaFindings, result: Analysis,
                        data: Dataset) -> tuple[str, ...]:
    """Who covers an area, its standing, when it first appeared, its strongest contrast."""
    a = result.areas
    if not a.n:
        return (_NONE_YET.format(as_of=f" as of {result.as_of.isoformat()}" if result.as_of
                                 else ""),)
    lines = [_coverers(found.share, data, found.standing == "rare"),
             "Standing: " + STANDINGS[found.standing].format(n=a.n, k=a.k,
                                                               rare_max=rare_most(a)) + "."]
    if found.first:
        lines.append(f"First covered on {found.first.date.isoformat()}, by the SDP with "
                     f"{_names(data, found.first.partners)}.")
    differ = [(c, r) for c, r in found.contrasts if r.difference]
    if differ:
        c, r = differ[0]
        lines.append(f"Group contrast with the smallest p-value: {c.a.label} {r.a_covered} "
                     f"of {r.a_of} vs {c.b.label} {r.b_covered} of {r.b_of}; p = {_p(r.p_value)}, "
                     f"q = {_p(r.q_value)} ({TEST_NAME}).")
    elif found.contrasts:
        lines.append("Every group compared covers it in the same proportion.")
    return tuple(lines)
