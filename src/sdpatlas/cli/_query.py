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
    emit,
    format_option,
    pass_state,
)
from sdpatlas.names import UnknownName, resolve_area, resolve_group
from sdpatlas.render import profiles
from sdpatlas.render.jsonable import jsonable
from sdpatlas.render.matrix import SYMBOLS, matrix_payload, matrix_table
from sdpatlas.render.table import Cell, Column, Table, as_json


def _areas(state: State, names: tuple[str, ...]) -> list[int]:
    try:
        return [resolve_area(state.data, n).id for n in names]
    except UnknownName as exc:
        raise BadInput(str(exc)) from exc


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
    """Table 1: which areas of cooperation each signed partnership covers."""
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
    emit(matrix_table(m, data), fmt, matrix_payload(m))


@click.command()
@as_of_option("Groups as they stood on this date (default: today).")
@format_option()
@pass_state
def partners(state: State, as_of: dt.datetime | None, fmt: str) -> None:
    """Every partner with a signed or prospective partnership."""
    data, on = state.data, day(as_of) or dt.date.today()
    rows = []
    for p in sorted(data.partnerships, key=lambda p: (p.signed is None, str(p.signed or ""),
                                                       p.partner)):
        party = data.party(p.partner)
        covered = sum(c.status.value == "yes" for c in p.coverage) if p.assessed else None
        rows.append((p.partner, party.name, str(p.status), str(p.signed) if p.signed else None,
                     ", ".join(party.groups_on(on)), covered,
                     p.declared.count if p.declared else None))
    columns = (Column("code", "Code"), Column("name", "Partner"), Column("status", "Status"),
               Column("signed", "Signed"), Column("groups", "Groups"),
               Column("areas_covered", "Areas (Table 1)", "right"),
               Column("areas_declared", "Areas (text)", "right"))
    emit(Table(columns, tuple(rows), title="Security and defence partnerships"), fmt)


@click.command()
@click.argument("name")
@as_of_option("Groups as they stood on this date (default: today).")
@format_option()
@pass_state
def partner(state: State, name: str, as_of: dt.datetime | None, fmt: str) -> None:
    """Profile of one partner: groups, lifecycle, dialogues, commitments, areas, sources."""
    data, party = state.data, state.party(name)
    on = day(as_of) or dt.date.today()
    if fmt == "json":
        click.echo(as_json(profiles.partner_payload(data, party.code, on)), nl=False)
        return
    if fmt == "csv":
        p = data.partnership(party.code)
        rows = tuple((a.id, a.key, a.label, str(p.status_of(a.id)) if p else "unknown")
                     for a in data.areas)
        cols = (Column("area", "#"), Column("key", "Key"), Column("label", "Area"),
                Column("status", "Status"))
        emit(Table(cols, rows), fmt)
        return
    text = profiles.render_sections(f"{party.name} ({party.code})",
                                    profiles.partner_sections(data, party.code, on), fmt)
    click.echo(text, nl=False)


@click.command()
@as_of_option("Count only partnerships signed by this date.")
@format_option()
@pass_state
def areas(state: State, as_of: dt.datetime | None, fmt: str) -> None:
    """The 26 areas of cooperation and how many partnerships cover each."""
    data = state.data
    signed = data.signed(day(as_of))
    rows = tuple((a.id, a.key, a.short, a.cluster,
                  sum(p.status_of(a.id).value == "yes" for p in signed), len(signed))
                 for a in data.areas)
    columns = (Column("id", "#", "right"), Column("key", "Key"), Column("label", "Area"),
               Column("cluster", "Cluster"), Column("covered_by", "Covered by", "right"),
               Column("of", "Of", "right"))
    emit(Table(columns, rows, title="Areas of cooperation"), fmt)


@click.command()
@click.argument("name")
@as_of_option("Only partnerships signed by this date.")
@format_option()
@pass_state
def area(state: State, name: str, as_of: dt.datetime | None, fmt: str) -> None:
    """One area: its definition, who covers it and who does not."""
    data = state.data
    found = data.area(_areas(state, (name,))[0])
    if fmt == "json":
        click.echo(as_json(profiles.area_payload(data, found.id, day(as_of))), nl=False)
        return
    if fmt == "csv":
        rows = tuple((p.partner, data.party(p.partner).name, str(p.status_of(found.id)))
                     for p in data.signed(day(as_of)))
        emit(Table((Column("partner", "Code"), Column("name", "Partner"),
                    Column("status", "Status")), rows), fmt)
        return
    sections = profiles.area_sections(data, found.id, day(as_of))
    click.echo(profiles.render_sections(f"{found.id}. {found.label}", sections, fmt), nl=False)


