"""A temporary DuckDB with a hand-built ``recon.findings`` that each test rewrites per night,
the way the dbt reconciliation models rebuild it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

FINDINGS_DDL = """
CREATE OR REPLACE TABLE recon.findings (
    rule_id VARCHAR, family VARCHAR, subject_type VARCHAR, subject_id VARCHAR, attribute VARCHAR,
    crm_account_id VARCHAR, crm_opportunity_id VARCHAR, erp_customer_id VARCHAR,
    erp_transaction_id VARCHAR, billing_customer_id VARCHAR, billing_invoice_id VARCHAR,
    billing_invoice_line_id VARCHAR, billing_credit_note_id VARCHAR, psa_project_code VARCHAR,
    psa_time_entry_id VARCHAR, psa_expense_id VARCHAR,
    expected VARCHAR, actual VARCHAR, currency_code VARCHAR,
    amount_at_risk DECIMAL(18, 4), fx_rate_to_reporting DECIMAL(18, 8),
    amount_at_risk_reporting DECIMAL(18, 4), reporting_currency VARCHAR,
    event_date DATE, event_age_days INTEGER, event_aging_bucket VARCHAR,
    owner VARCHAR, explanation VARCHAR, as_of_date DATE
)
"""

_OWNERS = {"ACC": "sales_ops", "RATE": "pmo", "UNB": "pmo", "INV": "billing", "BOOK": "sales_ops"}


def finding(
    rule_id: str,
    subject_id: str,
    *,
    attribute: str = "",
    subject_type: str = "crm_account",
    amount: str | None = None,
    expected: str = "x",
    actual: str = "y",
) -> dict:
    family = rule_id.split("-")[0]
    value = Decimal(amount) if amount is not None else None
    return {
        "rule_id": rule_id,
        "family": family,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "attribute": attribute,
        "crm_account_id": subject_id if subject_type == "crm_account" else None,
        "expected": expected,
        "actual": actual,
        "currency_code": "EUR" if value is not None else None,
        "amount_at_risk": value,
        "fx_rate_to_reporting": Decimal("1.1") if value is not None else None,
        "amount_at_risk_reporting": value * Decimal("1.1") if value is not None else None,
        "reporting_currency": "USD",
        "owner": _OWNERS[family],
        "explanation": f"{rule_id} on {subject_id}",
    }


class Warehouse:
    def __init__(self, path: Path):
        self.path = path
        self.conn = duckdb.connect(str(path))
        self.conn.execute("CREATE SCHEMA IF NOT EXISTS recon")

    def night(self, as_of: date, findings: list[dict]) -> None:
        """Replace recon.findings with ``findings`` as of ``as_of``."""
        self.conn.execute(FINDINGS_DDL)
        for f in findings:
            row = {**f, "as_of_date": as_of}
            cols = list(row)
            self.conn.execute(
                f"INSERT INTO recon.findings ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                [row[c] for c in cols],
            )

    def rows(self, sql: str, params=None) -> list[tuple]:
        return self.conn.execute(sql, params or []).fetchall()


@pytest.fixture(name="finding")
def finding_factory():
    """Build one findings row (design.md §3 columns) for the night table."""
    return finding


@pytest.fixture
def warehouse(tmp_path: Path):
    wh = Warehouse(tmp_path / "ledger.duckdb")
    yield wh
    wh.conn.close()
