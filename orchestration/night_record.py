"""A nightly run as Dagster recorded it, turned into plain facts for the core (q2c.night), and
the one way a run is finished: its summary written and its alert sent, exactly once.

Who finishes: the process that launched the run, when it is still there to do it (``q2c run``
executes the job in-process and finishes right after), else the run-status sensors
(schedule, new-batch sensor, UI launches; also a ``q2c run`` whose process was killed).
"""

from __future__ import annotations

from collections.abc import Iterable

import dagster as dg

from ingestion.catalog import SYSTEMS
from orchestration.abandoned_runs import is_abandoned
from orchestration.asset_keys import LEDGER_KEY, REPORT_KEY, SNAPSHOT_KEY
from orchestration.reconciliation.latest_results import show_latest_rule_results
from orchestration.run_tags import AS_OF_TAG, FINISHED_TAG
from q2c.alerts import AlertDigest
from q2c.night import CheckOutcome, RunFacts, alert_digest, finish_night
from q2c.run_lock import REFUSAL
from q2c.run_summary import NightlyResult
from q2c.settings import Settings

# the night's stages by step key, in the order a night runs them
STAGE_LABELS: dict[str, str] = {
    **{f"land_{system}": f"landing {system}" for system in SYSTEMS},
    "dbt_build": "dbt build (staging, marts, reconciliation rules, tests)",
    "recon__exception_ledger": "exception ledger",
    "rule_checks": "reconciliation rule checks",
    "quality__mart_expectations": "Great Expectations over the marts",
    "recon__report": "reconciliation report",
    "docs__dbt_docs": "dbt docs",
    "published__warehouse_snapshot": "publishing the analyst snapshot",
}
# the stages a summary reports as skipped or not run
_REPORTED_STAGES = (
    *(f"land_{s}" for s in SYSTEMS),
    "dbt_build",
    "recon__exception_ledger",
    "rule_checks",
    "published__warehouse_snapshot",
)


def _value(entry: object) -> object:
    return getattr(entry, "value", entry)


def _plain(metadata: dict) -> dict:
    return {name: _value(entry) for name, entry in metadata.items()}


def failure_message(event: dg.DagsterEvent) -> str:
    """The user code's own error of a failed step, first line."""
    error = event.step_failure_data.error if event.step_failure_data else None
    while error is not None and error.cause is not None:
        error = error.cause
    return error.message.strip().splitlines()[0] if error and error.message else "failed"


def check_outcome(evaluation) -> CheckOutcome:
    severity = evaluation.severity.value if evaluation.severity else "ERROR"
    return CheckOutcome(
        evaluation.asset_key.to_user_string(),
        evaluation.check_name,
        bool(evaluation.passed),
        severity,
        _plain(evaluation.metadata),
    )


def facts_from_events(
    run_id: str, success: bool, started_at: float, tags: dict[str, str], entries: Iterable[dg.EventLogEntry]
) -> RunFacts:
    facts = RunFacts(run_id=run_id, success=success, started_at=started_at, as_of_override=tags.get(AS_OF_TAG))
    started: set[str] = set()
    skipped: set[str] = set()
    for entry in entries:
        event = entry.dagster_event
        if event is None:
            continue
        kind, step = event.event_type_value, event.step_key or ""
        if kind == "STEP_START":
            started.add(step)
        elif kind == "STEP_SKIPPED":
            skipped.add(step)
        elif kind == "STEP_FAILURE":
            facts.failures.append(f"{STAGE_LABELS.get(step, step)}: {failure_message(event)}")
        elif kind == "ASSET_CHECK_EVALUATION":
            facts.checks.append(check_outcome(event.event_specific_data))
        elif kind == "ASSET_MATERIALIZATION":
            materialization = event.step_materialization_data.materialization
            path, metadata = materialization.asset_key.path, _plain(materialization.metadata)
            if path[0].startswith("raw_") and path[-1] == "batch_log" and "rows_landed" in metadata:
                facts.rows_landed[path[0].removeprefix("raw_")] = int(metadata["rows_landed"])
            elif path == LEDGER_KEY.path:
                facts.ledger_metadata = metadata
            elif path == SNAPSHOT_KEY.path and "path" in metadata:
                facts.published_path = str(metadata["path"])
            elif path == REPORT_KEY.path and "path" in metadata:
                facts.report_path = str(metadata["path"])
                facts.report_as_of = metadata.get("as_of")
    facts.rows_landed = {system: facts.rows_landed.get(system, 0) for system in SYSTEMS}
    facts.skipped_stages = [STAGE_LABELS[s] for s in _REPORTED_STAGES if s in skipped]
    facts.not_run_stages = [STAGE_LABELS[s] for s in _REPORTED_STAGES if s not in started and s not in skipped]
    facts.ledger_skipped = "recon__exception_ledger" in skipped
    return facts


def run_facts(instance: dg.DagsterInstance, run_id: str, *, failed: bool | None = None) -> RunFacts:
    """What the instance recorded of ``run_id``; ``failed`` overrides its stored status."""
    record = instance.get_run_record_by_id(run_id)
    run = record.dagster_run if record else None
    success = (run is not None and run.status == dg.DagsterRunStatus.SUCCESS) if failed is None else not failed
    started_at = (record.start_time or record.create_timestamp.timestamp()) if record else 0.0
    return facts_from_events(run_id, success, started_at, dict(run.tags) if run else {}, instance.all_logs(run_id))


def digest_for_run(
    instance: dg.DagsterInstance, run_id: str, settings: Settings, *, failed: bool | None = None
) -> AlertDigest | None:
    """The alert digest the run calls for (None: it succeeded without a failed ERROR check)."""
    return alert_digest(run_facts(instance, run_id, failed=failed), settings)


def finish_run(
    instance: dg.DagsterInstance,
    run_id: str,
    settings: Settings,
    *,
    by: str,
    extra_failures: Iterable[str] = (),
    failed: bool | None = None,
) -> NightlyResult:
    """Write the night's summary and send its alert, put the rule checks it did not evaluate
    back on their latest results, then mark the run finished by ``by``."""
    facts = run_facts(instance, run_id, failed=failed)
    facts.failures.extend(extra_failures)
    result = finish_night(facts, settings)
    if instance.get_run_by_id(run_id) is not None:
        show_latest_rule_results(instance, run_id)
        instance.add_run_tags(run_id, {FINISHED_TAG: by})
    return result


def _error_texts(event: dg.DagsterEvent) -> Iterable[str]:
    error = getattr(event.event_specific_data, "error", None)
    while error is not None:
        yield error.message or ""
        error = error.cause


def refusal(instance: dg.DagsterInstance, run_id: str) -> str | None:
    """The message of a run refused because another nightly held the warehouse, if it was."""
    for entry in instance.all_logs(run_id):
        texts = [entry.message or "", *(_error_texts(entry.dagster_event) if entry.dagster_event else ())]
        for text in texts:
            if REFUSAL in text:
                return text.strip().splitlines()[0]
    return None


def finish_reason(run: dg.DagsterRun) -> str | None:
    """Why a run-status sensor must leave ``run`` alone (None: the sensor finishes it)."""
    if run.tags.get(FINISHED_TAG):
        return f"run {run.run_id}: the night was already finished by {run.tags[FINISHED_TAG]}"
    if run.tags.get("q2c/pid") and not is_abandoned(run):
        return f"run {run.run_id} is finished by the q2c run process that launched it (pid {run.tags['q2c/pid']})"
    return None
