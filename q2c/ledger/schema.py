"""DDL of the exception ledger: created when missing, never dropped or rebuilt.

The ledger is the memory of the reconciliation across nights (who acknowledged what, since
when a defect has been open), so unlike dbt models it must survive every run.
"""

from __future__ import annotations

import duckdb

from q2c.rule_catalogue import FINDING_COLUMNS

# The finding's columns come from one list: the enforced contract of recon.findings
# (dbt_project/models/reconciliation/_reconciliation__models.yml, read by q2c.rule_catalogue).
_CONTRACT = {c.name: c for c in FINDING_COLUMNS}

# The identity of a finding (exception_id = sha1 of these), and the run's own as-of date.
FINDING_IDENTITY_COLUMNS: tuple[str, ...] = ("rule_id", "subject_type", "subject_id", "attribute")
_NOT_COPIED = frozenset({*FINDING_IDENTITY_COLUMNS, "as_of_date"})

# The finding's own aging bucket (UNB-01) is kept as finding_aging_bucket: the exception's
# aging_bucket is the age of the exception itself.
_LEDGER_NAME = {"aging_bucket": "finding_aging_bucket"}

# The keys every finding carries (design.md §3), copied onto the exception row.
FINDING_KEY_COLUMNS: tuple[str, ...] = tuple(c.name for c in FINDING_COLUMNS if c.is_key)

# Finding columns refreshed on every night the finding fires (values may drift while open):
# every contract column but the identity and the as-of date, in contract order.
FINDING_VALUE_COLUMNS: tuple[str, ...] = tuple(
    _LEDGER_NAME.get(c.name, c.name) for c in FINDING_COLUMNS if c.name not in _NOT_COPIED
)


def finding_column_type(ledger_column: str) -> str:
    """SQL type of a finding column copied onto the ledger, as the contract declares it."""
    source = {v: k for k, v in _LEDGER_NAME.items()}.get(ledger_column, ledger_column)
    return _CONTRACT[source].data_type.upper()


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

# rule_id, family, subject_type, subject_id, attribute NOT NULL, then the copied columns.
_FINDING_DDL = ",\n    ".join(
    [f"{c} {finding_column_type(c)} NOT NULL" for c in ("rule_id", "family", "subject_type", "subject_id", "attribute")]
    + [f"{c} {finding_column_type(c)}" for c in FINDING_VALUE_COLUMNS if c != "family"]
)

EXCEPTIONS_DDL = f"""
CREATE TABLE IF NOT EXISTS recon.exceptions (
    exception_id VARCHAR PRIMARY KEY,
    {_FINDING_DDL},
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
    present = conn.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'recon' AND table_name IN ('exceptions', 'exception_events')"
    ).fetchall()[0][0]
    if present == 2:  # nothing to create: a read-only connection (the snapshot) reads on
        return
    conn.execute("CREATE SCHEMA IF NOT EXISTS recon")
    conn.execute(EXCEPTIONS_DDL)
    conn.execute(EVENTS_DDL)
