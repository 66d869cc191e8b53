"""Write what an API returned as a landing-zone batch, exactly as the extract contract says:
``<landing>/<system>/<batch_id>/<object>.<ext>`` plus ``_manifest.json`` with row counts and
sha256, so file mode's checks, contracts, quarantine and exactly-once bookkeeping apply
unchanged.

The batch is assembled in a hidden sibling folder (discovery skips dot-folders) and renamed
into place once the manifest is written, so a crash never leaves a half batch behind.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ingestion.api import jsontext
from ingestion.catalog import ObjectSpec
from ingestion.landing.manifest import BATCH_ID_FORMAT, BATCH_ID_PATTERN, MANIFEST, MODES


@dataclass
class ObjectRows:
    """One object's records: CSV rows as lists of text in the contract's column order, or
    JSON records as dicts."""

    spec: ObjectSpec
    rows: list

    def render(self) -> bytes:
        if self.spec.is_csv:
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\n")
            writer.writerow([f.source for f in self.spec.fields])
            writer.writerows(self.rows)
            return buf.getvalue().encode("utf-8")
        return "".join(jsontext.dumps(r) + "\n" for r in self.rows).encode("utf-8")


@dataclass(frozen=True)
class WrittenBatch:
    system: str
    batch_id: str
    mode: str
    extracted_at: datetime
    path: Path
    rows: dict[str, int]  # per object


def next_batch_time(system_dir: Path, server_time: datetime) -> datetime:
    """The batch's time: the server's clock, moved past the newest batch already in the
    landing zone so batch ids keep sorting in time order even with a skewed clock."""
    when = server_time.replace(microsecond=0)
    if system_dir.is_dir():
        existing = [p.name for p in system_dir.iterdir() if BATCH_ID_PATTERN.match(p.name)]
        if existing:
            newest = datetime.strptime(max(existing), BATCH_ID_FORMAT)
            when = max(when, newest + timedelta(seconds=1))
    return when


def write_batch(
    landing_dir: Path, system: str, mode: str, server_time: datetime, objects: list[ObjectRows]
) -> WrittenBatch:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    system_dir = Path(landing_dir) / system
    system_dir.mkdir(parents=True, exist_ok=True)
    extracted_at = next_batch_time(system_dir, server_time)
    batch_id = extracted_at.strftime(BATCH_ID_FORMAT)
    staging = system_dir / f".{batch_id}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    entries, rows = [], {}
    for obj in objects:
        data = obj.render()
        (staging / obj.spec.file).write_bytes(data)
        entries.append(
            {
                "name": obj.spec.file,
                "object": obj.spec.object,
                "rows": len(obj.rows),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
        rows[obj.spec.object] = len(obj.rows)
    manifest = {
        "system": system,
        "batch_id": batch_id,
        "mode": mode,
        "extracted_at": extracted_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "files": entries,
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    final = system_dir / batch_id
    os.replace(staging, final)
    return WrittenBatch(system, batch_id, mode, extracted_at, final, rows)
