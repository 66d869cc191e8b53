"""The vocabulary of the per-system plausibility tables (``PLAUSIBLE`` in each
``ingestion/sources/<system>/contract.py``): values that cannot be true, whatever their shape.

Every date and timestamp of every object is declared with its format and its class:

- an **event** (created, spent, paid, modified...) happened by the time the batch was
  extracted: between the earliest date and ``extracted_at`` plus a small margin;
- a **planned** date (due, end, rate end, close...) may lie ahead: up to ``extracted_at``
  plus the planned horizon.

Numbers get a bound only where one is obvious (a rate, the hours on one line) or where the
canonical model's type could not hold the value. The bounds' values live in
``q2c.settings.PlausibleBounds``; ``ingestion.landing.plausibility`` turns the tables into SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

EVENT, PLANNED = "event", "planned"
# how the staging models read each format (dbt_project/macros/timestamp_parsing.sql)
ISO_DATE_READER, ISO_TIMESTAMP_READER = "iso_date", "iso_timestamp"
US_DATE_READER, US_DATE_OR_DATETIME_READER = "us_date", "us_date_or_datetime"
EPOCH_SECONDS_READER = "epoch_seconds"


@dataclass(frozen=True)
class DateFormat:
    spelling: str  # as the extract contract writes it, for messages
    shape: str | None  # the contract's regex of the text (None: an integer)
    reader: str  # one of the *_READER names


@dataclass(frozen=True)
class When:
    """A date or timestamp field: its format and whether it is an event or planned."""

    format: DateFormat
    horizon: str  # EVENT or PLANNED


def event(fmt: DateFormat) -> When:
    return When(fmt, EVENT)


def planned(fmt: DateFormat) -> When:
    return When(fmt, PLANNED)


@dataclass(frozen=True)
class Within:
    """A number from 0 (``signed``: from minus the ceiling) to a ceiling: a Decimal, or the
    name of a ``q2c.settings.PlausibleBounds`` field."""

    what: str  # for messages
    ceiling: Decimal | str
    signed: bool = False


@dataclass(frozen=True)
class Fits:
    """Text that the staging model casts to ``sql_type``: the cast must not fail."""

    sql_type: str


EPOCH_SECONDS = DateFormat("epoch seconds", None, EPOCH_SECONDS_READER)

RATE = Within("a rate per hour", "max_rate")
LINE_QUANTITY = Within("hours or units on one line", "max_line_quantity")
SIGNED_LINE_QUANTITY = Within("hours or units on one line", "max_line_quantity", signed=True)
# Stripe minor units that still fit the canonical DECIMAL(18,4) in major units, any currency.
MINOR_AMOUNT = Within("minor units that DECIMAL(18,4) holds in major units", Decimal(10**14 - 1), signed=True)

MONEY_TEXT = Fits("DECIMAL(18,4)")
FX_RATE_TEXT = Fits("DECIMAL(18,8)")
BIGINT_TEXT = Fits("BIGINT")

Plausible = When | Within | Fits
