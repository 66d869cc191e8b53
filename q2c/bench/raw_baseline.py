"""The physical limit for landing: DuckDB reading each batch's files straight into tables.

No dlt, no manifest checks, no contracts, no dedup: ``read_csv`` (every column VARCHAR, as
the raw layer keeps CSV text) and ``read_json`` (DuckDB's own type detection) into a fresh
database file, one table per file. Landing's ratio to this is what dlt, validation and
latest-wins planning cost on top of parsing and writing.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from ingestion.catalog import CSV_SYSTEMS
from q2c.settings import DUCKDB_MEMORY_LIMIT_DEFAULT
from q2c.warehouse import open_duckdb

MANIFEST = "_manifest.json"


@dataclass(frozen=True)
class RawLoad:
    system: str
    seconds: float
    rows: int
    files: int


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def batch_files(batch_dir: Path) -> list[Path]:
    manifest = json.loads((batch_dir / MANIFEST).read_text(encoding="utf-8"))
    return [batch_dir / f["name"] for f in manifest["files"] if (batch_dir / f["name"]).stat().st_size > 0]


def raw_load(system: str, batch_dirs: list[Path], database: Path) -> RawLoad:
    """Load every non-empty file of ``batch_dirs`` into ``database``; rows counted by DuckDB."""
    rows = files = 0
    started = time.perf_counter()
    with open_duckdb(database, memory_limit=DUCKDB_MEMORY_LIMIT_DEFAULT) as con:
        for b, batch_dir in enumerate(batch_dirs):
            for path in batch_files(batch_dir):
                table = f'"{system}_{b}_{path.stem}"'
                if system in CSV_SYSTEMS:
                    reader = f"read_csv({_sql_str(str(path))}, header=true, all_varchar=true)"
                else:
                    reader = f"read_json({_sql_str(str(path))}, format='newline_delimited')"
                con.execute(f"CREATE TABLE {table} AS SELECT * FROM {reader}")
                rows += con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
                files += 1
        con.execute("CHECKPOINT")  # the rows are on disk, as a landed batch's are
    return RawLoad(system, time.perf_counter() - started, rows, files)
