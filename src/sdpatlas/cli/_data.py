"""Commands that check, build and export the dataset."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import click

from sdpatlas import analysis
from sdpatlas.cli._common import BadInput, CheckFailed, State, format_option, pass_state
from sdpatlas.findings import DatasetError, Finding, Severity
from sdpatlas.render import export as exports
from sdpatlas.render.matrix import matrix_html, matrix_latex, matrix_markdown
from sdpatlas.render.table import Column, Table, as_csv, as_json, render


@click.command()
@click.option("--all", "show_all", is_flag=True,
              help="Also list information findings (the conflicts kept as data).")
@format_option()
@pass_state
def validate(state: State, show_all: bool, fmt: str) -> None:
    """Check the dataset; exit 1 if it has errors. Lists every conflict between sources."""
    findings = _all_findings(state.data_dir)
    shown = [f for f in findings if show_all or f.severity is not Severity.INFO
             or f.code == "conflicting-claim"]
    rows = tuple((f.severity.value, f.code, f.location, f.field, f.message, f.hint or f.kind.hint)
                 for f in shown)
    columns = (Column("severity", "Severity"), Column("code", "Code"),
               Column("location", "Where"), Column("field", "Field"),
               Column("message", "Message"), Column("hint", "Hint"))
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = sum(f.severity is Severity.WARNING for f in findings)
    if fmt == "table":
        for f in shown:
            click.echo(str(f))
        click.echo(f"{errors} error(s), {warnings} warning(s), "
                   f"{len(findings) - errors - warnings} note(s)", err=True)
    else:
        click.echo(render(Table(columns, rows), fmt, [f.as_dict() for f in shown]), nl=False)
    if errors:
        raise CheckFailed(f"{errors} error(s) in {state.data_dir}")


def _all_findings(directory: Path) -> tuple[Finding, ...]:
    """Findings on the dataset, then on its SAFE rules (checked against the dataset if valid)."""
    from sdpatlas.dataset import check
    from sdpatlas.eligibility import rules_path, validate_rules

    data, findings = check(directory)
    if not rules_path(directory).exists():
        return findings
    return findings + validate_rules(directory, data)


@click.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the database (default: the cache; its path is printed).")
@pass_state
def build(state: State, db_path: Path | None) -> None:
    """Build the SQLite database from the YAML data (atomically; nothing on error)."""
    from sdpatlas import store
    from sdpatlas.dataset import load

    try:
        data = load(state.data_dir)
    except DatasetError as exc:
        from sdpatlas.cli._common import describe_findings

        raise BadInput(describe_findings(exc)) from exc
    target = db_path or store.cached_db(state.data_dir)[0]
    path = store.build(data, target)
    click.echo(str(path))


EXPORT_FORMATS = ("json", "csv", "xlsx", "md", "latex", "html", "datapackage", "cff")


@click.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="json",
              show_default=True,
              help="json: the whole dataset; csv: one row per partner × area; xlsx: a sheet per "
                   "table; md/latex/html: the matrix; datapackage: a Frictionless package "
                   "(needs -o DIR); cff: CITATION.cff.")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write to this file (or folder for datapackage) instead of stdout.")
@pass_state
def export(state: State, fmt: str, output: Path | None) -> None:
    """Export the whole dataset or the matrix in a standard format."""
    data = state.data
    if fmt == "datapackage":
        if output is None:
            raise BadInput("--format datapackage writes a folder: give -o DIR")
        _replace_dir(output, lambda tmp: exports.write_datapackage(data, tmp))
        click.echo(str(output / "datapackage.json"), err=True)
        return
    if fmt == "xlsx":
        if output is None:
            raise BadInput("--format xlsx writes a binary workbook: give -o FILE.xlsx")
        _replace_file(output, lambda tmp: exports.write_xlsx(data, tmp))
        return
    text = _text_export(state, fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        _replace_file(output, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _text_export(state: State, fmt: str) -> str:
    data = state.data
    if fmt == "json":
        return as_json(exports.dataset_json(data))
    if fmt == "csv":
        return as_csv(exports.coverage_table(data))
    if fmt == "cff":
        return exports.citation_cff(data)
    m = analysis.matrix(data)
    renderers = {"md": matrix_markdown, "latex": matrix_latex, "html": matrix_html}
    return renderers[fmt](m)


def _replace_file(target: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file beside the target, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    temp = Path(name)
    try:
        write(temp)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def _replace_dir(target: Path, write: Callable[[Path], object]) -> None:
    """Write a folder beside the target, then swap it into place."""
    if target.exists() and not target.is_dir():
        raise BadInput(f"{target} exists and is not a folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        write(temp)
        if target.exists():
            shutil.rmtree(target)
        os.replace(temp, target)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


COMMANDS = (validate, build, export)
