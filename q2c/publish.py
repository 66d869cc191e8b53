"""The analyst snapshot: a copy of the pipeline's warehouse that analysts open read-only.

DuckDB allows one read-write process or many read-only ones, never both, so analysts never
open the pipeline's own file (an open reader would make the nightly writer fail). After a
successful night the whole database is copied into a NEW file beside the published path,
which then atomically replaces the published file (``os.replace``, same folder, so same
filesystem). A reader that already has the old file open keeps reading the old snapshot,
untouched, until it reconnects; a new connection opens the new file. Nothing ever writes
into a file a reader may have open. The copy leaves out what is internal to the pipeline
(dlt's raw_<system>_staging scratch datasets, the bookkeeping tables in main).
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from q2c.settings import DUCKDB_MEMORY_LIMIT_DEFAULT
from q2c.warehouse import open_duckdb

_TMP_SUFFIX = ".publishing"


@dataclass(frozen=True)
class PublishedSnapshot:
    path: Path
    tables: int
    views: int
    size_bytes: int
    seconds: float


def _temp_path(published: Path) -> Path:
    # hidden, in the published file's own folder: os.replace is atomic only within a filesystem
    return published.with_name(f".{published.name}.{uuid.uuid4().hex[:12]}{_TMP_SUFFIX}")


def remove_abandoned_copies(published: Path) -> list[Path]:
    """Half-written copies left by a publish that was killed (never the published file)."""
    removed = []
    for path in published.parent.glob(f".{published.name}.*{_TMP_SUFFIX}*"):
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# Not for analysts: dlt's merge scratch datasets (raw_<system>_staging) and the pipeline's own
# bookkeeping in the default schema main (night steps, dbt build state). main itself is part of
# every DuckDB database and cannot be dropped, so only its tables and views are.
_INTERNAL_SCHEMAS = r"schema_name LIKE 'raw\_%\_staging' ESCAPE '\'"


def _drop_internal(conn: duckdb.DuckDBPyConnection, catalog: str) -> None:
    schemas = [
        r[0]
        for r in conn.execute(
            f"SELECT schema_name FROM duckdb_schemas() WHERE database_name = $db AND {_INTERNAL_SCHEMAS}",
            {"db": catalog},
        ).fetchall()
    ]
    for schema in schemas:
        conn.execute(f'DROP SCHEMA {catalog}."{schema}" CASCADE')
    for kind, listing in (("VIEW", "duckdb_views()"), ("TABLE", "duckdb_tables()")):
        names = conn.execute(
            f"SELECT {'view_name' if kind == 'VIEW' else 'table_name'} FROM {listing} "
            "WHERE database_name = $db AND schema_name = 'main' AND NOT internal",
            {"db": catalog},
        ).fetchall()
        for (name,) in names:
            conn.execute(f'DROP {kind} {catalog}.main."{name}"')


def publish_snapshot(
    pipeline_db: Path, published: Path, memory_limit: str = DUCKDB_MEMORY_LIMIT_DEFAULT
) -> PublishedSnapshot:
    """Copy ``pipeline_db`` into a new file and atomically put it at ``published``."""
    started = time.monotonic()
    pipeline_db, published = Path(pipeline_db).resolve(), Path(published).resolve()
    if pipeline_db == published:
        raise ValueError(f"the published path must differ from the pipeline's warehouse ({pipeline_db})")
    if not pipeline_db.exists():
        raise FileNotFoundError(f"no warehouse to publish at {pipeline_db}")
    published.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned_copies(published)
    tmp = _temp_path(published)
    try:
        with open_duckdb(":memory:", memory_limit=memory_limit) as conn:
            # paths are parameters; the catalogue aliases are fixed names
            conn.execute("ATTACH $path AS q2c_pipeline (READ_ONLY)", {"path": str(pipeline_db)})
            conn.execute("ATTACH $path AS q2c_snapshot", {"path": str(tmp)})
            conn.execute("COPY FROM DATABASE q2c_pipeline TO q2c_snapshot")
            _drop_internal(conn, "q2c_snapshot")
            tables, views = conn.execute(
                "SELECT count(*) FILTER (WHERE table_type = 'BASE TABLE'), "
                "count(*) FILTER (WHERE table_type = 'VIEW') "
                "FROM information_schema.tables WHERE table_catalog = 'q2c_snapshot'"
            ).fetchall()[0]
            conn.execute("CHECKPOINT q2c_snapshot")  # everything in the file, no WAL beside it
            conn.execute("DETACH q2c_snapshot")
            conn.execute("DETACH q2c_pipeline")
        _fsync(tmp)
        os.replace(tmp, published)
        _fsync(published.parent)  # the rename itself survives a crash
    except BaseException:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise
    return PublishedSnapshot(published, tables, views, published.stat().st_size, time.monotonic() - started)


def republish_with(
    published: Path,
    change: Callable[[duckdb.DuckDBPyConnection], None],
    memory_limit: str = DUCKDB_MEMORY_LIMIT_DEFAULT,
) -> Path:
    """Publish the current snapshot with ``change`` applied, swapped in as atomically as a night's.

    A review action reaches the analysts this way without publishing a night that was never
    published (a failed night's warehouse stays unpublished). The caller holds the run lock, so
    no night publishes meanwhile."""
    published = Path(published).resolve()
    if not published.exists():
        raise FileNotFoundError(f"no published snapshot at {published}")
    remove_abandoned_copies(published)
    tmp = _temp_path(published)
    try:
        shutil.copyfile(published, tmp)  # checkpointed at publish: the file is the whole snapshot
        with open_duckdb(tmp, memory_limit=memory_limit) as conn:
            change(conn)
            conn.execute("CHECKPOINT")
        _fsync(tmp)
        os.replace(tmp, published)
        _fsync(published.parent)
    except BaseException:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise
    return published
