"""The ``q2c`` command line, one module per command group: ``run`` (run, demo, demo-data),
``exceptions``, ``batches``, ``bench``. Only argument parsing and printing live here.

It is the top layer: it may import the core (q2c.*, ingestion), orchestration and the demo
package; nothing imports it.
"""

from __future__ import annotations

import typer

from q2c.cli import run as run_commands
from q2c.cli.batches import batches_app
from q2c.cli.bench import bench
from q2c.cli.exceptions import exceptions_app
from q2c.settings import colour_switched_off

app = typer.Typer(help="q2c: nightly quote-to-cash reconciliation.", no_args_is_help=True, add_completion=False)


@app.callback()
def _console(ctx: typer.Context) -> None:
    # click already prints no colour codes when the output is not a terminal; NO_COLOR asks
    # for none on a terminal too (sub-commands inherit the context's choice)
    if colour_switched_off():
        ctx.color = False


app.command("run")(run_commands.run)
app.command("demo")(run_commands.demo)
app.command("demo-data")(run_commands.demo_data)
app.add_typer(exceptions_app, name="exceptions")
app.add_typer(batches_app, name="batches")
app.command("bench")(bench)

__all__ = ["app"]
