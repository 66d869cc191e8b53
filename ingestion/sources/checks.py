"""Column builders for the source contracts: each source system's own spelling of ids,
booleans, dates, decimals and currencies (documented in /work/shared/extracts/README.md).

Contracts check what the source system guarantees, not business rules: a value that is
well formed but wrong (a stale pointer, a mismatched rate) must load so the
reconciliations can find it.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandera.polars as pa
import polars as pl

DECIMAL = r"^-?\d+(\.\d+)?$"
NON_NEGATIVE_DECIMAL = r"^\d+(\.\d+)?$"
INTEGER_ID = r"^\d+$"
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
ISO_CURRENCY_UPPER = r"^[A-Z]{3}$"
ISO_COUNTRY = r"^[A-Z]{2}$"


def salesforce_id(prefix: str) -> str:
    return rf"^{prefix}[A-Za-z0-9]{{15}}$"


def stripe_id(prefix: str) -> str:
    # Only the prefix is Stripe's contract; the rest may hold underscores (il_tmp_..., test ids).
    return rf"^{prefix}_[A-Za-z0-9_]+$"


def text(pattern: str | None = None, *, required: bool = False, isin: Iterable[str] | None = None) -> pa.Column:
    checks = []
    if pattern is not None:
        checks.append(pa.Check.str_matches(pattern))
    if isin is not None:
        checks.append(pa.Check.isin(sorted(isin)))
    return pa.Column(pl.Utf8, checks=checks, nullable=not required, required=False)


def integer(*, required: bool = False, min_value: int | None = None) -> pa.Column:
    checks = [] if min_value is None else [pa.Check.ge(min_value)]
    return pa.Column(pl.Int64, checks=checks, nullable=not required, required=False)


def boolean(*, required: bool = False) -> pa.Column:
    return pa.Column(pl.Boolean, nullable=not required, required=False)


def decimal(*, required: bool = False, min_value: int | None = None, max_value: int | None = None) -> pa.Column:
    checks = []
    if min_value is not None and max_value is not None:
        checks.append(pa.Check.in_range(min_value, max_value))
    elif min_value is not None:
        checks.append(pa.Check.ge(min_value))
    # dtype is fixed by the reader (DECIMAL(18,4)); only values are checked here.
    return pa.Column(None, checks=checks, nullable=not required, required=False)


def schema(name: str, columns: dict[str, pa.Column]) -> pa.DataFrameSchema:
    # strict=False: unknown new columns load and are reported, not rejected.
    return pa.DataFrameSchema(columns, name=name, strict=False, coerce=False)
