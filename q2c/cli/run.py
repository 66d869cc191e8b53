"""``q2c run``, ``q2c demo`` and ``q2c demo-data``: launch the nightly job and print its
progress and summary. The night itself, its summary and its alert are the job's and
orchestration's (orchestration.launch); nothing here produces an artifact.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from datetime import date
from pathlib import Path

import typer

from q2c.cli.table import render_table
from q2c.run_summary import (
    AT_STAKE_NOTE,
    BATCH_ISSUE_HEADER,
    NightlyResult,
    batch_issue_rows,
    held_system_line,
    ledger_line,
    rule_table_header,
    rule_table_rows,
    totals_line,
)
from q2c.settings import Settings, environment, get_settings

Echo = Callable[[str], None]


@contextmanager
def _logging_into(stream) -> Iterator[None]:
    """Point console log handlers created before the run (dlt binds one to stderr at import)
    at ``stream`` for the duration of the run."""
    consoles = {id(sys.stdout), id(sys.stderr), id(sys.__stdout__), id(sys.__stderr__)}
    loggers = [
        logging.getLogger(),
        *(v for v in logging.root.manager.loggerDict.values() if isinstance(v, logging.Logger)),
    ]
    swapped: list[tuple[logging.StreamHandler, object]] = []
    for logger in loggers:
        for handler in logger.handlers:
            if type(handler) is logging.StreamHandler and id(handler.stream) in consoles:
                swapped.append((handler, handler.setStream(stream)))
    try:
        yield
    finally:
        for handler, previous in swapped:
            handler.setStream(previous)


class _Progress:
    """Prints one line as each stage starts and ends, from the run's events."""

    def __init__(self, echo: Echo, labels: dict[str, str]):
        self.echo, self.labels = echo, labels
        self.started: dict[str, float] = {}
        self.rows_landed: dict[str, int] = {}

    def __call__(self, entry) -> None:
        from orchestration.night_record import failure_message

        event = entry.dagster_event
        if event is None:
            return
        kind, step = event.event_type_value, event.step_key or ""
        label = self.labels.get(step)
        if kind == "STEP_START":
            self.started[step] = time.monotonic()
            if label:
                self.echo(f"-> {label} ...")
        elif kind == "STEP_SUCCESS" and label:
            took = time.monotonic() - self.started.get(step, time.monotonic())
            extra = f": {self.rows_landed.get(step, 0):,} rows" if step.startswith("land_") else ""
            self.echo(f"   done {label}{extra} ({took:.1f} s)")
        elif kind == "STEP_FAILURE":
            self.echo(f"   FAILED {label or step}: {failure_message(event)}")
        elif kind == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            path = evaluation.asset_key.path
            if path[0].startswith("raw_") and not evaluation.passed:
                severity = evaluation.severity.value if evaluation.severity else "ERROR"
                self.echo(f"   check {'/'.join(path)} {evaluation.check_name}: {severity}")
        elif kind == "ASSET_MATERIALIZATION":
            materialization = event.step_materialization_data.materialization
            path, metadata = materialization.asset_key.path, materialization.metadata
            if path[0].startswith("raw_") and path[-1] == "batch_log" and "rows_landed" in metadata:
                self.rows_landed[step] = int(metadata["rows_landed"].value)


def run_nightly(as_of: date | None = None, *, echo: Echo = print, settings: Settings | None = None) -> NightlyResult:
    """Launch the nightly job in this process and print its progress; never raises for a failed step."""
    from dagster._core.utils import make_new_run_id

    from orchestration.launch import execute_nightly
    from orchestration.night_record import STAGE_LABELS

    settings = settings or get_settings()
    echo(f"q2c nightly: landing {settings.landing_dir}, warehouse {settings.duckdb_path}")
    console = sys.stdout

    def say(message: str) -> None:
        with redirect_stdout(console):
            echo(message)

    run_id = make_new_run_id()
    log_path = settings.data_dir / "logs" / f"nightly-{run_id}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    echo(f"full log: {log_path}")
    # Dagster's event log and dbt's own output go to the log file; the terminal gets stages.
    with (
        environment(settings.process_environment()),  # dbt and dlt read variables themselves
        open(log_path, "w", encoding="utf-8") as log,
        _logging_into(log),
        redirect_stdout(log),
        redirect_stderr(log),
    ):
        result = execute_nightly(settings, as_of=as_of, run_id=run_id, on_event=_Progress(say, STAGE_LABELS), echo=say)
    if result.skipped_stages:
        echo(f"   skipped (nothing new since the last build): {', '.join(result.skipped_stages)}")
    if result.not_run_stages:
        echo(f"   not run (an upstream step failed): {', '.join(result.not_run_stages)}")
    for line in result.alert_lines:
        echo(line)
    return result


