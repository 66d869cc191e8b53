"""Quality: the Great Expectations suite over the marts and one WARN check per mart."""

import dagster as dg


def defs() -> dg.Definitions:
    from orchestration.quality.assets import mart_expectations
    from orchestration.quality.checks import gx_mart_checks

    return dg.Definitions(assets=[mart_expectations], asset_checks=[gx_mart_checks])
