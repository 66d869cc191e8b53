"""Values that cannot be true, found in the scratch DuckDB: impossible calendar dates and
times, dates outside the batch's plausible window, numbers beyond an obvious bound or beyond
what the canonical model's types hold.

The per-system tables (``PLAUSIBLE`` in ingestion/sources/<system>/contract.py) become one
SQL scan per scratch table. Each date is read exactly as its staging model reads it
(dbt_project/macros/timestamp_parsing.sql), so a value that lands cannot fail the dbt build.
Only text of the contract's shape is read: other text already failed the contract's pattern,
and a field that failed any earlier check of its record is not reported twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import duckdb

from ingestion.catalog import TEXT, Field
from ingestion.landing.readers import ERR_SEP, ident, sql_str
from ingestion.sources.billing import contract as billing
from ingestion.sources.crm import contract as crm
from ingestion.sources.erp import contract as erp
from ingestion.sources.plausibility import (
    EPOCH_SECONDS_READER,
    EVENT,
    ISO_DATE_READER,
    ISO_TIMESTAMP_READER,
    US_DATE_OR_DATETIME_READER,
    US_DATE_READER,
    Fits,
    Plausible,
    When,
    Within,
)
from ingestion.sources.psa import contract as psa
from q2c.settings import PlausibleBounds

CALENDAR_CHECK = "calendar_date"
RANGE_CHECK = "plausible_range"

_TABLES = {"crm": crm.PLAUSIBLE, "psa": psa.PLAUSIBLE, "erp": erp.PLAUSIBLE, "billing": billing.PLAUSIBLE}
_NUMBER_TEXT = r"^-?\d+(\.\d+)?$"
# the widest decimal DuckDB holds; longer number text is beyond every bound anyway
_WIDE_DECIMAL = "DECIMAL(38,4)"

# {v}: the column. The staging models' own readings, NULL where the text is no real date/time.
_READERS = {
    ISO_DATE_READER: "TRY_CAST({v} AS DATE)::TIMESTAMP",
    ISO_TIMESTAMP_READER: "TRY_CAST({v} AS TIMESTAMPTZ) AT TIME ZONE 'UTC'",
    US_DATE_READER: "try_strptime({v}, '%m/%d/%Y')",
    US_DATE_OR_DATETIME_READER: (
        "CASE WHEN trim({v}) LIKE '% %' THEN try_strptime(upper(trim({v})), '%m/%d/%Y %I:%M %p') "
        "ELSE try_strptime(trim({v}), '%m/%d/%Y') END"
    ),
}
_WHAT_IS_READ = {
    ISO_DATE_READER: "calendar date",
    ISO_TIMESTAMP_READER: "date and time",
    US_DATE_READER: "calendar date",
    US_DATE_OR_DATETIME_READER: "date or date and time",
}
_EPOCH_MAX_DISPLAY = 253402300799  # 9999-12-31 23:59:59: beyond it only the year is shown


def rules_for(system: str, table: str) -> dict[str, Plausible]:
    return _TABLES[system].get(table, {})


@dataclass(frozen=True)
class PlausibleWindow:
    """The bounds of one batch: dates relative to its extracted_at, numbers as configured."""

    bounds: PlausibleBounds
    earliest: datetime
    event_until: datetime
    planned_until: datetime

    def until(self, horizon: str) -> datetime:
        return self.event_until if horizon == EVENT else self.planned_until

    def describe(self, horizon: str) -> str:
        if horizon == EVENT:
            days = self.bounds.future_margin_days
            allowance = f"extracted_at + {days} day{'' if days == 1 else 's'}"
        else:
            allowance = f"extracted_at + {self.bounds.planned_horizon_years} years for a planned date"
        return f"{self.earliest:%Y-%m-%d} .. {self.until(horizon):%Y-%m-%d %H:%M:%S} ({allowance})"


def window_for(bounds: PlausibleBounds, extracted_at: datetime) -> PlausibleWindow:
    """``extracted_at``: the manifest's, naive UTC."""
    years = bounds.planned_horizon_years
    try:
        planned_until = extracted_at.replace(year=extracted_at.year + years)
    except ValueError:  # 29 February
        planned_until = extracted_at.replace(year=extracted_at.year + years, day=28)
    return PlausibleWindow(
        bounds,
        datetime.combine(bounds.earliest_date, datetime.min.time()),
        extracted_at + timedelta(days=bounds.future_margin_days),
        planned_until,
    )


