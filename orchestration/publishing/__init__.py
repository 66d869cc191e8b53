"""Publishing: the analysts' read-only snapshot of the warehouse, last asset of the night."""

import dagster as dg


def defs() -> dg.Definitions:
    from orchestration.publishing.assets import warehouse_snapshot

    return dg.Definitions(assets=[warehouse_snapshot])
