"""Executing the ``nightly`` job in this process (``q2c run``, the benchmark), then finishing
it through the same function the run-status sensors use.

In-process execution needs no daemon, and the caller learns from its return whether the night
succeeded. The Dagster instance is the one under ``settings.dagster_home`` (``DAGSTER_HOME``,
default ``data/dagster_home``), so ``dagster dev`` on that folder shows these runs.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from datetime import date

import dagster as dg
from dagster._core.utils import make_new_run_id

from orchestration.abandoned_runs import fail_abandoned_runs, process_tags
from orchestration.automation import NIGHTLY_JOB_NAME, NIGHTLY_TAG
from orchestration.night_record import finish_run
from orchestration.run_tags import AS_OF_TAG, CLI_TRIGGER, TRIGGER_TAG
from q2c.run_lock import night_lock
from q2c.run_summary import NightlyResult
from q2c.settings import Settings

LAUNCHER = "q2c run"
# Storage under this folder (Dagster's defaults); the daemon's run queue starts one nightly at
# a time, and the warehouse's run lock (q2c.run_lock) refuses any other that still gets going.
INSTANCE_CONFIG = f"""run_queue:
  tag_concurrency_limits:
    - key: "{NIGHTLY_TAG}"
      limit: 1
"""


def instance_for(settings: Settings) -> dg.DagsterInstance:
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() or not config.read_text(encoding="utf-8").strip():
        config.write_text(INSTANCE_CONFIG, encoding="utf-8")
    return dg.DagsterInstance.from_config(str(home))


def execute_nightly(
    settings: Settings,
    *,
    as_of: date | None = None,
    run_id: str | None = None,
    on_event: Callable[[dg.EventLogEntry], None] | None = None,
    echo: Callable[[str], None] = print,
) -> NightlyResult:
    """Run the nightly job with ``settings`` as its settings resource; never raises for a
    failed step (see ``NightlyResult.success``), raises ``q2c.run_lock.NightlyInProgress`` when
    another nightly holds the warehouse."""
    from orchestration.definitions import load_definitions  # loads the code location: parses dbt

    job = load_definitions().resolve_job_def(NIGHTLY_JOB_NAME)
    run_id = run_id or make_new_run_id()
    # process tags: a run whose process is killed is recognised (orchestration.abandoned_runs)
    tags = {TRIGGER_TAG: CLI_TRIGGER, **process_tags()}
    if as_of is not None:
        tags[AS_OF_TAG] = as_of.isoformat()
    extra_failures: list[str] = []
    failed: bool | None = None
    # refused at once (NightlyInProgress, naming the holder) before any run is created; the
    # job's own night_lock resource then passes through in this process
    with night_lock(settings, run_id), instance_for(settings) as instance:
        for abandoned in fail_abandoned_runs(instance, job.name):
            echo(f"   marked run {abandoned} failed: its process was killed before it finished")
        if on_event is not None:
            instance.add_event_listener(run_id, on_event)
        try:
            job.execute_in_process(
                instance=instance, run_id=run_id, tags=tags, raise_on_error=False, resources={"settings": settings}
            )
        except Exception as exc:  # noqa: BLE001 - a framework error is a failed night, reported
            traceback.print_exc()
            failed = True
            extra_failures.append(f"the run could not execute: {type(exc).__name__}: {exc}")
        return finish_run(instance, run_id, settings, by=LAUNCHER, extra_failures=extra_failures, failed=failed)
