"""Tags that q2c puts on nightly runs, and what a run's tags say about it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from q2c.as_of import resolve_as_of
from q2c.settings import Settings

AS_OF_TAG = "q2c/as_of"  # `q2c run --as-of`
TRIGGER_TAG = "q2c/trigger"  # cli, schedule, new_batch
CLI_TRIGGER = "cli"
# set once the night's summary and alert are done, with who did it: a run is finished once
FINISHED_TAG = "q2c/night_finished"


def run_as_of(tags: Mapping[str, str], settings: Settings) -> date:
    """The run's as-of date: its tag, else the settings, else the newest loaded batch."""
    return resolve_as_of(settings, tags.get(AS_OF_TAG), override_source=f"run tag {AS_OF_TAG}")
