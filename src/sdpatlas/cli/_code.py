"""Commands of the agreement coder: ``code`` and ``evaluate``."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import click

from sdpatlas.cli._common import BadInput, State, emit, format_option, pass_state, terminal_width
from sdpatlas.coding import (
    Coder,
    CodingError,
    Proposal,
    RefusedInput,
    die_with_parent,
    pool_context,
)
from sdpatlas.coding.evaluate import Evaluation, Mistake
from sdpatlas.coding.extract import EXTENSIONS, FORMATS, read_stream
from sdpatlas.coding.intervals import Interval
from sdpatlas.coding.payload import evaluation_payload, marked_quote, proposal_payload
from sdpatlas.coding.propose import Evidence
from sdpatlas.model import Area
from sdpatlas.render.questions_code import TABLES, coded, evidence_cell, refused
from sdpatlas.render.table import Column, Table, as_json

__all__ = ["COMMANDS"]

_CODE_FORMATS = ("table", "json", "md")
_QUOTE = 300


def _coder(state: State) -> Coder:
    try:
        return Coder.from_data(state.data_dir, state.data.areas)
    except (CodingError, OSError) as exc:
        raise BadInput(f"the coder's lexicon cannot be used: {exc}") from exc


def _refused(name: str, exc: RefusedInput) -> BadInput:
    return BadInput(refused(name, exc.message), code=exc.code, hint=exc.hint)


@click.command()
@click.argument("path", metavar="PATH|DIR|-")
@format_option()
@click.option("--table", "shown", type=click.Choice(TABLES), default="areas",
              show_default=True,
              help="The table to print: one row per area, or per segment of the text.")
@click.option("--as", "input_format", type=click.Choice(FORMATS), default=None,
              help="Read the input as this format (default: from its name and first bytes).")
@click.option("--partner", "-p", metavar="NAME",
              help="The partner the document is about (code, name or alias).")
@click.option("--diff", "show_diff", is_flag=True,
              help="Compare the proposal with the dataset's coding of --partner.")
@click.option("--draft", is_flag=True,
              help="Write a machine-coded draft partnership record for --partner to review.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where --draft writes (default: ./sdpatlas-drafts/CODE.machine.yaml).")
@click.option("--force", is_flag=True, help="Let --draft replace an earlier draft file.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Processes for a directory (default: one per CPU).")
@pass_state
def code(state: State, path: str, fmt: str, shown: str, input_format: str | None,
         partner: str | None, show_diff: bool, draft: bool, output: Path | None, force: bool,
         jobs: int | None) -> None:
    """Propose the areas a document covers, each with its evidence.

    PATH is a text, Markdown, HTML, PDF or DOCX file, a directory of them (coded in parallel,
    printed as JSON Lines, one object per document), or - for standard input. Files are read
    with size, page, time and memory limits; broken or hostile files are refused with exit 2.
    """
    if (show_diff or draft) and not partner:
        raise BadInput("--diff and --draft need --partner NAME")
    if output is not None and not draft:
        raise BadInput("-o/--output is for --draft",
                       hint="without --draft the proposal goes to standard output: "
                            "redirect it to a file (> proposal.csv)")
    target = Path(path)
    if path != "-" and target.is_dir():
        if show_diff or draft:
            raise BadInput("--diff and --draft code one document, not a directory")
        _code_directory(state, target, jobs)
        return
    coder = _coder(state)
    proposal = _code_one(coder, path, input_format)
    for warning in proposal.source.warnings:
        click.echo(f"warning: {warning}", err=True)
    if draft:
        _write_draft(state, proposal, partner or "", output, force)
    if show_diff:
        _emit_diff(state, proposal, partner or "", fmt)
    elif not draft or fmt == "json":
        _emit_proposal(state, proposal, fmt, shown)


def _code_one(coder: Coder, path: str, input_format: str | None) -> Proposal:
    try:
        if path == "-":
            return coder.code_bytes(read_stream(limits=coder.limits), "-", input_format)
        if input_format:
            from sdpatlas.coding.extract import read_path

            return coder.code_bytes(read_path(Path(path), coder.limits), path, input_format)
        return coder.code_path(Path(path))
    except RefusedInput as exc:
        raise _refused(path, exc) from exc


def _emit_proposal(state: State, p: Proposal, fmt: str, shown: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(proposal_payload(p), ensure_ascii=False, indent=2))
        return
    limit = _quote_limit() if fmt == "table" else None
    answer = coded(p, {a.id: a for a in state.data.areas}, shown, limit)
    emit(answer.table, fmt, answer.payload)


def _quote_limit() -> int | None:
    """Wrapped to a terminal (no --wide), quotes show a window of about _QUOTE characters."""
    return None if terminal_width() is None else _QUOTE


def _evidence_cell(e: Evidence) -> str:
    """The passage behind a proposal, its matched words marked."""
    return evidence_cell(e, _quote_limit())


def _error_text(m: Mistake) -> str:
    """The segment that was wrongly coded, its matched words marked, else the passage."""
    if m.evidence:
        return marked_quote(m.evidence[0], _quote_limit())
    limit = _quote_limit()
    return m.text if limit is None or len(m.text) <= limit else m.text[: limit - 1] + "…"


def _emit_diff(state: State, p: Proposal, partner: str, fmt: str) -> None:
    from sdpatlas.coding.review import diff

    party = state.party(partner)
    rows = diff(p, state.data.partnership(party.code), state.data.areas)
    if fmt == "json":
        payload = {
            "partner": party.code, "source": proposal_payload(p)["source"],
            "summary": {v: sum(r.verdict == v for r in rows)
                        for v in ("agree", "disagree", "new", "abstained")},
            "areas": [{"area": r.area.id, "key": r.area.key, "dataset": r.dataset.value,
                       "proposed": r.proposed.status.value, "verdict": r.verdict,
                       "confidence": r.proposed.confidence,
                       "evidence": proposal_payload(p)["coverage"][str(r.area.id)]["evidence"]}
                      for r in rows],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    table_rows = tuple(
        (r.area.id, r.area.short, r.dataset.value, r.proposed.status.value, r.verdict,
         r.proposed.confidence,
         _evidence_cell(r.proposed.evidence[0]) if r.proposed.evidence else "")
        for r in rows)
    counts = ", ".join(f"{sum(r.verdict == v for r in rows)} {v}"
                       for v in ("agree", "disagree", "new", "abstained"))
    columns = (Column("area", "#", "right"), Column("label", "Area"),
               Column("dataset", "Dataset"), Column("proposed", "Proposed"),
               Column("verdict", "Verdict"), Column("confidence", "Conf.", "right"),
               Column("evidence", "Evidence"))
    emit(Table(columns, table_rows, title=f"{party.name} ({party.code}): dataset vs proposal",
               notes=(counts,)), fmt)


def _write_draft(state: State, p: Proposal, partner: str, output: Path | None,
                 force: bool) -> None:
    from sdpatlas.coding.review import default_draft_path, draft_record, write_draft
    from sdpatlas.yamlio import read

    party = state.party(partner)
    existing_file = state.data_dir / "partnerships" / f"{party.code}.yaml"
    existing = read(existing_file, existing_file.name).root if existing_file.is_file() else None
    text = draft_record(p, party.code, existing if isinstance(existing, dict) else None)
    written = write_draft(text, output or default_draft_path(party.code), state.data_dir, force)
    click.echo(f"draft written to {written} (machine-coded; review before use)", err=True)


# ---------------------------------------------------------------- directories

_WORKER: dict[str, Coder] = {}


def _init_worker(data_dir: Path, areas: tuple[Area, ...]) -> None:
    die_with_parent()
    _WORKER["coder"] = Coder.from_data(data_dir, areas)


def _code_file(path: Path) -> dict[str, Any]:
    try:
        return proposal_payload(_WORKER["coder"].code_path(path))
    except RefusedInput as exc:
        return {"source": {"name": str(path)},
                "error": {"code": exc.code, "message": exc.message, "hint": exc.hint}}


def _documents(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*")
                  if p.is_file() and p.suffix.lower() in EXTENSIONS)


def _code_directory(state: State, directory: Path, jobs: int | None) -> None:
    files = _documents(directory)
    if not files:
        raise BadInput(f"{directory} holds no {', '.join(sorted(EXTENSIONS))} files")
    _coder(state)  # fail early, in this process, if the lexicon is wrong
    workers = min(jobs or os.cpu_count() or 1, len(files))
    failed = 0
    with ProcessPoolExecutor(workers, mp_context=pool_context(), initializer=_init_worker,
                             initargs=(state.data_dir, state.data.areas)) as pool:
        for payload in _progress(pool.map(_code_file, files, chunksize=1), len(files)):
            if "error" in payload:
                failed += 1
                error = payload["error"]
                click.echo(f"refused {payload['source']['name']}: {error['message']} "
                           f"({error['code']})", err=True)
            click.echo(json.dumps(payload, ensure_ascii=False))
    if failed:
        raise BadInput(f"{failed} of {len(files)} documents were refused (see above)")


def _progress(items: Iterator[dict[str, Any]], total: int) -> Iterator[dict[str, Any]]:
    if not sys.stderr.isatty():
        yield from items
        return
    with click.progressbar(items, length=total, label="coding", file=sys.stderr) as bar:
        yield from bar


# ---------------------------------------------------------------- evaluate

@click.command()
@click.argument("gold", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--split", type=click.Choice(("dev", "heldout")), default=None,
              help="Without GOLD: score only the manifest's sets of this split.")
@click.option("--sources", "source_dirs", multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folders holding the source files that offset-based gold lines point to.")
@click.option("--errors", "max_errors", type=click.IntRange(0), default=20, show_default=True,
              help="How many errors to list per set (all of them with --format json).")
@click.option("--resamples", type=click.IntRange(0), default=1000, show_default=True,
              help="Bootstrap resamples for the 95 % intervals (0: none).")
@click.option("--seed", type=int, default=0, show_default=True, help="The bootstrap's seed.")
@format_option(choices=_CODE_FORMATS)
@pass_state
def evaluate(state: State, gold: tuple[Path, ...], split: str | None,
             source_dirs: tuple[Path, ...], max_errors: int, resamples: int, seed: int,
             fmt: str) -> None:
    """Score the coder against gold passages.

    GOLD is one or more gold files (JSON Lines of {"id", "text", "areas"}); without it, every
    set listed in the dataset's coding/gold/MANIFEST.json, whose hashes are checked first (a
    held-out set that changed is refused). Prints, per set, micro and macro F1 with bootstrap
    95 % intervals (resampling source documents), per-area precision, recall, F1 and Cohen's
    kappa, and the errors with the evidence behind them.
    """
    from sdpatlas.coding.goldsets import MANIFEST, select_sets

    if gold and split:
        raise BadInput("--split selects the manifest's sets; give it without GOLD files")
    coder = _coder(state)
    try:
        chosen = select_sets(gold, state.data_dir / "coding" / "gold" / MANIFEST, split)
        results = [(path, kind, _score_set(coder, path, source_dirs, resamples, seed))
                   for path, kind in chosen]
    except CodingError as exc:
        raise BadInput(str(exc)) from exc
    if fmt == "json":
        payloads = [{"set": path.name, "split": kind, **evaluation_payload(result)}
                    for path, kind, result in results]
        click.echo(as_json(payloads[0] if len(payloads) == 1 else {"sets": payloads}), nl=False)
        return
    for number, (path, kind, result) in enumerate(results):
        if number:
            click.echo("")
        _emit_evaluation(state, f"{path.name}" + (f" ({kind})" if kind else ""), result,
                         max_errors, fmt)
    if len(results) > 1:
        click.echo("")
        _emit_summary(results, fmt)


def _score_set(coder: Coder, path: Path, source_dirs: tuple[Path, ...], resamples: int,
               seed: int) -> Evaluation:
    from sdpatlas.coding.evaluate import evaluate as run
    from sdpatlas.coding.gold import load_gold
    from sdpatlas.coding.goldsets import documents

    items = load_gold(path, source_dirs, coder.lexicon.area_ids())
    docs = documents(path)
    return run(coder, items, [docs.get(i.id, i.id) for i in items], resamples, seed)


def _f1_cell(value: float, interval: Interval | None) -> str:
    if interval is None:
        return f"{value:.3f}"
    return f"{value:.3f} [{interval.low:.3f}, {interval.high:.3f}]"


def _emit_evaluation(state: State, name: str, result: Evaluation, max_errors: int,
                     fmt: str) -> None:
    areas = {a.id: a for a in state.data.areas}

    def num(x: float | None) -> float | None:
        return None if x is None else round(x, 3)

    rows = tuple((s.area, areas[s.area].short, s.support, s.predicted, s.true_positives,
                  num(s.precision), num(s.recall), num(s.f1), num(s.kappa), s.abstained)
                 for s in result.areas)
    columns = (Column("area", "#", "right"), Column("label", "Area"),
               Column("support", "Gold", "right"), Column("predicted", "Pred.", "right"),
               Column("tp", "TP", "right"), Column("precision", "P", "right"),
               Column("recall", "R", "right"), Column("f1", "F1", "right"),
               Column("kappa", "Kappa", "right"), Column("abstained", "Abst.", "right"))
    notes = (f"{result.passages} passages; micro-F1 "
             f"{_f1_cell(result.micro_f1, result.micro_interval)} "
             f"(P {result.micro_precision:.3f}, R {result.micro_recall:.3f}); "
             f"macro-F1 {_f1_cell(result.macro_f1, result.macro_interval)}; "
             f"{result.abstentions} abstentions",
             f"already_exists right on {result.already_exists_correct} of "
             f"{result.already_exists_total} correctly predicted areas")
    emit(Table(columns, rows, title=f"Coder vs {name}", notes=notes), fmt)
    shown = result.mistakes[:max_errors]
    if shown:
        error_rows = tuple((m.id, m.area, m.kind, m.status,
                            (m.evidence[0].rule + " " + ", ".join(m.evidence[0].terms))
                            if m.evidence else "", _error_text(m))
                           for m in shown)
        error_columns = (Column("id", "Passage"), Column("area", "#", "right"),
                         Column("kind", "Error"), Column("status", "Status"),
                         Column("evidence", "Evidence"), Column("text", "Text"))
        click.echo("")
        emit(Table(error_columns, error_rows,
                   title=f"Errors ({len(shown)} of {len(result.mistakes)})"), fmt)


def _emit_summary(results: list[tuple[Path, str | None, Evaluation]], fmt: str) -> None:
    rows = tuple((path.name, kind or "", r.passages,
                  _f1_cell(r.micro_f1, r.micro_interval), _f1_cell(r.macro_f1, r.macro_interval))
                 for path, kind, r in results)
    columns = (Column("set", "Set"), Column("split", "Split"),
               Column("passages", "Passages", "right"), Column("micro", "Micro-F1 [95 %]"),
               Column("macro", "Macro-F1 [95 %]"))
    emit(Table(columns, rows, title="Gold sets",
               notes=("Intervals: bootstrap over source documents (passages without one are "
                      "resampled singly).",)), fmt)


COMMANDS = (code, evaluate)
