"""``q2c batches``: see each extract batch's state and skip a rejected one.

Only arguments and printing; the work is in ingestion's batch admin (imported per command:
it loads dlt, which `q2c --help` need not).
"""

from __future__ import annotations

import typer

from ingestion.catalog import SYSTEMS
from q2c.cli.table import render_table
from q2c.settings import get_settings

batches_app = typer.Typer(
    help="Extract batches: state per system, skip a rejected one or one that stays incomplete.", no_args_is_help=True
)


def _count(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def _from_snapshot(settings, systems: tuple[str, ...]):
    from ingestion.landing import BatchAdminError, list_batches

    try:
        return list_batches(settings.landing_dir, settings.published_path, systems)
    except BatchAdminError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from None


@batches_app.command("list")
def list_command(
    system: str | None = typer.Option(None, "--system", help=f"One of {', '.join(SYSTEMS)}."),
) -> None:
    """Each batch's state per system: loaded, rejected, held, skipped, pending, incomplete
    (the warehouse's batch_log, or the published snapshot's while a nightly runs; the folders
    as they are now).

    A loaded batch's changed re-delivery has a row of its own: <batch id>~redelivered-<8 hex>."""
    if system is not None and system not in SYSTEMS:
        raise typer.BadParameter(
            f"unknown system {system!r}; expected one of {', '.join(SYSTEMS)}", param_hint="--system"
        )
    from ingestion.landing import BatchAdminError, list_batches
    from q2c.run_lock import REVIEW, NightlyInProgress, night_lock

    settings = get_settings()
    systems = (system,) if system else SYSTEMS
    try:
        # the warehouse's own batch_log is current (a `q2c land` since the last publish included);
        # holding the run lock for the read means a nightly starting now waits, never fails
        with night_lock(settings, "q2c batches list", wait_seconds=0, kind=REVIEW):
            states = list_batches(settings.landing_dir, settings.duckdb_path, systems)
    except NightlyInProgress as exc:
        if not settings.published_path.exists():
            typer.echo(f"{exc}; no published snapshot at {settings.published_path} yet: loaded states are not shown")
        else:
            typer.echo(f"{exc}: the batch_log below is the published snapshot's ({settings.published_path})")
        states = _from_snapshot(settings, systems)
    except BatchAdminError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from None
    if not states:
        typer.echo(f"no batches in {settings.landing_dir} or the warehouse")
        return
    rows = [
        (
            s.system,
            s.batch_id,
            s.status,
            s.mode or "",
            _count(s.rows_manifest),
            _count(s.rows_loaded),
            _count(s.rows_quarantined),
            _count(s.rows_rejected),
            (s.reason or "") + ("" if s.in_landing_zone else " [folder no longer in the landing zone]"),
        )
        for s in states
    ]
    typer.echo(
        render_table(
            ("system", "batch", "state", "mode", "manifest rows", "loaded", "quarantined", "rejected", "reason"), rows
        )
    )


@batches_app.command("skip")
def skip_command(
    batch_id: str = typer.Argument(
        ...,
        help=(
            "The rejected (or incomplete) batch's id, e.g. 2026-11-22T02-00-00Z, or a rejected re-delivery's "
            "2026-11-22T02-00-00Z~redelivered-<8 hex> (the batch's own id will do when it has only one)."
        ),
    ),
    reason: str = typer.Option(..., "--reason", help="Why it is skipped (kept in the batch_log)."),
    system: str | None = typer.Option(
        None, "--system", help="Needed when the id is rejected or incomplete in several systems."
    ),
) -> None:
    """Give up on a rejected batch, or on a batch folder that stays incomplete (no _manifest.json),
    so the later batches of its system land on the next run; a skipped folder never loads.

    A rejected re-delivery: no longer reported; its batch keeps what was first delivered."""
    from ingestion.landing import BatchAdminError, skip_batch

    settings = get_settings()
    try:
        state = skip_batch(batch_id, reason, settings.landing_dir, settings.duckdb_path, system)
    except BatchAdminError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from None
    typer.echo(f"{state.system} {state.batch_id}: {state.status} ({state.reason})")
    if state.redelivery_of is not None:
        typer.echo(
            f"that re-delivered content is no longer reported; batch {state.redelivery_of} "
            "keeps what was first delivered (no later batch was held)."
        )
    else:
        typer.echo("later batches of this system land on the next run (`q2c run`).")
