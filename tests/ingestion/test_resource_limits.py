"""A machine running out of memory is not a fault of the extract: the run fails loudly and
the batch is neither rejected nor half-loaded, so the next run (with room) lands it."""

from __future__ import annotations

import duckdb

from ingestion.landing import land, landing_run
from q2c.settings import settings_for
from tests.ingestion.batch_writer import account, write_batch

BATCH = "2026-11-20T02-00-00Z"


def _batch_log(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        exists = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'raw_crm' AND table_name = 'batch_log'"
        ).fetchone()[0]
        return con.execute("SELECT batch_id, status FROM raw_crm.batch_log").fetchall() if exists else []


def test_out_of_memory_fails_the_run_and_rejects_nothing(tmp_path, monkeypatch):
    landing, warehouse = tmp_path / "landing", tmp_path / "wh" / "warehouse.duckdb"
    write_batch(landing, "crm", BATCH, {"Account": [account(n) for n in range(1, 2001)]})

    # far below what parsing the batch needs: DuckDB raises OutOfMemoryException
    monkeypatch.setattr(landing_run, "SCRATCH_MEMORY_LIMIT", "1MB")
    starved = land("crm", settings_for(landing, warehouse), raise_on_error=False)
    assert starved.error is not None and "Out of Memory" in starved.error
    assert all(b.status != "rejected" for b in starved.batches), [
        (b.batch_id, b.status, b.reason) for b in starved.batches
    ]
    assert ("2026-11-20T02-00-00Z", "rejected") not in _batch_log(warehouse)

    monkeypatch.undo()
    report = land("crm", settings_for(landing, warehouse), raise_on_error=False)
    assert report.error is None
    assert [(b.batch_id, b.status, b.rows_loaded) for b in report.batches] == [(BATCH, "loaded", 2000)]
    assert _batch_log(warehouse) == [(BATCH, "loaded")]
