"""One asset check per catalogue rule on the ledger: the morning review surface.

ERROR when the rule's open, un-waived exceptions are material (config/reconciliation.yml:
an amount at risk at or above the threshold, or as many findings as the count threshold),
WARN when it has open ones below that, pass when none. Non-blocking: a finding is work for
finance ops, not a reason to stop the run. Each check states its rule's wording and links the
rule in the catalogue, docs/rules.md.
"""

from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from orchestration.asset_keys import LEDGER_KEY
from orchestration.run_tags import run_as_of
from q2c.ledger import RuleReview, review_rules
from q2c.reconciliation_config import load_recon_config
from q2c.report import report_path_for
from q2c.rule_catalogue import RULES, RULES_BY_ID, Rule
from q2c.settings import Settings
from q2c.warehouse import warehouse_connection

_SEVERITY = {"error": dg.AssetCheckSeverity.ERROR, "warn": dg.AssetCheckSeverity.WARN}


def _description(rule: Rule) -> str:
    return f"{rule.rule_id}: {rule.title}. {rule.wording}"


def _catalogue_metadata(rule: Rule) -> dict[str, dg.MetadataValue]:
    return {"rule": dg.MetadataValue.md(rule.wording), "rule_catalogue": dg.MetadataValue.url(rule.doc_url)}


def check_result(review: RuleReview, report_path: Path | None = None) -> dg.AssetCheckResult:
    materiality = review.materiality
    # the HTML report of this as-of date (written by the recon/report asset of the same run)
    report = {"report": dg.MetadataValue.path(str(report_path))} if report_path else {}
    rule = RULES_BY_ID.get(review.rule_id)
    return dg.AssetCheckResult(
        asset_key=LEDGER_KEY,
        check_name=review.rule_id.replace("-", "_"),
        passed=review.passed,
        severity=_SEVERITY.get(review.severity or "", dg.AssetCheckSeverity.WARN),
        description=_description(rule) if rule else f"{review.rule_id}: {review.title}",
        metadata={
            "as_of": dg.MetadataValue.text(review.as_of.isoformat()),
            "open": review.open,
            "acknowledged": review.acknowledged,
            "new_tonight": review.new_tonight,
            "reopened_tonight": review.reopened_tonight,
            "resolved_tonight": review.resolved_tonight,
            "waived": review.waived,
            "firing_tonight": review.firing,
            "amount_at_risk_reporting": dg.MetadataValue.float(float(review.amount_at_risk_reporting)),
            "amount_at_risk_reporting_exact": dg.MetadataValue.text(str(review.amount_at_risk_reporting)),
            "materiality": dg.MetadataValue.text(
                f"amount >= {materiality.amount}, count >= {materiality.count}" if materiality else ""
            ),
            "top_findings": dg.MetadataValue.md(review.top_markdown()),
            "analyst_sql": dg.MetadataValue.md(f"```sql\n{review.analyst_sql}\n```"),
            **report,
            **(_catalogue_metadata(rule) if rule else {}),
        },
    )


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            name=rule.check_name,
            asset=LEDGER_KEY,
            blocking=False,
            description=_description(rule),
            metadata=_catalogue_metadata(rule),
        )
        for rule in RULES
    ],
    name="rule_checks",
)
def rule_checks(
    context: dg.AssetCheckExecutionContext, settings: dg.ResourceParam[Settings]
) -> Iterator[dg.AssetCheckResult]:
    as_of = run_as_of(context.run.tags, settings)
    config = load_recon_config(settings.recon_config_path)
    materiality = {rule.rule_id: config.materiality(rule.rule_id) for rule in RULES}
    with warehouse_connection(settings) as conn:
        reviews = review_rules(conn, as_of, materiality, run_id=context.run.run_id)
    report_path = report_path_for(settings.reports_dir, as_of)
    for review in reviews:
        yield check_result(review, report_path)
