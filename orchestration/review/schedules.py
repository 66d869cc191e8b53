"""Run status sensors: the alert digest for nightly runs that ``q2c run`` did not start
(the schedule, the UI). ``q2c run`` sends its own at the end of the run (q2c/nightly.py)."""


import dagster as dg

from orchestration.jobs import nightly_job
from orchestration.review.run_alert import CLI_TRIGGER, TRIGGER_TAG, send_run_alert


def _alert(context: dg.RunStatusSensorContext, *, failed: bool) -> dg.SkipReason | None:
    run = context.dagster_run
    if run.tags.get(TRIGGER_TAG) == CLI_TRIGGER:
        return dg.SkipReason(f"run {run.run_id} was started by q2c run, which sends its own alert")
    digest, results = send_run_alert(context.instance, run.run_id, failed=failed)
    if digest is None:
        return dg.SkipReason(f"run {run.run_id}: no alert needed or no sink configured")
    for result in results:
        context.log.info(f"alert via {result.sink} to {result.target}: {'sent' if result.success else result.detail}")
    return None


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[nightly_job],
    name="nightly_alert_on_success",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Alert digest when a nightly run succeeded with failed ERROR checks.",
)
def nightly_alert_on_success(context: dg.RunStatusSensorContext):
    return _alert(context, failed=False)


@dg.run_failure_sensor(
    monitored_jobs=[nightly_job],
    name="nightly_alert_on_failure",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Alert digest when a nightly run failed.",
)
def nightly_alert_on_failure(context: dg.RunFailureSensorContext):
    return _alert(context, failed=True)


schedules: list = []
sensors = [nightly_alert_on_success, nightly_alert_on_failure]
