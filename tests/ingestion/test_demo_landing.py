"""The demo generator's batches land completely: every manifest row is loaded, none is
quarantined (the contracts accept what the extract contract promises)."""

from __future__ import annotations

import pytest

from ingestion.catalog import SYSTEMS
from ingestion.landing import land_all
from q2c.settings import settings_for

generator = pytest.importorskip("q2c_demo.data.generator")


def test_demo_batches_land_with_rows_loaded_equal_to_manifest_rows(wh, tmp_path):
    summary = generator.generate(wh.landing, tmp_path / "ground_truth", customers=10, months=3)
    reports = land_all(settings_for(wh.landing, wh.duckdb_path))

    landed = {}
    for system in SYSTEMS:
        report = reports[system]
        assert report.ok, report.summary()
        assert report.rows_quarantined == 0, report.summary()
        for batch in report.batches:
            for f in batch.files:
                assert f.rows_loaded == f.rows_manifest, (system, batch.batch_id, f)
                landed[(system, batch.batch_id, f.object)] = f.rows_loaded
    expected = dict(summary.rows.items())
    assert {k: v for k, v in landed.items() if k in expected} == expected
    assert sum(landed.values()) > 0
    # the newest full-or-merged state is in DuckDB: batch_log agrees with the report
    logged = wh.query("SELECT sum(rows_loaded) FROM raw_psa.batch_log WHERE status = 'loaded'")[0][0]
    assert logged == reports["psa"].rows_loaded
