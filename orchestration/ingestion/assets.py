"""dlt assets: one multi-asset per source system; each raw table (and the system's
``batch_log`` / ``raw_quarantine``) is an asset keyed ``[raw_<system>, <table>]``, which is
exactly how dagster-dbt keys the dbt sources, so dbt models hang off these assets.

Upstream of each system sits an external asset ``[landing, <system>]``: the extract batches
in the landing zone, which Dagster does not produce.
"""


from dataclasses import dataclass

import dagster as dg
from dagster_dlt import DagsterDltResource, DagsterDltTranslator, dlt_assets
from dagster_dlt.translator import DltResourceTranslatorData

from ingestion.api import extract_if_api_mode
from ingestion.catalog import BATCH_LOG, SYSTEMS, raw_dataset
from ingestion.pipeline import build_pipeline, build_source
from ingestion.raw_tables import ensure_raw_tables
from ingestion.report import LandingReport
from ingestion.sources import landing_run, release
from q2c.settings import get_settings


def landing_key(system: str) -> dg.AssetKey:
    return dg.AssetKey(["landing", system])


landing_specs = [
    dg.AssetSpec(
        key=landing_key(system),
        group_name="landing",
        kinds={"file"},
        description=f"Complete extract batches of {system} in the landing zone (Q2C_LANDING_DIR/{system}).",
    )
    for system in SYSTEMS
]


@dataclass
class RawTableTranslator(DagsterDltTranslator):
    system: str = ""

    def get_asset_spec(self, data: DltResourceTranslatorData) -> dg.AssetSpec:
        spec = super().get_asset_spec(data)
        table = data.resource.table_name if isinstance(data.resource.table_name, str) else data.resource.name
        return spec.replace_attributes(
            key=dg.AssetKey([raw_dataset(self.system), table]),
            deps=[landing_key(self.system)],
            group_name="ingestion",
            kinds={"dlt", "duckdb"},
        )


def _report_metadata(report: LandingReport) -> dict[str, object]:
    """This run's batches, on the batch_log materialisation (the run summary reads it)."""
    return {
        "rows_landed": sum(b.rows_loaded for b in report.loaded),
        "rows_quarantined_this_run": sum(b.rows_quarantined for b in report.loaded),
        "batches_loaded": len(report.loaded),
        "batches_rejected": len(report.rejected),
        "batches_held": len(report.held),
        "batches_still_being_written": len(report.incomplete_batches),
    }


def _log_report(context: dg.AssetExecutionContext, report: LandingReport) -> None:
    for batch in report.batches:
        context.log.info(
            f"{report.system} {batch.batch_id}: {batch.status}, {batch.rows_loaded} rows loaded, "
            f"{batch.rows_quarantined} quarantined" + (f" ({batch.reason})" if batch.reason else "")
        )


def _system_assets(system: str) -> dg.AssetsDefinition:
    settings = get_settings()

    @dlt_assets(
        # Only shapes the asset specs: each run builds a fresh source and pipeline (reusing one
        # source object across runs in a process fails on the second run).
        dlt_source=build_source(system, settings.landing_dir),
        dlt_pipeline=build_pipeline(system, settings.duckdb_path),
        name=f"land_{system}",
        dagster_dlt_translator=RawTableTranslator(system=system),
    )
    def _land(context: dg.AssetExecutionContext, dlt: DagsterDltResource):
        run_settings = get_settings()
        # API mode (Q2C_<SYSTEM>_MODE=api): pull the API into a landing batch, then land as files.
        pulled = extract_if_api_mode(system, run_settings.landing_dir, run_settings.duckdb_path)
        if pulled is not None:
            context.log.info(f"{system} API: {pulled.mode} batch {pulled.batch_id}, {sum(pulled.rows.values())} records")
        source = build_source(system, run_settings.landing_dir)
        try:
            results = dlt.run(
                context=context,
                dlt_source=source,
                dlt_pipeline=build_pipeline(system, run_settings.duckdb_path),
            )
            for result in results:
                if isinstance(result, dg.MaterializeResult) and result.asset_key.path[-1] == BATCH_LOG:
                    report = landing_run(source).report
                    _log_report(context, report)
                    result = dg.MaterializeResult(
                        asset_key=result.asset_key,
                        metadata={**(result.metadata or {}), **_report_metadata(report)},
                    )
                yield result
            ensure_raw_tables(run_settings.duckdb_path, (system,))
        finally:
            release(source)  # the run's scratch database and temp folder

    return _land


system_assets = {system: _system_assets(system) for system in SYSTEMS}
assets = [*landing_specs, *system_assets.values()]
