"""One small demo landing zone for the whole session, and one uninterrupted nightly run on
it, made while an analyst process holds the published snapshot open read-only. The kill
tests compare their end state with this run's."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from q2c.publish import publish_snapshot
from q2c_demo.data import generate
from tests.faults.fault_world import World, end_state

DEMO = {"customers": 40, "months": 3, "seed": 11}
READER = Path(__file__).with_name("snapshot_reader.py")
OLD_SNAPSHOT_MARK = "0000-before-tonight"


@pytest.fixture(scope="session")
def landing(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fault_landing")
    summary = generate(root / "landing", root / "ground_truth", **DEMO)
    assert summary.as_of is not None
    return root / "landing"


def seed_old_snapshot(world: World) -> None:
    """Yesterday's snapshot: a warehouse whose psa batch_log holds one marker batch."""
    old = world.root / "yesterday.duckdb"
    with duckdb.connect(str(old)) as conn:
        conn.execute("CREATE SCHEMA raw_psa")
        conn.execute("CREATE TABLE raw_psa.batch_log AS SELECT ? AS batch_id, 'loaded' AS status", [OLD_SNAPSHOT_MARK])
    publish_snapshot(old, world.published_path)


@dataclass
class ReferenceRun:
    world: World
    exit_code: int
    output: str
    run_started: float
    run_ended: float
    reader: dict
    state: dict


@pytest.fixture(scope="session")
def reference_run(landing, tmp_path_factory) -> ReferenceRun:
    world = World(tmp_path_factory.mktemp("fault_reference"), landing)
    seed_old_snapshot(world)
    ready, stop, result = (world.root / n for n in ("reader.ready", "reader.stop", "reader.json"))
    reader = subprocess.Popen(
        [sys.executable, str(READER), str(world.published_path), str(ready), str(stop), str(result)]
    )
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert reader.poll() is None and time.monotonic() < deadline, "the reader did not connect"
            time.sleep(0.1)
        time.sleep(1.0)  # a few queries before the run starts
        run_started = time.time()
        run = world.start_run()
        code = run.finish()
        run_ended = time.time()
        time.sleep(1.0)  # and a few after it ended
    finally:
        stop.write_text("stop")
        reader.wait(timeout=60)
    return ReferenceRun(
        world, code, run.output, run_started, run_ended, json.loads(result.read_text()), end_state(world.duckdb_path)
    )
