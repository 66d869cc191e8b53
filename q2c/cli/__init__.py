"""The ``q2c`` command line, one module per command group: ``run`` (run, demo, demo-data),
``exceptions``, ``batches``, ``bench``. Only argument parsing and printing live here.

It is the top layer: it may import the core (q2c.*, ingestion), orchestration and the demo
package; nothing imports it.
"""

from __future__ import annotations

import typer
from typer.core import TyperGroup

from q2c.cli import run as run_commands
from q2c.cli.batches import batches_app
from q2c.cli.bench import bench
from q2c.cli.exceptions import exceptions_app
from q2c.settings import colour_switched_off

COMMAND_ORDER = ("demo", "run", "exceptions", "batches", "demo-data", "bench")


class _FirstMorningOrder(TyperGroup):
    """Typer lists sub-groups after commands; list them all in :data:`COMMAND_ORDER`."""

    def list_commands(self, ctx) -> list[str]:
        names = super().list_commands(ctx)
        return sorted(names, key=lambda n: COMMAND_ORDER.index(n) if n in COMMAND_ORDER else len(COMMAND_ORDER))


# Plain help (no <bool> metavars, no box drawing or colour codes in a log); -h as well as --help
# on every command; commands in the order a first morning uses them.
app = typer.Typer(
    help="q2c: nightly quote-to-cash reconciliation.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    cls=_FirstMorningOrder,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"q2c {version('q2c')}")
        except PackageNotFoundError:
            typer.echo("q2c (not installed: a source checkout)")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    show_version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """q2c: nightly quote-to-cash reconciliation."""
    # click already prints no colour codes when the output is not a terminal; NO_COLOR asks
    # for none on a terminal too (sub-commands inherit the context's choice)
    if colour_switched_off():
        ctx.color = False


app.command("demo")(run_commands.demo)
app.command("run")(run_commands.run)
app.add_typer(exceptions_app, name="exceptions")
app.add_typer(batches_app, name="batches")
app.command("demo-data")(run_commands.demo_data)
app.command("bench")(bench)

__all__ = ["app"]
