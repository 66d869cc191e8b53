"""Change stamps as the APIs write them, turned into comparable cursor marks and back."""

from __future__ import annotations

from datetime import datetime

ISO = "%Y-%m-%dT%H:%M:%S"


def iso_mark(text: str | None) -> str | None:
    """'2026-03-01T14:05:09.000+0000' / '...Z' / '...000Z' -> '2026-03-01T14:05:09' (UTC)."""
    if not text:
        return None
    return text[:19]


def netsuite_mark(text: str | None) -> str | None:
    """NetSuite's account-format datetime '3/1/2026 2:05 pm' -> '2026-03-01T14:05:00'."""
    if not text:
        return None
    return datetime.strptime(text.strip().upper(), "%m/%d/%Y %I:%M %p").strftime(ISO)
