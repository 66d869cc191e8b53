"""The numbers inside a finding's ``expected`` / ``actual`` text, formatted for reading.

The rule models write exact DECIMAL(18,4) text (``not to exceed 98908272.0500``); a reader wants
``not to exceed 98,908,272.05 USD``. Hours keep their unit (``87.5 h``), a number already followed
by a currency code keeps it, and a number with more than two significant decimals keeps them:
formatting never rounds a value away.
"""

from __future__ import annotations

import re
from decimal import Decimal

# a decimal number (not part of a date, an id or a longer number), then an optional unit
_NUMBER = re.compile(r"(?<![\w.\-])(-?\d+\.\d+)(?![\w.])(\s+(?:h\b|[A-Z]{3}\b))?")


def _grouped(value: Decimal, places: int) -> str:
    return f"{value:,.{places}f}"


def _format(match: re.Match[str], currency: str | None) -> str:
    value, unit = Decimal(match.group(1)), match.group(2) or ""
    if unit.strip() == "h":
        return f"{value.normalize():f}{unit}"
    # at least two decimals, more only where they are not zero
    places = max(2, -value.normalize().as_tuple().exponent) if value != value.to_integral() else 2
    text = _grouped(value, places)
    if unit:
        return text + unit
    return f"{text} {currency}" if currency else text


def money_in_text(text: str | None, currency: str | None) -> str:
    """``text`` with each decimal number grouped to cents and, unless it names a unit, followed
    by ``currency``; None -> ""."""
    if not text:
        return ""
    return _NUMBER.sub(lambda m: _format(m, currency), text)
