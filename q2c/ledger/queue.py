"""Review actions taken while a nightly run held the warehouse, kept until they are applied.

One JSON file per action in the queue folder (``Settings.review_queue_dir``), written
atomically, named by the instant it was taken so they apply in order. The nightly's ledger
step applies them before tonight's findings (the reviewer acted on the night before); so does
the next review action that gets the warehouse. Each carries its own event id, so an action
applied twice (a crash between the ledger commit and the file's removal) is written once. One
that no longer applies (the exception changed meanwhile) moves to ``failed/`` with the reason:
nothing a reviewer did is dropped silently.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from q2c.ledger.actions import action_spec, apply_review_action, require_text
from q2c.ledger.errors import LedgerError
from q2c.ledger.schema import ensure_ledger_tables

FAILED_DIR = "failed"


@dataclass(frozen=True)
class QueuedAction:
    action: str  # acknowledge / waive / reopen
    exception_id: str  # the full id, or the prefix given when no snapshot could resolve it
    by: str
    reason: str
    taken_at: str  # ISO 8601, naive UTC: the event's occurred_at
    event_id: str

    @classmethod
    def new(cls, action: str, exception_id: str, *, by: str, reason: str) -> QueuedAction:
        action_spec(action)
        return cls(
            action,
            exception_id,
            require_text(by, "--by (who takes the action)"),
            require_text(reason, "--reason (why)"),
            datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="microseconds"),
            str(uuid.uuid4()),
        )

    @property
    def at(self) -> datetime:
        return datetime.fromisoformat(self.taken_at)

    def apply(self, conn: duckdb.DuckDBPyConnection) -> str:
        """Apply to ``conn``'s ledger (the warehouse, or a copy of the snapshot): the full id."""
        return apply_review_action(
            conn, self.action, self.exception_id, by=self.by, reason=self.reason, now=self.at, event_id=self.event_id
        )


@dataclass(frozen=True)
class QueueOutcome:
    applied: list[QueuedAction]
    failed: list[tuple[QueuedAction, str]]  # the action and why it no longer applies


def _file_name(action: QueuedAction) -> str:
    return f"{action.taken_at.replace(':', '-')}-{action.event_id}.json"


def enqueue(queue_dir: Path, action: QueuedAction) -> Path:
    queue_dir.mkdir(parents=True, exist_ok=True)
    path = queue_dir / _file_name(action)
    fd, tmp = tempfile.mkstemp(dir=queue_dir, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(asdict(action), fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _read(path: Path) -> QueuedAction:
    return QueuedAction(**json.loads(path.read_text(encoding="utf-8")))


def queued_actions(queue_dir: Path) -> list[QueuedAction]:
    """The actions waiting to be applied, oldest first."""
    if not queue_dir.is_dir():
        return []
    return [_read(path) for path in sorted(queue_dir.glob("*.json"))]


def failed_actions(queue_dir: Path) -> list[tuple[QueuedAction, str]]:
    folder = queue_dir / FAILED_DIR
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        error = data.pop("error", "")
        out.append((QueuedAction(**data), error))
    return out


def _already_applied(conn: duckdb.DuckDBPyConnection, action: QueuedAction) -> bool:
    return bool(
        conn.execute("SELECT 1 FROM recon.exception_events WHERE event_id = $id", {"id": action.event_id}).fetchall()
    )


def apply_queued_actions(conn: duckdb.DuckDBPyConnection, queue_dir: Path) -> QueueOutcome:
    """Apply every queued action to the warehouse's ledger, oldest first, and empty the queue."""
    applied: list[QueuedAction] = []
    failed: list[tuple[QueuedAction, str]] = []
    if not queue_dir.is_dir():
        return QueueOutcome(applied, failed)
    ensure_ledger_tables(conn)
    for path in sorted(queue_dir.glob("*.json")):
        action = _read(path)
        if _already_applied(conn, action):
            path.unlink()
            continue
        try:
            full_id = action.apply(conn)
        except LedgerError as exc:
            (queue_dir / FAILED_DIR).mkdir(exist_ok=True)
            record = {**asdict(action), "error": str(exc)}
            (queue_dir / FAILED_DIR / path.name).write_text(json.dumps(record), encoding="utf-8")
            path.unlink()
            failed.append((action, str(exc)))
            continue
        path.unlink()
        applied.append(QueuedAction(**{**asdict(action), "exception_id": full_id}))
    return QueueOutcome(applied, failed)
