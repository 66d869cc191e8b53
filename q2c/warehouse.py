"""The one way q2c opens a DuckDB database: the warehouse, its published copy, a scratch file.

Every connection carries a memory cap (DuckDB's own default is 80 % of RAM per process;
capped, big sorts and joins spill to disk). A writer that cannot get the file's lock is told
who holds it, in words an operator can act on.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import duckdb

from q2c.settings import Settings


class WarehouseLocked(RuntimeError):
    """Another process holds the DuckDB file (one writer or many readers, never both)."""


def open_duckdb(
    path: Path | str,
    *,
    memory_limit: str,
    read_only: bool = False,
    config: Mapping[str, str] | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open ``path`` (``":memory:"`` for none) with ``memory_limit`` and extra DuckDB ``config``."""
    target = str(path)
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(target, read_only=read_only, config={"memory_limit": memory_limit, **(config or {})})
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseLocked(f"cannot open {target}: {exc}") from exc
        raise


def connect(settings: Settings, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the pipeline's warehouse; the caller closes it (or uses ``with``)."""
    return open_duckdb(settings.duckdb_path, memory_limit=settings.duckdb_memory_limit, read_only=read_only)


@contextmanager
def warehouse_connection(settings: Settings, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    conn = connect(settings, read_only=read_only)
    try:
        yield conn
    finally:
        conn.close()
