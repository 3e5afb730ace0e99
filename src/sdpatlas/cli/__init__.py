"""The ``sdpatlas`` command: a thin layer over the library.

Data goes to stdout, messages to stderr. Exit 0 success, 1 a check failed,
2 bad usage or bad input.
"""

from __future__ import annotations

from pathlib import Path

import click

from sdpatlas import __version__
from sdpatlas.cli import _analyse, _code, _data, _eligibility, _query, _web
from sdpatlas.cli._common import State
from sdpatlas.paths import default_data_dir

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              envvar="SDPATLAS_DATA", show_envvar=True,
              help="Dataset folder (default: the bundled data/).")
@click.version_option(__version__, prog_name="sdpatlas")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None) -> None:
    """SDP Atlas: the EU's Security and Defence Partnerships as sourced, comparable data."""
    ctx.obj = State(data_dir or default_data_dir())


for command in (*_query.COMMANDS, *_data.COMMANDS, *_analyse.COMMANDS,
                *_eligibility.COMMANDS, *_web.COMMANDS, *_code.COMMANDS):
    cli.add_command(command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="sdpatlas")
