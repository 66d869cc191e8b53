"""Hold the newest batch of every system back from the landing zone, then release it.

The demo generator writes one ``full`` batch and then nightly ``incremental`` ones. Landing
all but the newest gives the full load; releasing the newest afterwards is exactly one more
night's delta in the contract format (the generator's own incremental batch, about one
day of time entries plus the invoices and payments that changed), so the incremental
nightly is measured on real extract files rather than a synthetic patch.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from ingestion.catalog import SYSTEMS
from ingestion.landing import MANIFEST, discover_batches


@dataclass(frozen=True)
class HeldBatch:
    system: str
    batch_id: str
    rows: int
    held_at: Path  # where the folder waits
    landing_at: Path  # where it belongs


def manifest_rows(batch_dir: Path, obj: str | None = None) -> int:
    """Data rows the batch's manifest declares (of one object when given)."""
    manifest = json.loads((batch_dir / MANIFEST).read_text(encoding="utf-8"))
    return sum(int(f["rows"]) for f in manifest["files"] if obj is None or f["object"] == obj)


def landing_batches(landing_dir: Path) -> dict[str, list[Path]]:
    """Complete batch folders per system, oldest first."""
    return {system: discover_batches(landing_dir, system)[0] for system in SYSTEMS}


def hold_back_newest(landing_dir: Path, holding_dir: Path) -> list[HeldBatch]:
    held = []
    for system, batches in landing_batches(landing_dir).items():
        if len(batches) < 2:  # the full batch is never held back
            continue
        newest = batches[-1]
        target = holding_dir / system / newest.name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(newest, target)  # same file system: a rename, no copy
        held.append(HeldBatch(system, newest.name, manifest_rows(target), target, newest))
    return held


def release(held: list[HeldBatch]) -> None:
    for batch in held:
        os.replace(batch.held_at, batch.landing_at)
