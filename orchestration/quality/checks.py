"""One GX check per mart, on the dbt mart asset itself, from the suite's stored outcomes.

WARN and non-blocking: GX watches quality over time (a mart half its usual size, a
currency's mean total far from last night's). That calls for a look, not for stopping the
reconciliation; dbt tests already stop a build whose model is inconsistent.
"""

from collections.abc import Iterator
from urllib.parse import unquote, urlparse

import dagster as dg

from orchestration.asset_keys import MART_EXPECTATIONS_KEY
from orchestration.quality.assets import MART_KEYS, gx_docs_dir
from q2c.quality.expectation_results import StoredOutcome, read_outcomes
from q2c.settings import Settings
from q2c.warehouse import warehouse_connection

CHECK_NAME = "gx_quality"


def _docs_path(url: str) -> str:
    parsed = urlparse(url)
    return unquote(parsed.path) if parsed.scheme == "file" else url


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def _failures_markdown(failed: list[StoredOutcome]) -> str:
    lines = ["| expectation | column | observed |", "|---|---|---|"]
    lines += [f"| {_cell(o.expectation_type)} | {_cell(o.column)} | {_cell(o.observed_value)} |" for o in failed]
    return "\n".join(lines)


def mart_check_result(mart: str, outcomes: list[StoredOutcome], settings: Settings) -> dg.AssetCheckResult:
    failed = [o for o in outcomes if not o.success]
    if not outcomes and not settings.build_docs:
        return dg.AssetCheckResult(
            asset_key=MART_KEYS[mart],
            check_name=CHECK_NAME,
            passed=True,
            description="the GX suite was switched off for this run (Q2C_DOCS=off)",
        )
    if not outcomes:
        return dg.AssetCheckResult(
            asset_key=MART_KEYS[mart],
            check_name=CHECK_NAME,
            passed=False,
            severity=dg.AssetCheckSeverity.WARN,
            description="the GX suite recorded no outcome for this mart in this run",
            metadata={"data_docs": dg.MetadataValue.path(str(gx_docs_dir(settings) / "index.html"))},
        )
    docs = _docs_path(outcomes[0].docs_url)
    metadata: dict[str, object] = {
        "expectations": len(outcomes),
        "failed": len(failed),
        "data_docs": dg.MetadataValue.path(docs),
    }
    if failed:
        first = failed[0]
        metadata["failed_expectation"] = dg.MetadataValue.text(
            f"{first.expectation_type}" + (f" on {first.column}" if first.column else "")
        )
        metadata["observed_value"] = dg.MetadataValue.text(first.observed_value)
        metadata["details"] = dg.MetadataValue.text(first.details)
        metadata["failed_expectations"] = dg.MetadataValue.md(_failures_markdown(failed))
    return dg.AssetCheckResult(
        asset_key=MART_KEYS[mart],
        check_name=CHECK_NAME,
        passed=not failed,
        severity=dg.AssetCheckSeverity.WARN,
        description=failed[0].details if failed else f"all {len(outcomes)} expectations met",
        metadata=metadata,
    )


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            name=CHECK_NAME,
            asset=key,
            additional_deps=[MART_EXPECTATIONS_KEY],
            blocking=False,
            description=f"Great Expectations suite marts.{mart}: row count, nulls, value sets, ranges",
        )
        for mart, key in MART_KEYS.items()
    ],
    name="gx_mart_checks",
)
def gx_mart_checks(
    context: dg.AssetCheckExecutionContext, settings: dg.ResourceParam[Settings]
) -> Iterator[dg.AssetCheckResult]:
    with warehouse_connection(settings, read_only=True) as conn:
        by_mart = read_outcomes(conn, context.run.run_id)
    for mart in MART_KEYS:
        yield mart_check_result(mart, by_mart.get(mart, []), settings)
