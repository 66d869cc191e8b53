"""``q2c exceptions``: list, show and act on the exception ledger (q2c.ledger does the work)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import typer

from q2c.cli.table import render_table
from q2c.ledger import LedgerError, apply_review_action, get_exception, list_exceptions
from q2c.ledger.schema import STATUSES
from q2c.reconciliation_config import OWNERS
from q2c.rule_catalogue import RULES_BY_ID
from q2c.settings import get_settings
from q2c.warehouse import WarehouseLocked, connect

exceptions_app = typer.Typer(help="Review the exception ledger.", no_args_is_help=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


@contextmanager
def _ledger_connection() -> Iterator[duckdb.DuckDBPyConnection]:
    settings = get_settings()
    if not settings.duckdb_path.exists():
        raise fail(f"no warehouse at {settings.duckdb_path}: run `q2c run` first")
    try:
        conn = connect(settings)
    except (duckdb.IOException, WarehouseLocked) as exc:
        raise fail(f"cannot open {settings.duckdb_path} (is a run in progress?): {exc}") from None
    try:
        yield conn
    finally:
        conn.close()


def _rule_option(rule: str | None) -> str | None:
    if rule is None:
        return None
    normalised = rule.strip().upper().replace("_", "-")
    if normalised not in RULES_BY_ID:
        raise typer.BadParameter(f"unknown rule {rule!r}; rules are {', '.join(RULES_BY_ID)}", param_hint="--rule")
    return normalised


def _choice(value: str | None, allowed, name: str) -> str | None:
    if value is None:
        return None
    if value not in allowed:
        raise typer.BadParameter(
            f"unknown {name} {value!r}; expected one of {', '.join(sorted(allowed))}", param_hint=f"--{name}"
        )
    return value


@exceptions_app.command("list")
def list_command(
    rule: str | None = typer.Option(None, "--rule", help="Rule id, e.g. INV-03."),
    status: str | None = typer.Option(None, "--status", help=f"One of {', '.join(STATUSES)}."),
    owner: str | None = typer.Option(None, "--owner", help=f"One of {', '.join(sorted(OWNERS))}."),
    limit: int = typer.Option(200, min=1, help="Show at most this many."),
) -> None:
    """List exceptions, largest amount at risk first within each rule."""
    rule_id = _rule_option(rule)
    status = _choice(status, STATUSES, "status")
    owner = _choice(owner, OWNERS, "owner")
    with _ledger_connection() as conn:
        rows = list_exceptions(conn, rule_id=rule_id, status=status, owner=owner, limit=limit)
    if not rows:
        typer.echo("no exceptions match")
        return
    header = ("id", "rule", "status", "subject", "attribute", "amount (rep.)", "owner", "first seen", "age")
    typer.echo(
        render_table(
            header,
            [
                (
                    r["exception_id"][:12],
                    r["rule_id"],
                    r["status"],
                    f"{r['subject_type']}:{r['subject_id']}",
                    r["attribute"],
                    "" if r["amount_at_risk_reporting"] is None else f"{r['amount_at_risk_reporting']:,.2f}",
                    r["owner"] or "",
                    str(r["first_seen_as_of"]),
                    str(r["open_age_days"]),
                )
                for r in rows
            ],
        )
    )


@exceptions_app.command("show")
def show_command(exception_id: str = typer.Argument(..., help="Exception id or its first 6+ characters.")) -> None:
    """Show one exception with its full history."""
    with _ledger_connection() as conn:
        try:
            row, events = get_exception(conn, exception_id)
        except LedgerError as exc:
            raise fail(str(exc)) from None
    width = max(len(k) for k in row)
    for key, value in row.items():
        if value is not None and value != "":
            typer.echo(f"{key:<{width}}  {value}")
    typer.echo("\nhistory:")
    typer.echo(
        render_table(
            ("at", "as of", "event", "from", "to", "by", "reason"),
            [
                (
                    str(e["occurred_at"])[:19],
                    str(e["as_of"]),
                    e["event_type"],
                    e["status_before"] or "",
                    e["status_after"],
                    e["actor"],
                    e["reason"] or "",
                )
                for e in events
            ],
        )
    )


def _review(action: str, exception_id: str, by: str, reason: str) -> None:
    with _ledger_connection() as conn:
        try:
            full_id = apply_review_action(conn, action, exception_id, by=by, reason=reason)
            status = conn.execute(
                "SELECT status FROM recon.exceptions WHERE exception_id = $id", {"id": full_id}
            ).fetchall()[0][0]
        except LedgerError as exc:
            raise fail(str(exc)) from None
    typer.echo(f"{full_id}: now {status} (by {by.strip()})")


_BY = typer.Option(..., "--by", help="Who takes the action (required).")
_REASON = typer.Option(..., "--reason", help="Why (required).")


@exceptions_app.command("ack")
def ack_command(exception_id: str = typer.Argument(...), by: str = _BY, reason: str = _REASON) -> None:
    """Acknowledge an open exception: someone is on it (it still counts in its check)."""
    _review("acknowledge", exception_id, by, reason)


@exceptions_app.command("waive")
def waive_command(exception_id: str = typer.Argument(...), by: str = _BY, reason: str = _REASON) -> None:
    """Waive an exception: it stays visible but no longer fails its rule's check."""
    _review("waive", exception_id, by, reason)


@exceptions_app.command("reopen")
def reopen_command(exception_id: str = typer.Argument(...), by: str = _BY, reason: str = _REASON) -> None:
    """Reopen an acknowledged, waived or resolved exception."""
    _review("reopen", exception_id, by, reason)
