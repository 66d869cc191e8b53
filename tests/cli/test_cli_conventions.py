"""Command-line conventions (issue 14, defect 10): --version, -h everywhere, plain help, order."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from q2c.cli import COMMAND_ORDER, app

runner = CliRunner()


def _commands() -> list[list[str]]:
    """Every command path: ["run"], ["exceptions", "list"], ..."""
    group = typer.main.get_command(app)
    paths = []
    for name, command in group.commands.items():
        sub = getattr(command, "commands", None)
        paths += [[name, s] for s in sub] if sub else [[name]]
    return paths


def test_version_and_short_help():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("q2c ")
    for path in [[], *_commands()]:
        short = runner.invoke(app, [*path, "-h"])
        assert short.exit_code == 0, (path, short.output)
        assert short.output == runner.invoke(app, [*path, "--help"]).output
        assert "<bool>" not in short.output and "\x1b[" not in short.output and "╭" not in short.output, path


def test_commands_are_listed_in_the_order_a_morning_uses_them():
    text = runner.invoke(app, ["-h"]).output
    listed = [line.split()[0] for line in text.split("Commands:")[1].splitlines() if line.startswith("  ")]
    assert listed == list(COMMAND_ORDER) == ["demo", "run", "exceptions", "batches", "demo-data", "bench"]


def test_every_option_and_argument_of_the_run_batches_and_bench_commands_is_described():
    group = typer.main.get_command(app)
    for path in _commands():
        if path[0] == "exceptions":  # the CLI group's module (issue 14 defect of its own)
            continue
        command = group
        for name in path:
            command = command.commands[name]
        for param in command.params:
            assert getattr(param, "help", None), (path, param.name)
