"""Compare two warehouses' tables, ignoring what legitimately differs between runs."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingestion.catalog import SYSTEMS, raw_dataset, raw_tables

# Batch ids, extraction times and dlt's ids say when and how a row arrived, not what it is;
# models carry them on as lineage (e.g. marts' ``_source_load_id``).
VOLATILE = {"_q2c_batch_id", "_q2c_extracted_at", "_dlt_load_id", "_dlt_id"}


def is_volatile(column: str) -> bool:
    return column in VOLATILE or (column.startswith("_") and any(w in column for w in ("load", "batch", "extracted")))


def table_rows(path: Path, schema: str, table: str) -> tuple[list[str], list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as con:
        columns = [
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
                "ORDER BY ordinal_position",
                [schema, table],
            ).fetchall()
        ]
        keep = [c for c in columns if not is_volatile(c)]
        select = ", ".join(f'"{c}"' for c in keep)
        rows = con.execute(f'SELECT {select} FROM "{schema}"."{table}"').fetchall()
    return keep, sorted(rows, key=repr)


def column_types(path: Path, schema: str, table: str) -> dict[str, str]:
    with duckdb.connect(str(path), read_only=True) as con:
        return dict(
            con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = ? AND table_name = ?",
                [schema, table],
            ).fetchall()
        )


def raw_differences(a: Path, b: Path, systems=SYSTEMS) -> list[str]:
    """Human-readable differences between the raw data tables of two warehouses."""
    problems = []
    for system in systems:
        schema = raw_dataset(system)
        for table in raw_tables(system):
            cols_a, rows_a = table_rows(a, schema, table)
            cols_b, rows_b = table_rows(b, schema, table)
            if column_types(a, schema, table) != column_types(b, schema, table):
                problems.append(f"{schema}.{table}: column types differ")
            if cols_a != cols_b:
                problems.append(f"{schema}.{table}: columns differ {cols_a} vs {cols_b}")
            elif rows_a != rows_b:
                only_a, only_b = set(rows_a) - set(rows_b), set(rows_b) - set(rows_a)
                problems.append(
                    f"{schema}.{table}: {len(rows_a)} vs {len(rows_b)} rows; "
                    f"e.g. only in first {sorted(only_a, key=repr)[:1]}, only in second "
                    f"{sorted(only_b, key=repr)[:1]}"
                )
    return problems


def schema_tables(path: Path, schema: str) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        return sorted(
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ?", [schema]
            ).fetchall()
        )
