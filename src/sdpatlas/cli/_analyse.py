"""Commands that compare the partnerships: analyse, similar, predict, chart, report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from sdpatlas import analysis, outputs
from sdpatlas.cli._common import (
    BadInput,
    State,
    as_of_option,
    day,
    echo_text,
    emit,
    format_by_suffix,
    format_option,
    pass_state,
)
from sdpatlas.render.charts import KINDS
from sdpatlas.render.profiles import render_sections
from sdpatlas.render.questions_analysis import SECTIONS
from sdpatlas.render.table import CSV_FORMATS, as_json

TEXT_FORMATS = ("table", "json", "md")


def _analyse(state: State, as_of: dt.datetime | None,
             near: int | None = None) -> analysis.Analysis:
    try:
        result = analysis.analyse(state.data, day(as_of), near=near)
    except ValueError as exc:
        raise BadInput(str(exc)) from exc
    partners = len(result.profiles.partners)
    if near is not None and partners and near > partners:
        when = f" as of {result.as_of}" if result.as_of else ""
        raise BadInput(f"--near {near} is more than the {partners} assessed partners{when}",
                       hint=f"give --near from 1 to {partners} (the default is three quarters "
                            "of them)")
    return result


def _assessed(state: State, result: analysis.Analysis, name: str) -> str:
    code = state.party(name).code
    if code not in result.profiles.partners:
        known = ", ".join(result.profiles.partners) or "none"
        raise BadInput(f"{code} has no assessed partnership to compare (assessed: {known}); "
                       f"try `sdpatlas predict {code}`")
    return code


@click.command()
@as_of_option("Only partnerships signed by this date, groups as they stood then.")
@click.option("--near", type=click.IntRange(min=1), default=None, metavar="K",
              help="Near-core threshold: areas covered by at least K partners "
                   "[default: three quarters of them].")
@click.option("--section", type=click.Choice(tuple(SECTIONS)), default=None,
              help="Only this table of the findings (as CSV: the group contrasts unless "
                   "given).")
@format_option()
@pass_state
def analyse(state: State, as_of: dt.datetime | None, near: int | None, section: str | None,
            fmt: str) -> None:
    """Comparative findings across the assessed partnerships.

    The common core, tailored elements, similarity, group contrasts, consistency, evolution
    and the profile of the partners not yet assessed.
    """
    from sdpatlas.render.analysis import analysis_payload, analysis_sections

    data = state.data
    result = _analyse(state, as_of, near)
    if section is not None or fmt in CSV_FORMATS:
        answer = SECTIONS[section or "contrasts"](result, data)
        emit(answer.table, fmt, answer.payload)
        return
    if fmt == "json":
        click.echo(as_json(analysis_payload(result, data)), nl=False)
        return
    title = "Comparative findings" + (f" as of {result.as_of}" if result.as_of else "")
    echo_text(render_sections(title, analysis_sections(result, data), fmt), fmt)


@click.command()
@click.argument("name")
@as_of_option("Only partnerships signed by this date.")
@format_option(choices=TEXT_FORMATS)
@pass_state
def similar(state: State, name: str, as_of: dt.datetime | None, fmt: str) -> None:
    """The assessed partnerships most like one partner's.

    Ranked by Jaccard similarity of the areas covered, with the Hamming distance.
    """
    from sdpatlas.render.analysis import similar_payload, similar_sections

    data = state.data
    result = _analyse(state, as_of)
    code = _assessed(state, result, name)
    if fmt == "json":
        click.echo(as_json(similar_payload(result, code)), nl=False)
        return
    title = f"Partnerships most like {data.party(code).name}'s ({code})"
    echo_text(render_sections(title, similar_sections(result, data, code), fmt), fmt)


@click.command()
@click.argument("name")
@as_of_option("Train on partnerships signed by this date, groups as they stood then.")
@format_option(choices=TEXT_FORMATS)
@pass_state
def predict(state: State, name: str, as_of: dt.datetime | None, fmt: str) -> None:
    """Predict the areas of a partner not yet assessed.

    For a partner such as Iceland or Australia, from the assessed partners most like it,
    with the predictor's leave-one-out accuracy.
    """
    from sdpatlas.render.analysis import prediction_payload, prediction_sections

    data = state.data
    code = state.party(name).code
    result = _analyse(state, as_of)
    if result.profiles.n == 0:
        raise BadInput("no assessed partnership to learn from" +
                       (f" by {result.as_of}" if result.as_of else ""))
    pred = analysis.predict(data, result.profiles, code)
    if fmt == "json":
        from sdpatlas.render.analysis import analysis_payload

        payload = {**prediction_payload(pred),
                   "evaluation": analysis_payload(result, data)["predictor"]}
        click.echo(as_json(payload), nl=False)
        return
    title = f"Predicted profile: {data.party(code).name} ({code})"
    echo_text(render_sections(title, prediction_sections(pred, data, result), fmt), fmt)


@click.command(epilog="Kinds: " + "; ".join(f"{k}: {v}" for k, v in KINDS.items()) + ".")
@click.argument("kind", type=click.Choice(tuple(KINDS)))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write; .svg or .png (the suffix decides unless --format is given).")
@click.option("--format", "fmt", type=click.Choice(("svg", "png")), default=None,
              help="Image format [default: from the file's suffix, else svg].")
@as_of_option("Only partnerships signed by this date.")
@pass_state
def chart(state: State, kind: str, output: Path, fmt: str | None,
          as_of: dt.datetime | None) -> None:
    """Draw a chart of the data as SVG or PNG."""
    from sdpatlas.render.charts import chart as draw

    outputs.check_file_target(output)
    fmt = fmt or format_by_suffix(output, {".svg": "svg", ".png": "png"}, "svg")
    image = draw(kind, state.data, fmt=fmt, as_of=day(as_of), result=_analyse(state, as_of))
    _write(output, image)


REPORT_SUFFIXES = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md",
                   ".pdf": "pdf"}


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write.")
@click.option("--format", "fmt", type=click.Choice(("html", "md", "pdf")), default=None,
              help="Report format [default: from the file's suffix, else html]; pdf needs the "
                   "optional extra (pip install 'sdpatlas[pdf]').")
@as_of_option("Only partnerships signed by this date.")
@pass_state
def report(state: State, output: Path, fmt: str | None, as_of: dt.datetime | None) -> None:
    """Write a self-contained briefing as HTML, Markdown or PDF.

    It holds the matrix, the findings, charts and numbered sources.

    HTML carries its charts as inline SVG; Markdown writes them as SVG files beside it;
    PDF (optional extra) embeds them as images.
    """
    from sdpatlas.render.report import html_report, markdown_report

    outputs.check_file_target(output)
    fmt = fmt or format_by_suffix(output, REPORT_SUFFIXES, "html")
    result = _analyse(state, as_of)
    if fmt == "html":
        _write(output, html_report(state.data, result).encode())
        return
    if fmt == "pdf":
        from sdpatlas.render.pdf import pdf_report

        _write(output, pdf_report(state.data, result))
        return
    text, images = markdown_report(state.data, result, image_prefix=output.stem)
    files = {output.with_name(name): image for name, image in images.items()}
    _write(output, text.encode(), files)


def _write(path: Path, content: bytes, beside: dict[Path, bytes] | None = None) -> None:
    """Write an output (and the files that go with it) whole, or nothing."""
    files = {**(beside or {}), path: content}
    outputs.write_all(files)
    for written, data in files.items():
        click.echo(f"wrote {written} ({len(data):,} bytes)", err=True)


COMMANDS = (analyse, similar, predict, chart, report)