def plausibility_hits(
    con: duckdb.DuckDBPyConnection,
    hits_table: str,
    tag: str,
    relation: str,
    fields: tuple[Field, ...],
    rules: dict[str, Plausible],
    names: dict[str, str],
    window: PlausibleWindow,
    prefix_sql: str = "''",
) -> None:
    """Add a hit per impossible value of ``relation`` to ``hits_table``. ``names``: column ->
    field name for messages, after ``prefix_sql`` (a child's ``lines.data[<position>].``)."""
    if not rules:
        return
    kinds = {f.column: f.kind for f in fields}
    readings, errors = [], []
    for i, (column, rule) in enumerate(rules.items()):
        field_sql = f"{prefix_sql} || {sql_str(names.get(column, column) + ERR_SEP)}"
        col = ident(column)
        if isinstance(rule, When):
            reading, error = _date_error(rule, col, f"_p{i}", field_sql, window)
            if reading is not None:
                readings.append(f"{reading} AS _p{i}")
        elif isinstance(rule, Within):
            error = _within_error(rule, col, kinds[column], field_sql, window.bounds)
        else:
            error = _fits_error(rule, col, field_sql)
        errors.append(error)
    inner = f"SELECT *{''.join(', ' + r for r in readings)} FROM {relation}"
    con.execute(
        f"INSERT INTO {hits_table} SELECT $tag, p._q2c_rn, split_part(p.e, chr(31), 1), "
        f"split_part(p.e, chr(31), 2), split_part(p.e, chr(31), 3) FROM "
        f"(SELECT _q2c_rn, unnest(list_filter([{', '.join(errors)}], lambda x: x IS NOT NULL)) AS e "
        f"FROM ({inner})) p "
        f"WHERE NOT EXISTS (SELECT 1 FROM {hits_table} h WHERE h.tag = $tag AND h.rn = p._q2c_rn "
        f"AND h.field = split_part(p.e, chr(31), 1))",
        {"tag": tag},
    )


def _hit(field_sql: str, check: str, detail_sql: str) -> str:
    return f"{field_sql} || {sql_str(check + ERR_SEP)} || {detail_sql}"


def _ts(value: datetime) -> str:
    return f"TIMESTAMP '{value:%Y-%m-%d %H:%M:%S}'"


def _date_error(rule: When, col: str, reading: str, field_sql: str, window: PlausibleWindow) -> tuple[str | None, str]:
    fmt = rule.format
    outside = sql_str(" is outside " + window.describe(rule.horizon))
    if fmt.reader == EPOCH_SECONDS_READER:
        low = int((window.earliest - datetime(1970, 1, 1)).total_seconds())
        high = int((window.until(rule.horizon) - datetime(1970, 1, 1)).total_seconds())
        # the staging model's reading (make_timestamp of microseconds); TRY: beyond any timestamp
        as_read = (
            f"coalesce(TRY(CASE WHEN abs({col}) <= {_EPOCH_MAX_DISPLAY} "
            f"THEN strftime(make_timestamp({col} * 1000000), '%Y-%m-%d %H:%M:%S') "
            f"ELSE 'year ' || year(make_timestamp({col} * 1000000)) END), 'beyond any timestamp')"
        )
        detail = f"{col}::VARCHAR || ' (epoch seconds → ' || {as_read} || ')' || {outside}"
        return None, f"CASE WHEN {col} < {low} OR {col} > {high} THEN {_hit(field_sql, RANGE_CHECK, detail)} END"
    quoted = f"'''' || {col} || ''''"
    not_real = sql_str(f" is not a real {_WHAT_IS_READ[fmt.reader]} ({fmt.spelling})")
    low, high = _ts(window.earliest), _ts(window.until(rule.horizon))
    error = (
        f"CASE WHEN {col} IS NOT NULL AND regexp_matches({col}, {sql_str(fmt.shape)}) THEN CASE "
        f"WHEN {reading} IS NULL THEN {_hit(field_sql, CALENDAR_CHECK, f'{quoted} || {not_real}')} "
        f"WHEN {reading} < {low} OR {reading} > {high} THEN {_hit(field_sql, RANGE_CHECK, f'{quoted} || {outside}')} "
        "END END"
    )
    return _READERS[fmt.reader].format(v=col), error


def _within_error(rule: Within, col: str, kind: str, field_sql: str, bounds: PlausibleBounds) -> str:
    if isinstance(rule.ceiling, str):
        ceiling: Decimal = getattr(bounds, rule.ceiling)
        source = f"{rule.what}, Q2C_PLAUSIBLE_{rule.ceiling.upper()}"
    else:
        ceiling, source = rule.ceiling, rule.what
    floor = -ceiling if rule.signed else Decimal(0)
    floor_sql, ceiling_sql = format(floor, "f"), format(ceiling, "f")
    if kind == TEXT:  # CSV number text; NULL when too long for any decimal: beyond the bound
        present = f"{col} IS NOT NULL AND regexp_matches({col}, {sql_str(_NUMBER_TEXT)})"
        value = f"TRY_CAST({col} AS {_WIDE_DECIMAL})"
        outside = f"({value} IS NULL OR {value} < {floor_sql} OR {value} > {ceiling_sql})"
    else:
        present = f"{col} IS NOT NULL"
        outside = f"({col} < {floor_sql} OR {col} > {ceiling_sql})"
    detail = f"{col}::VARCHAR || {sql_str(f' is outside {floor_sql} .. {ceiling_sql} ({source})')}"
    return f"CASE WHEN {present} AND {outside} THEN {_hit(field_sql, RANGE_CHECK, detail)} END"


def _fits_error(rule: Fits, col: str, field_sql: str) -> str:
    check = re.sub(r"\W+", "_", rule.sql_type.lower()).strip("_")  # DECIMAL(18,4) -> decimal_18_4
    detail = f"{sql_str(f'number does not fit {rule.sql_type}: ')} || {col}"
    return (
        f"CASE WHEN {col} IS NOT NULL AND regexp_matches({col}, {sql_str(_NUMBER_TEXT)}) "
        f"AND TRY_CAST({col} AS {rule.sql_type}) IS NULL THEN {_hit(field_sql, check, detail)} END"
    )