def print_result(result: NightlyResult, reporting_currency: str | None = None) -> None:
    reporting_currency = reporting_currency or _reporting_currency()
    typer.echo("")
    typer.echo(f"as of {result.as_of}  run {result.run_id}")
    typer.echo(render_table(("system", "rows landed"), [(s, f"{n:,}") for s, n in result.rows_landed.items()]))
    if result.batch_issues:
        typer.echo("\nbatches not loaded (q2c batches list):")
        typer.echo(render_table(BATCH_ISSUE_HEADER, batch_issue_rows(result.batch_issues)))
        for system in result.held_systems:
            typer.secho(held_system_line(system), fg=typer.colors.RED)
    if result.dbt:
        d = result.dbt
        typer.echo(
            f"dbt: {d.models_built} models built ({d.models_failed} failed, {d.models_skipped} skipped), "
            f"{d.seeds} seeds; tests {d.tests_passed} passed, {d.tests_warned} warned, {d.tests_failed} failed"
        )
        for test in d.failed_tests:
            typer.echo(f"  failed test: {test}")
        for test in d.warned_tests:
            typer.echo(f"  warned test: {test}")
    ledger = ledger_line(result)
    if ledger:
        typer.echo(f"ledger: {ledger}")
    if result.reviews:
        typer.echo("")
        typer.echo(render_table(rule_table_header(reporting_currency), rule_table_rows(result.reviews)))
        typer.echo(totals_line(result.reviews, reporting_currency))
        typer.echo(f"({AT_STAKE_NOTE}; an amount found through two systems counts once)")
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


def _reporting_currency() -> str:
    from q2c.reconciliation_config import ReconConfigError, load_recon_config

    try:
        return load_recon_config(get_settings().recon_config_path).reporting_currency
    except ReconConfigError:
        return "reporting currency"


def _run(as_of: date | None) -> None:
    from q2c.run_lock import NightlyInProgress

    try:
        result = run_nightly(as_of, echo=typer.echo)
    except NightlyInProgress as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from None
    print_result(result)
    if not result.success:
        raise typer.Exit(1)


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected YYYY-MM-DD, got {value!r}") from None


def run(
    as_of: str | None = typer.Option(
        None, "--as-of", help="As-of date YYYY-MM-DD (default: newest loaded batch's extraction date)."
    ),
) -> None:
    """Run the nightly job in-process: land, dbt build, reconcile, update the ledger, report, publish."""
    _run(_parse_date(as_of))


def _demo_package():
    """The demo generator and API stand-ins live in a source checkout, not in the wheel."""
    try:
        import q2c_demo.api_standin.demo
        import q2c_demo.data
    except ImportError:
        typer.secho(
            "error: the demo needs the q2c_demo package of a q2c source checkout "
            "(it is not part of the installed wheel)",
            err=True,
            fg=typer.colors.RED,
        )
        raise typer.Exit(1) from None
    return q2c_demo


def _generate(customers: int, months: int, seed: int, out: Path | None) -> None:
    generate = _demo_package().data.generate

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


def demo_data(
    customers: int = typer.Option(300, min=1, help="Number of customers (CRM accounts)."),
    months: int = typer.Option(12, min=1, help="Months of history."),
    seed: int = typer.Option(42, help="Random seed; the same seed gives the same bytes."),
    out: Path | None = typer.Option(None, help="Landing dir to write (default Q2C_LANDING_DIR)."),
) -> None:
    """Write realistic extracts of the four source systems into the landing zone."""
    _generate(customers, months, seed, out)


def _demo_api() -> None:
    standin = _demo_package().api_standin.demo
    has_batches, standin_environment = standin.has_batches, standin.standin_environment
    source = get_settings().standin_source_dir
    if not has_batches(source):
        _generate(300, 12, 42, source)
    typer.echo(f"stand-in APIs (Salesforce, Harvest, NetSuite, Stripe) serving the demo data of {source}")
    with standin_environment(source) as servers:
        for system in ("crm", "psa", "erp", "billing"):
            typer.echo(f"  {system:<8} {servers.base_url(system)}")
        _run(None)  # settings read inside the block see every system in API mode


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
