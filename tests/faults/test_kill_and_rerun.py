"""A nightly run killed at any point, then rerun, ends in exactly the state of an
uninterrupted run: same raw rows, same marts, same findings, same ledger.

One warehouse goes through a chain of `q2c run` processes, each SIGKILLed (with the dbt
subprocess it started) at a later moment than the one before: twice while landing, twice
while dbt builds; then a last run completes. The end state is compared with the
uninterrupted reference run of conftest.py on the same landing zone.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import dagster as dg
from dagster._core.storage.dagster_run import IN_PROGRESS_RUN_STATUSES, RunsFilter

from tests.faults.fault_world import World, end_state

DBT_MATERIALIZED = r"dbt_build - ASSET_MATERIALIZATION"


def _kill_when(run, *, line: str | None = None, dbt_models: int | None = None, delay: float = 0.0) -> int:
    if line is not None:
        run.wait_for_line(line)
    if dbt_models is not None:
        run.wait_for_log(DBT_MATERIALIZED, dbt_models)
    time.sleep(delay)
    assert run.proc.poll() is None, f"the run ended before the kill:\n{run.output}"
    run.kill()
    assert run.proc.returncode == -9
    return run.proc.pid


def test_killed_runs_then_a_rerun_equal_an_uninterrupted_run(landing, reference_run, tmp_path):
    assert reference_run.exit_code == 0, reference_run.output
    world = World(tmp_path / "killed", landing)

    # landing: during erp (billing and crm landed), then during psa (the largest system)
    killed = [
        _kill_when(world.start_run(), line="-> landing erp", delay=1.5),
        _kill_when(world.start_run(), line="-> landing psa", delay=3.0),
    ]
    # dbt: among the seeds and staging views, then among the marts and rule models
    killed += [_kill_when(world.start_run(), dbt_models=8), _kill_when(world.start_run(), dbt_models=45)]

    final = world.start_run()
    assert final.finish() == 0, final.output
    assert "nightly run succeeded" in final.output
    assert "marked run" in final.output and "its process was killed" in final.output

    state = end_state(world.duckdb_path)
    reference = reference_run.state
    assert sorted(state) == sorted(reference)
    differing = [table for table in reference if state[table] != reference[table]]
    assert differing == [], {t: (len(state[t]), len(reference[t])) for t in differing}
    # the comparison is not vacuous: rows landed, marts built, findings in the ledger
    assert len(reference["raw_psa.time_entries"]) > 1000
    assert len(reference["marts.billing_invoices"]) > 0
    assert len(reference["recon.exceptions"]) == len(reference["recon.findings"]) > 0

    # every killed run is marked failed, so the schedule and sensor are not blocked
    with dg.DagsterInstance.from_config(str(world.root / "dagster_home")) as instance:
        assert instance.get_run_records(RunsFilter(job_name="nightly", statuses=IN_PROGRESS_RUN_STATUSES)) == []
        failed = instance.get_run_records(RunsFilter(job_name="nightly", statuses=[dg.DagsterRunStatus.FAILURE]))
        assert len(failed) == 4
    assert sorted(p.name for p in world.published_path.parent.iterdir()) == ["warehouse.duckdb"]
    # the killed runs' landing scratch folders were removed by the runs after them
    leftovers = [p for pid in killed for p in Path(tempfile.gettempdir()).glob(f"q2c_landing_*_{pid}_*")]
    assert leftovers == []
