"""Text that looks like SQL in file names' neighbours, headers, keys and values is data: it
lands as such and never runs (values are bound as parameters, identifiers are quoted)."""

from __future__ import annotations

import json

from ingestion.landing import land
from q2c.settings import settings_for
from tests.ingestion.batch_writer import account, csv_text, invoice, invoice_line, write_batch

B1 = "2026-11-20T02-00-00Z"
EVIL = "x'); DROP SCHEMA raw_crm CASCADE; --"


def test_sql_in_headers_values_and_json_keys_is_only_data(wh):
    header = 'Evil"); DROP TABLE raw_crm.account; --'
    text = csv_text("crm", "Account", [account(1, Name=EVIL, **{header: EVIL})], extra_columns=(header,))
    write_batch(wh.landing, "crm", B1, {"Account": text})
    record = invoice(1, [invoice_line(1, description=EVIL)], number=EVIL)
    record["k'); DROP SCHEMA raw_billing CASCADE; --"] = EVIL
    write_batch(wh.landing, "billing", B1, {"invoices": [json.dumps(record)]})

    crm = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    billing = land("billing", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert (crm.rows_loaded, crm.rows_quarantined, crm.error) == (1, 0, None)
    assert (billing.rows_loaded, billing.rows_quarantined, billing.error) == (1, 0, None)
    assert wh.query("SELECT name, evil_drop_table_raw_crm_accountxxx FROM raw_crm.account") == [(EVIL, EVIL)]
    assert wh.query("SELECT number, k_drop_schema_raw_billing_cascadexxx FROM raw_billing.invoices") == [(EVIL, EVIL)]
    assert wh.query("SELECT description FROM raw_billing.invoice_lines") == [(EVIL,)]
