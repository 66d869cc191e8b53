"""The single Dagster code location: one ``Definitions`` merged from each domain's own.

Loaded lazily (``@dg.definitions``): importing this module parses nothing; the dbt project is
prepared and the settings read when Dagster (or ``q2c run``) loads the definitions.
"""

from __future__ import annotations

from functools import cache

import dagster as dg

from orchestration import automation, ingestion, publishing, quality, reconciliation, resources, review, transform
from q2c.settings import get_settings


@cache
def load_definitions() -> dg.Definitions:
    # load-time settings only shape the definitions (the schedule's timezone); every run reads
    # its own through the `settings` resource
    return dg.Definitions.merge(
        resources.defs(),
        ingestion.defs(),
        transform.defs(),
        reconciliation.defs(),
        quality.defs(),
        review.defs(),
        publishing.defs(),
        automation.defs(get_settings()),
    )


@dg.definitions
def defs() -> dg.Definitions:
    return load_definitions()
