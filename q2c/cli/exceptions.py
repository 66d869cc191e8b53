"""``q2c exceptions``: list, show and act on the exception ledger (q2c.ledger does the work).

``list`` and ``show`` read the published snapshot, never the pipeline's warehouse. A review
action takes the run lock for the seconds it writes the warehouse, the snapshot and the reports;
while a nightly holds it, the action is queued for the nightly's ledger step instead."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import duckdb
import typer

from q2c.cli.table import render_table
from q2c.ledger import LIST_ORDERS, LIST_STATUSES, LedgerError, exception_page, get_exception
from q2c.ledger.actions import check_review_action
from q2c.ledger.queue import QueuedAction, apply_queued_actions, enqueue, failed_actions, queued_actions
from q2c.publish import republish_with
from q2c.reconciliation_config import OWNERS
from q2c.rule_catalogue import RULES_BY_ID
from q2c.run_lock import REVIEW, NightlyInProgress, night_lock
from q2c.settings import get_settings
from q2c.warehouse import WarehouseLocked, open_duckdb, warehouse_connection

FORMATS = ("table", "csv", "json")

exceptions_app = typer.Typer(help="Review the exception ledger.", no_args_is_help=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


@contextmanager
def _snapshot_connection() -> Iterator[duckdb.DuckDBPyConnection]:
    """The published snapshot, read-only: reading never holds the pipeline's warehouse, so it
    never makes a nightly fail (DuckDB: one writer or many readers, never both)."""
    settings = get_settings()
    published = settings.published_path
    if not published.exists():
        if not settings.duckdb_path.exists():
            raise fail(f"no warehouse at {settings.duckdb_path}: run `q2c run` first")
        raise fail(
            f"no published snapshot at {published} yet: a successful `q2c run` writes it "
            "(the review commands read it, never the pipeline's warehouse)"
        )
    try:
        conn = open_duckdb(published, memory_limit=settings.duckdb_memory_limit, read_only=True)
    except (duckdb.IOException, WarehouseLocked) as exc:
        raise fail(f"cannot read the published snapshot {published}: {exc}") from None
    try:
        yield conn
    finally:
        conn.close()


def _snapshot_note(settings) -> str:
    stamp = datetime.fromtimestamp(settings.published_path.stat().st_mtime, UTC)
    return f"from the published snapshot of {stamp:%Y-%m-%d %H:%M} UTC ({settings.published_path})"


def _queue_notes(settings) -> list[str]:
    notes = [
        f"queued, not yet applied: {a.action} {a.exception_id[:12]} by {a.by} at {a.taken_at[:19]} "
        "(the nightly's exception ledger step applies it)"
        for a in queued_actions(settings.review_queue_dir)
    ]
    notes += [
        f"queued but NOT applied: {a.action} {a.exception_id[:12]} by {a.by}: {error} "
        f"(kept in {settings.review_queue_dir / 'failed'})"
        for a, error in failed_actions(settings.review_queue_dir)
    ]
    return notes


def _rule_option(rule: str | None) -> str | None:
    if rule is None:
        return None
    normalised = rule.strip().upper().replace("_", "-")
    if normalised not in RULES_BY_ID:
        raise typer.BadParameter(f"unknown rule {rule!r}; rules are {', '.join(RULES_BY_ID)}", param_hint="--rule")
    return normalised


def _choice(value: str | None, allowed, name: str) -> str | None:
    """Case-insensitive, as --rule is: --status OPEN, --owner Billing, --sort Amount."""
    if value is None:
        return None
    normalised = value.strip().lower().replace("-", "_") if name == "owner" else value.strip().lower()
    if normalised not in allowed:
        raise typer.BadParameter(
            f"unknown {name} {value!r}; expected one of {', '.join(sorted(allowed))}", param_hint=f"--{name}"
        )
    return normalised


_LIST_COLUMNS = (
    "exception_id",
    "rule_id",
    "status",
    "subject_type",
    "subject_id",
    "attribute",
    "amount_at_risk",
    "currency_code",
    "amount_at_risk_reporting",
    "reporting_currency",
    "owner",
    "first_seen_as_of",
    "last_seen_as_of",
    "open_age_days",
    "event_date",
    "event_age_days",
)


def _plain(value: object) -> object:
    """JSON and CSV cells: exact decimals as text, dates ISO, None as null / empty."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _table(rows: list[dict]) -> str:
    header = ("id", "rule", "status", "subject", "attribute", "amount (rep.)", "owner", "first seen")
    header += ("open (days)", "event age (days)")
    return render_table(
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
                "" if r["event_age_days"] is None else str(r["event_age_days"]),
            )
            for r in rows
        ],
    )


