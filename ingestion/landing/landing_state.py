"""Which batches a system's landing runs already know, read from dlt's pipeline state file
beside the warehouse, without opening the warehouse.

The landing run keeps its decisions in the dlt source state (landing_run.LandingRun.prepare):
``batches`` (loaded or skipped: never landed again) and ``logged`` (rejected or held, with the
reason last written to the batch_log). dlt saves that state to ``state.json`` in the pipeline's
working folder atomically (a temporary file replaced in one rename) as each landing run
commits, and the next landing run decides from the same state, so these are exactly the
batches a new night would find nothing new in. Reading a JSON file takes no DuckDB lock: a
reader of the warehouse file itself would block a nightly's writer from opening it.
"""

from __future__ import annotations

import json
from pathlib import Path

from ingestion.landing.pipeline import pipelines_dir_for


def state_file(duckdb_path: Path, system: str) -> Path:
    return pipelines_dir_for(duckdb_path) / f"q2c_{system}" / "state.json"


def known_batches(duckdb_path: Path, system: str) -> set[str]:
    """Batch ids of ``system`` that a landing run into ``duckdb_path`` has decided or logged
    (loaded, skipped, rejected, held); none when no landing ran (or its state is unreadable,
    then a night is launched rather than missed)."""
    try:
        state = json.loads(state_file(duckdb_path, system).read_text(encoding="utf-8"))
        landing = state["sources"][f"q2c_{system}"]["landing"]
    except (OSError, ValueError, KeyError, TypeError):
        return set()
    if not isinstance(landing, dict):
        return set()
    known: set[str] = set()
    for part in ("batches", "logged"):
        entries = landing.get(part)
        if isinstance(entries, dict):
            known.update(k for k in entries if isinstance(k, str))
    return known
