"""Nightly runs whose process died (SIGKILL, power loss) without Dagster hearing of it.

`q2c run` executes the job inside its own process; if that process is killed, the run stays
STARTED in the Dagster instance forever and the schedule and the new-batch sensor, which
wait for the previous nightly run to finish, would skip every night after. Runs started by
`q2c run` carry the host and pid of their process, so a run whose process is gone can be
recognised and marked failed. (Runs launched by the daemon are watched by Dagster's own run
monitoring instead.)
"""

from __future__ import annotations

import os
import socket

import dagster as dg
from dagster._core.storage.dagster_run import IN_PROGRESS_RUN_STATUSES, DagsterRun, RunsFilter

PID_TAG = "q2c/pid"
HOST_TAG = "q2c/host"


def process_tags() -> dict[str, str]:
    """Tags identifying the process that executes a run in-process."""
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def is_abandoned(run: DagsterRun) -> bool:
    """True when the run was executed by a process of this host that no longer exists.
    A recycled pid makes a dead run look alive: the safe direction (it keeps waiting)."""
    pid, host = run.tags.get(PID_TAG), run.tags.get(HOST_TAG)
    if not pid or not pid.isdigit() or host != socket.gethostname():
        return False
    return int(pid) != os.getpid() and not _alive(int(pid))


def fail_abandoned_runs(instance: dg.DagsterInstance, job_name: str) -> list[str]:
    """Mark the job's in-progress runs whose process is gone as failed; their run ids."""
    failed = []
    for record in instance.get_run_records(RunsFilter(job_name=job_name, statuses=IN_PROGRESS_RUN_STATUSES)):
        run = record.dagster_run
        if is_abandoned(run):
            instance.report_run_failed(
                run, message=f"the process running it (pid {run.tags[PID_TAG]}) ended without finishing the run"
            )
            failed.append(run.run_id)
    return failed
