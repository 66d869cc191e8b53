"""The as-of date of a run: never the wall clock, so the same extracts give the same
findings on any day.

Order: the run's own override (``q2c run --as-of``, carried as a run tag), else the
settings' ``as_of`` (``Q2C_AS_OF``), else the date (UTC) of the newest loaded batch's
``extracted_at`` over every ``raw_<system>.batch_log``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb

from ingestion.catalog import SYSTEMS, raw_dataset
from q2c.settings import AsOfError, Settings, parse_as_of
from q2c.warehouse import warehouse_connection

__all__ = ["AsOfError", "newest_loaded_batch_date", "parse_as_of", "resolve_as_of"]


def _as_utc_date(value: object) -> date:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.date()
    if isinstance(value, date):
        return value
    return _as_utc_date(datetime.fromisoformat(str(value).replace("Z", "+00:00")))


def newest_loaded_batch_date(conn: duckdb.DuckDBPyConnection) -> date | None:
    """Date of the newest ``loaded`` batch's ``extracted_at`` over all systems, if any."""
    existing = {
        row[0]
        for row in conn.execute(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = 'batch_log'"
        ).fetchall()
    }
    newest: date | None = None
    for system in SYSTEMS:
        schema = raw_dataset(system)
        if schema not in existing:
            continue
        for (value,) in conn.execute(f"SELECT extracted_at FROM {schema}.batch_log WHERE status = 'loaded'").fetchall():
            if value is not None:
                day = _as_utc_date(value)
                newest = day if newest is None or day > newest else newest
    return newest


def resolve_as_of(settings: Settings, override: str | None = None, *, override_source: str = "the run") -> date:
    """The as-of date of a run whose own override (text, may be None) comes from ``override_source``."""
    if override:
        return parse_as_of(override, override_source)
    if settings.as_of is not None:
        return settings.as_of
    newest = None
    if settings.duckdb_path.exists():
        with warehouse_connection(settings) as conn:
            newest = newest_loaded_batch_date(conn)
    if newest is None:
        raise AsOfError(
            "no loaded batch in any raw_<system>.batch_log: land extracts first, "
            "or give the as-of date (q2c run --as-of YYYY-MM-DD)"
        )
    return newest
