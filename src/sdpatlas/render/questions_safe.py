"""One answer per SAFE question: every party's route, one party's decision, a components check.

As :mod:`sdpatlas.render.questions`: each function builds the question's :class:`Answer`
once; ``sdpatlas eligibility`` / ``components`` print it (its table as text, Markdown or CSV,
its payload as JSON) and the web serves the same payload as JSON, the same table as CSV and
on its page.
"""

from __future__ import annotations

import datetime as dt

from sdpatlas.eligibility._components import ComponentReport
from sdpatlas.eligibility._decision import Decision
from sdpatlas.eligibility._rules import RuleSet
from sdpatlas.render.jsonable import JSON
from sdpatlas.render.questions import Answer
from sdpatlas.render.table import Cell, Column, Table

__all__ = ["components", "decision", "decisions", "horizon"]


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


DECISION_COLUMNS = (Column("country", "Code"), Column("name", "Party"), Column("route", "Route"),
                    Column("may_join_common_procurement", "Joins"),
                    Column("may_borrow", "Borrows"),
                    Column("participation_agreement", "Agreement"),
                    Column("components_count_as_european", "European origin"),
                    Column("confidence", "Confidence"), Column("next", "Missing first"))


def decisions(found: tuple[Decision, ...]) -> Answer:
    """Every party on a date, one row each: route, rights, agreement, what is missing first."""
    rows = tuple((d.country, d.name, d.route.value, _yes(d.may_join_common_procurement),
                  _yes(d.may_borrow), d.participation_agreement,
                  _yes(d.components_count_as_european), d.confidence.value,
                  d.missing[0] if d.missing else None) for d in found)
    as_of = found[0].as_of if found else ""
    table = Table(DECISION_COLUMNS, rows, title=f"SAFE participation as of {as_of}")
    return Answer(table, [d.as_dict() for d in found])


TRACE_COLUMNS = (Column("rule", "Rule"), Column("provision", "Provision"),
                 Column("outcome", "Outcome"), Column("confidence", "Confidence"),
                 Column("sources", "Sources"), Column("reason", "Reason"))


def decision(d: Decision) -> Answer:
    """One party's decision: the whole answer as JSON, its trace (one row per rule) as the
    table."""
    rows = tuple((s.rule, s.provision, s.outcome.value, s.confidence.value,
                  ", ".join(s.sources), s.reason) for s in d.trace)
    table = Table(TRACE_COLUMNS, rows, title=f"{d.name}: SAFE trace as of {d.as_of}")
    return Answer(table, d.as_dict())


ORIGIN_COLUMNS = (Column("country", "Code"), Column("name", "Country"),
                  Column("counts_as", "Counts as"), Column("cost", "Cost", "right"),
                  Column("lines", "Lines", "right"))


def components(report: ComponentReport) -> Answer:
    """A bill of materials checked: the whole report as JSON, the cost by country of origin
    (largest first, as the report orders them) as the table."""
    payload = report.as_dict()
    origins = payload["origins"]
    assert isinstance(origins, list)
    rows: list[tuple[Cell, ...]] = []
    for item in origins:
        assert isinstance(item, dict)
        rows.append(tuple(_cell(item[c.key]) for c in ORIGIN_COLUMNS))
    title = (f"Cost by country of origin: {report.file}, {report.share_percent} % "
             f"non-European (limit {report.limit_percent} %)")
    return Answer(Table(ORIGIN_COLUMNS, tuple(rows), title=title), payload)


def _cell(value: JSON) -> Cell:
    assert value is None or isinstance(value, str | int | float)
    return value


def horizon(rules: RuleSet, on: dt.date) -> tuple[str, ...]:
    """A sentence for a day after the last of the rules' windows ends (none before it): what
    is known stops there, so an answer for a later day only carries the open-ended rules on."""
    ends = [r for r in rules.rules if r.window.end is not None]
    if not ends:
        return ()
    last = max(ends, key=lambda r: r.window.end or dt.date.min)
    assert last.window.end is not None
    if on <= last.window.end:
        return ()
    return (f"SAFE is known here only up to {last.window.end}, when the last of its rules "
            f"with an end date runs out ({last.title}, {last.provision}): nothing is "
            f"recorded about it after that day, so this answer for {on} only carries on "
            "the rules without an end date as they stood then.",)
