"""A run killed after its dbt build, while it writes the ledger or publishes, is finished by
the next run: the build's fingerprint alone must not let a rerun skip the steps that never
completed (before, every rerun skipped them and reported success over an empty ledger and
no snapshot).

One warehouse goes through three `q2c run` processes: the first is SIGKILLed as the
exception ledger starts, the second (which must run the ledger again) as it publishes the
analyst snapshot, the third completes. The end state equals the uninterrupted reference run.
"""

from __future__ import annotations

import time

import duckdb

from tests.faults.fault_world import World, end_state

LEDGER_STARTED = r"recon__exception_ledger - STEP_START"
PUBLISH_STARTED = r"published__warehouse_snapshot - STEP_START"


def _kill_at(run, pattern: str, delay: float) -> None:
    run.wait_for_log(pattern, 1)
    time.sleep(delay)
    assert run.proc.poll() is None, f"the run ended before the kill:\n{run.output}"
    run.kill()
    assert run.proc.returncode == -9


def test_kills_in_the_ledger_and_publish_steps_are_redone_by_the_rerun(landing, reference_run, tmp_path):
    assert reference_run.exit_code == 0, reference_run.output
    world = World(tmp_path / "late_kills", landing)

    _kill_at(world.start_run(), LEDGER_STARTED, delay=0.0)
    # the rerun lands nothing new, yet must not skip: the ledger step never finished
    rerun = world.start_run()
    _kill_at(rerun, PUBLISH_STARTED, delay=0.3)
    assert "the last run did not finish" in (rerun.log_path.read_text(encoding="utf-8") if rerun.log_path else "")

    final = world.start_run()
    assert final.finish() == 0, final.output
    assert "nightly run succeeded" in final.output
    assert "skipped (nothing new" not in final.output, final.output

    state, reference = end_state(world.duckdb_path), reference_run.state
    differing = [table for table in reference if state.get(table) != reference[table]]
    assert differing == [], {t: (len(state.get(t, [])), len(reference[t])) for t in differing}
    assert len(state["recon.exceptions"]) == len(reference["recon.findings"]) > 0

    # the snapshot was published, with the ledger in it, and no half-written copy is left
    assert sorted(p.name for p in world.published_path.parent.iterdir()) == ["warehouse.duckdb"]
    with duckdb.connect(str(world.published_path), read_only=True) as conn:
        published = conn.execute("SELECT count(*) FROM recon.exceptions").fetchall()[0][0]
    assert published == len(reference["recon.exceptions"])

    # and now that every step finished with this build, a rerun skips them all again
    idle = world.start_run()
    assert idle.finish() == 0, idle.output
    assert "skipped (nothing new since the last build)" in idle.output, idle.output
