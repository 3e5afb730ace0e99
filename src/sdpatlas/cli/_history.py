"""``sdpatlas diff`` and ``changelog``: what changed between two datasets (folders or git
revisions), and the record of the dataset's versions."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import click

from sdpatlas.cli._common import (
    BadInput,
    CheckFailed,
    State,
    describe_findings,
    format_option,
    pass_state,
    terminal_width,
)
from sdpatlas.diff import Change, diff
from sdpatlas.errors import InputError
from sdpatlas.findings import DatasetError
from sdpatlas.model import Dataset
from sdpatlas.render.table import Column, Table, render
from sdpatlas.render.words import count

COLUMNS = (Column("section", "Section"), Column("key", "Record"), Column("change", "Change"),
           Column("field", "Field"), Column("old", "Old"), Column("new", "New"),
           Column("sources", "Sources"))


@contextlib.contextmanager
def _folder(state: State, name: str) -> Iterator[Path]:
    """A dataset folder as given, or the dataset of a git revision in a temporary folder."""
    path = Path(name)
    if path.is_dir():
        yield path
        return
    from sdpatlas.revisions import dataset_folder

    with dataset_folder(state.data_dir, name) as folder:
        yield folder


def _load(folder: Path, name: str) -> Dataset:
    from sdpatlas.dataset import load

    try:
        return load(folder)
    except DatasetError as exc:
        raise InputError(f"the dataset of {name} does not load:\n{describe_findings(exc)}",
                         code="dataset-invalid",
                         hint="compare revisions whose data this version of sdpatlas reads"
                         ) from exc


def _table(changes: tuple[Change, ...]) -> Table:
    rows = tuple((c.section, c.key, c.change, c.field, c.old, c.new, ", ".join(c.sources))
                 for c in changes)
    return Table(COLUMNS, rows, title="Changes")


@click.command(name="diff")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="[NEW]", required=False)
@format_option(choices=("table", "json", "md"))
@pass_state
def diff_command(state: State, old: str, new: str | None, fmt: str) -> None:
    """What changed between two datasets (folders or git revisions).

    OLD and NEW are each a dataset folder or a git revision.

    Revisions (HEAD~1, a tag, a commit) are read from the repository holding the dataset
    with `git archive`, never touching the work tree. NEW defaults to the current dataset.
    Exit 0 when they are equal, 1 when they differ (like diff), 2 on bad input.
    """
    with _folder(state, old) as old_dir:
        before = _load(old_dir, old)
    if new is None:
        after, new_name = _load(state.data_dir, str(state.data_dir)), str(state.data_dir)
    else:
        with _folder(state, new) as new_dir:
            after, new_name = _load(new_dir, new), new
    changes = diff(before, after)
    payload = {"old": old, "new": new_name, "changes": [c.as_dict() for c in changes]}
    click.echo(render(_table(changes), fmt, payload, terminal_width()), nl=False)
    click.echo(f"{count(len(changes), 'change')} from {old} to {new_name}", err=True)
    if changes:
        click.get_current_context().exit(1)


@click.command()
@click.option("--check", is_flag=True,
              help="Only check that the current version is recorded; exit 1 if not.")
@pass_state
def changelog(state: State, check: bool) -> None:
    """Record the dataset's version and its changes in the changelog.

    The version and its coverage date come from dataset.yaml; the changes since the last
    recorded version are computed against that version's data, found in the repository's
    history.
    """
    from sdpatlas import release
    from sdpatlas.outputs import write_text

    data, folder = state.data, state.data_dir
    if data.release is None:
        raise BadInput(f"{folder} has no dataset.yaml, so it has no version to record",
                       hint="add dataset.yaml with `version:` and `coverage:` (data/README.md)")
    problems = release.release_findings(folder, data.release)
    if not problems:
        click.echo(f"version {data.release.version} is recorded; the changelog is up to date",
                   err=True)
        return
    problem = problems[0]
    if check or problem.code != "changelog-missing" or "cannot be read" in problem.message:
        raise CheckFailed(problem.message, code=problem.code, hint=problem.hint)
    entries = release.read_changelog(folder)
    previous = entries[0] if entries else None
    old = release.previous_data(folder, previous) if previous else None
    text = release.entry_text(data, release.facts_digest(folder),
                              previous.version if previous else None,
                              diff(old, data) if old is not None else None)
    path = write_text(folder / release.CHANGELOG_FILE,
                      release.changelog_text([text, *(e.text for e in entries)]))
    click.echo(f"recorded version {data.release.version} in {path}", err=True)


COMMANDS = (diff_command, changelog)
