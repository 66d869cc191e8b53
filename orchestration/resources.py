"""The resources every domain shares. ``settings`` is the one :class:`q2c.settings.Settings`
of a run: read from the environment when the run starts (so a loaded code location follows
``Q2C_*`` variables set later), or passed in whole by ``q2c run``. Assets open the warehouse
with ``q2c.warehouse.warehouse_connection(settings)``; nothing else holds a path."""

from __future__ import annotations

from collections.abc import Iterator

import dagster as dg

from q2c.run_lock import LockHolder, night_lock
from q2c.settings import Settings, get_settings

SETTINGS = "settings"
NIGHT_LOCK = "night_lock"


@dg.resource(description="q2c settings (paths, engine, memory cap, API, alerts), read when the run starts")
def settings_resource(_context: dg.InitResourceContext) -> Settings:
    return get_settings()


@dg.resource(
    required_resource_keys={SETTINGS},
    description="The warehouse's nightly run lock, held from the run's start to its end (q2c.run_lock)",
)
def night_lock_resource(context: dg.InitResourceContext) -> Iterator[LockHolder]:
    # initialised once per run by the in-process executor: the lock spans every step
    with night_lock(context.resources.settings, context.run_id or "unknown") as holder:
        yield holder


def defs() -> dg.Definitions:
    return dg.Definitions(resources={SETTINGS: settings_resource, NIGHT_LOCK: night_lock_resource})
