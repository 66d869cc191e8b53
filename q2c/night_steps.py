"""Which of a night's steps after the dbt build have completed for the current build.

The dbt build is skipped when nothing it reads has changed (q2c.dbt_build_state); that is
only safe once every step that consumes the build has finished with it too. A run killed
while it writes the ledger or publishes leaves the build recorded but those steps not, so
the next run must not skip: it rebuilds and redoes every step. Each step records its own
completion, keyed by the build's fingerprint, in the warehouse beside the build state (a
fresh or replaced warehouse has neither, so it is always built).
"""

from __future__ import annotations

import duckdb

from q2c.dbt_build_state import last_build_fingerprint

STEPS_TABLE = "main.q2c_night_steps"

LEDGER = "exception ledger"
QUALITY = "Great Expectations over the marts"
REPORT = "reconciliation report"
DOCS = "dbt docs"
PUBLISH = "publishing the analyst snapshot"

# in the order a night runs them; QUALITY and DOCS only run with Q2C_DOCS=on
_ALWAYS = (LEDGER, REPORT, PUBLISH)
_WITH_DOCS = (LEDGER, QUALITY, REPORT, DOCS, PUBLISH)


def required_steps(build_docs: bool) -> tuple[str, ...]:
    return _WITH_DOCS if build_docs else _ALWAYS


def _table_exists(conn: duckdb.DuckDBPyConnection) -> bool:
    schema, table = STEPS_TABLE.split(".")
    return bool(
        conn.execute(
            "SELECT 1 FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?", [schema, table]
        ).fetchall()
    )


def completed_steps(conn: duckdb.DuckDBPyConnection, fingerprint: str) -> dict[str, str]:
    """Step -> the run that completed it for the build ``fingerprint``."""
    if not _table_exists(conn):
        return {}
    rows = conn.execute(f"SELECT step, run_id FROM {STEPS_TABLE} WHERE fingerprint = ?", [fingerprint]).fetchall()
    return dict(rows)


def unfinished_steps(conn: duckdb.DuckDBPyConnection, fingerprint: str, build_docs: bool) -> list[str]:
    done = completed_steps(conn, fingerprint)
    return [step for step in required_steps(build_docs) if step not in done]


def record_step(conn: duckdb.DuckDBPyConnection, step: str, run_id: str) -> bool:
    """Mark ``step`` complete for the current build; False when no build is recorded (a
    subset run before any whole build), which leaves nothing to skip on."""
    fingerprint = last_build_fingerprint(conn)
    if fingerprint is None:
        return False
    conn.execute("BEGIN")
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {STEPS_TABLE} "
        "(step VARCHAR NOT NULL, fingerprint VARCHAR NOT NULL, run_id VARCHAR, completed_at TIMESTAMP)"
    )
    # only the current build's completions matter: older ones go
    conn.execute(f"DELETE FROM {STEPS_TABLE} WHERE step = ? OR fingerprint <> ?", [step, fingerprint])
    conn.execute(
        f"INSERT INTO {STEPS_TABLE} VALUES (?, ?, ?, now()::TIMESTAMP)",
        [step, fingerprint, run_id],
    )
    conn.execute("COMMIT")
    return True
