"""Reading ``raw_<system>.batch_log`` (one row per batch, its latest state) over a caller's
connection, and the batches a night must own up to: rejected, held, and folders that stay
incomplete beyond ``Q2C_INCOMPLETE_BATCH_TIMEOUT_HOURS``. The asset checks, ``q2c batches
list`` and the night's reports (terminal, Markdown, HTML) all read them from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from ingestion.catalog import BATCH_LOG, SYSTEMS, raw_dataset
from ingestion.landing.arrival import ArrivalRules
from ingestion.landing.manifest import discover_batches
from ingestion.landing.report import HELD, REJECTED, SKIPPED

INCOMPLETE = "incomplete"  # no _manifest.json yet: still being written (not in the batch_log)
_COLUMNS = (
    "batch_id",
    "status",
    "mode",
    "extracted_at",
    "rows_manifest",
    "rows_loaded",
    "rows_quarantined",
    "rows_rejected",
    "reason",
)


@dataclass(frozen=True)
class LoggedBatch:
    system: str
    batch_id: str
    status: str
    mode: str | None
    extracted_at: datetime | None
    rows_manifest: int | None
    rows_loaded: int | None
    rows_quarantined: int | None
    rows_rejected: int | None  # None: logged before the figure was kept
    reason: str | None


@dataclass(frozen=True)
class BatchIssue:
    """A batch that is not in the warehouse and why: rejected, held, or incomplete too long."""

    system: str
    batch_id: str
    status: str  # rejected, held or incomplete
    reason: str


def read_batch_log(conn: duckdb.DuckDBPyConnection, system: str) -> list[LoggedBatch]:
    """The system's batch_log rows in batch-id order; none when nothing has landed yet."""
    schema = raw_dataset(system)
    present = {
        row[0]
        for row in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
            [schema, BATCH_LOG],
        ).fetchall()
    }
    if not present:
        return []
    # schema and table are the catalogue's fixed names; a column missing from an older log reads NULL
    columns = ", ".join(c if c in present else f"NULL AS {c}" for c in _COLUMNS)
    rows = conn.execute(f'SELECT {columns} FROM "{schema}"."{BATCH_LOG}" ORDER BY batch_id').fetchall()
    return [LoggedBatch(system, *row) for row in rows]


def stale_incomplete(
    landing_dir: Path, system: str, logged: list[LoggedBatch], rules: ArrivalRules
) -> list[BatchIssue]:
    """Folders of the system without a manifest beyond the timeout, not skipped by an operator."""
    settled = {b.batch_id for b in logged if b.status == SKIPPED}
    _, incomplete = discover_batches(landing_dir, system)
    issues = []
    for batch_id in incomplete:
        overdue = None if batch_id in settled else rules.overdue(batch_id)
        if overdue is not None:
            issues.append(
                BatchIssue(
                    system,
                    batch_id,
                    INCOMPLETE,
                    f"{overdue}; complete it, or give up on it with "
                    f"`q2c batches skip {batch_id} --system {system} --reason ...`",
                )
            )
    return issues


def batch_issues(
    conn: duckdb.DuckDBPyConnection, landing_dir: Path, rules: ArrivalRules, systems: tuple[str, ...] = SYSTEMS
) -> list[BatchIssue]:
    """Every rejected and held batch in the batch_logs, and every folder incomplete too long,
    per system in batch-id order."""
    issues: list[BatchIssue] = []
    for system in systems:
        logged = read_batch_log(conn, system)
        found = [
            BatchIssue(system, b.batch_id, b.status, b.reason or "") for b in logged if b.status in (REJECTED, HELD)
        ]
        found += stale_incomplete(landing_dir, system, logged, rules)
        issues += sorted(found, key=lambda i: i.batch_id)
    return issues
