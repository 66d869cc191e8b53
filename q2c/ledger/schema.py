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

# Two ages, named apart: the finding's event_* columns (age of the business event, copied from
# the contract) and the exception's own open_age_days / open_aging_bucket (since first_seen_as_of,
# the night the reconciliation first detected it). Ledger names equal contract names.
_LEDGER_NAME: dict[str, str] = {}

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
    open_age_days INTEGER NOT NULL,
    open_aging_bucket VARCHAR NOT NULL,
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


# Columns a ledger created before issue 14 names otherwise: its aging columns meant the
# exception's age (age_days, aging_bucket) and UNB-01's spent-date bucket (finding_aging_bucket).
_RENAMED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("age_days", "open_age_days"),
    ("aging_bucket", "open_aging_bucket"),
    ("finding_aging_bucket", "event_aging_bucket"),
)


def _upgrade_exceptions(conn: duckdb.DuckDBPyConnection) -> None:
    """Bring a ledger created by an older q2c to today's columns, keeping every row.

    The ledger is never rebuilt, so a column added to the findings contract is added here
    (NULL until the exception is seen again) and a renamed one is renamed in place.
    """
    existing = {
        r[0]
        for r in conn.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'recon' AND table_name = 'exceptions' AND table_catalog = current_database()"
        ).fetchall()
    }
    for old, new in _RENAMED_COLUMNS:
        if old in existing and new not in existing:
            conn.execute(f"ALTER TABLE recon.exceptions RENAME COLUMN {old} TO {new}")
            existing = (existing - {old}) | {new}
    for column in FINDING_VALUE_COLUMNS:
        if column not in existing:
            conn.execute(f"ALTER TABLE recon.exceptions ADD COLUMN {column} {finding_column_type(column)}")


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
    _upgrade_exceptions(conn)
