"""Which complete batches (``_manifest.json`` present) are new since the sensor last looked.

The cursor is the newest batch id seen per system (batch ids are UTC timestamps that sort in
time order), plus, under ``"waiting"``, the folders of each system that were still without a
manifest below that id: a newer batch is held until they complete (batches land strictly in
order, ingestion.landing.arrival), so one of them completing is new too. Any other batch older
than one already seen would be rejected as late anyway.

The cursor only knows what the sensor itself saw; a batch that a landing run already decided
(``q2c run`` or ``q2c demo`` before ``dagster dev`` started, a night launched from the UI) is
not new either: those come from the landing state (ingestion.landing.landing_state).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from ingestion.catalog import SYSTEMS
from ingestion.landing import discover_batches
from ingestion.landing.landing_state import known_batches


def parse_cursor(cursor: str | None) -> dict[str, str]:
    if not cursor:
        return {}
    try:
        value = json.loads(cursor)
    except json.JSONDecodeError:
        return {}
    return {k: v for k, v in value.items() if k in SYSTEMS and isinstance(v, str)} if isinstance(value, dict) else {}


def parse_waiting(cursor: str | None) -> dict[str, set[str]]:
    """Per system, the incomplete folders older than the newest batch seen when the cursor moved."""
    try:
        value = json.loads(cursor or "{}")
    except json.JSONDecodeError:
        return {}
    waiting = value.get("waiting") if isinstance(value, dict) else None
    if not isinstance(waiting, dict):
        return {}
    return {k: {i for i in v if isinstance(i, str)} for k, v in waiting.items() if k in SYSTEMS and isinstance(v, list)}


def landed_batches(duckdb_path: Path) -> dict[str, set[str]]:
    """Per system, the batch ids the landing runs into ``duckdb_path`` already decided or logged."""
    return {system: known_batches(duckdb_path, system) for system in SYSTEMS}


def new_complete_batches(
    landing_dir: Path,
    seen: dict[str, str],
    waiting: dict[str, set[str]] | None = None,
    landed: Mapping[str, set[str]] | None = None,
) -> dict[str, list[str]]:
    """Complete batch ids per system newer than ``seen[system]``, or among the ``waiting``
    folders that were incomplete, and not already ``landed`` (systems with none omitted)."""
    new: dict[str, list[str]] = {}
    for system in SYSTEMS:
        complete, _ = discover_batches(landing_dir, system)
        awaited = (waiting or {}).get(system, set())
        known = (landed or {}).get(system, set())
        ids = [p.name for p in complete if (p.name > seen.get(system, "") or p.name in awaited) and p.name not in known]
        if ids:
            new[system] = ids
    return new


def advance_cursor(seen: dict[str, str], new: dict[str, list[str]], landing_dir: Path) -> str:
    merged: dict[str, object] = dict(seen)
    for system, ids in new.items():
        merged[system] = max([*ids, seen.get(system, "")])
    waiting = {}
    for system in SYSTEMS:
        _, incomplete = discover_batches(landing_dir, system)
        below = sorted(i for i in incomplete if i < str(merged.get(system, "")))
        if below:
            waiting[system] = below
    if waiting:
        merged["waiting"] = waiting
    return json.dumps(merged, sort_keys=True)
