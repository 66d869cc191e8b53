"""Land one system: pull its API when in API mode, run its dlt source into DuckDB, report.

:func:`land` is the one landing path: the Dagster asset and the tests both call it and get
the run's :class:`LandingReport` back directly.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import dlt
from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials
from dlt.sources import DltSource

from ingestion.catalog import SYSTEMS, raw_dataset
from ingestion.landing.arrival import ArrivalRules
from ingestion.landing.dlt_source import landing_source
from ingestion.landing.raw_tables import ensure_raw_tables
from ingestion.landing.report import LandingReport
from q2c.settings import DUCKDB_MEMORY_LIMIT_DEFAULT, Settings, set_library_defaults

log = logging.getLogger(__name__)

# runner(source, pipeline): runs the source through the pipeline (default: pipeline.run(source))
Runner = Callable[[DltSource, dlt.Pipeline], object]


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


def _pipeline(system: str, duckdb_path: Path, memory_limit: str, pipelines_dir: Path) -> dlt.Pipeline:
    credentials = DuckDbCredentials(str(duckdb_path), global_config={"memory_limit": memory_limit})
    return dlt.pipeline(
        pipeline_name=f"q2c_{system}",
        destination=dlt.destinations.duckdb(credentials),
        dataset_name=raw_dataset(system),
        pipelines_dir=str(pipelines_dir),
    )


def build_pipeline(system: str, duckdb_path: Path, memory_limit: str = DUCKDB_MEMORY_LIMIT_DEFAULT) -> dlt.Pipeline:
    """The system's dlt pipeline into the warehouse at ``duckdb_path``."""
    set_library_defaults(_DLT_DEFAULTS)
    duckdb_path = Path(duckdb_path).resolve()
    duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    return _pipeline(system, duckdb_path, memory_limit, pipelines_dir_for(duckdb_path))


def spec_pipeline(system: str) -> dlt.Pipeline:
    """A pipeline with the system's name, destination type and dataset, for asset specs only
    (Dagster's ``dlt_assets``): it reads no settings and leaves nothing on disk (dlt makes a
    working folder for every pipeline: this one's is a temporary folder, removed at once).
    Never run it: :func:`land` builds the real one."""
    scratch = Path(tempfile.mkdtemp(prefix="q2c_spec_pipeline_"))
    try:
        return _pipeline(system, scratch / "spec.duckdb", DUCKDB_MEMORY_LIMIT_DEFAULT, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def land(
    system: str, settings: Settings, *, runner: Runner | None = None, raise_on_error: bool = True
) -> LandingReport:
    """Land the system's pending batches into ``settings.duckdb_path`` and report what happened.

    In API mode (``Q2C_<SYSTEM>_MODE=api``) the system's API is first read into a landing
    batch (``report.api_batch``). Then a fresh dlt source and pipeline are built and run:
    through ``runner(source, pipeline)`` when given (the Dagster asset runs it with
    dagster-dlt), else ``pipeline.run(source)``. Every raw table of the system then exists,
    the run's scratch database is removed and the report returned.

    ``raise_on_error=False`` records a failure in ``report.error`` instead of raising, so one
    system's trouble does not stop the others (nothing of a failed run is committed).
    """
    # imported here: ingestion.api imports the landing package's manifest module
    from ingestion.api import extract_if_api_mode

    report = LandingReport(system)
    run = None
    try:
        api_batch = extract_if_api_mode(system, settings)
        run, source = landing_source(
            system, settings.landing_dir, rules=ArrivalRules.from_settings(settings), plausible=settings.plausible
        )
        report = run.report
        report.api_batch = api_batch
        pipeline = build_pipeline(system, settings.duckdb_path, settings.duckdb_memory_limit)
        if runner is None:
            pipeline.run(source)
        else:
            runner(source, pipeline)
        ensure_raw_tables(settings.duckdb_path, (system,), settings.duckdb_memory_limit)
    except Exception as exc:
        if raise_on_error:
            raise
        log.exception("landing %s failed", system)
        report.error = f"{type(exc).__name__}: {exc}"
    finally:
        if run is not None:
            run.close()  # the run's scratch database and temp folder
    return report


def land_all(settings: Settings, *, raise_on_error: bool = False) -> dict[str, LandingReport]:
    """:func:`land` every system in turn; by default a failing system is reported, not raised."""
    return {system: land(system, settings, raise_on_error=raise_on_error) for system in SYSTEMS}
