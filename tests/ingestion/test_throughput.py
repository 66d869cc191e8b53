"""Landing throughput on generated ~1M-row files. A measurement, not a timed assertion:
runs only when Q2C_INGEST_BENCH_ROWS is set (e.g. 1000000) and prints rows/s."""

from __future__ import annotations

import hashlib
import json
import os
import time

import duckdb
import pytest

from ingestion.landing import land
from q2c.settings import settings_for

ROWS = int(os.environ.get("Q2C_INGEST_BENCH_ROWS", "0"))
BATCH = "2026-11-22T02-00-00Z"

pytestmark = pytest.mark.skipif(ROWS <= 0, reason="set Q2C_INGEST_BENCH_ROWS to measure throughput")


def _manifest(folder, system, name, obj, rows):
    data = (folder / name).read_bytes()
    (folder / "_manifest.json").write_text(
        json.dumps(
            {
                "system": system,
                "batch_id": BATCH,
                "mode": "full",
                "extracted_at": "2026-11-22T02:00:00Z",
                "files": [{"name": name, "object": obj, "rows": rows, "sha256": hashlib.sha256(data).hexdigest()}],
            }
        )
    )


def test_landing_throughput(wh):
    con = duckdb.connect()
    erp = wh.landing / "erp" / BATCH
    erp.mkdir(parents=True)
    con.execute(f"""COPY (SELECT i::VARCHAR AS id, (i // 4)::VARCHAR AS "transaction",
        (i % 4 + 1)::VARCHAR AS linesequencenumber, CASE WHEN i % 4 = 0 THEN 'T' ELSE 'F' END AS mainline,
        'F' AS taxline, 'Senior Consultant' AS item, '7.50' AS quantity, '175.00' AS rate,
        '1312.50' AS foreignamount, 'line ' || i AS memo FROM range(1, {ROWS} + 1) t(i))
        TO '{erp / "transactionline.csv"}' (HEADER, DELIMITER ',')""")
    _manifest(erp, "erp", "transactionline.csv", "transactionline", ROWS)

    psa = wh.landing / "psa" / BATCH
    psa.mkdir(parents=True)
    con.execute(f"""COPY (SELECT '{{"id": ' || i || ', "spent_date": "2026-03-02", "hours": 7.25, '
        || '"rounded_hours": 7.5, "notes": "work ' || i || '", "is_locked": false, "is_billed": false, '
        || '"is_running": false, "approval_status": "approved", "billable": true, "billable_rate": 175.5, '
        || '"cost_rate": 90.0, "user": {{"id": 7, "name": "Ann Lee"}}, "client": {{"id": 3, "name": "Acme", '
        || '"currency": "USD"}}, "project": {{"id": 9, "name": "Impl", "code": "PRJ-1"}}, "task": {{"id": 1, '
        || '"name": "Dev"}}, "user_assignment": {{"id": 11, "is_active": true, "hourly_rate": 175.5}}, '
        || '"invoice": null, "created_at": "2026-03-02T10:00:00Z", "updated_at": "2026-03-02T10:00:00Z"}}' AS line
        FROM range(1, {ROWS} + 1) t(i)) TO '{psa / "time_entries.jsonl"}'
        (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\\x01')""")
    _manifest(psa, "psa", "time_entries.jsonl", "time_entries", ROWS)

    for system, table in (("erp", "transactionline"), ("psa", "time_entries")):
        started = time.perf_counter()
        report = land(system, settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
        seconds = time.perf_counter() - started
        assert report.ok and report.rows_loaded == ROWS, report.summary()
        print(f"\n{system}.{table}: {ROWS} rows in {seconds:.1f} s = {ROWS / seconds:,.0f} rows/s")
        assert wh.query(f"SELECT count(*) FROM raw_{system}.{table}")[0][0] == ROWS
