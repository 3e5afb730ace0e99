"""The ``sdpatlas`` command: a thin layer over the library.

Data goes to stdout, messages to stderr. Exit 0 success, 1 a check failed,
2 bad usage or bad input. Each command's module is imported only when that
command runs (or when help lists them all), so start-up stays fast.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from sdpatlas import __version__
from sdpatlas.cli._common import State
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


@click.group(cls=LazyGroup,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              envvar="SDPATLAS_DATA", show_envvar=True,
              help="Dataset folder (default: the bundled data/).")
@click.version_option(__version__, prog_name="sdpatlas")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None) -> None:
    """SDP Atlas: the EU's Security and Defence Partnerships as sourced, comparable data."""
    ctx.obj = State(data_dir or default_data_dir())


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="sdpatlas")
