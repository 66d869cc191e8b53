"""Review actions on one exception: acknowledge, waive, reopen.

Each action needs who and why, writes exactly one event and changes exactly one row, in one
transaction; anything invalid raises before a single write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from q2c.ledger.errors import InvalidTransitionError, LedgerError, UnknownExceptionError
from q2c.ledger.schema import ensure_ledger_tables
from q2c.ledger.transaction import transaction

MIN_ID_PREFIX = 6


@dataclass(frozen=True)
class _Action:
    event_type: str
    status_after: str
    allowed_from: tuple[str, ...]


_ACTIONS: dict[str, _Action] = {
    "acknowledge": _Action("acknowledged", "acknowledged", ("open",)),
    "waive": _Action("waived", "waived", ("open", "acknowledged")),
    "reopen": _Action("manually_reopened", "open", ("acknowledged", "waived", "resolved")),
}


def action_spec(action: str) -> _Action:
    if action not in _ACTIONS:
        raise LedgerError(f"unknown action {action!r}; expected one of {', '.join(_ACTIONS)}")
    return _ACTIONS[action]


def resolve_exception_id(conn: duckdb.DuckDBPyConnection, id_or_prefix: str) -> str:
    """The full exception id for an id or an unambiguous prefix of at least 6 characters."""
    ensure_ledger_tables(conn)
    needle = (id_or_prefix or "").strip().lower()
    if len(needle) < MIN_ID_PREFIX:
        raise UnknownExceptionError(
            f"exception id {id_or_prefix!r} is too short: give the id or at least its first {MIN_ID_PREFIX} characters"
        )
    rows = conn.execute(
        "SELECT exception_id FROM recon.exceptions WHERE starts_with(exception_id, $p) LIMIT 2",
        {"p": needle},
    ).fetchall()
    if not rows:
        raise UnknownExceptionError(f"no exception with id {id_or_prefix!r}")
    if len(rows) > 1:
        raise UnknownExceptionError(f"exception id prefix {id_or_prefix!r} is ambiguous")
    return rows[0][0]


def _target(conn: duckdb.DuckDBPyConnection, action: str, id_or_prefix: str) -> tuple[str, str, str, object]:
    spec = action_spec(action)
    exception_id = resolve_exception_id(conn, id_or_prefix)
    status, rule_id, last_seen = conn.execute(
        "SELECT status, rule_id, last_seen_as_of FROM recon.exceptions WHERE exception_id = $id",
        {"id": exception_id},
    ).fetchall()[0]
    if status not in spec.allowed_from:
        raise InvalidTransitionError(
            f"cannot {action} exception {exception_id[:12]} ({rule_id}): it is {status}; "
            f"{action} applies to {' or '.join(spec.allowed_from)} exceptions"
        )
    return exception_id, status, rule_id, last_seen


def check_review_action(conn: duckdb.DuckDBPyConnection, action: str, id_or_prefix: str) -> str:
    """The full id ``action`` would change in this ledger; raises as :func:`apply_review_action`
    would, writing nothing (a read-only connection will do)."""
    return _target(conn, action, id_or_prefix)[0]


def require_text(value: str | None, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise LedgerError(f"{what} is required and must not be blank")
    return text


def apply_review_action(
    conn: duckdb.DuckDBPyConnection,
    action: str,
    id_or_prefix: str,
    *,
    by: str,
    reason: str,
    now: datetime | None = None,
    event_id: str | None = None,
) -> str:
    """Apply ``action`` (acknowledge / waive / reopen); returns the full exception id.
    ``now`` and ``event_id``: given when the same action is applied to a second copy of the
    ledger (the published snapshot) or later than it was taken (a queued action)."""
    spec = action_spec(action)
    actor = require_text(by, "--by (who takes the action)")
    why = require_text(reason, "--reason (why)")
    at = (now or datetime.now(UTC)).replace(tzinfo=None)
    with transaction(conn):
        exception_id, status, rule_id, last_seen = _target(conn, action, id_or_prefix)
        conn.execute(
            """
            UPDATE recon.exceptions
            SET status = $status, status_by = $by, status_reason = $reason,
                status_changed_at = $at, updated_at = $at
            WHERE exception_id = $id
            """,
            {"status": spec.status_after, "by": actor, "reason": why, "at": at, "id": exception_id},
        )
        conn.execute(
            """
            INSERT INTO recon.exception_events
                (event_id, exception_id, rule_id, as_of, event_type, status_before, status_after,
                 actor, reason, run_id, occurred_at)
            VALUES (coalesce($event_id, gen_random_uuid()::VARCHAR), $id, $rule_id, $as_of, $event_type, $before,
                    $after, $by, $reason, NULL, $at)
            """,
            {
                "id": exception_id,
                "rule_id": rule_id,
                "as_of": last_seen,
                "event_type": spec.event_type,
                "before": status,
                "after": spec.status_after,
                "by": actor,
                "reason": why,
                "at": at,
                "event_id": event_id,
            },
        )
    return exception_id


def acknowledge(conn: duckdb.DuckDBPyConnection, id_or_prefix: str, *, by: str, reason: str) -> str:
    return apply_review_action(conn, "acknowledge", id_or_prefix, by=by, reason=reason)


def waive(conn: duckdb.DuckDBPyConnection, id_or_prefix: str, *, by: str, reason: str) -> str:
    return apply_review_action(conn, "waive", id_or_prefix, by=by, reason=reason)


def reopen(conn: duckdb.DuckDBPyConnection, id_or_prefix: str, *, by: str, reason: str) -> str:
    return apply_review_action(conn, "reopen", id_or_prefix, by=by, reason=reason)
