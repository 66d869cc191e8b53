"""DDL of the exception ledger: created when missing, never dropped or rebuilt.

The ledger is the memory of the reconciliation across nights (who acknowledged what, since
when a defect has been open), so unlike dbt models it must survive every run.
"""

from __future__ import annotations

import duckdb

# The keys every finding carries (design.md §3), copied onto the exception row.
FINDING_KEY_COLUMNS: tuple[str, ...] = (
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
)

# Finding columns refreshed on every night the finding fires (values may drift while open).
# The finding's own aging bucket (UNB-01) is kept as finding_aging_bucket: the exception's
# aging_bucket is the age of the exception itself.
FINDING_VALUE_COLUMNS: tuple[str, ...] = (
    "family",
    *FINDING_KEY_COLUMNS,
    "expected",
    "actual",
    "currency_code",
    "amount_at_risk",
    "fx_rate_to_reporting",
    "amount_at_risk_reporting",
    "reporting_currency",
    "finding_aging_bucket",
    "owner",
    "explanation",
)

STATUSES: tuple[str, ...] = ("open", "acknowledged", "waived", "resolved")
ACTIVE_STATUSES: tuple[str, ...] = ("open", "acknowledged", "waived")
EVENT_TYPES: tuple[str, ...] = (
    "new",
    "resolved",
    "reopened",
    "acknowledged",
    "waived",
    "manually_reopened",
)

_KEYS_DDL = ",\n    ".join(f"{c} VARCHAR" for c in FINDING_KEY_COLUMNS)

EXCEPTIONS_DDL = f"""
CREATE TABLE IF NOT EXISTS recon.exceptions (
    exception_id VARCHAR PRIMARY KEY,
    rule_id VARCHAR NOT NULL,
    family VARCHAR NOT NULL,
    subject_type VARCHAR NOT NULL,
    subject_id VARCHAR NOT NULL,
    attribute VARCHAR NOT NULL,
    {_KEYS_DDL},
    expected VARCHAR,
    actual VARCHAR,
    currency_code VARCHAR,
    amount_at_risk DECIMAL(18, 4),
    fx_rate_to_reporting DECIMAL(18, 8),
    amount_at_risk_reporting DECIMAL(18, 4),
    reporting_currency VARCHAR,
    finding_aging_bucket VARCHAR,
    owner VARCHAR,
    explanation VARCHAR,
    status VARCHAR NOT NULL,
    first_seen_as_of DATE NOT NULL,
    last_seen_as_of DATE NOT NULL,
    runs_seen INTEGER NOT NULL,
    age_days INTEGER NOT NULL,
    aging_bucket VARCHAR NOT NULL,
    resolved_as_of DATE,
    reopened_count INTEGER NOT NULL DEFAULT 0,
    status_by VARCHAR,
    status_reason VARCHAR,
    status_changed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
)
"""

EVENTS_DDL = """
CREATE TABLE IF NOT EXISTS recon.exception_events (
    event_id VARCHAR PRIMARY KEY,
    exception_id VARCHAR NOT NULL,
    rule_id VARCHAR NOT NULL,
    as_of DATE,
    event_type VARCHAR NOT NULL,
    status_before VARCHAR,
    status_after VARCHAR NOT NULL,
    actor VARCHAR NOT NULL,
    reason VARCHAR,
    run_id VARCHAR,
    occurred_at TIMESTAMP NOT NULL
)
"""


def ensure_ledger_tables(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the recon schema and the two ledger tables if they do not exist yet."""
    conn.execute("CREATE SCHEMA IF NOT EXISTS recon")
    conn.execute(EXCEPTIONS_DDL)
    conn.execute(EVENTS_DDL)
