"""Build and run the per-system dlt pipelines that land extract batches into DuckDB."""

from __future__ import annotations

import logging
from pathlib import Path

import dlt
from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials

from ingestion.catalog import SYSTEMS, raw_dataset
from ingestion.raw_tables import ensure_raw_tables
from ingestion.report import LandingReport
from ingestion.sources import build_source, landing_report, landing_run, release
from q2c.settings import DUCKDB_MEMORY_LIMIT_DEFAULT, set_library_defaults

__all__ = ["build_source", "build_pipeline", "land_system", "land_all", "landing_report",
           "LandingReport"]

log = logging.getLogger(__name__)


def pipelines_dir_for(duckdb_path: Path) -> Path:
    """dlt's working folder lives beside the warehouse, so each warehouse (and each test's
    temporary one) has its own pipeline state and nothing goes to ~/.dlt."""
    return Path(duckdb_path).resolve().parent / ".dlt" / "pipelines"


# Arrow items get dlt's _dlt_load_id only when asked (design.md §1 wants it); _dlt_id is
# computed in DuckDB by the landing run (dlt's own is a per-row Python loop).
_DLT_DEFAULTS = {
    "NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_LOAD_ID": "true",
    "RUNTIME__DLTHUB_TELEMETRY": "false",
}


def build_pipeline(system: str, duckdb_path: Path, memory_limit: str = DUCKDB_MEMORY_LIMIT_DEFAULT) -> dlt.Pipeline:
    set_library_defaults(_DLT_DEFAULTS)
    duckdb_path = Path(duckdb_path).resolve()
    duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    credentials = DuckDbCredentials(str(duckdb_path), global_config={"memory_limit": memory_limit})
    return dlt.pipeline(
        pipeline_name=f"q2c_{system}",
        destination=dlt.destinations.duckdb(credentials),
        dataset_name=raw_dataset(system),
        pipelines_dir=str(pipelines_dir_for(duckdb_path)),
    )


def land_system(system: str, landing_dir: Path, duckdb_path: Path) -> LandingReport:
    """Land the system's pending batches. Failures are reported, never raised, so one
    system's trouble does not stop the others."""
    source = build_source(system, landing_dir)
    run = landing_run(source)
    try:
        pipeline = build_pipeline(system, duckdb_path)
        pipeline.run(source)
        ensure_raw_tables(duckdb_path, (system,))
    except Exception as exc:  # noqa: BLE001 - reported to the caller, per system
        log.exception("landing %s failed", system)
        run.report.error = f"{type(exc).__name__}: {exc}"
    finally:
        release(source)
    return run.report


def land_all(landing_dir: Path, duckdb_path: Path) -> dict[str, LandingReport]:
    return {system: land_system(system, landing_dir, duckdb_path) for system in SYSTEMS}
