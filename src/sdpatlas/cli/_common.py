"""What every command shares: the dataset handle, output formats, errors and exit codes.

Exit codes: 0 success, 1 the answer is "no" or a check failed, 2 bad usage or bad input,
70 an internal error (a bug). Every error a user can act on is an ``AtlasError``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click

from sdpatlas.errors import AtlasError, AtlasWarning, InputError
from sdpatlas.findings import DatasetError, Severity
from sdpatlas.model import Dataset, Party
from sdpatlas.names import UnknownName, resolve_party
from sdpatlas.render.table import FORMATS, Table, render
from sdpatlas.render.terminal import MIN_WIDTH, fit_text
from sdpatlas.render.words import count

F = TypeVar("F", bound=Callable[..., Any])


class BadInput(AtlasError):
    """Bad input or bad data: exit 2 with a message that says what to fix."""

    code = "bad-input"


class CheckFailed(AtlasError):
    """The answer is "no" or a check failed: exit 1."""

    code = "check-failed"
    exit_code = 1


def describe_error(error: AtlasError) -> str:
    """The lines a user sees for an error: ``error [code]: message``, then ``hint: …``."""
    text = f"error [{error.code}]: {error.message}"
    return text + (f"\nhint: {error.hint}" if error.hint else "")


@dataclass
class State:
    """The data directory chosen on the command line, and its dataset once loaded."""

    data_dir: Path
    _data: Dataset | None = field(default=None, repr=False)

    @property
    def data(self) -> Dataset:
        """The dataset (from the cached database, built on first use)."""
        if self._data is None:
            from sdpatlas.store import open_dataset

            with opening_dataset():
                self._data = open_dataset(self.data_dir)[0]
        return self._data

    def party(self, text: str) -> Party:
        """Resolve a partner name typed by the user, or fail with suggestions."""
        try:
            return resolve_party(self.data, text)
        except UnknownName as exc:
            raise BadInput(str(exc), code=exc.code) from exc


@contextmanager
def opening_dataset() -> Iterator[None]:
    """Around opening the dataset: its errors as messages, each warning for the user (such
    as a cache that cannot be used) as one line on stderr."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AtlasWarning)
        try:
            yield
        except DatasetError as exc:
            raise BadInput(describe_findings(exc), code=exc.code) from exc
        except OSError as exc:
            raise unreadable(exc) from exc
    for warning in caught:
        if issubclass(warning.category, AtlasWarning):
            click.echo(f"warning: {warning.message}", err=True)
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename,
                                   warning.lineno)


def unreadable(exc: OSError) -> InputError:
    """An ``OSError`` met while reading the data, as an error naming the file."""
    where = exc.filename or "the dataset"
    return InputError(f"cannot read {where}: {exc.strerror or exc}", code="input-unreadable",
                      hint="check that the file exists and that you may read it")


def describe_findings(exc: DatasetError, limit: int = 20) -> str:
    """The errors of a failed load, one per line, with where and how to fix."""
    errors = [f for f in exc.findings if f.severity is Severity.ERROR]
    lines = [f"the dataset has {count(len(errors), 'error')}; nothing was built:"]
    for f in errors[:limit]:
        lines.append(f"  {f}\n    hint: {f.hint}")
    if len(errors) > limit:
        lines.append(f"  … and {len(errors) - limit} more (run `sdpatlas validate`)")
    return "\n".join(lines)


pass_state = click.make_pass_decorator(State)


def _remember_wide(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    ctx.meta[_WIDE] = value


_WIDE = "sdpatlas.wide"
wide_option = click.option(
    "--wide", is_flag=True, expose_value=False, callback=_remember_wide,
    help="Print tables and text at full width instead of wrapping them to the terminal "
         "($COLUMNS).")


def format_option(default: str = "table", choices: tuple[str, ...] = FORMATS) -> Callable[[F], F]:
    """The shared ``--format`` option of listing commands, with ``--wide`` for the table."""
    fmt = click.option("--format", "fmt", type=click.Choice(choices), default=default,
                       show_default=True, help="Output format.")
    return lambda f: fmt(wide_option(f))


def terminal_width() -> int | None:
    """The width text must fit: $COLUMNS, else the terminal's (stdout's, else stderr's, so a
    pipe to a pager still fits), else 80; ``None`` with ``--wide``."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.meta.get(_WIDE):
        return None
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return max(int(columns), MIN_WIDTH)
    for stream in (sys.stdout, sys.stderr):
        try:
            return max(os.get_terminal_size(stream.fileno()).columns, MIN_WIDTH)
        except (OSError, ValueError, AttributeError):
            continue
    return 80


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Day(click.DateTime):
    """A day as YYYY-MM-DD; a well-formed day that is not in the calendar says why."""

    name = "date"

    def __init__(self) -> None:
        super().__init__(formats=["%Y-%m-%d"])

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if isinstance(value, str) and _ISO_DAY.fullmatch(value):
            try:
                dt.date.fromisoformat(value)
            except ValueError as exc:
                self.fail(f"{value!r} is not a day of the calendar ({exc})", param, ctx)
        return super().convert(value, param, ctx)


def as_of_option(help_text: str) -> Callable[[F], F]:
    """The shared ``--as-of DATE`` option."""
    return click.option("--as-of", "as_of", type=Day(), default=None, metavar="DATE",
                        help=help_text)


def day(value: dt.datetime | None) -> dt.date | None:
    """A click DateTime value as a date."""
    return value.date() if value else None


def format_by_suffix(output: Path, suffixes: dict[str, str], default: str) -> str:
    """The format named by ``output``'s suffix (``default`` without one); BadInput for a
    suffix that names none of them, so that no file is written under a misleading name."""
    suffix = output.suffix.lower()
    if not suffix:
        return default
    if suffix in suffixes:
        return suffixes[suffix]
    known = ", ".join(sorted(suffixes))
    raise BadInput(f"{output}: the suffix {output.suffix} names none of the formats written "
                   f"here ({known})",
                   hint="name the file with one of these suffixes, or give --format")


def emit(table: Table, fmt: str, payload: object | None = None) -> None:
    """Write a rendered table to stdout (a terminal table fitted to ``terminal_width()``)."""
    click.echo(render(table, fmt, payload, terminal_width()), nl=False)


def echo_text(text: str, fmt: str = "table") -> None:
    """Write text a command laid out to stdout; as terminal text (``table``), its long lines
    wrapped to the terminal's width."""
    click.echo(fit_text(text, terminal_width()) if fmt == "table" else text, nl=False)
