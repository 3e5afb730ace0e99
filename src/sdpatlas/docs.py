"""The CLI reference, generated from the commands themselves.

``python -m sdpatlas.docs`` rewrites the reference section of README.md;
``python -m sdpatlas.docs --check`` exits 1 when the README is stale (CI runs it
through the test suite).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sdpatlas.cli import cli

START = "<!-- cli-reference:start -->"
END = "<!-- cli-reference:end -->"
README = Path(__file__).resolve().parents[2] / "README.md"


def _help(command: click.Command, name: str) -> str:
    # The group's context settings (``-h``/``--help``) apply to every command; click caches
    # each command's help option on first use, so the reference must use the same names.
    names = cli.context_settings.get("help_option_names", ["--help"])
    with click.Context(command, info_name=name, terminal_width=100, max_content_width=100,
                       help_option_names=names) as ctx:
        return command.get_help(ctx)


def cli_reference() -> str:
    """Markdown: the top-level help, then one section per command."""
    parts = ["### sdpatlas", "", "```", _help(cli, "sdpatlas"), "```"]
    with click.Context(cli) as ctx:
        commands = [(name, cli.get_command(ctx, name)) for name in cli.list_commands(ctx)]
    for name, command in commands:
        if command is None:
            raise LookupError(f"command {name!r} is listed but cannot be loaded")
        parts += ["", f"### sdpatlas {name}", "", "```", _help(command,
                                                            f"sdpatlas {name}"), "```"]
    return "\n".join(parts)


def updated(readme: str) -> str:
    """The README text with its reference section regenerated."""
    head, found, rest = readme.partition(START)
    _, found_end, tail = rest.partition(END)
    if not found or not found_end:
        raise ValueError(f"README.md needs the markers {START} and {END}")
    return f"{head}{START}\n{cli_reference()}\n{END}{tail}"


def main(argv: list[str]) -> int:
    """Rewrite README.md, or with --check report whether it is current."""
    text = README.read_text(encoding="utf-8")
    fresh = updated(text)
    if "--check" in argv:
        if fresh != text:
            print("README.md's CLI reference is stale: run ./dev docs", file=sys.stderr)
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
