"""Commands that check, build and export the dataset."""

from __future__ import annotations

from pathlib import Path

import click

from sdpatlas import analysis, outputs
from sdpatlas.cli._common import (
    BadInput,
    CheckFailed,
    State,
    echo_text,
    format_option,
    pass_state,
    terminal_width,
)
from sdpatlas.errors import OutputError
from sdpatlas.findings import DatasetError, Finding, Severity
from sdpatlas.render import export as exports
from sdpatlas.render.matrix import matrix_html, matrix_latex, matrix_markdown
from sdpatlas.render.table import CSV_FORMATS, Column, Table, as_csv, as_json, render
from sdpatlas.render.words import count


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
        echo_text("".join(f"{f}\n" for f in shown))
        click.echo(f"{count(errors, 'error')}, {count(warnings, 'warning')}, "
                   f"{count(len(findings) - errors - warnings, 'note')}", err=True)
    else:
        click.echo(render(Table(columns, rows), fmt, [f.as_dict() for f in shown],
                          terminal_width()), nl=False)
    if errors:
        raise CheckFailed(f"{count(errors, 'error')} in {state.data_dir}")


def _all_findings(directory: Path) -> tuple[Finding, ...]:
    """Findings on the dataset, its version and changelog, then on its SAFE rules (checked
    against the dataset if valid)."""
    from sdpatlas.dataset import check
    from sdpatlas.eligibility import rules_path, validate_rules
    from sdpatlas.release import release_findings

    data, findings = check(directory)
    if data is not None:
        findings += tuple(release_findings(directory, data.release))
    if not rules_path(directory).exists():
        return findings
    return findings + tuple(f for f in validate_rules(directory, data) if f not in findings)


@click.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the database (default: the cache; its path is printed). "
                   "Only a regular file is ever replaced.")
@pass_state
def build(state: State, db_path: Path | None) -> None:
    """Build the SQLite database from the YAML data.

    Atomically: on any error nothing is written.
    """
    from sdpatlas import store
    from sdpatlas.cli._common import describe_findings, unreadable
    from sdpatlas.dataset import load

    try:
        data = load(state.data_dir)
        target = db_path or store.cached_db(state.data_dir)[0]
    except DatasetError as exc:
        raise BadInput(describe_findings(exc), code=exc.code) from exc
    except OSError as exc:
        raise unreadable(exc) from exc
    if db_path is not None:
        click.echo(str(store.build(data, target)))
        return
    try:
        click.echo(str(store.build_cached(data, target)))
    except OutputError as exc:
        raise OutputError(exc.message, code=exc.code,
                          hint="set SDPATLAS_CACHE to a writable folder, or write the "
                               "database elsewhere with --db PATH") from exc


EXPORT_FORMATS = ("json", "csv", "csv-excel", "xlsx", "md", "latex", "html", "datapackage", "cff")


@click.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="json",
              show_default=True,
              help="json: the whole dataset; csv: one row per partner × area (csv-excel: the "
                   "same for Excel, UTF-8 with BOM); xlsx: Table 1 and a sheet per table; "
                   "md/latex/html: the matrix; datapackage: a Frictionless package "
                   "(needs -o DIR); cff: CITATION.cff.")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write to this file (or folder for datapackage) instead of stdout.")
@click.option("--force", is_flag=True,
              help="Let datapackage replace a folder that holds files it did not write.")
@pass_state
def export(state: State, fmt: str, output: Path | None, force: bool) -> None:
    """Export the whole dataset or the matrix in a standard format.

    Files are written whole or not at all. A data package folder is built beside its target
    and renamed in; an existing folder is replaced only if it is empty or an earlier export,
    unless --force (never the current folder, the home folder, the dataset, a folder holding
    it or one inside it).
    """
    if output is not None and fmt != "datapackage":
        _check_suffix(output, fmt)
        outputs.check_file_target(output)
    if fmt == "datapackage":
        if output is None:
            raise BadInput("--format datapackage writes a folder: give -o DIR")
        outputs.check_folder_target(output, force=force, protect=(state.data_dir,))
        data = state.data
        outputs.write_folder(output, lambda tmp: exports.write_datapackage(data, tmp),
                             force=force, protect=(state.data_dir,))
        click.echo(str(output / "datapackage.json"), err=True)
        return
    if fmt == "xlsx":
        if output is None:
            raise BadInput("--format xlsx writes a binary workbook: give -o FILE.xlsx")
        outputs.write_bytes(output, exports.xlsx_bytes(state.data))
        return
    text = _text_export(state, fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        outputs.write_text(output, text)


EXPORT_SUFFIXES = {".json": "json", ".csv": "csv", ".xlsx": "xlsx", ".md": "md",
                   ".markdown": "md", ".tex": "latex", ".html": "html", ".htm": "html",
                   ".cff": "cff"}


def _check_suffix(output: Path, fmt: str) -> None:
    """Refuse to write the default format under a name that says another one."""
    named = EXPORT_SUFFIXES.get(output.suffix.lower())
    source = click.get_current_context().get_parameter_source("fmt")
    if named and named != fmt and not (named == "csv" and fmt == "csv-excel") \
            and source is click.core.ParameterSource.DEFAULT:
        raise BadInput(f"{output} is named as {named} but would hold {fmt}, the default format",
                       hint=f"add --format {named}, or name the file {output.stem}.{fmt}")


def _text_export(state: State, fmt: str) -> str:
    data = state.data
    if fmt == "json":
        return as_json(exports.dataset_json(data))
    if fmt in CSV_FORMATS:
        return as_csv(exports.coverage_table(data), excel=fmt == "csv-excel")
    if fmt == "cff":
        return exports.citation_cff(data)
    m = analysis.matrix(data)
    renderers = {"md": matrix_markdown, "latex": matrix_latex, "html": matrix_html}
    return renderers[fmt](m)


COMMANDS = (validate, build, export)
