"""The one way q2c opens a DuckDB database: the warehouse, its published copy, a scratch file.

Every connection carries a memory cap (DuckDB's own default is 80 % of RAM per process;
capped, big sorts and joins spill to disk). A writer that cannot get the file's lock is told
who holds it, in words an operator can act on.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import duckdb

from q2c.run_lock import lock_holder
from q2c.settings import Settings

_LOCK_PID = re.compile(r"\(PID (\d+)\)")


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
            raise WarehouseLocked(f"cannot open {target}: {exc}{_holding_process(str(exc))}") from exc
        raise


def _holding_process(message: str) -> str:
    """DuckDB names the holder's executable and PID; its command line says which command it is
    (``q2c exceptions list``, ``dagster dev``, a SQL client)."""
    found = _LOCK_PID.search(message)
    if not found:
        return ""
    try:
        with open(f"/proc/{found.group(1)}/cmdline", "rb") as fh:
            command = fh.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except OSError:
        return ""
    return f"; PID {found.group(1)} is: {command[:300]}" if command else ""


def connect(settings: Settings, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the pipeline's warehouse; the caller closes it (or uses ``with``)."""
    try:
        return open_duckdb(settings.duckdb_path, memory_limit=settings.duckdb_memory_limit, read_only=read_only)
    except WarehouseLocked as exc:
        holder = lock_holder(settings)
        if holder is None or holder.pid == os.getpid():
            raise
        raise WarehouseLocked(f"{exc}; the run lock is held: {holder.describe()}") from exc


@contextmanager
def warehouse_connection(settings: Settings, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    conn = connect(settings, read_only=read_only)
    try:
        yield conn
    finally:
        conn.close()
