"""Evaluating a run-status sensor on a finished run, as the Dagster daemon would."""

from __future__ import annotations

import dagster as dg

from q2c.settings import Settings


def evaluate_run_sensor(sensor, instance: dg.DagsterInstance, run_id: str, settings: Settings):
    """What ``sensor`` returns for ``run_id``'s end (its RUN_SUCCESS or RUN_FAILURE event)."""
    run = instance.get_run_by_id(run_id)
    end_types = {dg.DagsterEventType.RUN_SUCCESS, dg.DagsterEventType.RUN_FAILURE}
    [end] = [e for e in instance.all_logs(run_id) if e.dagster_event and e.dagster_event.event_type in end_types]
    context = dg.build_run_status_sensor_context(
        sensor_name=sensor.name,
        dagster_instance=instance,
        dagster_run=run,
        dagster_event=end.dagster_event,
        resources={"settings": settings},
    )
    return sensor(context)
