"""When a complete batch may land: the landing clock and how far a manifest's ``extracted_at``
may stray from it and from its batch id, and the strict order of a system's batches.

Batches of a system land in batch-id order only. A folder without ``_manifest.json`` is still
being written; a newer complete batch waits for it (held), because loading past it would
make the older batch late forever (it could only be rejected when it completes). An
incomplete folder older than a batch already loaded holds nothing: it is late already. The
wait has no end by itself: after ``incomplete_timeout`` (counted from the timestamp its batch
id names, which the contract makes the extraction time) the night warns, and an operator
completes the folder or skips its id (``q2c batches skip``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ingestion.landing.manifest import batch_id_time
from q2c.settings import (
    EXTRACTED_AT_TOLERANCE_MINUTES_DEFAULT,
    INCOMPLETE_BATCH_TIMEOUT_HOURS_DEFAULT,
    Settings,
)


@dataclass(frozen=True)
class ArrivalRules:
    now: datetime  # the landing clock, naive UTC
    extracted_at_tolerance: timedelta
    incomplete_timeout: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> ArrivalRules:
        return cls(
            now=settings.landing_clock(),
            extracted_at_tolerance=timedelta(minutes=settings.extracted_at_tolerance_minutes),
            incomplete_timeout=timedelta(hours=settings.incomplete_batch_timeout_hours),
        )

    @classmethod
    def defaults(cls) -> ArrivalRules:
        """The machine's clock and the default margins (a run built without settings)."""
        return cls(
            now=datetime.now(UTC).replace(tzinfo=None),
            extracted_at_tolerance=timedelta(minutes=EXTRACTED_AT_TOLERANCE_MINUTES_DEFAULT),
            incomplete_timeout=timedelta(hours=INCOMPLETE_BATCH_TIMEOUT_HOURS_DEFAULT),
        )

    def overdue(self, batch_id: str) -> str | None:
        """Why an incomplete folder is no longer just being written; None while it may be."""
        started = batch_id_time(batch_id)
        if started is None:
            return "its name is not a batch id (YYYY-MM-DDTHH-MM-SSZ): it can never load"
        waited = self.now - started
        if waited <= self.incomplete_timeout:
            return None
        hours = self.incomplete_timeout.total_seconds() / 3600
        return (
            f"no _manifest.json {_duration(waited)} after its batch id's time, beyond the "
            f"{hours:g} h of Q2C_INCOMPLETE_BATCH_TIMEOUT_HOURS"
        )


def _duration(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} days"


def awaited_batches(incomplete: list[str], settled: set[str], newest_loaded: str) -> list[str]:
    """The incomplete folders newer batches must wait for: newer than every loaded batch and
    not given up on (``settled``: ids the source state already decided, e.g. skipped)."""
    return sorted(b for b in incomplete if b not in settled and b > newest_loaded)


def waiting_reason(batch_id: str, awaited: list[str]) -> str | None:
    """Why a complete batch must wait (the oldest incomplete folder before it), if it must."""
    older = next((b for b in awaited if b < batch_id), None)
    return None if older is None else f"waiting for older batch {older} to be completed"
