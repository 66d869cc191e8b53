"""Per system: every manifest row is accounted for, and no batch was turned away."""

from collections.abc import Callable

import dagster as dg
import duckdb

from ingestion.catalog import BATCH_LOG, QUARANTINE, SYSTEMS, raw_dataset
from ingestion.landing import discover_batches
from orchestration.ingestion.schema_drift import new_columns_check
from q2c.settings import Settings
from q2c.warehouse import warehouse_connection

EXAMPLES = 10


def batch_log_key(system: str) -> dg.AssetKey:
    return dg.AssetKey([raw_dataset(system), BATCH_LOG])


def _table_exists(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        conn.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = $s AND table_name = $t",
            {"s": schema, "t": table},
        ).fetchall()
    )


def _markdown(header: list[str], rows: list[tuple]) -> str:
    if not rows:
        return "_none_"

    def cell(v: object) -> str:
        text = "" if v is None else str(v).replace("|", "\\|").replace("\n", " ")
        return text if len(text) <= 80 else text[:77] + "..."

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def batch_accounting(conn: duckdb.DuckDBPyConnection, system: str) -> dg.AssetCheckResult:
    """rows in the manifest = rows loaded + rows quarantined, for every loaded batch, and the
    quarantine table holds exactly the rows the batch log says it quarantined."""
    schema = raw_dataset(system)
    if not _table_exists(conn, schema, BATCH_LOG):
        return dg.AssetCheckResult(passed=True, metadata={"batches": 0}, description="nothing landed yet")
    has_quarantine = _table_exists(conn, schema, QUARANTINE)
    quarantine = (
        f"(SELECT batch_id, count(*) AS n FROM {schema}.{QUARANTINE} GROUP BY batch_id)"
        if has_quarantine
        else "(SELECT NULL::VARCHAR AS batch_id, 0 AS n WHERE false)"
    )
    rows = conn.execute(
        f"""
        SELECT b.batch_id, b.rows_manifest, b.rows_loaded, b.rows_quarantined, coalesce(q.n, 0)
        FROM {schema}.{BATCH_LOG} b LEFT JOIN {quarantine} q ON q.batch_id = b.batch_id
        WHERE b.status = 'loaded' ORDER BY b.batch_id
        """
    ).fetchall()
    broken = [r for r in rows if r[1] != (r[2] or 0) + (r[3] or 0) or (r[3] or 0) != r[4]]
    by_check: list[tuple] = []
    examples: list[tuple] = []
    if has_quarantine:
        by_check = conn.execute(
            f"""SELECT object, "check", count(*) FROM {schema}.{QUARANTINE}
                GROUP BY ALL ORDER BY 3 DESC, 1, 2"""
        ).fetchall()
        examples = conn.execute(
            f"""SELECT batch_id, file, line_number, "check", message, record FROM {schema}.{QUARANTINE}
                ORDER BY batch_id, file, line_number LIMIT {EXAMPLES}"""
        ).fetchall()
    return dg.AssetCheckResult(
        passed=not broken,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "batches_loaded": len(rows),
            "rows_manifest": sum(r[1] or 0 for r in rows),
            "rows_loaded": sum(r[2] or 0 for r in rows),
            "rows_quarantined": sum(r[3] or 0 for r in rows),
            "unbalanced_batches": dg.MetadataValue.md(
                _markdown(["batch_id", "manifest", "loaded", "quarantined", "in raw_quarantine"], broken)
            ),
            "quarantine_by_check": dg.MetadataValue.md(_markdown(["object", "check", "rows"], by_check)),
            "quarantine_examples": dg.MetadataValue.md(
                _markdown(["batch_id", "file", "line", "check", "message", "record"], examples)
            ),
        },
    )


def batches_accepted(conn: duckdb.DuckDBPyConnection, system: str, settings: Settings) -> dg.AssetCheckResult:
    """WARN when a complete batch was rejected or held instead of loaded."""
    schema = raw_dataset(system)
    turned_away: list[tuple] = []
    statuses: list[tuple] = []
    if _table_exists(conn, schema, BATCH_LOG):
        statuses = conn.execute(
            f"SELECT status, count(*) FROM {schema}.{BATCH_LOG} GROUP BY status ORDER BY status"
        ).fetchall()
        turned_away = conn.execute(
            f"""SELECT batch_id, status, reason FROM {schema}.{BATCH_LOG}
                WHERE status NOT IN ('loaded', 'skipped') ORDER BY batch_id"""
        ).fetchall()
    _, writing = discover_batches(settings.landing_dir, system)
    return dg.AssetCheckResult(
        passed=not turned_away,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "batches_by_status": dg.MetadataValue.md(_markdown(["status", "batches"], statuses)),
            "rejected_or_held": dg.MetadataValue.md(_markdown(["batch_id", "status", "reason"], turned_away)),
            "batches_still_being_written": dg.MetadataValue.text(", ".join(writing) or "none"),
        },
    )


def _warehouse_check(
    key: dg.AssetKey,
    name: str,
    description: str,
    evaluate: Callable[[duckdb.DuckDBPyConnection, Settings], dg.AssetCheckResult],
) -> dg.AssetChecksDefinition:
    """A non-blocking check on a batch log that evaluates over one warehouse connection."""

    @dg.asset_check(asset=key, name=name, blocking=False, description=description)
    def _check(settings: dg.ResourceParam[Settings]) -> dg.AssetCheckResult:
        with warehouse_connection(settings) as conn:
            return evaluate(conn, settings)

    return _check


def _system_checks(system: str) -> list[dg.AssetChecksDefinition]:
    key = batch_log_key(system)
    return [
        _warehouse_check(
            key,
            "manifest_rows_accounted",
            "Every loaded batch: manifest rows = rows loaded + rows quarantined (and the quarantine table agrees).",
            lambda conn, _settings: batch_accounting(conn, system),
        ),
        _warehouse_check(
            key,
            "no_rejected_batches",
            "No complete batch was rejected or held (WARN): its records are not in the warehouse.",
            lambda conn, settings: batches_accepted(conn, system, settings),
        ),
        _warehouse_check(
            key,
            "no_new_columns",
            "No raw column outside the extract contract (WARN): new source fields load, then wait for the contract.",
            lambda conn, _settings: new_columns_check(conn, system),
        ),
    ]


def all_system_checks() -> list[dg.AssetChecksDefinition]:
    return [check for system in SYSTEMS for check in _system_checks(system)]
