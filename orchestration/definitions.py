"""The single Dagster code location: ingestion (dlt), transform (dbt), reconciliation
(ledger + rule checks), one ``nightly`` job, its schedule and the new-batch sensor."""

from __future__ import annotations

import dagster as dg

from orchestration.ingestion import assets as ingestion_assets
from orchestration.ingestion import checks as ingestion_checks
from orchestration.ingestion import schedules as ingestion_schedules
from orchestration.jobs import nightly_job
from orchestration.publishing import assets as publishing
from orchestration.quality import assets as quality_assets
from orchestration.quality import checks as quality_checks
from orchestration.quality import schedules as quality_schedules
from orchestration.reconciliation import assets as reconciliation_assets
from orchestration.reconciliation import checks as reconciliation_checks
from orchestration.reconciliation import schedules as reconciliation_schedules
from orchestration.resources import build_resources
from orchestration.review import assets as review_assets
from orchestration.review import checks as review_checks
from orchestration.review import schedules as review_schedules
from orchestration.transform import assets as transform_assets
from orchestration.transform import checks as transform_checks
from orchestration.transform import schedules as transform_schedules

_DOMAINS = (
    (ingestion_assets, ingestion_checks, ingestion_schedules),
    (transform_assets, transform_checks, transform_schedules),
    (reconciliation_assets, reconciliation_checks, reconciliation_schedules),
    (publishing, publishing, publishing),  # the analyst snapshot: assets only
    (quality_assets, quality_checks, quality_schedules),  # GX over the marts
    (review_assets, review_checks, review_schedules),  # report, dbt docs, alert sensors
)

defs = dg.Definitions(
    assets=[a for assets, _, _ in _DOMAINS for a in assets.assets],
    asset_checks=[c for _, checks, _ in _DOMAINS for c in checks.asset_checks],
    jobs=[nightly_job],
    schedules=[s for _, _, schedules in _DOMAINS for s in schedules.schedules],
    sensors=[s for _, _, schedules in _DOMAINS for s in schedules.sensors],
    resources=build_resources(),
)
