"""Errors the ledger raises; the CLI turns them into a message and a non-zero exit."""

from __future__ import annotations


class LedgerError(Exception):
    """The ledger refused a change; nothing was written."""


class UnknownExceptionError(LedgerError):
    """No exception has this id (or id prefix)."""


class InvalidTransitionError(LedgerError):
    """The requested review action does not apply to the exception's current status."""
