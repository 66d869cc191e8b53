"""``q2c run``: the nightly job executed in this process through Dagster, with progress per
stage, a summary and a Markdown report. The CLI only parses arguments and prints.

The same job runs under ``dagster dev`` / the daemon; running it in-process here means the
command needs no daemon and its exit code tells whether the night succeeded.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
from dagster._core.utils import make_new_run_id

from ingestion.catalog import SYSTEMS
from orchestration.abandoned_runs import fail_abandoned_runs, process_tags
from orchestration.as_of import AS_OF_TAG, newest_loaded_batch_date
from orchestration.review.run_alert import alert_after_cli_run
from orchestration.transform.assets import nightly_target_path
from q2c.ledger import review_rules
from q2c.reconciliation_config import ReconConfigError, load_recon_config
from q2c.rule_catalogue import RULES
from q2c.run_summary import DbtSummary, NightlyResult, write_report
from q2c.settings import Settings, export_environment, get_settings

Echo = Callable[[str], None]


def dagster_home(settings: Settings) -> Path:
    home = Path(os.environ["DAGSTER_HOME"]) if os.environ.get("DAGSTER_HOME") else settings.data_dir / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        # an empty file means "all defaults, stored under this folder" (and silences the notice)
        config.write_text("", encoding="utf-8")
    return home


@contextmanager
def _logging_into(stream) -> Iterator[None]:
    """Point console log handlers created before the run (dlt binds one to stderr at import)
    at ``stream`` for the duration of the run."""
    consoles = {id(sys.stdout), id(sys.stderr), id(sys.__stdout__), id(sys.__stderr__)}
    loggers = [logging.getLogger(), *(v for v in logging.root.manager.loggerDict.values() if isinstance(v, logging.Logger))]
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


def _stage_label(step_key: str) -> str | None:
    if step_key.startswith("land_"):
        return f"landing {step_key.removeprefix('land_')}"
    return {
        "dbt_build": "dbt build (staging, marts, reconciliation rules, tests)",
        "recon__exception_ledger": "exception ledger",
        "published__warehouse_snapshot": "publishing the analyst snapshot",
        "quality__mart_expectations": "Great Expectations over the marts",
        "recon__report": "reconciliation report",
        "docs__dbt_docs": "dbt docs",
        "rule_checks": "reconciliation rule checks",
    }.get(step_key)


class _Progress:
    """Prints stage progress from the run's events as Dagster stores them."""

    def __init__(self, echo: Echo):
        self.echo = echo
        self.started: dict[str, float] = {}
        self.rows_landed: dict[str, int] = {}
        self.ledger_metadata: dict[str, object] = {}
        self.published_path: str | None = None
        self.html_report_path: str | None = None
        self.failures: list[str] = []
        self.skipped: list[str] = []  # steps Dagster skipped: nothing new upstream

    def __call__(self, entry) -> None:
        event = entry.dagster_event
        if event is None:
            return
        kind, step = event.event_type_value, event.step_key or ""
        label = _stage_label(step)
        if kind == "STEP_START":
            self.started[step] = time.monotonic()
            if label:
                self.echo(f"-> {label} ...")
        elif kind == "STEP_SUCCESS" and label:
            took = time.monotonic() - self.started.get(step, time.monotonic())
            extra = ""
            if step.startswith("land_"):
                extra = f": {self.rows_landed.get(step.removeprefix('land_'), 0):,} rows"
            self.echo(f"   done {label}{extra} ({took:.1f} s)")
        elif kind == "STEP_SKIPPED":
            self.skipped.append(step)
        elif kind == "STEP_FAILURE":
            error = event.step_failure_data.error if event.step_failure_data else None
            while error is not None and error.cause is not None:  # the user code's own error
                error = error.cause
            message = error.message.strip().splitlines()[0] if error and error.message else "failed"
            self.failures.append(f"{label or step}: {message}")
            self.echo(f"   FAILED {label or step}: {message}")
        elif kind == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            path = evaluation.asset_key.path
            if path[0].startswith("raw_") and not evaluation.passed:
                severity = evaluation.severity.value if evaluation.severity else "ERROR"
                self.echo(f"   check {'/'.join(path)} {evaluation.check_name}: {severity}")
        elif kind == "ASSET_MATERIALIZATION":
            materialization = event.step_materialization_data.materialization
            path = materialization.asset_key.path
            metadata = materialization.metadata
            if path[0].startswith("raw_") and path[-1] == "batch_log" and "rows_landed" in metadata:
                # rows of the batches this run loaded (ingestion's landing report)
                self.rows_landed[path[0].removeprefix("raw_")] = int(metadata["rows_landed"].value)
            elif path == ["recon", "exception_ledger"]:
                self.ledger_metadata = {k: v.value for k, v in metadata.items()}
            elif path == ["published", "warehouse_snapshot"] and "path" in metadata:
                self.published_path = str(metadata["path"].value)
            elif path == ["recon", "report"] and "path" in metadata:
                self.html_report_path = str(metadata["path"].value)


