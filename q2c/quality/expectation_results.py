"""``quality.expectation_results``: each run's GX outcomes, written once by the suite asset and
read by the per-mart checks (the suite runs once per run, however many checks read it).

Rows accumulate across runs (keyed by Dagster run id), so the warehouse also keeps the
marts' quality history for analysts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import duckdb

from q2c.quality import ExpectationOutcome

TABLE = "quality.expectation_results"

DDL = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    run_id VARCHAR NOT NULL,
    evaluated_at TIMESTAMP NOT NULL,
    mart VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    expectation_type VARCHAR NOT NULL,
    column_name VARCHAR,
    success BOOLEAN NOT NULL,
    observed_value VARCHAR,
    details VARCHAR,
    docs_url VARCHAR,
    PRIMARY KEY (run_id, mart, position)
)
"""


@dataclass(frozen=True)
class StoredOutcome:
    mart: str
    expectation_type: str
    column: str | None
    success: bool
    observed_value: str
    details: str
    docs_url: str


def ensure_results_table(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("CREATE SCHEMA IF NOT EXISTS quality")
    conn.execute(DDL)


def write_outcomes(
    conn: duckdb.DuckDBPyConnection, run_id: str, outcomes: Iterable[ExpectationOutcome], evaluated_at: datetime
) -> int:
    """Replace ``run_id``'s rows with ``outcomes`` (a retried step does not double them)."""
    ensure_results_table(conn)
    positions: dict[str, int] = {}
    rows = []
    for o in outcomes:
        position = positions[o.mart] = positions.get(o.mart, -1) + 1
        rows.append(
            (
                run_id,
                evaluated_at,
                o.mart,
                position,
                o.expectation_type,
                o.column,
                o.success,
                o.observed_value,
                o.details,
                o.docs_url,
            )
        )
    conn.execute("BEGIN")
    try:
        conn.execute(f"DELETE FROM {TABLE} WHERE run_id = ?", [run_id])
        if rows:
            conn.executemany(f"INSERT INTO {TABLE} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(rows)


def read_outcomes(conn: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, list[StoredOutcome]]:
    """``run_id``'s outcomes by mart, in the suite's order; empty when the run wrote none."""
    exists = conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'quality' "
        "AND table_name = 'expectation_results'"
    ).fetchall()[0][0]
    if not exists:
        return {}
    by_mart: dict[str, list[StoredOutcome]] = {}
    for row in conn.execute(
        f"""SELECT mart, expectation_type, column_name, success, observed_value, details, docs_url
            FROM {TABLE} WHERE run_id = ? ORDER BY mart, position""",
        [run_id],
    ).fetchall():
        by_mart.setdefault(row[0], []).append(StoredOutcome(*row))
    return by_mart
