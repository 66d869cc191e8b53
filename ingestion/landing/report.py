"""What a landing run did, per batch and file: the numbers the batch_log also records."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingestion.api.batch_writer import WrittenBatch

LOADED, REJECTED, SKIPPED, HELD = "loaded", "rejected", "skipped", "held"


@dataclass
class FileReport:
    file: str
    object: str
    rows_manifest: int
    rows_loaded: int = 0
    rows_quarantined: int = 0
    new_columns: list[str] = field(default_factory=list)


@dataclass
class BatchReport:
    system: str
    batch_id: str
    status: str
    mode: str | None = None
    extracted_at: datetime | None = None
    reason: str | None = None
    files: list[FileReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def rows_manifest(self) -> int:
        return sum(f.rows_manifest for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)

    @property
    def rows_rejected(self) -> int:
        """Rows of a batch turned away whole (rejected, or skipped): its manifest's count, so
        rows_manifest = rows_loaded + rows_quarantined + rows_rejected holds on every decided
        batch. A held batch is not decided yet: its rows count as none of the three."""
        return self.rows_manifest if self.status in (REJECTED, SKIPPED) else 0

    def log_row(self) -> dict:
        """The batch_log row (design.md §1 columns plus warnings)."""
        return {
            "system": self.system,
            "batch_id": self.batch_id,
            "mode": self.mode,
            "extracted_at": self.extracted_at,
            "status": self.status,
            "rows_manifest": self.rows_manifest,
            "rows_loaded": self.rows_loaded,
            "rows_quarantined": self.rows_quarantined,
            "rows_rejected": self.rows_rejected,
            "reason": self.reason,
            "files": [asdict(f) for f in self.files],
            "warnings": list(self.warnings),
        }


@dataclass
class LandingReport:
    system: str
    batches: list[BatchReport] = field(default_factory=list)
    incomplete_batches: list[str] = field(default_factory=list)  # no manifest yet: not loaded
    rows_written: dict[str, int] = field(default_factory=dict)  # raw table -> rows sent to dlt
    error: str | None = None  # the run itself failed (nothing of this run was committed)
    api_batch: WrittenBatch | None = None  # API mode: the batch read from the API before landing

    def _with(self, status: str) -> list[BatchReport]:
        return [b for b in self.batches if b.status == status]

    @property
    def loaded(self) -> list[BatchReport]:
        return self._with(LOADED)

    @property
    def rejected(self) -> list[BatchReport]:
        return self._with(REJECTED)

    @property
    def held(self) -> list[BatchReport]:
        return self._with(HELD)

    @property
    def skipped(self) -> list[BatchReport]:
        return self._with(SKIPPED)

    @property
    def rows_loaded(self) -> int:
        return sum(b.rows_loaded for b in self.loaded)

    @property
    def rows_quarantined(self) -> int:
        return sum(b.rows_quarantined for b in self.loaded)

    @property
    def warnings(self) -> list[str]:
        return [f"{b.batch_id}: {w}" for b in self.batches for w in b.warnings]

    @property
    def ok(self) -> bool:
        """True when the run committed and no batch is rejected or held."""
        return self.error is None and not self.rejected and not self.held

    def summary(self) -> str:
        parts = [
            f"{self.system}: {len(self.loaded)} batch(es) loaded, {self.rows_loaded} rows, "
            f"{self.rows_quarantined} quarantined"
        ]
        parts += [f"  rejected {b.batch_id}: {b.reason}" for b in self.rejected]
        parts += [f"  held {b.batch_id}: {b.reason}" for b in self.held]
        parts += [f"  skipped {b.batch_id}: {b.reason}" for b in self.skipped]
        parts += [f"  warning {w}" for w in self.warnings]
        if self.error:
            parts.append(f"  error: {self.error}")
        return "\n".join(parts)
