"""The analyst snapshot as the last asset of the night: ``[published, warehouse_snapshot]``.

Downstream of the exception ledger, so it only runs when landing, the dbt build (whose
error tests fail the step) and the ledger all succeeded; it also refuses when any blocking
check of this run failed. The copy itself is q2c.publish.
"""

import dagster as dg
from dagster import DagsterEventType

from orchestration.asset_keys import LEDGER_KEY, SNAPSHOT_KEY
from q2c.night_steps import PUBLISH, record_step
from q2c.publish import publish_snapshot
from q2c.run_lock import LockHolder
from q2c.settings import Settings
from q2c.warehouse import warehouse_connection


def failed_blocking_checks(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    records = instance.get_records_for_run(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION).records
    failed = []
    for record in records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        if evaluation.blocking and not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR:
            failed.append(f"{evaluation.asset_key.to_user_string()} {evaluation.check_name}")
    return failed


@dg.asset(
    key=SNAPSHOT_KEY,
    deps=[LEDGER_KEY],
    group_name="published",
    kinds={"duckdb"},
    description=(
        "Read-only copy of the warehouse for analysts (Q2C_PUBLISHED_PATH, default "
        "data/published/warehouse.duckdb): written as a new file, then atomically swapped in."
    ),
)
def warehouse_snapshot(
    context: dg.AssetExecutionContext,
    settings: dg.ResourceParam[Settings],
    night_lock: dg.ResourceParam[LockHolder],  # a writer of the warehouse: one night at a time
) -> dg.MaterializeResult:
    failed = failed_blocking_checks(context.instance, context.run_id)
    if failed:
        raise dg.Failure(f"not published: blocking check(s) failed: {', '.join(failed)}")
    snapshot = publish_snapshot(settings.duckdb_path, settings.published_path, settings.duckdb_memory_limit)
    with warehouse_connection(settings) as conn:
        record_step(conn, PUBLISH, context.run_id)
    context.log.info(
        f"published {snapshot.path} ({snapshot.tables} tables, {snapshot.views} views, "
        f"{snapshot.size_bytes / 1e6:.1f} MB) in {snapshot.seconds:.1f} s"
    )
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(snapshot.path)),
            "tables": snapshot.tables,
            "views": snapshot.views,
            "size_bytes": snapshot.size_bytes,
            "seconds": dg.MetadataValue.float(round(snapshot.seconds, 2)),
        }
    )
