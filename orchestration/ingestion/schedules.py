"""Sensor: launch the nightly job as soon as a new complete batch lands."""


import dagster as dg

from orchestration.ingestion.landing_watch import advance_cursor, new_complete_batches, parse_cursor
from orchestration.jobs import nightly_in_progress, nightly_job
from q2c.settings import get_settings


@dg.sensor(
    job=nightly_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    name="new_batch_sensor",
    description="Launches the nightly job when a batch with a _manifest.json appears that was not seen before.",
)
def new_batch_sensor(context: dg.SensorEvaluationContext):
    seen = parse_cursor(context.cursor)
    new = new_complete_batches(get_settings().landing_dir, seen)
    if not new:
        return dg.SkipReason("no new complete batch")
    if nightly_in_progress(context.instance):
        # keep the cursor: the batches are picked up on a later tick, after this run
        return dg.SkipReason("new batches found, but a nightly run is in progress")
    cursor = advance_cursor(seen, new)
    described = ", ".join(f"{system}: {', '.join(ids)}" for system, ids in new.items())
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=f"batches:{cursor}",
                tags={"q2c/trigger": "new_batch", "q2c/new_batches": described[:4000]},
            )
        ],
        cursor=cursor,
    )


schedules: list = []
sensors = [new_batch_sensor]
