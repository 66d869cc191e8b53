"""Skip the nightly ``dbt build`` when nothing it reads has changed since the last good build.

Everything the build reads is named by one fingerprint: every completed dlt load in the raw
datasets (a landing run that found no new batch loads nothing, so this does not move), the
build's ``--vars`` (as-of date and config/reconciliation.yml) and the parsed dbt project
(every node's checksum and config, every macro). The fingerprint of a
successful build is stored in the warehouse itself, so a replaced or fresh warehouse has
none and is always built.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb

from ingestion.catalog import SYSTEMS, raw_dataset

STATE_TABLE = "main.q2c_dbt_build_state"


def _completed_loads(conn: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    schemas = {
        row[0]
        for row in conn.execute("SELECT schema_name FROM duckdb_tables() WHERE table_name = '_dlt_loads'").fetchall()
    }
    loads = {}
    for system in SYSTEMS:
        schema = raw_dataset(system)
        if schema in schemas:
            loads[schema] = [
                row[0]
                for row in conn.execute(
                    f"SELECT load_id FROM {schema}._dlt_loads WHERE status = 0 ORDER BY load_id"
                ).fetchall()
            ]
    return loads


def project_digest(manifest_path: Path) -> str:
    """What the parsed project would build: every node's file checksum and config, every
    macro's SQL. Not the file's bytes: a re-parse rewrites generated_at and invocation_id."""
    path = Path(manifest_path)
    if not path.exists():
        return ""
    manifest = json.loads(path.read_text(encoding="utf-8"))
    parts = {
        "nodes": {
            uid: [n.get("checksum"), n.get("config"), n.get("depends_on")]
            for uid, n in manifest.get("nodes", {}).items()
        },
        "sources": {uid: s.get("config") for uid, s in manifest.get("sources", {}).items()},
        "macros": {uid: m.get("macro_sql") for uid, m in manifest.get("macros", {}).items()},
        "unit_tests": {uid: u.get("checksum") for uid, u in manifest.get("unit_tests", {}).items()},
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def build_fingerprint(conn: duckdb.DuckDBPyConnection, dbt_vars: dict, manifest_path: Path) -> str:
    payload = json.dumps(
        {"loads": _completed_loads(conn), "vars": dbt_vars, "project": project_digest(manifest_path)},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def last_build_fingerprint(conn: duckdb.DuckDBPyConnection) -> str | None:
    exists = conn.execute(
        "SELECT 1 FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'q2c_dbt_build_state'"
    ).fetchall()
    if not exists:
        return None
    rows = conn.execute(f"SELECT fingerprint FROM {STATE_TABLE}").fetchall()
    return rows[0][0] if rows else None


def record_build(conn: duckdb.DuckDBPyConnection, fingerprint: str, run_id: str) -> None:
    conn.execute("BEGIN")
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} (fingerprint VARCHAR NOT NULL, run_id VARCHAR, built_at TIMESTAMP)"
    )
    conn.execute(f"DELETE FROM {STATE_TABLE}")
    conn.execute(f"INSERT INTO {STATE_TABLE} VALUES ($f, $r, now()::TIMESTAMP)", {"f": fingerprint, "r": run_id})
    conn.execute("COMMIT")


def forget_build(conn: duckdb.DuckDBPyConnection) -> None:
    """Called before a build starts: a build that dies half-way must not look current."""
    if last_build_fingerprint(conn) is not None:
        conn.execute(f"DELETE FROM {STATE_TABLE}")