@click.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--differences", is_flag=True, help="Show only the areas where they differ.")
@format_option()
@pass_state
def compare(state: State, names: tuple[str, ...], differences: bool, fmt: str) -> None:
    """Compare two or more partnerships: shared areas and those only one covers."""
    data = state.data
    codes = [state.party(n).code for n in names]
    try:
        result = analysis.compare(data, codes)
    except ValueError as exc:
        raise BadInput(str(exc)) from exc
    rows: tuple[tuple[Cell, ...], ...] = tuple((a.id, a.short, *(SYMBOLS[s] for s in statuses))
                 for a, statuses in result.rows
                 if not differences or a.id in result.differing)
    columns = (Column("area", "#", "right"), Column("label", "Area"),
               *(Column(c, c) for c in result.partners))
    notes = [f"Shared by all: {len(result.shared)} areas ({_ids(result.shared)})"]
    notes += [f"Only {c}: {_ids(ids) or 'none'}" for c, ids in result.only.items()]
    payload = {"partners": list(result.partners), "shared": list(result.shared),
               "only": {c: list(ids) for c, ids in result.only.items()},
               "differing": list(result.differing),
               "rows": [{"area": a.id, "label": a.label,
                         "status": {c: str(s) for c, s in zip(result.partners, st, strict=True)}}
                        for a, st in result.rows]}
    title = "Comparison: " + " vs ".join(data.party(c).name for c in result.partners)
    emit(Table(columns, rows, title=title, notes=tuple(notes)), fmt, payload)


def _ids(ids: tuple[int, ...]) -> str:
    return ", ".join(str(i) for i in ids)


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
    """Signatures, negotiations, SAFE steps and Parliament's resolutions, oldest first."""
    codes = {state.party(p).code for p in partners}
    entries = [e for e in analysis.timeline(state.data, day(as_of))
               if (not codes or codes & set(e.parties))
               and (not category or e.category in category)]
    rows = tuple((str(e.date), e.category, e.title, ", ".join(e.parties), ", ".join(e.sources))
                 for e in entries)
    columns = (Column("date", "Date"), Column("category", "Category"), Column("title", "What"),
               Column("parties", "Parties"), Column("sources", "Sources"))
    emit(Table(columns, rows, title="Timeline"), fmt)


@click.command()
@click.option("--confidence", type=click.Choice(("verified", "secondary", "unverified")),
              help="Only sources of this confidence.")
@format_option()
@pass_state
def sources(state: State, confidence: str | None, fmt: str) -> None:
    """Every cited document, with its confidence and how many facts cite it."""
    data = state.data
    usage = analysis.source_usage(data)
    wide = fmt != "table"  # URLs make a terminal table unreadable
    rows = tuple((s.id, s.kind, str(s.confidence), str(s.date) if s.date else None, s.title,
                  usage[s.id], *((s.url,) if wide else ()))
                 for s in data.sources if confidence is None or s.confidence == confidence)
    columns = (Column("id", "Id"), Column("kind", "Kind"), Column("confidence", "Confidence"),
               Column("date", "Date"), Column("title", "Title"),
               Column("cited", "Cited", "right"), *((Column("url", "URL"),) if wide else ()))
    emit(Table(columns, rows, title="Sources"), fmt)


@click.command()
@format_option()
@pass_state
def conflicts(state: State, fmt: str) -> None:
    """Facts on which sources disagree: every claim, the preferred one and why."""
    data = state.data
    rows = tuple((c.id, c.subject, c.preferred.value,
                  " | ".join(f"{x.value} ({', '.join(x.sources)})" for x in c.claims
                             if not x.preferred), c.reason)
                 for c in data.conflicts)
    columns = (Column("id", "Id"), Column("subject", "Subject"), Column("preferred", "Preferred"),
               Column("other_claims", "Other claims"), Column("reason", "Why preferred"))
    payload = jsonable(data.conflicts)
    emit(Table(columns, rows, title=f"Conflicting claims ({len(rows)})"), fmt, payload)


COMMANDS = (matrix, partners, partner, areas, area, compare, timeline, sources, conflicts)
