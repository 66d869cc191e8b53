"""The exception ledger: reconciliation findings remembered across nights.

``recon.exceptions`` holds one row per rule and subject with its lifecycle status;
``recon.exception_events`` is the append-only audit log of every transition.
"""

from q2c.ledger.actions import acknowledge, apply_review_action, reopen, resolve_exception_id, waive
from q2c.ledger.errors import InvalidTransitionError, LedgerError, UnknownExceptionError
from q2c.ledger.identity import aging_bucket, exception_id
from q2c.ledger.review import (
    LIST_ORDERS,
    LIST_STATUSES,
    ExceptionPage,
    Materiality,
    RuleReview,
    exception_page,
    get_exception,
    list_exceptions,
    review_rules,
)
from q2c.ledger.schema import ensure_ledger_tables
from q2c.ledger.update import LedgerUpdate, apply_findings

__all__ = [
    "LIST_ORDERS",
    "LIST_STATUSES",
    "ExceptionPage",
    "exception_page",
    "InvalidTransitionError",
    "LedgerError",
    "LedgerUpdate",
    "Materiality",
    "RuleReview",
    "UnknownExceptionError",
    "acknowledge",
    "aging_bucket",
    "apply_findings",
    "apply_review_action",
    "ensure_ledger_tables",
    "exception_id",
    "get_exception",
    "list_exceptions",
    "reopen",
    "resolve_exception_id",
    "review_rules",
    "waive",
]
