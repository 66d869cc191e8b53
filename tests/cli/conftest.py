"""A warehouse file in a temp folder holding a ledger built from two hand-made nights, and its
published snapshot (Q2C_PUBLISHED_PATH defaults to <data dir>/published/warehouse.duckdb)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from q2c.ledger import apply_findings
from q2c.publish import publish_snapshot

_FINDINGS = """
CREATE OR REPLACE TABLE recon.findings AS
SELECT * FROM (VALUES
  ('ACC-01', 'ACC', 'crm_account', '001A', '', NULL::DECIMAL(18,4), 'sales_ops'),
  ('INV-03', 'INV', 'billing_invoice', 'in_1', '', 7500.00, 'billing'),
  ('INV-03', 'INV', 'billing_invoice', 'in_2', '', 12.50, 'billing')
) v(rule_id, family, subject_type, subject_id, attribute, amount_at_risk, owner)
"""
_COLUMNS = """
ALTER TABLE recon.findings ADD COLUMN {name} {type}
"""
_EXTRA = {
    **dict.fromkeys(
        (
            "crm_account_id",
            "crm_opportunity_id",
            "erp_customer_id",
            "erp_transaction_id",
            "billing_customer_id",
            "billing_invoice_id",
            "billing_invoice_line_id",
            "billing_credit_note_id",
            "psa_project_code",
            "psa_time_entry_id",
            "psa_expense_id",
            "expected",
            "actual",
            "currency_code",
            "reporting_currency",
            "event_aging_bucket",
            "explanation",
        ),
        "VARCHAR",
    ),
    "fx_rate_to_reporting": "DECIMAL(18,8)",
    "amount_at_risk_reporting": "DECIMAL(18,4)",
    "as_of_date": "DATE",
    "event_date": "DATE",
    "event_age_days": "INTEGER",
}


@pytest.fixture
def ledger_db(tmp_path: Path, monkeypatch) -> Path:
    path = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("Q2C_DUCKDB_PATH", str(path))
    with duckdb.connect(str(path)) as conn:
        conn.execute("CREATE SCHEMA recon")
        conn.execute(_FINDINGS)
        for name, type_ in _EXTRA.items():
            conn.execute(_COLUMNS.format(name=name, type=type_))
        conn.execute(
            "UPDATE recon.findings SET amount_at_risk_reporting = amount_at_risk, "
            "currency_code = 'USD', reporting_currency = 'USD', as_of_date = DATE '2026-03-01'"
        )
        apply_findings(conn, date(2026, 3, 1))
    # what a successful night leaves: the review commands read the published snapshot
    publish_snapshot(path, tmp_path / "published" / "warehouse.duckdb")
    return path
