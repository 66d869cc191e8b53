"""dlt assets: one multi-asset per source system; each raw table (and the system's
``batch_log`` / ``raw_quarantine``) is an asset keyed ``[raw_<system>, <table>]``, which is
exactly how dagster-dbt keys the dbt sources, so dbt models hang off these assets.

Upstream of each system sits an external asset ``[landing, <system>]``: the extract batches
in the landing zone, which Dagster does not produce. The landing itself is
``ingestion.landing.land``, the same function the tests call.
"""

from dataclasses import dataclass

import dagster as dg
from dagster_dlt import DagsterDltResource, DagsterDltTranslator, dlt_assets
from dagster_dlt.translator import DltResourceTranslatorData

from ingestion.catalog import BATCH_LOG, SYSTEMS, raw_dataset
from ingestion.landing import LandingReport, land, spec_pipeline, spec_source
from q2c.run_lock import LockHolder
from q2c.settings import Settings


def landing_key(system: str) -> dg.AssetKey:
    return dg.AssetKey(["landing", system])


def landing_specs() -> list[dg.AssetSpec]:
    return [
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


def report_metadata(report: LandingReport) -> dict[str, object]:
    """This run's batches, on the batch_log materialisation (the night's record reads it)."""
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


def system_assets(system: str) -> dg.AssetsDefinition:
    @dlt_assets(
        # only shapes the asset specs; each run builds a fresh source and pipeline in land()
        dlt_source=spec_source(system),
        dlt_pipeline=spec_pipeline(system),
        name=f"land_{system}",
        dagster_dlt_translator=RawTableTranslator(system=system),
    )
    def _land(
        context: dg.AssetExecutionContext,
        dlt: DagsterDltResource,
        settings: dg.ResourceParam[Settings],
        night_lock: dg.ResourceParam[LockHolder],  # a writer of the warehouse: one night at a time
    ):
        results: list = []

        def run_with_dagster(source, pipeline) -> None:
            results.extend(dlt.run(context=context, dlt_source=source, dlt_pipeline=pipeline))

        report = land(system, settings, runner=run_with_dagster)
        if report.api_batch is not None:
            pulled = report.api_batch
            context.log.info(
                f"{system} API: {pulled.mode} batch {pulled.batch_id}, {sum(pulled.rows.values())} records"
            )
        _log_report(context, report)
        for result in results:
            if isinstance(result, dg.MaterializeResult) and result.asset_key.path[-1] == BATCH_LOG:
                result = dg.MaterializeResult(
                    asset_key=result.asset_key, metadata={**(result.metadata or {}), **report_metadata(report)}
                )
            yield result

    return _land


def all_system_assets() -> dict[str, dg.AssetsDefinition]:
    return {system: system_assets(system) for system in SYSTEMS}
