"""The ``q2c`` command line: demo data, the nightly run, and the exception review actions.

Only argument parsing and printing live here; the work is in q2c.nightly, q2c.ledger and
ingestion.demo_data.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb
import typer

from q2c.batches_cli import batches_app
from q2c.bench.cli import bench as bench_command
from q2c.ledger import LedgerError, apply_review_action, get_exception, list_exceptions
from q2c.ledger.schema import STATUSES
from q2c.reconciliation_config import OWNERS
from q2c.rule_catalogue import RULES_BY_ID
from q2c.run_summary import RULE_TABLE_HEADER, NightlyResult, rule_table_rows
from q2c.settings import get_settings

app = typer.Typer(help="q2c: nightly quote-to-cash reconciliation.", no_args_is_help=True, add_completion=False)
exceptions_app = typer.Typer(help="Review the exception ledger.", no_args_is_help=True)
app.add_typer(exceptions_app, name="exceptions")
app.add_typer(batches_app, name="batches")
app.command("bench")(bench_command)


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def _table(header: tuple[str, ...] | list[str], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) if rows else len(str(h)) for i, h in enumerate(header)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*header), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*(str(c) for c in row)) for row in rows]
    return "\n".join(lines)


# ---------------------------------------------------------------- demo data and runs


def _generate(customers: int, months: int, seed: int, out: Path | None) -> None:
    from ingestion.demo_data import generate

    settings = get_settings()
    out_dir = (out or settings.landing_dir).expanduser().resolve()
    typer.echo(f"generating demo extracts: {customers} customers, {months} months, seed {seed} -> {out_dir}")
    summary = generate(out_dir, settings.ground_truth_dir, customers=customers, months=months, seed=seed)
    rows = sum(summary.rows.values())
    batches = ", ".join(f"{system} {len(ids)}" for system, ids in summary.batches.items())
    typer.echo(f"wrote {rows:,} rows in batches ({batches}); newest batch as of {summary.as_of}")
    typer.echo(
        f"ground truth: {summary.ground_truth_rows} injected discrepancies, {summary.near_miss_rows} "
        f"near-misses -> {settings.ground_truth_dir}"
    )


@app.command("demo-data")
def demo_data(
    customers: int = typer.Option(300, min=1, help="Number of customers (CRM accounts)."),
    months: int = typer.Option(12, min=1, help="Months of history."),
    seed: int = typer.Option(42, help="Random seed; the same seed gives the same bytes."),
    out: Path | None = typer.Option(None, help="Landing dir to write (default Q2C_LANDING_DIR)."),
) -> None:
    """Write realistic extracts of the four source systems into the landing zone."""
    _generate(customers, months, seed, out)


def _print_result(result: NightlyResult) -> None:
    typer.echo("")
    typer.echo(f"as of {result.as_of}  run {result.run_id}")
    typer.echo(_table(("system", "rows landed"), [(s, f"{n:,}") for s, n in result.rows_landed.items()]))
    if result.dbt:
        d = result.dbt
        typer.echo(
            f"dbt: {d.models_built} models built ({d.models_failed} failed, {d.models_skipped} skipped), "
            f"{d.seeds} seeds; tests {d.tests_passed} passed, {d.tests_warned} warned, {d.tests_failed} failed"
        )
        for test in d.failed_tests:
            typer.echo(f"  failed test: {test}")
    if result.ledger:
        typer.echo("ledger: " + ", ".join(f"{k} {v}" for k, v in result.ledger.items()))
    if result.reviews:
        typer.echo("")
        typer.echo(_table(RULE_TABLE_HEADER, rule_table_rows(result.reviews)))
    if result.report_path:
        typer.echo(f"\nreport: {result.report_path}")
    if result.html_report_path:
        typer.echo(f"reconciliation report (HTML): {result.html_report_path}")
    if result.published_path:
        typer.echo(f"published for analysts (read-only): {result.published_path}")
    if result.success:
        typer.secho("nightly run succeeded", fg=typer.colors.GREEN)
    else:
        for failure in result.failures:
            typer.secho(f"  {failure}", err=True, fg=typer.colors.RED)
        typer.secho("nightly run FAILED", err=True, fg=typer.colors.RED)


def _run(as_of: date | None) -> None:
    from q2c.nightly import run_nightly

    result = run_nightly(as_of, echo=typer.echo)
    _print_result(result)
    if not result.success:
        raise typer.Exit(1)


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected YYYY-MM-DD, got {value!r}") from None


@app.command()
def run(
    as_of: str | None = typer.Option(
        None, "--as-of", help="As-of date YYYY-MM-DD (default: newest loaded batch's extraction date)."
    ),
) -> None:
    """Run the nightly job in-process: land, dbt build, reconcile, update the ledger."""
    _run(_parse_date(as_of))


def _demo_api() -> None:
    from ingestion.api_standin.demo import has_batches, standin_environment, standin_source_dir

    source = standin_source_dir(get_settings().data_dir)
    if not has_batches(source):
        _generate(300, 12, 42, source)
    typer.echo(f"stand-in APIs (Salesforce, Harvest, NetSuite, Stripe) serving the demo data of {source}")
    with standin_environment(source) as servers:
        for system in ("crm", "psa", "erp", "billing"):
            typer.echo(f"  {system:<8} {servers.base_url(system)}")
        _run(None)


@app.command()
def demo(
    api: bool = typer.Option(
        False, "--api", help="Read the four systems through their APIs (local stand-in servers on the demo data)."
    ),
) -> None:
    """Generate demo extracts if the landing zone is empty, then run the nightly job."""
    if api:
        _demo_api()
        return
    landing = get_settings().landing_dir
    if not landing.exists() or not any(p for p in landing.rglob("*") if p.is_file()):
        _generate(300, 12, 42, None)
    else:
        typer.echo(f"landing zone {landing} already has extracts: running on them")
    _run(None)


# ---------------------------------------------------------------- exceptions


@contextmanager
def _ledger_connection():
    path = get_settings().duckdb_path
    if not path.exists():
        raise _fail(f"no warehouse at {path}: run `q2c run` first")
    try:
        conn = duckdb.connect(str(path))
    except duckdb.IOException as exc:
        raise _fail(f"cannot open {path} (is a run in progress?): {exc}") from None
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
        raise typer.BadParameter(f"unknown {name} {value!r}; expected one of {', '.join(sorted(allowed))}", param_hint=f"--{name}")
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
        _table(
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
                    str(r["age_days"]),
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
            raise _fail(str(exc)) from None
    width = max(len(k) for k in row)
    for key, value in row.items():
        if value is not None and value != "":
            typer.echo(f"{key:<{width}}  {value}")
    typer.echo("\nhistory:")
    typer.echo(
        _table(
            ("at", "as of", "event", "from", "to", "by", "reason"),
            [
                (str(e["occurred_at"])[:19], str(e["as_of"]), e["event_type"], e["status_before"] or "",
                 e["status_after"], e["actor"], e["reason"] or "")
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
            raise _fail(str(exc)) from None
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


if __name__ == "__main__":
    app()
