"""Docs that cannot go stale: the README's CLI reference matches the code."""

from __future__ import annotations

import importlib

import click

from sdpatlas import docs
from sdpatlas.cli import COMMAND_MODULES, cli


def test_readme_cli_reference_is_current() -> None:
    text = docs.README.read_text(encoding="utf-8")
    assert docs.updated(text) == text, "run ./dev docs to regenerate the CLI reference"


def test_every_command_is_documented_with_help() -> None:
    text = docs.README.read_text(encoding="utf-8")
    with click.Context(cli) as ctx:
        for name in cli.list_commands(ctx):
            command = cli.get_command(ctx, name)
            assert command is not None and command.help, f"{name} has no help text"
            assert f"### sdpatlas {name}" in text


def test_every_module_command_is_registered() -> None:
    for module in set(COMMAND_MODULES.values()):
        for command in importlib.import_module(f"sdpatlas.cli.{module}").COMMANDS:
            assert COMMAND_MODULES.get(command.name or "") == module, command.name


def test_quick_start_is_exactly_two_commands() -> None:
    text = docs.README.read_text(encoding="utf-8")
    block = text.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in block.strip().splitlines()] == [
        "./dev start", "./dev test"]
