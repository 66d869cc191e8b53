"""q2c.publish on its own: a new file swapped in atomically, readers of the old one
undisturbed, leftovers of a killed publish cleaned, the pipeline's file never the target."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from q2c.publish import publish_snapshot


def _warehouse(path, night: int) -> None:
    with duckdb.connect(str(path)) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS marts")
        conn.execute("CREATE OR REPLACE TABLE marts.nights AS SELECT range AS night FROM range(1, ? + 1)", [night])
        conn.execute("CREATE OR REPLACE VIEW marts.latest AS SELECT max(night) AS night FROM marts.nights")


def _latest_night_seen_by_a_new_process(path) -> str:
    code = (
        "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
        "print(c.execute('SELECT night FROM marts.latest').fetchall()[0][0])"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_publish_swaps_in_a_new_file_while_an_old_reader_keeps_its_snapshot(tmp_path):
    pipeline, published = tmp_path / "warehouse.duckdb", tmp_path / "published" / "warehouse.duckdb"
    _warehouse(pipeline, 1)
    first = publish_snapshot(pipeline, published)
    assert (first.tables, first.views) == (1, 1)
    reader = duckdb.connect(str(published), read_only=True)
    try:
        _warehouse(pipeline, 2)
        # a publish killed half-way left a partial copy behind: the next publish removes it
        (published.parent / ".warehouse.duckdb.0123456789ab.publishing").write_bytes(b"partial")
        publish_snapshot(pipeline, published)
        assert reader.execute("SELECT night FROM marts.latest").fetchall() == [(1,)]
        # another process (this one caches the open database per path) sees the new night
        assert _latest_night_seen_by_a_new_process(published) == "2"
    finally:
        reader.close()
    with duckdb.connect(str(published), read_only=True) as fresh:  # reconnected here too
        assert fresh.execute("SELECT night FROM marts.latest").fetchall() == [(2,)]
    assert sorted(p.name for p in published.parent.iterdir()) == ["warehouse.duckdb"]


def test_publishing_onto_the_pipelines_own_file_is_refused(tmp_path):
    pipeline = tmp_path / "warehouse.duckdb"
    _warehouse(pipeline, 1)
    with pytest.raises(ValueError, match="must differ"):
        publish_snapshot(pipeline, tmp_path / "." / "warehouse.duckdb")
    with pytest.raises(FileNotFoundError):
        publish_snapshot(tmp_path / "missing.duckdb", tmp_path / "published.duckdb")


def test_the_pipeline_can_write_while_the_snapshot_is_open(tmp_path):
    """The point of it all: a reader of the snapshot does not lock the pipeline's file."""
    pipeline, published = tmp_path / "warehouse.duckdb", tmp_path / "published" / "warehouse.duckdb"
    _warehouse(pipeline, 1)
    publish_snapshot(pipeline, published)
    with duckdb.connect(str(published), read_only=True) as reader:
        _warehouse(pipeline, 3)  # would raise "Could not set lock" if the reader held this file
        publish_snapshot(pipeline, published)
        assert reader.execute("SELECT count(*) FROM marts.nights").fetchall() == [(1,)]


def test_the_snapshot_leaves_out_the_pipelines_internal_schemas(tmp_path):
    pipeline, published = tmp_path / "warehouse.duckdb", tmp_path / "published" / "warehouse.duckdb"
    _warehouse(pipeline, 1)
    with duckdb.connect(str(pipeline)) as conn:
        conn.execute("CREATE SCHEMA raw_crm")
        conn.execute("CREATE TABLE raw_crm.account AS SELECT 'A1' AS id")
        conn.execute("CREATE SCHEMA raw_crm_staging")  # dlt's merge scratch dataset
        conn.execute("CREATE TABLE raw_crm_staging.account AS SELECT 'A1' AS id")
        conn.execute("CREATE TABLE main.q2c_night_steps AS SELECT 'dbt_build' AS step")
        conn.execute("CREATE VIEW main.q2c_scratch AS SELECT 1 AS one")
    snapshot = publish_snapshot(pipeline, published)
    with duckdb.connect(str(published), read_only=True) as reader:
        listed = reader.execute(
            "SELECT table_schema, table_name FROM information_schema.tables ORDER BY ALL"
        ).fetchall()
    assert listed == [("marts", "latest"), ("marts", "nights"), ("raw_crm", "account")]
    assert (snapshot.tables, snapshot.views) == (2, 1)
    with duckdb.connect(str(pipeline), read_only=True) as conn:  # the pipeline's own file keeps them
        assert conn.execute("SELECT count(*) FROM main.q2c_night_steps").fetchall() == [(1,)]
