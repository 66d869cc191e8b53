"""Landing: the landing zone's batches, the dlt assets of the raw tables and their checks."""

import dagster as dg
from dagster_dlt import DagsterDltResource


def defs() -> dg.Definitions:
    from orchestration.ingestion.assets import all_system_assets, landing_specs
    from orchestration.ingestion.checks import all_system_checks

    return dg.Definitions(
        assets=[*landing_specs(), *all_system_assets().values()],
        asset_checks=all_system_checks(),
        resources={"dlt": DagsterDltResource()},
    )