@exceptions_app.command("list")
def list_command(
    rule: str | None = typer.Option(None, "--rule", help="Rule id, e.g. INV-03 (any case)."),
    status: str | None = typer.Option(
        None, "--status", help=f"One of {', '.join(LIST_STATUSES)} (reopened: open again after resolved or reviewed)."
    ),
    owner: str | None = typer.Option(None, "--owner", help=f"One of {', '.join(sorted(OWNERS))}."),
    sort: str = typer.Option("amount", "--sort", help=f"One of {', '.join(LIST_ORDERS)} (amount: largest first)."),
    limit: int = typer.Option(200, "--limit", min=0, help="Show at most this many (0: all)."),
    output: str = typer.Option("table", "--format", help=f"One of {', '.join(FORMATS)}."),
) -> None:
    """List exceptions from the published snapshot, largest amount at risk first; says how many match."""
    rule_id = _rule_option(rule)
    status = _choice(status, LIST_STATUSES, "status")
    owner = _choice(owner, OWNERS, "owner")
    sort = _choice(sort, LIST_ORDERS, "sort")
    output = _choice(output, FORMATS, "format")
    settings = get_settings()
    with _snapshot_connection() as conn:
        page = exception_page(
            conn, rule_id=rule_id, status=status, owner=owner, limit=limit or None, sort=sort or "amount"
        )
    notes = [f"showing {len(page.rows)} of {page.total} (--sort {sort}; --limit 0 shows all)", _snapshot_note(settings)]
    notes += _queue_notes(settings)
    if output == "json":
        typer.echo(json.dumps([{c: _plain(r[c]) for c in _LIST_COLUMNS} for r in page.rows], indent=2))
    elif output == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(_LIST_COLUMNS)
        writer.writerows([["" if (v := _plain(r[c])) is None else v for c in _LIST_COLUMNS] for r in page.rows])
        typer.echo(buffer.getvalue(), nl=False)
    elif page.rows:
        typer.echo(_table(page.rows))
    else:
        typer.echo("no exceptions match")
    # a table's reader sees the notes under it; csv and json stay clean for a pipe
    for note in notes:
        typer.echo(note, err=output != "table")


@exceptions_app.command("show")
def show_command(exception_id: str = typer.Argument(..., help="Exception id or its first 6+ characters.")) -> None:
    """Show one exception with its full history (from the published snapshot)."""
    settings = get_settings()
    with _snapshot_connection() as conn:
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
    typer.echo(_snapshot_note(settings))
    for note in _queue_notes(settings):
        typer.echo(note)


def _queue(settings, action: QueuedAction, why: str) -> None:
    """Keep the action for the nightly's ledger step, checked first against the snapshot so a
    mistyped id or a wrong transition is refused now, not at night."""
    if settings.published_path.exists():
        with _snapshot_connection() as conn:
            try:
                full_id = check_review_action(conn, action.action, action.exception_id)
            except LedgerError as exc:
                raise fail(str(exc)) from None
        action = replace(action, exception_id=full_id)
    enqueue(settings.review_queue_dir, action)
    typer.echo(f"{action.exception_id}: {action.action} QUEUED, not yet applied: {why}")
    typer.echo(
        "the nightly's exception ledger step applies it (or, once that step has run, the next review "
        "action or night); `q2c exceptions list` shows it as queued until then"
    )


def _mirror(applied: list[QueuedAction], notes: list[str]):
    def change(conn: duckdb.DuckDBPyConnection) -> None:
        for action in applied:
            try:
                action.apply(conn)
            except LedgerError as exc:  # e.g. an exception of a night that was never published
                notes.append(f"the published snapshot does not hold it as the warehouse does: {exc}")

    return change


def _apply_now(settings, action: QueuedAction) -> tuple[str, str]:
    """Under the run lock: the queue and ``action`` into the warehouse, then the same actions
    into the published snapshot and both reports rendered again. The full id and its status."""
    applied: list[QueuedAction] = []
    error: LedgerError | None = None
    with warehouse_connection(settings) as conn:
        applied += apply_queued_actions(conn, settings.review_queue_dir).applied
        try:
            full_id = action.apply(conn)
            applied.append(replace(action, exception_id=full_id))
            status = conn.execute(
                "SELECT status FROM recon.exceptions WHERE exception_id = $id", {"id": full_id}
            ).fetchall()[0][0]
        except LedgerError as exc:
            error = exc
    if applied:
        notes: list[str] = []
        if settings.published_path.exists():
            republish_with(settings.published_path, _mirror(applied, notes), settings.duckdb_memory_limit)
            notes.append(f"published: {settings.published_path}")
        from orchestration.after_review import rerender_latest_reports  # loads Dagster: only when needed

        result = rerender_latest_reports(settings)
        if result is None:
            notes.append("no finished nightly run is recorded: no report to render again")
        else:
            notes.append(
                f"reports rendered again for run {result.run_id}: {result.report_path}, {result.html_report_path}"
            )
        for note in notes:
            typer.echo(note, err=error is not None)
    if error is not None:
        raise fail(str(error))
    return full_id, status


def _review(action: str, exception_id: str, by: str, reason: str) -> None:
    settings = get_settings()
    try:
        queued = QueuedAction.new(action, exception_id.strip(), by=by, reason=reason)
    except LedgerError as exc:
        raise fail(str(exc)) from None
    if not settings.duckdb_path.exists():
        raise fail(f"no warehouse at {settings.duckdb_path}: run `q2c run` first")
    try:
        with night_lock(settings, f"q2c exceptions {action} {exception_id.strip()[:12]}", wait_seconds=0, kind=REVIEW):
            full_id, status = _apply_now(settings, queued)
    except (NightlyInProgress, WarehouseLocked) as exc:
        _queue(settings, queued, str(exc))
        return
    typer.echo(f"{full_id}: now {status} (by {queued.by})")


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
