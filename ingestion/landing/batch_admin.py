"""Operator view and control of extract batches: ``q2c batches list`` and ``q2c batches skip``.

The state of a batch lives in two places written together by one dlt load: the system's
dlt source state (what the landing run reads to decide what is pending) and its
``batch_log`` table (what people read). Listing reads the batch_log plus the landing zone;
skipping runs the system's dlt source in skip mode, so the new state and its batch_log row
commit in the same load package, exactly as a normal landing run's do.

A changed re-delivery of an accepted batch is rejected under a derived id of its own,
``<batch id>~redelivered-<8 hex>`` (ingestion.landing.redelivery): the batch's own row stays as it
was. Skipping that derived id acknowledges that content; giving the batch's own id instead
skips its rejected re-delivery when there is exactly one.

A batch folder that stays incomplete (no ``_manifest.json``) holds its system's newer batches
(ingestion.landing.arrival); skipping its id gives up on it for good: it never loads, even if
its manifest arrives later.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
from dlt.pipeline.exceptions import PipelineStepFailed

from ingestion.catalog import SYSTEMS
from ingestion.landing.batch_log import INCOMPLETE, LoggedBatch, read_batch_log
from ingestion.landing.dlt_source import landing_source
from ingestion.landing.landing_run import SkipRefused, SkipRequest
from ingestion.landing.manifest import discover_batches
from ingestion.landing.pipeline import build_pipeline
from ingestion.landing.redelivery import redelivered_batch
from ingestion.landing.report import REJECTED
from q2c.settings import DUCKDB_MEMORY_LIMIT_DEFAULT
from q2c.warehouse import WarehouseLocked, open_duckdb

PENDING = "pending"  # complete in the landing zone, not examined by a landing run yet


class BatchAdminError(Exception):
    """A batch command could not be carried out; nothing was changed."""


@dataclass(frozen=True)
class BatchState:
    system: str
    batch_id: str
    status: str  # loaded, rejected, held, skipped (batch_log) or pending, incomplete
    mode: str | None = None
    rows_manifest: int | None = None
    rows_loaded: int | None = None
    rows_quarantined: int | None = None
    reason: str | None = None
    in_landing_zone: bool = True
    rows_rejected: int | None = None  # turned away whole (rejected or skipped); None: logged before it was kept

    @property
    def redelivery_of(self) -> str | None:
        """For a rejected (or skipped) re-delivery: the loaded batch it re-delivered."""
        return redelivered_batch(self.batch_id)


def _connect_read_only(duckdb_path: Path) -> duckdb.DuckDBPyConnection | None:
    if not Path(duckdb_path).exists():
        return None
    try:
        return open_duckdb(duckdb_path, memory_limit=DUCKDB_MEMORY_LIMIT_DEFAULT, read_only=True)
    except (duckdb.IOException, WarehouseLocked) as exc:
        raise BatchAdminError(f"cannot open {duckdb_path} (is a nightly run in progress?): {exc}") from None


def list_batches(landing_dir: Path, duckdb_path: Path, systems: tuple[str, ...] = SYSTEMS) -> list[BatchState]:
    """Every batch known to the warehouse or present in the landing zone, per system in
    batch-id order."""
    conn = _connect_read_only(duckdb_path)
    logged: dict[str, dict[str, LoggedBatch]] = {system: {} for system in systems}
    if conn is not None:  # no warehouse yet: only the landing zone's folders
        try:
            logged = {system: {r.batch_id: r for r in read_batch_log(conn, system)} for system in systems}
        finally:
            conn.close()
    states: list[BatchState] = []
    for system in systems:
        complete, incomplete = discover_batches(Path(landing_dir), system)
        present = {p.name for p in complete}
        ids = sorted(set(logged[system]) | present | set(incomplete))
        for batch_id in ids:
            if batch_id in logged[system]:
                row = logged[system][batch_id]
                folder = redelivered_batch(batch_id) or batch_id  # a re-delivery: its batch's
                states.append(
                    BatchState(
                        system,
                        batch_id,
                        row.status,
                        row.mode,
                        row.rows_manifest,
                        row.rows_loaded,
                        row.rows_quarantined,
                        row.reason,
                        in_landing_zone=folder in present or folder in incomplete,
                        rows_rejected=row.rows_rejected,
                    )
                )
            elif batch_id in present:
                states.append(BatchState(system, batch_id, PENDING, reason="complete; lands on the next run"))
            else:
                states.append(
                    BatchState(system, batch_id, INCOMPLETE, reason="no _manifest.json yet: still being written")
                )
    return states


def _find_skippable(states: list[BatchState], batch_id: str, system: str | None) -> BatchState:
    matches = [s for s in states if s.batch_id == batch_id and (system is None or s.system == system)]
    where = f"{system} " if system else ""
    if not matches:
        raise BatchAdminError(f"unknown {where}batch {batch_id!r}: see `q2c batches list`")
    candidates = [s for s in matches if s.status in (REJECTED, INCOMPLETE)]
    if not candidates:  # an accepted batch's own id: its rejected re-delivery, if only one
        candidates = [
            s
            for s in states
            if s.redelivery_of == batch_id and s.status == REJECTED and (system is None or s.system == system)
        ]
        if len(candidates) > 1:
            names = ", ".join(f"{s.system} {s.batch_id}" for s in candidates)
            raise BatchAdminError(f"batch {batch_id} has several rejected re-deliveries ({names}): skip one by its id")
    if not candidates:
        found = ", ".join(f"{s.system} {s.status}" for s in matches)
        raise BatchAdminError(
            f"batch {batch_id} is not rejected ({found}): only a rejected or incomplete batch can be skipped"
        )
    if len(candidates) > 1:
        names = ", ".join(s.system for s in candidates)
        kinds = " or ".join(sorted({s.status for s in candidates}))
        raise BatchAdminError(f"batch {batch_id} is {kinds} in several systems ({names}): choose one with --system")
    return candidates[0]


def skip_batch(
    batch_id: str, reason: str, landing_dir: Path, duckdb_path: Path, system: str | None = None
) -> BatchState:
    """Record a rejected batch, or an incomplete batch folder, as skipped, so the batches after
    it land on the next run (an incomplete one never loads, even once complete). For
    a rejected re-delivery (its derived id, or the batch's own id when it has exactly one)
    only that derived row becomes skipped, so that content is not reported again; the batch
    itself stays as it was loaded.

    Raises BatchAdminError (and changes nothing) for an unknown batch, one that is neither
    rejected nor incomplete, an empty reason, or a warehouse that is busy.
    """
    if not reason or not reason.strip():
        raise BatchAdminError("a reason is required to skip a batch")
    if system is not None and system not in SYSTEMS:
        raise BatchAdminError(f"unknown system {system!r}; expected one of {', '.join(SYSTEMS)}")
    target = _find_skippable(list_batches(landing_dir, duckdb_path), batch_id, system)
    pipeline = build_pipeline(target.system, Path(duckdb_path))
    if pipeline.has_pending_data:
        # an interrupted landing run: its package loads first on any run; let `q2c run` do it
        raise BatchAdminError(
            f"{target.system} has an interrupted landing run pending: run `q2c run` first, "
            "then skip if the batch is still rejected"
        )
    run, source = landing_source(target.system, Path(landing_dir), SkipRequest(target.batch_id, reason.strip()))
    try:
        pipeline.run(source)
    except PipelineStepFailed as exc:
        cause = exc.__context__ or exc.__cause__
        while cause is not None and not isinstance(cause, SkipRefused) and cause.__context__ is not None:
            cause = cause.__context__
        if isinstance(cause, SkipRefused):
            raise BatchAdminError(str(cause)) from None
        raise BatchAdminError(f"could not record the skip: {exc}") from None
    finally:
        run.close()
    return next(s for s in list_batches(landing_dir, duckdb_path, (target.system,)) if s.batch_id == target.batch_id)
