"""Each source system's text quirks: how a canonical value is written in its extracts."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable


def sf_value(v: Any) -> str:
    """Salesforce Bulk API CSV: true/false, ISO dates, millisecond UTC datetimes, empty = null."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def ns_date(d: date) -> str:
    return f"{d.month}/{d.day}/{d.year}"


def ns_datetime(ts: datetime) -> str:
    hour = ts.hour % 12 or 12
    return f"{ts.month}/{ts.day}/{ts.year} {hour}:{ts.minute:02d} {'am' if ts.hour < 12 else 'pm'}"


def ns_value(v: Any) -> str:
    """NetSuite SuiteAnalytics CSV: T/F, M/D/YYYY dates, 'M/D/YYYY h:mm am' datetimes."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "T" if v else "F"
    if isinstance(v, datetime):
        return ns_datetime(v)
    if isinstance(v, date):
        return ns_date(v)
    return str(v)


def ns_amount(minor: int, exponent: int) -> str:
    return str(Decimal(minor).scaleb(-exponent).quantize(Decimal("0.01")))


def iso_z(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch_s(ts: datetime | None) -> int | None:
    if ts is None:
        return None
    return int((ts - datetime(1970, 1, 1)).total_seconds())


_NUMBER = "\u0001"  # marks a Decimal's text inside the encoded JSON; stripped with its quotes
_NUMBER_RE = re.compile('"\\\\u0001([-0-9.E+]+)"')


def _prep(v: Any) -> Any:
    if isinstance(v, Decimal):
        return _NUMBER + format(v, "f")
    if isinstance(v, datetime):
        return iso_z(v)
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, dict):
        return {k: _prep(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_prep(x) for x in v]
    return v


def js(v: Any) -> str:
    """Compact JSON with Decimals written as exact numbers (never through float)."""
    text = json.dumps(_prep(v), ensure_ascii=False, separators=(",", ":"))
    return _NUMBER_RE.sub(r"\1", text) if "\\u0001" in text else text


def csv_text(header: list[str], rows: Iterable[list[str]]) -> tuple[str, int]:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    return buf.getvalue(), n
