"""Commands that answer questions: matrix, partners, partner, areas, area, compare, …"""

from __future__ import annotations

import datetime as dt

import click

from sdpatlas import analysis
from sdpatlas.cli._common import (
    BadInput,
    State,
    as_of_option,
    day,
    echo_text,
    emit,
    format_option,
    pass_state,
    terminal_width,
)
from sdpatlas.names import UnknownName, resolve_area, resolve_group
from sdpatlas.render import profiles, questions
from sdpatlas.render.table import CSV_FORMATS


def _areas(state: State, names: tuple[str, ...]) -> list[int]:
    try:
        return [resolve_area(state.data, n).id for n in names]
    except UnknownName as exc:
        ids = [a.id for a in state.data.areas]
        raise BadInput(str(exc), hint=f"an area is its number ({min(ids)}–{max(ids)}), key or "
                       "label: `sdpatlas areas` lists them") from exc


def _groups(state: State, names: tuple[str, ...]) -> list[str]:
    try:
        return [resolve_group(state.data, n).key for n in names]
    except UnknownName as exc:
        raise BadInput(str(exc)) from exc


@click.command()
@click.option("--partner", "-p", "partners", multiple=True, metavar="NAME",
              help="Only these partners (code, name or alias); repeatable.")
@click.option("--area", "-a", "areas", multiple=True, metavar="AREA",
              help="Only these areas (number, key or label); repeatable.")
@click.option("--group", "-g", "groups", multiple=True, metavar="GROUP",
              help="Only partners in this group, e.g. nato-ally, eu-candidate; repeatable.")
@click.option("--cluster", "clusters", multiple=True, metavar="CLUSTER",
              help="Only areas in this thematic cluster; repeatable.")
@click.option("--order", type=click.Choice(analysis.ORDERS), default="date", show_default=True,
              help="Column order: by signature date, by partner group, or by name.")
@as_of_option("Only partnerships signed by this date (YYYY-MM-DD).")
@format_option()
@pass_state
def matrix(state: State, partners: tuple[str, ...], areas: tuple[str, ...],
           groups: tuple[str, ...], clusters: tuple[str, ...], order: str,
           as_of: dt.datetime | None, fmt: str) -> None:
    """Table 1: the areas each signed partnership covers."""
    data = state.data
    known_clusters = {c.key for c in data.clusters}
    for key in clusters:
        if key not in known_clusters:
            choices = ", ".join(sorted(known_clusters))
            raise BadInput(f"unknown cluster {key!r}; use one of {choices}")
    m = analysis.matrix(data, partners=[state.party(p).code for p in partners],
                        areas=_areas(state, areas), groups=_groups(state, groups),
                        clusters=clusters, as_of=day(as_of), order=order)
    if not m.partnerships:
        raise BadInput("no signed partnership matches these filters")
    display = fmt in ("table", "md")
    answer = questions.matrix(m, data, display=display,
                              full_labels=display and terminal_width() is None)
    emit(answer.table, fmt, answer.payload)


@click.command()
@as_of_option("Groups as they stood on this date (default: today).")
@format_option()
@pass_state
def partners(state: State, as_of: dt.datetime | None, fmt: str) -> None:
    """Every partner with a signed or prospective partnership."""
    answer = questions.partners(state.data, day(as_of) or dt.date.today())
    emit(answer.table, fmt, answer.payload)


@click.command()
@click.argument("name")
@as_of_option("Groups as they stood on this date (default: today).")
@format_option()
@pass_state
def partner(state: State, name: str, as_of: dt.datetime | None, fmt: str) -> None:
    """Profile of one partner: its partnership, areas and sources.

    Its groups, the partnership's lifecycle, signatories, dialogues, commitments, notes, the
    areas it covers and the sources behind each statement.
    """
    data, party = state.data, state.party(name)
    on = day(as_of) or dt.date.today()
    if fmt in ("json", *CSV_FORMATS):
        answer = questions.partner(data, party.code, on)
        emit(answer.table, fmt, answer.payload)
        return
    text = profiles.render_sections(f"{party.name} ({party.code})",
                                    profiles.partner_sections(data, party.code, on), fmt)
    echo_text(text, fmt)


@click.command()
@as_of_option("Count only partnerships signed by this date.")
@format_option()
@pass_state
def areas(state: State, as_of: dt.datetime | None, fmt: str) -> None:
    """The 26 areas of cooperation and how many partners cover each."""
    answer = questions.areas(state.data, day(as_of))
    emit(answer.table, fmt, answer.payload)


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("name")
@as_of_option("Only partnerships signed by this date.")
@format_option()
@pass_state
def area(state: State, name: str, as_of: dt.datetime | None, fmt: str) -> None:
    """One area: its definition, who covers it and who does not."""
    data = state.data
    found = data.area(_areas(state, (name,))[0])
    if fmt in ("json", *CSV_FORMATS):
        answer = questions.area(data, found.id, day(as_of))
        emit(answer.table, fmt, answer.payload)
        return
    sections = profiles.area_sections(data, found.id, day(as_of))
    echo_text(profiles.render_sections(f"{found.id}. {found.label}", sections, fmt), fmt)


@click.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--differences", is_flag=True, help="Show only the areas where they differ.")
@format_option()
@pass_state
def compare(state: State, names: tuple[str, ...], differences: bool, fmt: str) -> None:
    """Compare partnerships: shared areas and those only one covers."""
    codes = [state.party(n).code for n in names]
    try:
        answer = questions.compare(state.data, codes, differences)
    except ValueError as exc:
        raise BadInput(str(exc)) from exc
    emit(answer.table, fmt, answer.payload)


@click.command()
@click.option("--partner", "-p", "partners", multiple=True, metavar="NAME",
              help="Only entries about these partners; repeatable.")
@click.option("--category", type=click.Choice(("partnership", "milestone", "parliament",
                                               "instrument")), multiple=True,
              help="Only these kinds of entry; repeatable.")
@as_of_option("Only what happened by this date.")
@format_option()
@pass_state
def timeline(state: State, partners: tuple[str, ...], category: tuple[str, ...],
             as_of: dt.datetime | None, fmt: str) -> None:
    """Signatures, talks, SAFE steps and resolutions, by date.

    Oldest first, with the European Parliament's resolutions.
    """
    codes = tuple(state.party(p).code for p in partners)
    answer = questions.timeline(state.data, day(as_of), codes, category)
    if fmt == "table" and as_of is not None and not answer.table.rows:
        ever = questions.timeline(state.data, None, codes, category).table.rows
        if ever:
            click.echo(f"Nothing is recorded by {day(as_of)} (first dated fact: {ever[0][0]}, "
                       f"{ever[0][2]}).")
            return
    emit(answer.table, fmt, answer.payload)


@click.command()
@click.option("--confidence", type=click.Choice(("verified", "secondary", "unverified")),
              help="Only sources of this confidence.")
@format_option()
@pass_state
def sources(state: State, confidence: str | None, fmt: str) -> None:
    """Every cited document, with its confidence and citations."""
    answer = questions.sources(state.data, confidence)
    table = answer.table
    if fmt == "table" and terminal_width() is not None:  # URLs break a wrapped table
        table = table.without("url")
    emit(table, fmt, answer.payload)


@click.command()
@format_option()
@pass_state
def conflicts(state: State, fmt: str) -> None:
    """Facts on which sources disagree, and the claim preferred.

    Every claim with its sources, the preferred one and why.
    """
    answer = questions.conflicts(state.data)
    emit(answer.table, fmt, answer.payload)


COMMANDS = (matrix, partners, partner, areas, area, compare, timeline, sources, conflicts)
