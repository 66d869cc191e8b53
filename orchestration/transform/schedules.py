"""The 02:00 nightly schedule (timezone from ``Q2C_SCHEDULE_TIMEZONE``, default UTC).

The schedule drives the whole ``nightly`` job; it lives here because the dbt build is the
core of that job. Running by default, so ``dagster dev`` / the daemon picks it up.
"""


import os

import dagster as dg

from orchestration.jobs import nightly_in_progress, nightly_job

SCHEDULE_TIMEZONE_ENV = "Q2C_SCHEDULE_TIMEZONE"


def schedule_timezone() -> str:
    return os.environ.get(SCHEDULE_TIMEZONE_ENV) or "UTC"


@dg.schedule(
    job=nightly_job,
    cron_schedule="0 2 * * *",
    execution_timezone=schedule_timezone(),
    default_status=dg.DefaultScheduleStatus.RUNNING,
    name="nightly_0200",
)
def nightly_schedule(context: dg.ScheduleEvaluationContext):
    if nightly_in_progress(context.instance):
        return dg.SkipReason("a nightly run is still in progress")
    return dg.RunRequest(tags={"q2c/trigger": "schedule"})


schedules = [nightly_schedule]
sensors: list = []
