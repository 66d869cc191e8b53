"""The as-of date of a run: never the wall clock, so the same extracts give the same
findings on any day.

Order: the run's ``q2c/as_of`` tag (``q2c run --as-of``), else env ``Q2C_AS_OF``, else the
date (UTC) of the newest loaded batch's ``extracted_at`` over every ``raw_<system>.batch_log``.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

import dagster as dg
import duckdb

from ingestion.catalog import SYSTEMS
from orchestration.resources import Warehouse

AS_OF_TAG = "q2c/as_of"
AS_OF_ENV = "Q2C_AS_OF"


class AsOfError(Exception):
    pass


def parse_as_of(text: str, source: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise AsOfError(f"as-of date from {source} must be YYYY-MM-DD, got {text!r}") from exc


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
        schema = f"raw_{system}"
        if schema not in existing:
            continue
        for (value,) in conn.execute(
            f"SELECT extracted_at FROM {schema}.batch_log WHERE status = 'loaded'"
        ).fetchall():
            if value is not None:
                day = _as_utc_date(value)
                newest = day if newest is None or day > newest else newest
    return newest


def resolve_as_of(
    context: dg.OpExecutionContext | dg.AssetExecutionContext, warehouse: Warehouse
) -> date:
    tag = context.run.tags.get(AS_OF_TAG)
    if tag:
        return parse_as_of(tag, f"run tag {AS_OF_TAG}")
    env = os.environ.get(AS_OF_ENV)
    if env:
        return parse_as_of(env, f"environment variable {AS_OF_ENV}")
    with warehouse.connect() as conn:
        newest = newest_loaded_batch_date(conn)
    if newest is None:
        raise AsOfError(
            "no loaded batch in any raw_<system>.batch_log: land extracts first, "
            "or give the as-of date (q2c run --as-of YYYY-MM-DD)"
        )
    return newest
