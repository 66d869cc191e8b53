"""NetSuite transaction line ids restart in each transaction (0 = the main line), so a line is
keyed by (transaction, id) (extract contract, transactionline.csv). Two invoices with lines
0, 1, 2 each must all load; an incremental batch replaces one invoice's line, not the other's."""

from __future__ import annotations

from ingestion.landing import land
from q2c.settings import settings_for
from tests.ingestion.batch_writer import erp_transaction, write_batch


def _line(transaction: int, line_id: int, amount: str, **over) -> dict:
    return {
        "id": str(line_id),
        "transaction": str(transaction),
        "linesequencenumber": str(line_id),
        "mainline": "T" if line_id == 0 else "F",
        "taxline": "F",
        "item": None if line_id == 0 else "Consultant",
        "quantity": None if line_id == 0 else "10.00",
        "rate": None if line_id == 0 else "100.00",
        "foreignamount": amount,
        "memo": None,
        **over,
    }


def test_line_ids_that_restart_per_transaction_all_load_and_merge_per_transaction(wh):
    lines = [_line(t, i, f"{t}{i}0.00") for t in (1, 2) for i in (0, 1, 2)]
    write_batch(
        wh.landing,
        "erp",
        "2026-11-22T02-00-00Z",
        {"transaction": [erp_transaction(1), erp_transaction(2)], "transactionline": lines},
    )
    report = land("erp", settings_for(wh.landing, wh.duckdb_path))
    assert report.ok, report.error
    (batch,) = report.batches
    assert (batch.rows_loaded, batch.rows_quarantined) == (8, 0), batch.log_row()
    assert wh.query("SELECT count(*) FROM raw_erp.transactionline") == [(6,)]

    write_batch(
        wh.landing,
        "erp",
        "2026-11-23T02-00-00Z",
        {"transactionline": [_line(2, 1, "999.00")]},
        mode="incremental",
    )
    report = land("erp", settings_for(wh.landing, wh.duckdb_path))
    assert report.ok, report.error
    assert wh.query(
        "SELECT \"transaction\", id, foreignamount FROM raw_erp.transactionline WHERE id = '1' ORDER BY 1"
    ) == [("1", "1", "110.00"), ("2", "1", "999.00")]
    assert wh.query("SELECT count(*) FROM raw_erp.transactionline") == [(6,)]
