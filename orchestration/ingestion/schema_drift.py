"""WARN when a raw table carries columns the extract contract does not know.

Unknown source fields load (the schema evolves, nothing is lost) and each landing run
reports them; this check keeps saying so, with the batch that first brought each column,
until the system's catalogue (ingestion/sources/<system>/objects.py) and contract learn the new field.
"""

from __future__ import annotations

import dagster as dg
import duckdb

from ingestion.catalog import raw_dataset
from ingestion.landing import declared_tables

_DLT_COLUMNS = {"_dlt_load_id", "_dlt_id", "_q2c_deleted"}


def unknown_columns(conn: duckdb.DuckDBPyConnection, system: str) -> list[tuple[str, str, str | None]]:
    """(table, column, first batch with a value) for every raw column outside the catalogue."""
    schema = raw_dataset(system)
    declared = declared_tables(system)
    found = []
    for table, column in conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = ? "
        "ORDER BY table_name, ordinal_position",
        [schema],
    ).fetchall():
        if table not in declared or column in _DLT_COLUMNS:
            continue
        if column in {name for name, _ in declared[table]}:
            continue
        # identifiers come from information_schema of our own raw dataset, quoted
        quoted = '"' + column.replace('"', '""') + '"'
        first = conn.execute(
            f'SELECT min(_q2c_batch_id) FROM "{schema}"."{table}" WHERE {quoted} IS NOT NULL'
        ).fetchall()[0][0]
        found.append((table, column, first))
    return found


def _markdown(rows: list[tuple]) -> str:
    if not rows:
        return "_none_"
    lines = ["| table | column | first batch |", "|---|---|---|"]
    return "\n".join(lines + [f"| {t} | {c} | {b or ''} |" for t, c, b in rows])


def new_columns_check(conn: duckdb.DuckDBPyConnection, system: str) -> dg.AssetCheckResult:
    found = unknown_columns(conn, system)
    return dg.AssetCheckResult(
        passed=not found,
        severity=dg.AssetCheckSeverity.WARN,
        description=(
            f"{len(found)} column(s) not in the extract contract: " + ", ".join(f"{t}.{c}" for t, c, _ in found)
        )
        if found
        else "every raw column is in the contract",
        metadata={"new_columns": dg.MetadataValue.md(_markdown(found)), "count": len(found)},
    )
