"""Make every raw table of the catalogue exist, empty when no batch has delivered it yet.

The canonical model reads all raw tables. A firm that switches one system on later, or an
extract that never lists an object, must not break the nightly build: a table no batch has
delivered yet is simply empty, with the columns and types it will have once dlt loads it.
"""

from __future__ import annotations

from pathlib import Path

from ingestion.catalog import SQL_TYPES, SYSTEMS, ChildSpec, ObjectSpec, objects, raw_dataset
from ingestion.landing.readers import ident
from q2c.settings import DUCKDB_MEMORY_LIMIT_DEFAULT
from q2c.warehouse import open_duckdb

# Technical columns every landed row carries (docs/design.md §1).
_TECHNICAL = (
    ("_q2c_batch_id", "VARCHAR"),
    ("_q2c_extracted_at", "TIMESTAMP"),
    ("_dlt_load_id", "VARCHAR"),
    ("_dlt_id", "VARCHAR"),
)


def _sql_type(spec: ObjectSpec, kind: str) -> str:
    return "VARCHAR" if spec.is_csv else SQL_TYPES[kind]


def _parent_columns(spec: ObjectSpec) -> list[tuple[str, str]]:
    return [(f.column, _sql_type(spec, f.kind)) for f in spec.fields] + list(_TECHNICAL)


def _child_columns(spec: ObjectSpec, child: ChildSpec) -> list[tuple[str, str]]:
    parent_id = next(f for f in spec.fields if f.column == spec.primary_key[0])
    own = [(f.column, _sql_type(spec, f.kind)) for f in child.fields]
    own_id = [c for c in own if c[0] == "id"]
    rest = [c for c in own if c[0] != "id"]
    return (
        own_id
        + [(child.parent_key, _sql_type(spec, parent_id.kind)), ("position", "BIGINT")]
        + rest
        + list(_TECHNICAL)
        + [("_q2c_deleted", "BOOLEAN")]
    )


def declared_tables(system: str) -> dict[str, list[tuple[str, str]]]:
    """The raw tables of a system with their columns and DuckDB types."""
    tables: dict[str, list[tuple[str, str]]] = {}
    for spec in objects(system):
        tables[spec.table] = _parent_columns(spec)
        for child in spec.children:
            tables[child.table] = _child_columns(spec, child)
    return tables


def ensure_raw_tables(
    duckdb_path: Path, systems: tuple[str, ...] = SYSTEMS, memory_limit: str = DUCKDB_MEMORY_LIMIT_DEFAULT
) -> list[str]:
    """Create the raw tables that do not exist yet; returns their qualified names."""
    created: list[str] = []
    con = open_duckdb(duckdb_path, memory_limit=memory_limit)
    try:
        con.execute("BEGIN")
        for system in systems:
            dataset = raw_dataset(system)
            existing = {
                row[0]
                for row in con.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = ?", [dataset]
                ).fetchall()
            }
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {ident(dataset)}")
            for table, columns in declared_tables(system).items():
                if table in existing:
                    continue
                cols = ", ".join(f"{ident(name)} {sql_type}" for name, sql_type in columns)
                con.execute(f"CREATE TABLE {ident(dataset)}.{ident(table)} ({cols})")
                created.append(f"{dataset}.{table}")
        con.execute("COMMIT")
    finally:
        con.close()
    return created
