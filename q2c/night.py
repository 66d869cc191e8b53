"""What a finished night leaves behind, whoever ran it: its result in numbers, the Markdown
summary (``<reports_dir>/<as-of>.md`` and ``latest.md``) and, when the night needs one, the
alert digest sent to the configured sinks.

The orchestrator hands in what the run recorded (:class:`RunFacts`, plain values); this module
knows nothing of Dagster. It runs once per run, for a scheduled night (the run-status sensors)
and for ``q2c run`` alike.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ingestion.landing.arrival import ArrivalRules
from ingestion.landing.batch_log import batch_issues
from q2c.alerts import AlertDigest, FailedRule, configured_sinks, send_digest
from q2c.as_of import newest_loaded_batch_date
from q2c.ledger import review_rules
from q2c.reconciliation_config import ReconConfig, ReconConfigError, load_recon_config
from q2c.report import write_reconciliation_report
from q2c.rule_catalogue import RULES
from q2c.run_summary import DbtSummary, NightlyResult, write_report
from q2c.settings import AsOfError, Settings, parse_as_of
from q2c.warehouse import WarehouseLocked, warehouse_connection

log = logging.getLogger(__name__)

LEDGER_ASSET = "recon/exception_ledger"
_RULE_BY_CHECK = {rule.check_name: rule.rule_id for rule in RULES}


@dataclass(frozen=True)
class CheckOutcome:
    """One asset check evaluation of the run."""

    asset: str  # "recon/exception_ledger"
    check_name: str
    passed: bool
    severity: str  # "ERROR" or "WARN"
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunFacts:
    """What the orchestrator recorded of one run."""

    run_id: str
    success: bool
    started_at: float  # epoch seconds
    as_of_override: str | None = None  # the run's own as-of (`q2c run --as-of`)
    failures: list[str] = field(default_factory=list)
    skipped_stages: list[str] = field(default_factory=list)  # nothing new upstream
    not_run_stages: list[str] = field(default_factory=list)  # an upstream step failed
    rows_landed: dict[str, int] = field(default_factory=dict)
    ledger_metadata: dict[str, Any] = field(default_factory=dict)
    ledger_skipped: bool = False  # the ledger still holds the last build's state
    published_path: str | None = None
    report_path: str | None = None  # the HTML report the run wrote
    report_as_of: str | None = None
    checks: list[CheckOutcome] = field(default_factory=list)


def _load_config(settings: Settings) -> tuple[ReconConfig | None, str | None]:
    try:
        return load_recon_config(settings.recon_config_path), None
    except ReconConfigError as exc:
        return None, str(exc)


def night_as_of(facts: RunFacts, settings: Settings) -> date | None:
    """The as-of the run worked at: what its ledger recorded, else its override, the
    settings' or the newest loaded batch's; None when none is known."""
    for text, source in (
        (facts.ledger_metadata.get("as_of"), "the ledger"),
        (facts.report_as_of, "the report"),
        (facts.as_of_override, "the run's as-of"),
    ):
        if text:
            try:
                return parse_as_of(str(text), source)
            except AsOfError:
                continue
    if settings.as_of is not None:
        return settings.as_of
    if not settings.duckdb_path.exists():
        return None
    with warehouse_connection(settings, read_only=True) as conn:
        return newest_loaded_batch_date(conn)


Loaded = tuple[ReconConfig | None, str | None]  # the config, or the error that stopped it loading


def night_result(facts: RunFacts, settings: Settings, loaded: Loaded | None = None) -> NightlyResult:
    result = NightlyResult(success=facts.success, run_id=facts.run_id, failures=list(facts.failures))
    result.rows_landed = dict(facts.rows_landed)
    result.skipped_stages = list(facts.skipped_stages)
    result.not_run_stages = list(facts.not_run_stages)
    run_results = settings.dbt_target_dir / "run_results.json"
    if run_results.exists() and run_results.stat().st_mtime >= facts.started_at:
        result.dbt = DbtSummary.from_run_results(run_results)
    result.ledger = {k: v for k, v in facts.ledger_metadata.items() if isinstance(v, int)}
    result.published_path = Path(facts.published_path) if facts.published_path else None
    result.html_report_path = Path(facts.report_path) if facts.report_path else None
    config, config_error = loaded or _load_config(settings)
    if config_error:
        result.failures.append(config_error)
    try:
        result.as_of = night_as_of(facts, settings)
        review = (
            result.as_of is not None
            and config is not None
            and bool(facts.ledger_metadata.get("as_of") or facts.ledger_skipped)
        )
        if settings.duckdb_path.exists():
            with warehouse_connection(settings) as conn:
                result.batch_issues = batch_issues(conn, settings.landing_dir, ArrivalRules.from_settings(settings))
                if review:
                    materiality = {rule.rule_id: config.materiality(rule.rule_id) for rule in RULES}
                    result.reviews = review_rules(conn, result.as_of, materiality, run_id=facts.run_id)
    except WarehouseLocked as exc:
        # another process (a newer run) holds the warehouse: the summary says so, without its figures
        result.failures.append(f"the rule review could not be read (nor the batch states): {exc}")
    if not facts.success and not result.failures:
        result.failures.append("the nightly run failed (see the Dagster event log)")
    return result


def alert_digest(
    facts: RunFacts, settings: Settings, *, failed: bool | None = None, loaded: Loaded | None = None
) -> AlertDigest | None:
    """The run's digest, or None when it succeeded without a failed ERROR check. ``failed``
    overrides the recorded status (a caller that saw the run fail before it could record it)."""
    failed = (not facts.success) if failed is None else failed
    config, _ = loaded or _load_config(settings)
    currency = config.reporting_currency if config else "n/a"
    failed_rules: list[FailedRule] = []
    failed_checks: list[str] = []
    as_of_seen = facts.ledger_metadata.get("as_of") or facts.report_as_of
    for check in facts.checks:
        if check.asset == LEDGER_ASSET:  # the rule checks carry the run's as-of date
            as_of_seen = as_of_seen or check.metadata.get("as_of")
        if check.passed or check.severity != "ERROR":
            continue
        rule_id = _RULE_BY_CHECK.get(check.check_name) if check.asset == LEDGER_ASSET else None
        if rule_id:
            amount = check.metadata.get("amount_at_risk_reporting_exact") or "0"
            failed_rules.append(FailedRule(rule_id, int(check.metadata.get("open") or 0), str(amount), currency))
        else:
            failed_checks.append(f"{check.asset}:{check.check_name}")
    if not failed and not failed_rules and not failed_checks:
        return None
    # a run that failed before knowing its as-of date is reported under today's date
    as_of_text = facts.as_of_override or as_of_seen
    as_of = date.fromisoformat(str(as_of_text)) if as_of_text else datetime.now(UTC).date()
    return AlertDigest(
        as_of=as_of,
        run_status="failed" if failed else "errors",
        failed_rules=tuple(failed_rules),
        report_path=facts.report_path,
        dagster_run_id=facts.run_id,
        failed_checks=tuple(failed_checks),
    )


def send_night_alert(facts: RunFacts, settings: Settings, loaded: Loaded | None = None) -> list[str]:
    """Send the run's digest, if it needs one, to every configured sink; one line per sink.
    Never raises: an alert that cannot be sent must not turn a finished night into a failure."""
    env = settings.passed_through
    if not configured_sinks(env):
        return []
    try:
        digest = alert_digest(facts, settings, loaded=loaded)
        if digest is None:
            return []
        results = send_digest(digest, env)
    except Exception as exc:  # noqa: BLE001 - reported to the operator instead
        log.exception("alert digest could not be built or sent")
        return [f"alert digest not sent: {type(exc).__name__}: {exc}"]
    return [
        f"alert digest ({digest.run_status}) sent via {r.sink} to {r.target}"
        if r.success
        else f"alert digest via {r.sink} to {r.target} FAILED: {r.detail}"
        for r in results
    ]


def _render_html(result: NightlyResult, settings: Settings, config: ReconConfig | None) -> Path | None:
    """The HTML report of ``result``'s run from the ledger as it stands; None when it cannot be
    rendered (no as-of date, no config, no warehouse, or another process holds it)."""
    if result.as_of is None or config is None or not settings.duckdb_path.exists():
        return None
    try:
        with warehouse_connection(settings) as conn:
            return write_reconciliation_report(
                conn, result.as_of, settings.reports_dir, config, run_id=result.run_id, batch_issues=result.batch_issues
            )
    except WarehouseLocked as exc:
        result.failures.append(f"the HTML report could not be rendered: {exc}")
        return None


def write_morning_reports(facts: RunFacts, settings: Settings, loaded: Loaded | None = None) -> NightlyResult:
    """latest.md and latest.html (and the dated files) of one run, from the ledger as it stands:
    the run's HTML report is rendered again unless the run has just written it, so the two
    latest files always come from the same run (a night whose report step was skipped or failed;
    a review action after the night)."""
    loaded = loaded or _load_config(settings)
    result = night_result(facts, settings, loaded)
    config, _ = loaded
    if result.html_report_path is None:
        result.html_report_path = _render_html(result, settings, config)
    currency = config.reporting_currency if config else "reporting currency"
    result.report_path = write_report(result, settings.reports_dir, currency)
    return result


def finish_night(facts: RunFacts, settings: Settings) -> NightlyResult:
    """Everything a finished run produces beyond its assets: the result, the Markdown summary
    (with its HTML report beside it) and the alert digest."""
    loaded = _load_config(settings)  # once for the result, the summary and the digest
    result = write_morning_reports(facts, settings, loaded)
    result.alert_lines = send_night_alert(facts, settings, loaded)
    return result
