"""Issue 2: loading the nightly batches one night at a time ends in the same marts and
findings as loading them all at once (incremental dlt merges and incremental dbt models)."""

from __future__ import annotations

import shutil

import pytest

from q2c_demo.data import generate
from tests.accuracy.nightly_world import World


def _marts(world: World) -> dict[str, list[tuple]]:
    tables = [
        t
        for (t,) in world.query(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
        )
    ]
    out = {}
    for table in tables:
        cols = [
            c
            for (c,) in world.query(
                "select column_name from information_schema.columns where table_schema = 'marts' "
                f"and table_name = '{table}' order by ordinal_position"
            )
            if not c.startswith("_")
        ]
        col_sql = ", ".join(f'"{c}"' for c in cols)
        out[table] = world.query(f'select {col_sql} from marts."{table}" order by all')
    return out


@pytest.fixture(scope="module")
def worlds(tmp_path_factory):
    at_once = World(tmp_path_factory.mktemp("at_once"))
    summary = generate(at_once.landing, at_once.ground_truth, customers=40, months=3, seed=11)
    at_once.run_nightly()

    nightly = World(tmp_path_factory.mktemp("night_by_night"))
    nights = sorted({b for batches in summary.batches.values() for b in batches})
    assert len(nights) >= 3, nights
    # Night 1..n-1 first, then the last night alone: the second run is a pure increment.
    for last in (nights[-2], nights[-1]):
        for system, batches in summary.batches.items():
            for batch in batches:
                src, dst = at_once.landing / system / batch, nightly.landing / system / batch
                if batch <= last and not dst.exists():
                    shutil.copytree(src, dst)
        nightly.run_nightly()
    return at_once, nightly


def test_marts_equal_whether_loaded_night_by_night_or_at_once(worlds):
    at_once, nightly = worlds
    a, b = _marts(at_once), _marts(nightly)
    assert a.keys() == b.keys()
    differing = [t for t in a if a[t] != b[t]]
    assert not differing, {t: (len(a[t]), len(b[t])) for t in differing}
    assert sum(len(rows) for rows in a.values()) > 1000


def test_findings_equal_whether_loaded_night_by_night_or_at_once(worlds):
    at_once, nightly = worlds
    assert at_once.findings() == nightly.findings()
    assert at_once.findings()
