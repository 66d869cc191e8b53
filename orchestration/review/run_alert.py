"""The alert digest of one nightly run, built from what the run recorded in the Dagster
instance, and sent to the configured sinks (q2c.alerts).

One function serves both paths: ``q2c run`` calls it at the end of its in-process run, and
the run status sensors (schedules.py) call it for runs launched by the schedule or the UI.
The sensors skip runs tagged ``q2c/trigger=cli``, so a run never alerts twice.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from datetime import UTC, date, datetime

import dagster as dg

from orchestration.as_of import AS_OF_TAG
from orchestration.reconciliation.assets import LEDGER_KEY
from orchestration.review.assets import REPORT_KEY
from q2c.alerts import AlertDigest, FailedRule, SinkResult, configured_sinks, send_digest
from q2c.reconciliation_config import ReconConfigError, load_recon_config
from q2c.rule_catalogue import RULES
from q2c.settings import get_settings

log = logging.getLogger(__name__)

TRIGGER_TAG = "q2c/trigger"
CLI_TRIGGER = "cli"
_RULE_BY_CHECK = {rule.check_name: rule.rule_id for rule in RULES}


def _value(metadata: Mapping[str, object], name: str) -> object:
    entry = metadata.get(name)
    return getattr(entry, "value", entry)


def _reporting_currency() -> str:
    try:
        return load_recon_config(get_settings().recon_config_path).reporting_currency
    except ReconConfigError:
        return "n/a"


def digest_for_run(instance: dg.DagsterInstance, run_id: str, *, failed: bool | None = None) -> AlertDigest | None:
    """The digest of ``run_id``, or None when the run succeeded without a failed ERROR check.

    ``failed`` overrides the run's stored status (the CLI knows it even when the run could
    not record it).
    """
    run = instance.get_run_by_id(run_id)
    if failed is None:
        failed = run is not None and run.status == dg.DagsterRunStatus.FAILURE
    currency = _reporting_currency()
    failed_rules: list[FailedRule] = []
    failed_checks: list[str] = []
    as_of_seen: str | None = None
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION):
        evaluation = entry.dagster_event.event_specific_data
        if evaluation.asset_key == LEDGER_KEY:  # the rule checks carry the run's as-of date
            as_of_seen = as_of_seen or _value(evaluation.metadata, "as_of")
        if evaluation.passed or evaluation.severity != dg.AssetCheckSeverity.ERROR:
            continue
        rule_id = _RULE_BY_CHECK.get(evaluation.check_name) if evaluation.asset_key == LEDGER_KEY else None
        if rule_id:
            amount = _value(evaluation.metadata, "amount_at_risk_reporting_exact") or "0"
            failed_rules.append(FailedRule(rule_id, int(_value(evaluation.metadata, "open") or 0), str(amount), currency))
        else:
            failed_checks.append(f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}")
    if not failed and not failed_rules and not failed_checks:
        return None

    report_path: str | None = None
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION):
        materialization = entry.dagster_event.step_materialization_data.materialization
        if materialization.asset_key == REPORT_KEY:
            report_path = str(_value(materialization.metadata, "path"))
            as_of_seen = as_of_seen or _value(materialization.metadata, "as_of")
        elif materialization.asset_key == LEDGER_KEY:
            as_of_seen = as_of_seen or _value(materialization.metadata, "as_of")
    tag = run.tags.get(AS_OF_TAG) if run else None
    # A run that failed before knowing its as-of date is reported under today's date.
    as_of_text = tag or as_of_seen
    as_of = date.fromisoformat(str(as_of_text)) if as_of_text else datetime.now(UTC).date()
    return AlertDigest(
        as_of=as_of,
        run_status="failed" if failed else "errors",
        failed_rules=tuple(failed_rules),
        report_path=report_path,
        dagster_run_id=run_id,
        failed_checks=tuple(failed_checks),
    )


def send_run_alert(
    instance: dg.DagsterInstance,
    run_id: str,
    *,
    failed: bool | None = None,
    env: Mapping[str, str] = os.environ,
) -> tuple[AlertDigest | None, list[SinkResult]]:
    """Build the run's digest and send it; nothing is sent when no sink is configured or
    when the run needs no alert."""
    if not configured_sinks(env):
        return None, []
    digest = digest_for_run(instance, run_id, failed=failed)
    if digest is None:
        return None, []
    return digest, send_digest(digest, env)


def alert_after_cli_run(instance: dg.DagsterInstance, run_id: str, *, success: bool) -> list[str]:
    """``q2c run``'s alert step: one line per sink for the terminal; never raises (an alert
    that cannot be sent must not turn a finished night into a failed command)."""
    try:
        digest, results = send_run_alert(instance, run_id, failed=not success)
    except Exception as exc:  # noqa: BLE001 - reported to the operator instead
        log.exception("alert digest could not be built")
        return [f"alert digest not sent: {type(exc).__name__}: {exc}"]
    if digest is None:
        return []
    return [
        f"alert digest ({digest.run_status}) sent via {r.sink} to {r.target}"
        if r.success
        else f"alert digest via {r.sink} to {r.target} FAILED: {r.detail}"
        for r in results
    ]
