"""Which complete batches (``_manifest.json`` present) are new since the sensor last looked.

The cursor is the newest batch id seen per system: batch ids are UTC timestamps that sort in
time order, and a batch older than one already seen would not be loaded anyway (batches load
in order).
"""

from __future__ import annotations

import json
from pathlib import Path

from ingestion.catalog import SYSTEMS
from ingestion.landing import discover_batches


def parse_cursor(cursor: str | None) -> dict[str, str]:
    if not cursor:
        return {}
    try:
        value = json.loads(cursor)
    except json.JSONDecodeError:
        return {}
    return {k: v for k, v in value.items() if k in SYSTEMS and isinstance(v, str)} if isinstance(value, dict) else {}


def new_complete_batches(landing_dir: Path, seen: dict[str, str]) -> dict[str, list[str]]:
    """Complete batch ids per system newer than ``seen[system]`` (systems with none omitted)."""
    new: dict[str, list[str]] = {}
    for system in SYSTEMS:
        complete, _ = discover_batches(landing_dir, system)
        ids = [p.name for p in complete if p.name > seen.get(system, "")]
        if ids:
            new[system] = ids
    return new


def advance_cursor(seen: dict[str, str], new: dict[str, list[str]]) -> str:
    merged = dict(seen)
    for system, ids in new.items():
        merged[system] = max([*ids, merged.get(system, "")])
    return json.dumps(dict(sorted(merged.items())), sort_keys=True)
