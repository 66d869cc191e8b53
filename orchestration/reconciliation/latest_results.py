"""The rule checks keep showing their latest real results after a run that did not evaluate them.

Dagster shows a check's latest execution record. Every nightly run plans all 27 rule checks
when it starts (the row is written PLANNED); a run that ends without evaluating them leaves
that row as the latest, and Dagster resolves it as SKIPPED when the run succeeded (nothing new
landed, so the dbt build, the ledger and the checks were skipped) or EXECUTION_FAILED when it
failed or was refused (dagster._core.storage.asset_check_execution_record, resolve_status).
The findings themselves did not go anywhere: a run that did not materialise the ledger left it
as the last evaluation saw it. So each such check's last real evaluation is reported again, as a
runless evaluation (a newer record, with the same result, severity, metadata and target
materialisation), naming the run that evaluated it. A run that did update the ledger and then
failed to check it keeps "Execution failed": older results would describe an older ledger.
"""

from __future__ import annotations

import dagster as dg
from dagster._core.definitions.asset_checks.asset_check_evaluation import AssetCheckEvaluation
from dagster._core.storage.asset_check_execution_record import (
    COMPLETED_ASSET_CHECK_EXECUTION_RECORD_STATUSES,
    AssetCheckExecutionRecordStatus,
)

from orchestration.asset_keys import LEDGER_KEY
from q2c.rule_catalogue import RULES

EVALUATED_IN_RUN = "evaluated_in_run"
_TITLES = {rule.check_name: f"{rule.rule_id}: {rule.title}" for rule in RULES}
_EVENTS = {
    dg.DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED,
    dg.DagsterEventType.ASSET_MATERIALIZATION,
}


def _unevaluated_ledger_checks(instance: dg.DagsterInstance, run_id: str) -> list[dg.AssetCheckKey]:
    """The ledger's checks that ``run_id`` planned and left as their latest record, unevaluated;
    none when the run materialised the ledger."""
    planned: list[dg.AssetCheckKey] = []
    for entry in instance.all_logs(run_id, of_type=_EVENTS):
        event = entry.dagster_event
        if event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
            if event.asset_key == LEDGER_KEY:
                return []
        elif event.event_specific_data.asset_key == LEDGER_KEY:
            planned.append(dg.AssetCheckKey(LEDGER_KEY, event.event_specific_data.check_name))
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(planned)
    return [
        key
        for key in planned
        if key in latest
        and latest[key].run_id == run_id
        and latest[key].status == AssetCheckExecutionRecordStatus.PLANNED
    ]


def show_latest_rule_results(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """Report again the last real evaluation of each rule check ``run_id`` planned but did not
    evaluate; the names of the checks reported."""
    reported = []
    for key in _unevaluated_ledger_checks(instance, run_id):
        history = instance.event_log_storage.get_asset_check_execution_history(
            key, limit=1, status=COMPLETED_ASSET_CHECK_EXECUTION_RECORD_STATUSES
        )
        previous = history[0].evaluation if history else None
        if previous is None:  # never evaluated yet: nothing real to show
            continue
        origin = previous.metadata.get(EVALUATED_IN_RUN)
        evaluated_in = str(origin.value) if origin is not None else history[0].run_id
        instance.report_runless_asset_event(
            AssetCheckEvaluation(
                asset_key=previous.asset_key,
                check_name=previous.check_name,
                passed=previous.passed,
                metadata={**previous.metadata, EVALUATED_IN_RUN: dg.MetadataValue.text(evaluated_in)},
                target_materialization_data=previous.target_materialization_data,
                severity=previous.severity,
                description=(
                    f"{_TITLES.get(key.name, key.name)} (latest result, evaluated in run {evaluated_in}; "
                    f"run {run_id} did not evaluate it)"
                ),
                blocking=previous.blocking,
            )
        )
        reported.append(key.name)
    return reported
