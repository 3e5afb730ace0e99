"""Commands on SAFE participation: eligibility (a country, or all) and components (a BOM)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import click

from sdpatlas.cli._common import (
    BadInput,
    State,
    as_of_option,
    day,
    echo_text,
    emit,
    format_option,
    pass_state,
)
from sdpatlas.eligibility import (
    BomError,
    RulesError,
    RuleSet,
    check_components,
    evaluate,
    evaluate_all,
    load_rules,
)
from sdpatlas.eligibility._report import components_text, decision_text
from sdpatlas.findings import Finding
from sdpatlas.render import questions_safe
from sdpatlas.render.table import CSV_FORMATS


def _problems(title: str, found: tuple[Finding, ...], more: int = 0) -> BadInput:
    """One line per finding, then one ``hint:`` line with their hints (each said once)."""
    lines = [title, *(str(f) for f in found)] + ([f"… and {more} more"] if more else [])
    hints = dict.fromkeys(f.hint or f.kind.hint for f in found)
    return BadInput("\n".join(lines), hint=" ".join(h for h in hints if h) or None)


def _rules(state: State) -> RuleSet:
    data = state.data
    try:
        return load_rules(state.data_dir, data)
    except RulesError as exc:
        raise _problems("the SAFE rules have errors:", exc.findings) from exc


@click.command()
@click.argument("country", required=False)
@click.option("--all", "every", is_flag=True, help="One row for every party in the dataset.")
@as_of_option("Answer as of this date (YYYY-MM-DD; default: today).")
@format_option()
@click.pass_context
def eligibility(ctx: click.Context, country: str | None, every: bool,
                as_of: dt.datetime | None, fmt: str) -> None:
    """Whether and how COUNTRY can take part in SAFE, and why.

    COUNTRY is a code, name or alias ("CAN", "UK", "Türkiye"). The answer gives the route
    (member_state, treated_as_member_state, candidate, sdp or none), whether it may borrow,
    the participation agreement and its stages, what is missing, caveats, and a trace of
    every rule with its provision, sources and confidence. Exit 1 when COUNTRY cannot join
    common procurement on that date.
    """
    state = ctx.find_object(State)
    assert state is not None
    if every == bool(country):
        raise BadInput("give a COUNTRY or --all (not both)")
    on = day(as_of) or dt.date.today()
    rules = _rules(state)
    if every:
        answer = questions_safe.decisions(evaluate_all(state.data, rules, on))
        table = replace(answer.table, notes=questions_safe.horizon(rules, on))
        emit(table, fmt, answer.payload)
        return
    assert country is not None
    decision = evaluate(state.data, rules, state.party(country).code, on)
    if fmt in ("json", *CSV_FORMATS):
        answer = questions_safe.decision(decision)
        emit(answer.table, fmt, answer.payload)
    else:
        echo_text(decision_text(decision, fmt, questions_safe.horizon(rules, on)), fmt)
    if not decision.may_join_common_procurement:
        ctx.exit(1)


@click.command()
@click.argument("bom", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@as_of_option("Count origins as of this date (YYYY-MM-DD; default: today).")
@click.option("--top", default=20, show_default=True, type=click.IntRange(1, 10_000),
              help="How many of the largest non-European lines to keep and show.")
@format_option()
@pass_state
def components(state: State, bom: Path, as_of: dt.datetime | None, top: int, fmt: str) -> None:
    """Check a bill of materials against SAFE's 35 % limit.

    BOM is a CSV file with the columns component, cost, origin (country of origin) and
    optionally supplier (the supplier's country). Countries are codes or names. Prints the
    non-European share, the verdict and the lines pushing it over (as CSV: the cost by
    country of origin); exit 1 unless it passes, 2 with every bad row (file:line) when the
    file has errors.
    """
    rules = _rules(state)
    on = day(as_of) or dt.date.today()
    try:
        report = check_components(bom, state.data, rules, on, top)
    except BomError as exc:
        raise _problems(f"{bom} has errors; nothing was checked:", exc.findings,
                        exc.more) from exc
    if fmt in ("json", *CSV_FORMATS):
        answer = questions_safe.components(report)
        emit(answer.table, fmt, answer.payload)
    else:
        echo_text(components_text(report, fmt), fmt)
    if not report.passes:
        click.get_current_context().exit(1)


COMMANDS = (eligibility, components)
