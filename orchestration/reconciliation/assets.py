"""The exception ledger as an asset, downstream of ``recon.findings`` (a dbt model)."""

import dagster as dg

from orchestration.asset_keys import FINDINGS_KEY, LEDGER_KEY
from orchestration.run_tags import run_as_of
from q2c.ledger import apply_findings
from q2c.ledger.queue import apply_queued_actions
from q2c.night_steps import LEDGER, record_step
from q2c.run_lock import LockHolder
from q2c.settings import Settings
from q2c.warehouse import warehouse_connection


@dg.asset(
    key=LEDGER_KEY,
    deps=[FINDINGS_KEY],
    group_name="reconciliation",
    kinds={"python", "duckdb"},
    description=(
        "recon.exceptions and recon.exception_events: tonight's findings folded into the "
        "ledger that persists across runs (open, seen again, resolved, reopened)."
    ),
)
def exception_ledger(
    context: dg.AssetExecutionContext,
    settings: dg.ResourceParam[Settings],
    night_lock: dg.ResourceParam[LockHolder],  # a writer of the warehouse: one night at a time
) -> dg.MaterializeResult:
    as_of = run_as_of(context.run.tags, settings)
    with warehouse_connection(settings) as conn:
        # review actions taken while this night held the warehouse: they were taken on the
        # night before, so they apply before tonight's findings
        reviews = apply_queued_actions(conn, settings.review_queue_dir)
        update = apply_findings(conn, as_of, run_id=context.run_id)
        active = conn.execute("SELECT count(*) FROM recon.exceptions WHERE status <> 'resolved'").fetchall()[0][0]
        record_step(conn, LEDGER, context.run_id)
    for action, error in reviews.failed:
        context.log.warning(f"queued review action {action.action} {action.exception_id[:12]} not applied: {error}")
    context.log.info(
        f"ledger as of {as_of}: {update.findings} findings, {update.new} new, "
        f"{update.reopened} reopened, {update.resolved} resolved"
    )
    return dg.MaterializeResult(
        metadata={
            "as_of": dg.MetadataValue.text(as_of.isoformat()),
            "findings": update.findings,
            "new": update.new,
            "reopened": update.reopened,
            "resolved": update.resolved,
            "seen_again": update.seen_again,
            "events_written": update.events_written,
            "active_exceptions": active,
            "review_actions_applied": len(reviews.applied),
            "review_actions_failed": len(reviews.failed),
        }
    )
