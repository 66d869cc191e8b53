"""The resources every domain shares. ``settings`` is the one :class:`q2c.settings.Settings`
of a run: read from the environment when the run starts (so a loaded code location follows
``Q2C_*`` variables set later), or passed in whole by ``q2c run``. Assets open the warehouse
with ``q2c.warehouse.warehouse_connection(settings)``; nothing else holds a path."""

from __future__ import annotations

import dagster as dg

from q2c.settings import Settings, get_settings

SETTINGS = "settings"


@dg.resource(description="q2c settings (paths, engine, memory cap, API, alerts), read when the run starts")
def settings_resource(_context: dg.InitResourceContext) -> Settings:
    return get_settings()


def defs() -> dg.Definitions:
    return dg.Definitions(resources={SETTINGS: settings_resource})
