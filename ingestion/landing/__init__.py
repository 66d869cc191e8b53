"""The landing zone and its path into the raw tables: batch discovery and manifest checks,
file readers, contract validation and quarantine, re-deliveries, batch administration and the
dlt source and pipeline of each system.

Public API (what the Dagster assets, the CLI and the tests use)::

    land(system: str, settings: Settings, *, runner: Runner | None = None,
         raise_on_error: bool = True) -> LandingReport
        Land one system: read its API first when it is in API mode (report.api_batch), build
        a fresh dlt source and pipeline (settings.duckdb_path, settings.duckdb_memory_limit),
        run them with runner(source, pipeline) when given, else pipeline.run(source), make
        every raw table of the system exist, remove the run's scratch and return the report.
        raise_on_error=False: a failure is recorded in report.error instead of raised.
    land_all(settings: Settings, *, raise_on_error: bool = False) -> dict[str, LandingReport]
        land() every system of ingestion.catalog.SYSTEMS in turn.
    spec_source(system: str) -> dlt.sources.DltSource
    spec_pipeline(system: str) -> dlt.Pipeline
        For asset specs only (dagster-dlt's dlt_assets): they read no settings and leave
        nothing on disk. Running the spec source raises; land() builds the real ones.
    ensure_raw_tables(duckdb_path, systems=SYSTEMS, memory_limit=...) -> list[str]
    declared_tables(system) -> dict[str, list[tuple[str, str]]]
    LandingReport: .system, .batches, .loaded, .rejected, .held, .skipped,
        .incomplete_batches, .rows_written, .rows_loaded, .rows_quarantined, .warnings,
        .error, .api_batch, .ok, .summary(); BatchReport / FileReport per batch and file.
    list_batches(landing_dir, duckdb_path, systems=SYSTEMS) -> list[BatchState]
    skip_batch(batch_id, reason, landing_dir, duckdb_path, system=None) -> BatchState
        `q2c batches list` / `q2c batches skip`; BatchAdminError when refused.
    discover_batches(landing_dir, system) -> (complete batch folders, incomplete batch ids)
    ArrivalRules.from_settings(settings): the landing clock, the extracted_at tolerance and the
        incomplete-batch timeout (ingestion.landing.arrival: batches land strictly in order).
    read_batch_log(conn, system) -> list[LoggedBatch]; batch_issues(conn, landing_dir, rules)
        -> list[BatchIssue]: rejected and held batches and folders incomplete beyond the
        timeout (stale_incomplete), for the checks and the night's reports.
    read_manifest(batch_dir, system) -> Manifest; MANIFEST (the file name); BatchRejected

``Runner`` is ``Callable[[DltSource, dlt.Pipeline], object]``; the Dagster asset passes one
that calls ``DagsterDltResource.run(context=..., dlt_source=source, dlt_pipeline=pipeline)``
and collects its results.
"""

from ingestion.landing.arrival import ArrivalRules
from ingestion.landing.batch_admin import BatchAdminError, BatchState, list_batches, skip_batch
from ingestion.landing.batch_log import BatchIssue, LoggedBatch, batch_issues, read_batch_log, stale_incomplete
from ingestion.landing.dlt_source import spec_source
from ingestion.landing.manifest import MANIFEST, BatchRejected, Manifest, discover_batches, read_manifest
from ingestion.landing.pipeline import Runner, build_pipeline, land, land_all, spec_pipeline
from ingestion.landing.raw_tables import declared_tables, ensure_raw_tables
from ingestion.landing.report import BatchReport, FileReport, LandingReport

__all__ = [
    "MANIFEST",
    "ArrivalRules",
    "BatchIssue",
    "BatchAdminError",
    "BatchRejected",
    "BatchReport",
    "BatchState",
    "FileReport",
    "LandingReport",
    "LoggedBatch",
    "Manifest",
    "Runner",
    "batch_issues",
    "build_pipeline",
    "declared_tables",
    "discover_batches",
    "ensure_raw_tables",
    "land",
    "land_all",
    "list_batches",
    "read_batch_log",
    "read_manifest",
    "skip_batch",
    "spec_pipeline",
    "spec_source",
    "stale_incomplete",
]
