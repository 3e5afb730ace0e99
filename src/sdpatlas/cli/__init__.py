"""The ``sdpatlas`` command: a thin layer over the library.

Data goes to stdout, messages to stderr. Exit 0 success, 1 a check failed,
2 bad usage or bad input, 70 an internal error. Each command's module is imported
only when that command runs (or when help lists them all), so start-up stays fast.

One error path: an :class:`~sdpatlas.errors.AtlasError` is shown as
``error [code]: message`` and ``hint: …``; anything else is a bug, shown as one line
with the version (the traceback only with ``--debug`` or ``SDPATLAS_DEBUG=1``).
"""

from __future__ import annotations

import contextvars
import errno
import importlib
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn, Protocol, TextIO

import click

from sdpatlas import __version__
from sdpatlas.cli._common import State, describe_error
from sdpatlas.errors import AtlasError, AtlasWarning, OutputError
from sdpatlas.paths import default_data_dir

__all__ = ["COMMAND_MODULES", "cli", "main"]

# command name → the module under sdpatlas.cli whose COMMANDS tuple holds it
COMMAND_MODULES = {
    **dict.fromkeys(("matrix", "partners", "partner", "areas", "area", "compare", "timeline",
                     "sources", "conflicts"), "_query"),
    **dict.fromkeys(("validate", "build", "export"), "_data"),
    **dict.fromkeys(("analyse", "similar", "predict", "chart", "report"), "_analyse"),
    **dict.fromkeys(("eligibility", "components"), "_eligibility"),
    "serve": "_web",
    "site": "_site",
    **dict.fromkeys(("diff", "changelog"), "_history"),
    **dict.fromkeys(("suggest", "apply-suggestion"), "_corrections"),
    **dict.fromkeys(("code", "evaluate"), "_code"),
}


class LazyGroup(click.Group):
    """A group that imports a command's module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is None:
            return None
        commands = importlib.import_module(f"sdpatlas.cli.{module}").COMMANDS
        return next((c for c in commands if c.name == cmd_name), None)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Each command with its summary, the first sentence of its help, wrapped but whole
        (click would cut it to fit one line)."""
        rows = [(name, command.get_short_help_str(limit=sys.maxsize))
                for name in self.list_commands(ctx)
                if (command := self.get_command(ctx, name)) is not None and not command.hidden]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AtlasError as exc:
            click.echo(describe_error(exc), err=True)
            raise click.exceptions.Exit(exc.exit_code) from exc


_DEBUG = contextvars.ContextVar("sdpatlas_debug", default=False)
INTERNAL_ERROR = 70  # EX_SOFTWARE


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--version``: the software's version, then the dataset's (read from dataset.yaml)."""
    if not value or ctx.resilient_parsing:
        return
    from sdpatlas.release import declared_release

    folder = ctx.params.get("data_dir") or default_data_dir()
    release = declared_release(folder)
    click.echo(f"sdpatlas {__version__}; dataset "
               + (str(release) if release else f"unversioned ({folder})"))
    ctx.exit()


@click.group(cls=LazyGroup,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              envvar="SDPATLAS_DATA", is_eager=True, show_envvar=True,
              help="Dataset folder (default: the bundled data/).")
@click.option("--data-version", "data_version", metavar="VERSION",
              help="Read the dataset as it was in this version (e.g. 2026.12.0), from the "
                   "repository's history: what the atlas said then.")
@click.option("--debug", is_flag=True, envvar="SDPATLAS_DEBUG", show_envvar=True,
              help="Show the traceback of an internal error.")
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_show_version, help="Show the software's and the dataset's versions.")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, data_version: str | None,
        debug: bool) -> None:
    """SDP Atlas: the EU's Security and Defence Partnerships as sourced, comparable data."""
    _DEBUG.set(debug)
    folder = data_dir or default_data_dir()
    if data_version is not None:
        folder = _version_folder(ctx, folder, data_version)
    ctx.obj = State(folder)


def _version_folder(ctx: click.Context, folder: Path, version: str) -> Path:
    """The dataset folder of an earlier version, read from git for this command's run."""
    from sdpatlas.release import declared_release
    from sdpatlas.revisions import dataset_folder, version_revision

    current = declared_release(folder)
    if current is not None and current.version == version:
        return folder
    commit = version_revision(folder, version)
    click.echo(f"dataset version {version}, as recorded in revision {commit[:12]}", err=True)
    return ctx.with_resource(dataset_folder(folder, commit))


def main(args: Sequence[str] | None = None) -> NoReturn:
    """Console-script entry point: every failure ends as one message and an exit code."""
    # The analysis multiplies matrices of a few partners; a pool of OpenBLAS threads, started
    # when numpy is imported, costs more than it gains (~50 ms of each analyse and report).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    with warnings.catch_warnings():
        warnings.showwarning = _one_line_for_users(warnings.showwarning)
        status = _run(args)
    sys.exit(status)


class _ShowWarning(Protocol):
    def __call__(self, message: Warning | str, category: type[Warning], filename: str,
                 lineno: int, file: TextIO | None = None, line: str | None = None) -> None: ...


def _one_line_for_users(show: _ShowWarning) -> _ShowWarning:
    """Show an ``AtlasWarning`` as ``warning: message``; any other warning as before."""
    def shown(message: Warning | str, category: type[Warning], filename: str, lineno: int,
              file: TextIO | None = None, line: str | None = None) -> None:
        if issubclass(category, AtlasWarning):
            click.echo(f"warning: {message}", err=True)
        else:
            show(message, category, filename, lineno, file, line)
    return shown


def _run(args: Sequence[str] | None) -> int:
    try:
        status = cli.main(args, prog_name="sdpatlas", standalone_mode=False)
        sys.stdout.flush()
    except click.ClickException as exc:
        exc.show()
        status = exc.exit_code
    except click.Abort:
        click.echo("Aborted!", err=True)
        status = 1
    except OSError as exc:
        status = _output_failed(exc) if _stdout_failed(exc) else _internal(exc)
    except Exception as exc:  # the one place a bug is caught: reported as a bug, not as input
        status = _internal(exc)
    return status if isinstance(status, int) else 0


# what a full, closed or failing standard output raises (a file's error would name the file)
_OUTPUT_ERRNOS = frozenset((errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO))


def _stdout_failed(exc: OSError) -> bool:
    """Whether standard output could not take what was written to it."""
    try:
        sys.stdout.flush()
    except OSError:
        return True
    return exc.errno in _OUTPUT_ERRNOS and exc.filename is None


def _output_failed(exc: OSError) -> int:
    """Standard output is closed or full: drop what is pending, say so unless it was a pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    if exc.errno == errno.EPIPE:
        return 1
    error = OutputError(f"cannot write to standard output: {exc.strerror or exc}",
                        code="output-failed", hint="redirect the output to a place with free "
                        "space, or write it with -o FILE where the command offers it")
    click.echo(describe_error(error), err=True)
    return error.exit_code


def _internal(exc: BaseException) -> int:
    wanted = os.environ.get("SDPATLAS_DEBUG", "").strip().lower()
    debug = _DEBUG.get() or wanted not in ("", "0", "false", "no", "off")
    if debug:
        import traceback

        traceback.print_exception(exc)
    click.echo(f"internal error in sdpatlas {__version__}: {type(exc).__name__}; this is a bug: "
               + ("please report it with the traceback above" if debug else
                  "rerun with --debug (or SDPATLAS_DEBUG=1) for the traceback and report it"),
               err=True)
    return INTERNAL_ERROR
