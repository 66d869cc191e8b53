"""Stable identity and aging of exceptions."""

from __future__ import annotations

import hashlib

AGING_BUCKETS: tuple[str, ...] = ("0-30", "31-60", "61-90", "90+")


def exception_id(rule_id: str, subject_type: str, subject_id: str, attribute: str | None) -> str:
    """sha1 of ``rule_id|subject_type|subject_id|attribute`` (design.md §4).

    The same defect on the same subject keeps its id across nights, so its history and any
    review decision follow it. ``EXCEPTION_ID_SQL`` computes the same value inside DuckDB.
    """
    key = "|".join((rule_id, subject_type, subject_id, attribute or ""))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def exception_id_sql(alias: str = "") -> str:
    """The DuckDB expression equal to :func:`exception_id` over a findings row."""
    p = f"{alias}." if alias else ""
    return f"sha1({p}rule_id || '|' || {p}subject_type || '|' || {p}subject_id || '|' || coalesce({p}attribute, ''))"


def aging_bucket(age_days: int) -> str:
    if age_days <= 30:
        return "0-30"
    if age_days <= 60:
        return "31-60"
    if age_days <= 90:
        return "61-90"
    return "90+"


def aging_bucket_sql(age_expr: str) -> str:
    """The DuckDB expression equal to :func:`aging_bucket`."""
    return (
        f"CASE WHEN {age_expr} <= 30 THEN '0-30' WHEN {age_expr} <= 60 THEN '31-60' "
        f"WHEN {age_expr} <= 90 THEN '61-90' ELSE '90+' END"
    )
