"""``sdpatlas suggest`` and ``apply-suggestion``: corrections as reviewable changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from sdpatlas.cli._common import BadInput, Day, State, pass_state
from sdpatlas.model import Coverage

STATUSES = tuple(c.value for c in Coverage)


@click.command()
@click.argument("partner", metavar="PARTNER")
@click.option("--area", type=int, metavar="N",
              help="The area of Table 1 to correct (with --status); without it, a sourced "
                   "note on the partnership is suggested.")
@click.option("--status", type=click.Choice(STATUSES), help="The status the area should have.")
@click.option("--topic", default="correction", show_default=True,
              help="The note's topic when no --area is given.")
@click.option("--reason", required=True, help="The correction, in a sentence.")
@click.option("--source-title", required=True, help="The title of the source that shows it.")
@click.option("--source-url", required=True, help="Where the source can be read (http/https).")
@click.option("--source-date", type=Day(), metavar="DATE",
              help="The source's date (YYYY-MM-DD).")
@pass_state
def suggest(state: State, partner: str, area: int | None, status: str | None, topic: str,
            reason: str, source_title: str, source_url: str,
            source_date: dt.datetime | None) -> None:
    """Print a suggested correction as a reviewable change (nothing is written).

    The result is a unified diff of the data files with the new source's entry; send it
    to the editors, who apply it with `sdpatlas apply-suggestion FILE`.
    """
    from sdpatlas.corrections import Suggestion, suggest_cell, suggest_note

    code = state.party(partner).code
    if state.data.partnership(code) is None:
        raise BadInput(f"{code} has no partnership in the dataset to correct")
    suggestion = Suggestion(reason, source_title, source_url,
                            source_date=source_date.date() if source_date else None)
    if area is None:
        click.echo(suggest_note(state.data_dir, state.data, code, topic, suggestion), nl=False)
        return
    if status is None:
        raise BadInput("--area needs --status: the status the area should have")
    click.echo(suggest_cell(state.data_dir, state.data, code, area, Coverage(status),
                            suggestion), nl=False)


@click.command(name="apply-suggestion")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_state
def apply_suggestion(state: State, file: Path) -> None:
    """Apply a suggested correction to the dataset if the result validates.

    The change must apply exactly (the files have not moved since it was made) and the
    corrected dataset must validate; otherwise nothing is changed (exit 2).
    """
    from sdpatlas.corrections import MAX_SUGGESTION, apply
    from sdpatlas.paths import DataFileError, read_data_file

    try:
        text = read_data_file(file, MAX_SUGGESTION).decode("utf-8")
    except (DataFileError, UnicodeDecodeError) as exc:
        raise BadInput(f"cannot read the suggestion {file}: {exc}") from exc
    for path in apply(state.data_dir, text):
        click.echo(f"changed {path}", err=True)
    click.echo("the corrected dataset validates; raise its version in dataset.yaml and run "
               "`sdpatlas changelog` to record it", err=True)


COMMANDS = (suggest, apply_suggestion)
