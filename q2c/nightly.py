"""``q2c run``: the nightly job executed in this process through Dagster, with progress per
stage, a summary and a Markdown report. The CLI only parses arguments and prints.

The same job runs under ``dagster dev`` / the daemon; running it in-process here means the
command needs no daemon and its exit code tells whether the night succeeded.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from q2c.ledger import review_rules
from q2c.reconciliation_config import load_recon_config
from q2c.rule_catalogue import RULES
from q2c.run_summary import DbtSummary, NightlyResult, write_report
from q2c.settings import Settings, export_environment, get_settings

AS_OF_TAG = "q2c/as_of"  # same as orchestration.as_of.AS_OF_TAG (not imported: keeps CLI start light)

Echo = Callable[[str], None]


def dagster_home(settings: Settings) -> Path:
    home = Path(os.environ["DAGSTER_HOME"]) if os.environ.get("DAGSTER_HOME") else settings.data_dir / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    return home


def _stage_label(step_key: str) -> str | None:
    if step_key.startswith("land_"):
        return f"landing {step_key.removeprefix('land_')}"
    return {
        "dbt_build": "dbt build (staging, marts, reconciliation rules, tests)",
        "exception_ledger": "exception ledger",
        "rule_checks": "reconciliation rule checks",
    }.get(step_key)


class _Progress:
    """Prints stage progress from the run's events as Dagster stores them."""

    def __init__(self, echo: Echo):
        self.echo = echo
        self.started: dict[str, float] = {}
        self.rows_landed: dict[str, int] = {}
        self.ledger_metadata: dict[str, object] = {}
        self.failures: list[str] = []

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
        elif kind == "STEP_FAILURE":
            error = event.step_failure_data.error if event.step_failure_data else None
            message = error.message.strip().splitlines()[0] if error and error.message else "failed"
            self.failures.append(f"{label or step}: {message}")
            self.echo(f"   FAILED {label or step}: {message}")
        elif kind == "STEP_SKIPPED" and label:
            self.echo(f"   skipped {label} (an upstream step failed)")
        elif kind == "ASSET_MATERIALIZATION":
            materialization = event.step_materialization_data.materialization
            path = materialization.asset_key.path
            metadata = materialization.metadata
            if path[0].startswith("raw_") and path[-1] == "batch_log" and "rows_landed" in metadata:
                # rows of the batches this run loaded (ingestion's landing report)
                self.rows_landed[path[0].removeprefix("raw_")] = int(metadata["rows_landed"].value)
            elif path == ["recon", "exception_ledger"]:
                self.ledger_metadata = {k: v.value for k, v in metadata.items()}


def run_nightly(
    as_of: date | None = None, *, echo: Echo = print, settings: Settings | None = None
) -> NightlyResult:
    """Run the ``nightly`` job in-process; never raises for a failed step (see ``success``)."""
    settings = settings or get_settings()
    export_environment(settings)
    echo(f"q2c nightly: landing {settings.landing_dir}, warehouse {settings.duckdb_path}")

    import dagster as dg
    from dagster._core.utils import make_new_run_id

    from orchestration.as_of import newest_loaded_batch_date
    from orchestration.definitions import defs
    from orchestration.transform.assets import NIGHTLY_TARGET
    from orchestration.transform.project import dbt_project

    job = defs.resolve_job_def("nightly")
    run_id = make_new_run_id()
    tags = {"q2c/trigger": "cli"}
    if as_of is not None:
        tags[AS_OF_TAG] = as_of.isoformat()
    progress = _Progress(echo)
    run_results = dbt_project.project_dir / NIGHTLY_TARGET / "run_results.json"
    started = time.time()
    with dg.DagsterInstance.from_config(str(dagster_home(settings))) as instance:
        instance.add_event_listener(run_id, progress)
        outcome = job.execute_in_process(instance=instance, run_id=run_id, tags=tags, raise_on_error=False)

    result = NightlyResult(success=outcome.success, run_id=run_id, failures=progress.failures)
    from ingestion.catalog import SYSTEMS

    result.rows_landed = {system: progress.rows_landed.get(system, 0) for system in SYSTEMS}
    if run_results.exists() and run_results.stat().st_mtime >= started:
        result.dbt = DbtSummary.from_run_results(run_results)
    result.ledger = {k: v for k, v in progress.ledger_metadata.items() if isinstance(v, int)}
    ledger_as_of = progress.ledger_metadata.get("as_of")
    config = load_recon_config(settings.recon_config_path)

    import duckdb

    if settings.duckdb_path.exists():
        with duckdb.connect(str(settings.duckdb_path)) as conn:
            result.as_of = (
                date.fromisoformat(str(ledger_as_of)) if ledger_as_of else as_of or newest_loaded_batch_date(conn)
            )
            if ledger_as_of:
                materiality = {rule.rule_id: config.materiality(rule.rule_id) for rule in RULES}
                result.reviews = review_rules(conn, result.as_of, materiality)
    if not outcome.success and not result.failures:
        result.failures.append("the nightly run failed (see the Dagster event log)")
    result.report_path = write_report(result, settings.reports_dir, config.reporting_currency)
    return result
