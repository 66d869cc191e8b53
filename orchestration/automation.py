"""How nights start and end: the one ``nightly`` job, the 02:00 schedule, the new-batch sensor
and the run-status sensors that finish every run the launching process does not finish itself.

``q2c run`` executes the same job in-process and finishes it through the same function
(orchestration.night_record.finish_run), so a scheduled night and ``q2c run`` leave the same files.
"""

import dagster as dg
from dagster._core.storage.dagster_run import IN_PROGRESS_RUN_STATUSES, RunsFilter

from orchestration.abandoned_runs import fail_abandoned_runs
from orchestration.ingestion.landing_watch import (
    advance_cursor,
    landed_batches,
    new_complete_batches,
    parse_cursor,
    parse_waiting,
)
from orchestration.night_record import finish_reason, finish_run, refusal
from orchestration.reconciliation.latest_results import show_latest_rule_results
from orchestration.run_tags import TRIGGER_TAG
from q2c.run_lock import NIGHTLY, lock_holder
from q2c.settings import Settings

NIGHTLY_JOB_NAME = "nightly"
NIGHTLY_TAG = "q2c/nightly"
SENSOR_FINISHER = "the run-status sensor"

nightly_job = dg.define_asset_job(
    name=NIGHTLY_JOB_NAME,
    selection=dg.AssetSelection.all(),
    # one process: a process per step costs 5-14 s each here
    executor_def=dg.in_process_executor,
    # the run queue admits one run of this tag at a time (orchestration.launch.INSTANCE_CONFIG)
    tags={NIGHTLY_TAG: "true"},
    description=(
        "Land every complete batch, dbt build (models, tests, reconciliation rules), update the exception "
        "ledger, check the rules and the marts, write the report and docs, publish the analyst snapshot."
    ),
)


def nightly_in_progress(instance: dg.DagsterInstance) -> bool:
    """Two nightly runs at once would fight over the single DuckDB writer. A run whose
    `q2c run` process was killed is marked failed first, so it does not block forever."""
    fail_abandoned_runs(instance, NIGHTLY_JOB_NAME)
    return bool(
        instance.get_run_records(RunsFilter(job_name=NIGHTLY_JOB_NAME, statuses=IN_PROGRESS_RUN_STATUSES), limit=1)
    )


def build_schedule(timezone: str) -> dg.ScheduleDefinition:
    @dg.schedule(
        job=nightly_job,
        cron_schedule="0 2 * * *",
        execution_timezone=timezone,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        name="nightly_0200",
        description=f"The nightly run at 02:00 ({timezone}, Q2C_SCHEDULE_TIMEZONE).",
    )
    def nightly_schedule(context: dg.ScheduleEvaluationContext, settings: dg.ResourceParam[Settings]):
        if nightly_in_progress(context.instance):
            return dg.SkipReason("a nightly run is still in progress")
        holder = lock_holder(settings)
        # a nightly elsewhere (e.g. a `q2c run` recording into another instance) skips this tick;
        # a review action holds the lock for seconds and the night waits for it
        if holder is not None and holder.kind == NIGHTLY:
            return dg.SkipReason(holder.describe())
        return dg.RunRequest(tags={TRIGGER_TAG: "schedule"})

    return nightly_schedule


@dg.sensor(
    job=nightly_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    name="new_batch_sensor",
    description=(
        "Launches the nightly job when a batch with a _manifest.json appears that was not seen before "
        "and that no landing run has decided yet (including an older batch that newer ones were held for). "
        "Turn it off in the UI (Automation) if nights should start only at 02:00 or by `q2c run`."
    ),
)
def new_batch_sensor(context: dg.SensorEvaluationContext, settings: dg.ResourceParam[Settings]):
    seen = parse_cursor(context.cursor)
    # what landing runs already decided, from dlt's state file: opening the warehouse, even
    # read-only, would stop a nightly starting at that moment from opening it for writing
    landed = landed_batches(settings.duckdb_path)
    new = new_complete_batches(settings.landing_dir, seen, parse_waiting(context.cursor), landed)
    if not new:
        already = sum(len(ids) for ids in landed.values())
        return dg.SkipReason(
            f"no new complete batch ({already} already landed or logged)" if already else "no new complete batch"
        )
    holder = lock_holder(settings)
    if nightly_in_progress(context.instance) or (holder is not None and holder.kind == NIGHTLY):
        # keep the cursor: the batches are picked up on a later tick, after this run
        return dg.SkipReason("new batches found, but a nightly run is in progress")
    cursor = advance_cursor(seen, new, settings.landing_dir)
    described = ", ".join(f"{system}: {', '.join(ids)}" for system, ids in new.items())
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=f"batches:{cursor}",
                tags={TRIGGER_TAG: "new_batch", "q2c/new_batches": described[:4000]},
            )
        ],
        cursor=cursor,
    )


def _finish(context: dg.RunStatusSensorContext, settings: Settings, *, failed: bool) -> dg.SkipReason | None:
    run = context.dagster_run
    refused = refusal(context.instance, run.run_id) if failed else None
    if refused:
        # nothing of the night ran: the summary and alert of the running night are not touched,
        # and the rule checks it planned show their latest results again, not "execution failed"
        show_latest_rule_results(context.instance, run.run_id)
        return dg.SkipReason(f"run {run.run_id} was refused: {refused}")
    reason = finish_reason(run)
    if reason:
        return dg.SkipReason(reason)
    result = finish_run(context.instance, run.run_id, settings, by=SENSOR_FINISHER, failed=failed)
    context.log.info(f"run {run.run_id}: summary {result.report_path}")
    for line in result.alert_lines:
        context.log.info(line)
    return None


def _finishing_sensor(status: dg.DagsterRunStatus, name: str, description: str) -> dg.RunStatusSensorDefinition:
    failed = status == dg.DagsterRunStatus.FAILURE

    @dg.run_status_sensor(
        run_status=status,
        monitored_jobs=[nightly_job],
        name=name,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=description,
    )
    def _sensor(context: dg.RunStatusSensorContext, settings: dg.ResourceParam[Settings]):
        return _finish(context, settings, failed=failed)

    return _sensor


nightly_finished = _finishing_sensor(
    dg.DagsterRunStatus.SUCCESS,
    "nightly_finished",
    "After a nightly run succeeds: its Markdown summary and, with failed ERROR checks, the alert digest.",
)
nightly_failed = _finishing_sensor(
    dg.DagsterRunStatus.FAILURE,
    "nightly_failed",
    "After a nightly run fails: its Markdown summary and the alert digest.",
)


def defs(settings: Settings) -> dg.Definitions:
    return dg.Definitions(
        jobs=[nightly_job],
        schedules=[build_schedule(settings.schedule_timezone)],
        sensors=[new_batch_sensor, nightly_finished, nightly_failed],
    )
