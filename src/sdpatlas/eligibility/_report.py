"""Decisions and component reports as terminal text or Markdown (the CLI's renderings).

Their tables and JSON are built once in :mod:`sdpatlas.render.questions_safe`.
"""

from __future__ import annotations

from sdpatlas.eligibility._answer import UNCHECKED_MARK, UNCHECKED_NOTE, answer_sentences
from sdpatlas.eligibility._components import AGREEMENT, EUROPEAN, THIRD, ComponentReport
from sdpatlas.eligibility._decision import Caveat, Decision, Step
from sdpatlas.render.words import count, label


def _cite(sources: tuple[str, ...]) -> str:
    return f" [{', '.join(sources)}]" if sources else ""


def _caveat(c: Caveat) -> str:
    flag = "A choice the Union may make, not an automatic outcome: " if c.discretionary else ""
    where = f"{c.provision}; " if c.provision else ""
    return f"{flag}{c.text} ({where}{c.confidence.value}){_cite(c.sources)}"


def _provision(s: Step) -> str:
    return s.provision + ("" if s.provision_checked else f" {UNCHECKED_MARK}")


def _step(s: Step) -> list[str]:
    head = (f"{s.outcome.value.upper()} {s.rule} — {s.title} ({_provision(s)}; "
            f"{s.confidence.value})")
    lines = [head + _cite(s.sources), f"    {s.reason}"]
    lines += [f"    · {f.statement}" + (f" ({f.confidence.value})" if f.confidence else "")
              + _cite(f.sources) for f in s.facts]
    return lines


def decision_sections(d: Decision, notes: tuple[str, ...] = ()) -> list[tuple[str, list[str]]]:
    """The decision as headed groups of lines, ``notes`` after its answer's sentences."""
    agreement = label(d.participation_agreement) if d.participation_agreement else "none"
    if d.participation_agreement:
        agreement += " (applies)" if d.agreement_applies else " (does not apply)"
    details = [
        f"Route: {label(d.route.value)}",
        f"Participation agreement: {agreement}",
        f"Confidence: {d.confidence.value}",
    ]
    sections = [("Answer", [*answer_sentences(d), *notes]), ("Details", details),
                ("Missing", list(d.missing) or ["nothing"]),
                ("Caveats", [_caveat(c) for c in d.caveats] or ["none"])]
    if d.stages:
        sections.append(("Participation agreement stages", [
            f"{'done' if s.reached else 'todo'} {s.key}: {s.title}"
            + (f", {s.date}" if s.date else "") + f" — {s.basis} ({s.provision})"
            + _cite(s.sources) for s in d.stages]))
    trace = [line for s in d.trace for line in _step(s)]
    if not all(s.provision_checked for s in d.trace):
        trace.append(UNCHECKED_NOTE)
    sections.append(("Trace", trace))
    return sections


def decision_text(d: Decision, fmt: str, notes: tuple[str, ...] = ()) -> str:
    """A decision as terminal text (``table``) or Markdown (``md``), ``notes`` in its answer."""
    title = f"{d.name} ({d.country}): SAFE participation as of {d.as_of}"
    if fmt == "md":
        out = [f"# {title}"]
        for heading, lines in decision_sections(d, notes):
            out += ["", f"## {heading}", ""]
            out += [f"- {line.strip()}" if not line.startswith("    ") else
                    f"  - {line.strip().lstrip('· ')}" for line in lines]
        return "\n".join(out) + "\n"
    out = [title, "=" * len(title)]
    for heading, lines in decision_sections(d, notes):
        out += ["", heading, "-" * len(heading), *(f"  {line}" for line in lines)]
    return "\n".join(out) + "\n"


_ORIGIN = {EUROPEAN: "counts as European", THIRD: "counts as non-European",
           AGREEMENT: "non-European, from a country whose participation agreement applies"}


def _outside_lines(r: ComponentReport) -> int:
    return sum(o.lines for o in r.origins if o.category != EUROPEAN)


def components_text(r: ComponentReport, fmt: str) -> str:
    """A component report as terminal text (``table``) or Markdown (``md``)."""
    words = {"pass": "PASS", "fail": "FAIL",
             "depends-on-agreement": "UNDETERMINED (depends on a participation agreement)"}
    summary = [
        f"Verdict: {words[r.verdict]}",
        f"Non-European share: {r.share_percent} % of {r.total} (limit {r.limit_percent} %)",
        f"Non-European cost: {r.non_european} over {count(_outside_lines(r), 'line')} "
        f"(of {count(r.lines, 'line')})",
        f"Rule: {r.provision} ({r.confidence.value}){_cite(r.sources)}",
    ]
    if r.agreement_cost:
        summary.append(f"From countries with a participation agreement: {r.agreement_cost}; "
                       f"without them the share would be {r.share_without_agreement_percent} %")
    if r.ignored_columns:
        summary.append(f"Ignored columns: {', '.join(r.ignored_columns)}")
    sections = [("Answer", summary), ("By origin", [
        f"{o.code} {o.name}: {o.cost} in {count(o.lines, 'line')}, {_ORIGIN[o.category]}"
        for o in r.origins])]
    if r.offenders:
        note = ("" if r.offenders_cover_excess else
                " (these alone do not cover it: raise --top to see more)")
        sections.append((f"Lines pushing it over: re-sourcing them in the EU, EEA EFTA or "
                         f"Ukraine clears the excess of {r.excess}{note}", [
                             f"line {o.line}: {o.component or '(no name)'}, {o.cost}, "
                             f"origin {o.origin}" for o in r.offenders]))
    if r.suppliers_outside:
        sections.append(("Suppliers established outside the EU, EEA EFTA and Ukraine", [
            f"{code}: {count(n, 'line')}; such firms take part only under Art. 16(4) or an "
            "Art. 17 agreement (the supplier does not change a component's origin)"
            for code, n in r.suppliers_outside]))
    if r.caveats:
        sections.append(("Caveats", [_caveat(c) for c in r.caveats]))
    title = f"Component origin check of {r.file} as of {r.as_of}"
    if fmt == "md":
        out = [f"# {title}"]
        for heading, lines in sections:
            out += ["", f"## {heading}", "", *(f"- {line}" for line in lines)]
    else:
        out = [title, "=" * len(title)]
        for heading, lines in sections:
            out += ["", heading, "-" * min(len(heading), 80), *(f"  {line}" for line in lines)]
    return "\n".join(out) + "\n"
