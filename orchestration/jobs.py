"""The one job: ``nightly`` materialises every asset (landing -> raw -> dbt -> ledger) and runs
every check, in one process (a process per step costs 5-14 s each here)."""

from __future__ import annotations

import dagster as dg
from dagster._core.storage.dagster_run import IN_PROGRESS_RUN_STATUSES, RunsFilter

from orchestration.abandoned_runs import fail_abandoned_runs

NIGHTLY_JOB_NAME = "nightly"

nightly_job = dg.define_asset_job(
    name=NIGHTLY_JOB_NAME,
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Land every complete batch, dbt build (models, tests, reconciliation rules), update the exception ledger.",
)


def nightly_in_progress(instance: dg.DagsterInstance) -> bool:
    """Two nightly runs at once would fight over the single DuckDB writer. A run whose
    `q2c run` process was killed is marked failed first, so it does not block forever."""
    fail_abandoned_runs(instance, NIGHTLY_JOB_NAME)
    return bool(
        instance.get_run_records(
            RunsFilter(job_name=NIGHTLY_JOB_NAME, statuses=IN_PROGRESS_RUN_STATUSES), limit=1
        )
    )
