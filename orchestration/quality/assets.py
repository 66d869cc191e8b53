"""The GX suite over the marts as an asset: run once per nightly, after the dbt build.

It writes the Data Docs under ``<Q2C_DOCS_DIR>/gx/`` and the outcomes to
``quality.expectation_results``, which the per-mart checks (checks.py) publish.
"""

from datetime import UTC, datetime

import dagster as dg

from orchestration.asset_keys import MART_EXPECTATIONS_KEY
from q2c.night_steps import QUALITY, record_step
from q2c.quality import load_previous_row_counts, run_mart_expectations
from q2c.quality.expectation_results import write_outcomes
from q2c.quality.mart_checks import MART_CHECKS
from q2c.settings import Settings
from q2c.warehouse import warehouse_connection

MART_KEYS = {mart: dg.AssetKey(["marts", mart]) for mart in MART_CHECKS}


def gx_docs_dir(settings: Settings):
    return settings.docs_dir / "gx"


@dg.asset(
    key=MART_EXPECTATIONS_KEY,
    deps=list(MART_KEYS.values()),
    group_name="quality",
    kinds={"great_expectations", "duckdb"},
    description=(
        "Great Expectations suites over the canonical marts (row counts against the previous "
        "run, null rates, value sets, ranges, mean invoice total per currency). Writes the "
        "Data Docs under <Q2C_DOCS_DIR>/gx/ and the outcomes to quality.expectation_results."
    ),
)
def mart_expectations(context: dg.AssetExecutionContext, settings: dg.ResourceParam[Settings]) -> dg.MaterializeResult:
    if not settings.build_docs:
        context.log.info("GX suite switched off (Q2C_DOCS=off)")
        return dg.MaterializeResult(metadata={"switched_off": "Q2C_DOCS=off"})
    docs_dir = gx_docs_dir(settings)
    outcomes = run_mart_expectations(
        settings.duckdb_path,
        docs_dir,
        previous_row_counts=load_previous_row_counts(docs_dir),
        run_name=f"nightly-{context.run.run_id}",
        memory_limit=settings.duckdb_memory_limit,
    )
    with warehouse_connection(settings) as conn:
        write_outcomes(conn, context.run.run_id, outcomes, datetime.now(UTC).replace(tzinfo=None))
        record_step(conn, QUALITY, context.run_id)
    failed = [o for o in outcomes if not o.success]
    for o in failed:
        context.log.warning(o.details)
    return dg.MaterializeResult(
        metadata={
            "expectations": len(outcomes),
            "failed": len(failed),
            "data_docs": dg.MetadataValue.path(str(docs_dir / "index.html")),
        }
    )