def run_nightly(
    as_of: date | None = None, *, echo: Echo = print, settings: Settings | None = None
) -> NightlyResult:
    """Run the ``nightly`` job in-process; never raises for a failed step (see ``success``)."""
    settings = settings or get_settings()
    export_environment(settings)
    echo(f"q2c nightly: landing {settings.landing_dir}, warehouse {settings.duckdb_path}")

    # imported here: loading the code location parses the dbt project; `q2c --help` need not
    from orchestration.definitions import defs

    job = defs.resolve_job_def("nightly")
    run_id = make_new_run_id()
    tags = {"q2c/trigger": "cli", **process_tags()}  # process tags: see orchestration.abandoned_runs
    if as_of is not None:
        tags[AS_OF_TAG] = as_of.isoformat()
    console = sys.stdout

    def say(message: str) -> None:
        with redirect_stdout(console):
            echo(message)

    progress = _Progress(say)
    run_results = nightly_target_path() / "run_results.json"
    log_path = settings.data_dir / "logs" / f"nightly-{run_id}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    echo(f"full log: {log_path}")
    started = time.time()
    # Dagster's event log and dbt's own output go to the log file; the terminal gets stages.
    with (
        dg.DagsterInstance.from_config(str(dagster_home(settings))) as instance,
        open(log_path, "w", encoding="utf-8") as log,
        _logging_into(log),
        redirect_stdout(log),
        redirect_stderr(log),
    ):
        for abandoned in fail_abandoned_runs(instance, job.name):
            say(f"   marked run {abandoned} failed: its process was killed before it finished")
        instance.add_event_listener(run_id, progress)
        try:
            success = job.execute_in_process(
                instance=instance, run_id=run_id, tags=tags, raise_on_error=False
            ).success
        except Exception as exc:  # noqa: BLE001 - a framework error is a failed night, reported
            traceback.print_exc()  # into the log file
            success = False
            progress.failures.append(f"the run could not execute: {type(exc).__name__}: {exc} (see {log_path})")
        # scheduled runs alert through the run status sensors, which skip this CLI-tagged run
        alert_lines = alert_after_cli_run(instance, run_id, success=success)

    stages = [*(f"land_{system}" for system in SYSTEMS), "dbt_build", "recon__exception_ledger", "rule_checks",
              "published__warehouse_snapshot"]
    skipped = [_stage_label(step) for step in stages if step in progress.skipped]
    if skipped:
        echo(f"   skipped (nothing new since the last build): {', '.join(skipped)}")
    not_run = [_stage_label(step) for step in stages if step not in progress.started and step not in progress.skipped]
    if not_run:
        echo(f"   not run (an upstream step failed): {', '.join(not_run)}")
    result = NightlyResult(success=success, run_id=run_id, failures=progress.failures)
    result.rows_landed = {system: progress.rows_landed.get(system, 0) for system in SYSTEMS}
    if run_results.exists() and run_results.stat().st_mtime >= started:
        result.dbt = DbtSummary.from_run_results(run_results)
    result.ledger = {k: v for k, v in progress.ledger_metadata.items() if isinstance(v, int)}
    result.published_path = Path(progress.published_path) if progress.published_path else None
    result.html_report_path = Path(progress.html_report_path) if progress.html_report_path else None
    for line in alert_lines:
        echo(line)
    ledger_as_of = progress.ledger_metadata.get("as_of")
    try:
        config = load_recon_config(settings.recon_config_path)
    except ReconConfigError as exc:
        config = None
        result.failures.append(str(exc))

    if settings.duckdb_path.exists():
        with duckdb.connect(str(settings.duckdb_path)) as conn:
            result.as_of = (
                date.fromisoformat(str(ledger_as_of)) if ledger_as_of else as_of or newest_loaded_batch_date(conn)
            )
            # a skipped ledger still holds the last build's state: review it for the report
            if (ledger_as_of or "recon__exception_ledger" in progress.skipped) and config is not None:
                materiality = {rule.rule_id: config.materiality(rule.rule_id) for rule in RULES}
                result.reviews = review_rules(conn, result.as_of, materiality)
    if not success and not result.failures:
        result.failures.append("the nightly run failed (see the Dagster event log)")
    currency = config.reporting_currency if config else "reporting currency"
    result.report_path = write_report(result, settings.reports_dir, currency)
    return result
