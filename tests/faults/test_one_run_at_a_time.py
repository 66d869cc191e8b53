"""One nightly run at a time per warehouse: a second one waits (bounded) or is refused at once
with `a nightly run is already in progress (run <id>, pid <pid>, started <time>)`, never fails
inside dlt or DuckDB; a killed holder blocks nobody; two `q2c run` started together, again and
again, end in the state of one run."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest
from typer.testing import CliRunner

from orchestration.automation import nightly_failed
from orchestration.definitions import load_definitions
from orchestration.launch import instance_for
from q2c.cli import app
from q2c.run_lock import NightlyInProgress, lock_holder, night_lock
from q2c.settings import PROJECT_ROOT, Settings, settings_in
from tests.faults.fault_world import World, end_state
from tests.orchestration.run_sensors import evaluate_run_sensor

REFUSED = re.compile(r"a nightly run is already in progress \(run (\S+), pid (\d+), started (\S+)\)")


def _holder(settings: Settings, run_id: str, *, seconds: float = 60.0, start_file: Path | None = None):
    """Another process that takes the run lock (after ``start_file`` appears) and holds it."""
    code = (
        "import sys, time, pathlib\n"
        "from q2c.run_lock import NightlyInProgress, night_lock\n"
        "from q2c.settings import settings_in\n"
        f"start = {str(start_file) if start_file else ''!r}\n"
        "while start and not pathlib.Path(start).exists(): time.sleep(0.005)\n"
        "try:\n"
        f"    with night_lock(settings_in({str(settings.data_dir.parent)!r}), {run_id!r}, wait_seconds=0):\n"
        "        print('holding', flush=True)\n"
        f"        time.sleep({seconds})\n"
        "except NightlyInProgress as exc:\n"
        "    print(exc, flush=True)\n"
    )
    return subprocess.Popen([sys.executable, "-c", code], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)


@pytest.fixture
def held(tmp_path):
    settings = settings_in(tmp_path)
    proc = _holder(settings, "run-of-the-other")
    assert proc.stdout.readline().strip() == "holding"
    yield settings, proc
    proc.kill()
    proc.wait()


def test_a_second_night_is_refused_naming_the_holder(held):
    settings, proc = held
    with pytest.raises(NightlyInProgress) as refused, night_lock(settings, "mine"):
        pass
    match = REFUSED.fullmatch(str(refused.value))
    assert match and match.group(1) == "run-of-the-other" and int(match.group(2)) == proc.pid
    assert lock_holder(settings).run_id == "run-of-the-other"


def test_a_killed_holder_blocks_nobody(held):
    settings, proc = held
    proc.kill()
    proc.wait()
    assert lock_holder(settings) is None
    with night_lock(settings, "next") as mine:
        assert mine.run_id == "next" and lock_holder(settings).run_id == "next"
    assert lock_holder(settings) is None


def test_a_bounded_wait_takes_the_lock_once_it_is_free(tmp_path):
    settings = settings_in(tmp_path)
    proc = _holder(settings, "short", seconds=1.0)
    try:
        assert proc.stdout.readline().strip() == "holding"
        # too short a wait: refused, with the holder named
        with pytest.raises(NightlyInProgress), night_lock(settings, "impatient", wait_seconds=0.2):
            pass
        started = time.monotonic()
        with night_lock(settings, "patient", wait_seconds=30) as mine:
            assert mine.run_id == "patient" and time.monotonic() - started < 30
    finally:
        proc.kill()
        proc.wait()


def test_two_processes_asking_at_once_get_one_lock_many_times_over(tmp_path):
    settings = settings_in(tmp_path)
    for attempt in range(10):
        start = tmp_path / f"start-{attempt}"
        procs = [_holder(settings, f"r{attempt}-{n}", seconds=1.0, start_file=start) for n in range(2)]
        time.sleep(0.5)  # both interpreters up and polling for the start file
        start.write_text("go")
        outputs = [p.stdout.readline().strip() for p in procs]
        for p in procs:
            p.wait(timeout=30)
        assert sorted(o == "holding" for o in outputs) == [False, True], outputs
        [refusal] = [o for o in outputs if o != "holding"]
        assert REFUSED.fullmatch(refusal), refusal


def test_q2c_run_is_refused_at_once_and_creates_no_run(held, monkeypatch):
    settings, proc = held
    for name, value in settings.process_environment().items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, ["run"])
    assert result.exit_code == 1
    assert REFUSED.search(result.output) and f"pid {proc.pid}" in result.output
    with instance_for(settings) as instance:
        assert instance.get_runs() == []
    assert not settings.reports_dir.exists()  # the running night's summary is not touched


def test_a_launched_run_is_refused_before_any_step_and_the_sensor_leaves_it(held):
    settings, _ = held
    with instance_for(settings) as instance:
        job = load_definitions().resolve_job_def("nightly")
        result = job.execute_in_process(instance=instance, raise_on_error=False, resources={"settings": settings})
        assert not result.success
        assert not [e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_START]
        skipped = evaluate_run_sensor(nightly_failed, instance, result.run_id, settings)
    assert isinstance(skipped, dg.SkipReason) and REFUSED.search(skipped.skip_message)
    assert not settings.reports_dir.exists()


def test_two_q2c_runs_started_together_end_as_one_run(landing, reference_run, tmp_path):
    assert reference_run.exit_code == 0, reference_run.output
    world = World(tmp_path / "together", landing)
    refused = 0
    for _ in range(3):
        runs = [world.start_run(), world.start_run()]
        codes = [run.finish() for run in runs]
        for run, code in zip(runs, codes, strict=True):
            if code != 0:  # refused at once, naming the holder: never a failure inside dlt or DuckDB
                assert REFUSED.search(run.output) and "FAILED" not in run.output, run.output
                refused += 1
        assert 0 in codes, [run.output for run in runs]
    assert refused >= 1  # at least once the two really overlapped
    assert end_state(world.duckdb_path) == reference_run.state


def test_the_daemons_run_queue_starts_one_nightly_at_a_time(tmp_path):
    from orchestration.automation import NIGHTLY_TAG, nightly_job

    with instance_for(settings_in(tmp_path)) as instance:
        limits = instance.run_coordinator.get_run_queue_config().tag_concurrency_limits
    assert {"key": NIGHTLY_TAG, "limit": 1} in limits
    assert nightly_job.tags[NIGHTLY_TAG] == "true"  # every run of the job carries the limited tag
