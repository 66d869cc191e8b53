"""The morning's reading as assets, so every run writes them, however it was started: the
reconciliation report (downstream of the ledger) and the dbt docs (downstream of the build)."""

import dagster as dg
from dagster_dbt import DbtCliResource

from ingestion.landing import ArrivalRules, batch_issues
from orchestration.asset_keys import DBT_DOCS_KEY, FINDINGS_KEY, LEDGER_KEY, REPORT_KEY
from orchestration.review.dbt_docs import generate_dbt_docs
from orchestration.run_tags import run_as_of
from q2c.night_steps import DOCS, REPORT, record_step
from q2c.reconciliation_config import load_recon_config
from q2c.report import LATEST_NAME, write_reconciliation_report
from q2c.settings import Settings
from q2c.warehouse import warehouse_connection


@dg.asset(
    key=REPORT_KEY,
    deps=[LEDGER_KEY],
    group_name="reconciliation",
    kinds={"python", "html"},
    description=(
        "The reconciliation report <Q2C_REPORTS_DIR>/<as-of>.html and latest.html: per family "
        "and rule counts and amount at risk, new vs resolved, aging, top exceptions, trend; the batches not loaded."
    ),
)
def reconciliation_report(
    context: dg.AssetExecutionContext, settings: dg.ResourceParam[Settings]
) -> dg.MaterializeResult:
    as_of = run_as_of(context.run.tags, settings)
    config = load_recon_config(settings.recon_config_path)
    with warehouse_connection(settings) as conn:
        issues = batch_issues(conn, settings.landing_dir, ArrivalRules.from_settings(settings))
        path = write_reconciliation_report(
            conn, as_of, settings.reports_dir, config, run_id=context.run.run_id, batch_issues=issues
        )
        record_step(conn, REPORT, context.run_id)
    context.log.info(f"reconciliation report: {path}")
    return dg.MaterializeResult(
        metadata={
            "as_of": dg.MetadataValue.text(as_of.isoformat()),
            "path": dg.MetadataValue.path(str(path)),
            "latest": dg.MetadataValue.path(str(path.parent / LATEST_NAME)),
        }
    )


@dg.asset(
    key=DBT_DOCS_KEY,
    deps=[FINDINGS_KEY],
    group_name="docs",
    kinds={"dbt", "html"},
    description="dbt docs (models, columns, lineage, catalog) under <Q2C_DOCS_DIR>/dbt/; index.html opens as a file.",
)
def dbt_docs(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, settings: dg.ResourceParam[Settings]
) -> dg.MaterializeResult:
    if not settings.build_docs:
        context.log.info("dbt docs switched off (Q2C_DOCS=off)")
        return dg.MaterializeResult(metadata={"switched_off": "Q2C_DOCS=off"})
    index = generate_dbt_docs(dbt, settings, run_as_of(context.run.tags, settings))
    with warehouse_connection(settings) as conn:
        record_step(conn, DOCS, context.run_id)
    return dg.MaterializeResult(metadata={"index": dg.MetadataValue.path(str(index))})
