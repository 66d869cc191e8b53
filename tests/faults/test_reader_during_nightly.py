"""Analysts never block the nightly run: a process holding the published snapshot open
read-only for the whole run neither fails the run nor is disturbed by the publish."""

from __future__ import annotations

import duckdb

from tests.faults.conftest import OLD_SNAPSHOT_MARK


def test_the_run_succeeds_and_publishes_while_a_reader_holds_the_snapshot(reference_run):
    assert reference_run.exit_code == 0, reference_run.output
    assert "nightly run succeeded" in reference_run.output
    assert f"published for analysts (read-only): {reference_run.world.published_path}" in reference_run.output


def test_the_long_lived_reader_kept_working_on_the_old_snapshot(reference_run):
    reader = reference_run.reader
    assert reader["error_count"] == 0, reader["errors"]
    # it queried from before the run started until after it ended, always yesterday's data
    assert reader["first_query_at"] < reference_run.run_started
    assert reader["last_query_at"] > reference_run.run_ended
    assert reader["queries"] >= 10
    assert reader["distinct_answers"] == [[OLD_SNAPSHOT_MARK, 1]]


def test_a_new_connection_sees_tonights_data(reference_run):
    world = reference_run.world
    with duckdb.connect(str(world.published_path), read_only=True) as conn:
        [(newest, batches)] = conn.execute("SELECT max(batch_id), count(*) FROM raw_psa.batch_log").fetchall()
        published_state = {
            "findings": conn.execute("SELECT count(*) FROM recon.findings").fetchall(),
            "exceptions": conn.execute("SELECT count(*) FROM recon.exceptions").fetchall(),
            "invoices": conn.execute(
                "SELECT currency_code, sum(total) FROM marts.billing_invoices GROUP BY 1 ORDER BY 1"
            ).fetchall(),
        }
        # staging views work in the copy (they reference tables of their own database)
        assert conn.execute("SELECT count(*) FROM staging.stg_psa__time_entries").fetchall()[0][0] > 0
    batch_ids = sorted(p.name for p in (world.landing / "psa").iterdir())
    assert (newest, batches) == (batch_ids[-1], len(batch_ids))
    with duckdb.connect(str(world.duckdb_path), read_only=True) as conn:
        assert published_state == {
            "findings": conn.execute("SELECT count(*) FROM recon.findings").fetchall(),
            "exceptions": conn.execute("SELECT count(*) FROM recon.exceptions").fetchall(),
            "invoices": conn.execute(
                "SELECT currency_code, sum(total) FROM marts.billing_invoices GROUP BY 1 ORDER BY 1"
            ).fetchall(),
        }
    assert published_state["findings"][0][0] > 0
    # nothing half-written is left beside the published file, and no WAL
    assert sorted(p.name for p in world.published_path.parent.iterdir()) == ["warehouse.duckdb"]
