"""JSON with exact decimals: API payloads are read with ``Decimal`` numbers and written back
with the same digits, so money never passes through a float (``125000.00`` stays
``125000.00``, as the extract contract's text requires)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

try:  # dlt depends on simplejson; its C encoder writes Decimals natively, 3-4x faster
    import simplejson
except ImportError:  # pragma: no cover - the stdlib path below writes the same values
    simplejson = None

_MARK = "\u0001"
_MARKED = re.compile('"\\\\u0001(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)"')


def loads(text: str | bytes) -> Any:
    return json.loads(text, parse_float=Decimal)


def decimal_text(value: Decimal) -> str:
    """The number's digits as written (``format(.., 'f')`` never switches to exponents)."""
    return format(value, "f")


def _marked(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _MARK + decimal_text(value)
    if isinstance(value, dict):
        return {k: _marked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_marked(v) for v in value]
    return value


def dumps(value: Any) -> str:
    """Compact JSON, non-ASCII kept, Decimals written as bare numbers with their digits."""
    if simplejson is not None:
        return simplejson.dumps(value, use_decimal=True, ensure_ascii=False, separators=(",", ":"))
    text = json.dumps(_marked(value), ensure_ascii=False, separators=(",", ":"))
    return _MARKED.sub(r"\1", text) if "\\u0001" in text else text


def canonical(value: Any) -> str:
    """Key-order independent text of a record, for change detection."""
    if simplejson is not None:
        return simplejson.dumps(value, use_decimal=True, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return json.dumps(_marked(value), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
