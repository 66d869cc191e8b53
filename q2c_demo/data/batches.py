"""Write batches into the landing layout: files first, ``_manifest.json`` last."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

from .world import World
from .writers import SYSTEMS, ExtractFile, Window, render


def batch_id(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H-%M-%SZ")


def write_batches(world: World, out_dir: Path) -> dict[str, dict[str, dict[str, int]]]:
    """Returns rows per system → batch id → object."""
    rows: dict[str, dict[str, dict[str, int]]] = {}
    times = world.batch_times
    for system in SYSTEMS:
        rows[system] = {}
        for i, hi in enumerate(times):
            window = Window(times[i - 1] if i else hi, hi, full=(i == 0))
            files = render(world, system, window)
            bid = batch_id(hi)
            _write_batch(out_dir / system / bid, system, bid, "full" if i == 0 else "incremental", hi, files)
            rows[system][bid] = {f.object: f.rows for f in files}
    return rows


def _write_batch(folder: Path, system: str, bid: str, mode: str, extracted_at: datetime,
                 files: list[ExtractFile]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for f in files:
        data = f.text if isinstance(f.text, bytes) else f.text.encode("utf-8")
        (folder / f.name).write_bytes(data)
        entries.append({"name": f.name, "object": f.object, "rows": f.rows, "sha256": hashlib.sha256(data).hexdigest()})
    manifest = {"system": system, "batch_id": bid, "mode": mode,
                "extracted_at": extracted_at.strftime("%Y-%m-%dT%H:%M:%SZ"), "files": entries}
    (folder / "_manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
