"""Per system: every manifest row is accounted for, no batch was turned away or is held, and
no batch folder stays incomplete beyond its timeout.

Severities: a held batch is ERROR (the system's newest data is not in tonight's numbers and
an operator must act: fix or skip the rejected batch, complete or skip the incomplete one);
a rejected batch that holds nothing yet and a folder incomplete too long are WARN. None is
blocking: the other systems and the rest of the night go on, and, as with the rule checks, a
failed ERROR check leaves the run green and sends the alert digest (status "errors").
"""

from collections.abc import Callable

import dagster as dg
import duckdb

from ingestion.catalog import BATCH_LOG, QUARANTINE, SYSTEMS, raw_dataset
from ingestion.landing import ArrivalRules, LoggedBatch, discover_batches, read_batch_log, stale_incomplete
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
    """rows in the manifest = rows loaded + rows quarantined + rows rejected, for every decided
    batch (loaded, rejected, skipped; a held one is not decided yet), and the quarantine table
    holds exactly the rows the batch log says it quarantined."""
    schema = raw_dataset(system)
    if not _table_exists(conn, schema, BATCH_LOG):
        return dg.AssetCheckResult(passed=True, metadata={"batches": 0}, description="nothing landed yet")
    has_quarantine = _table_exists(conn, schema, QUARANTINE)
    quarantine = (
        # one raw_quarantine row per failed check: a record failing two checks is still one record
        f"(SELECT batch_id, count(DISTINCT file || ':' || line_number) AS n FROM {schema}.{QUARANTINE} "
        "GROUP BY batch_id)"
        if has_quarantine
        else "(SELECT NULL::VARCHAR AS batch_id, 0 AS n WHERE false)"
    )
    in_quarantine = dict(conn.execute(f"SELECT batch_id, n FROM {quarantine}").fetchall())
    # a batch logged before rows_rejected was kept has NULL there: only a loaded one is checked
    decided = [
        b
        for b in read_batch_log(conn, system)
        if b.status == "loaded" or (b.status in ("rejected", "skipped") and b.rows_rejected is not None)
    ]
    rows = [
        (
            b.batch_id,
            b.status,
            b.rows_manifest or 0,
            b.rows_loaded or 0,
            b.rows_quarantined or 0,
            b.rows_rejected or 0,
            in_quarantine.get(b.batch_id, 0),
        )
        for b in decided
    ]
    broken = [r for r in rows if r[2] != r[3] + r[4] + r[5] or r[4] != r[6]]
    loaded = [r for r in rows if r[1] == "loaded"]
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
            "batches_loaded": len(loaded),
            "batches_decided": len(rows),
            "rows_manifest": sum(r[2] for r in loaded),
            "rows_loaded": sum(r[3] for r in loaded),
            "rows_quarantined": sum(r[4] for r in loaded),
            "rows_rejected": sum(r[5] for r in rows),
            "unbalanced_batches": dg.MetadataValue.md(
                _markdown(
                    ["batch_id", "status", "manifest", "loaded", "quarantined", "rejected", "in raw_quarantine"], broken
                )
            ),
            "quarantine_by_check": dg.MetadataValue.md(_markdown(["object", "check", "rows"], by_check)),
            "quarantine_examples": dg.MetadataValue.md(
                _markdown(["batch_id", "file", "line", "check", "message", "record"], examples)
            ),
        },
    )


def _statuses(logged: list[LoggedBatch]) -> list[tuple]:
    counts: dict[str, int] = {}
    for b in logged:
        counts[b.status] = counts.get(b.status, 0) + 1
    return sorted(counts.items())


def batches_accepted(conn: duckdb.DuckDBPyConnection, system: str, settings: Settings) -> dg.AssetCheckResult:
    """WARN when a complete batch was rejected instead of loaded."""
    logged = read_batch_log(conn, system)
    rejected = [(b.batch_id, b.mode, b.rows_manifest, b.reason) for b in logged if b.status == "rejected"]
    _, writing = discover_batches(settings.landing_dir, system)
    return dg.AssetCheckResult(
        passed=not rejected,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "batches_by_status": dg.MetadataValue.md(_markdown(["status", "batches"], _statuses(logged))),
            "rejected": dg.MetadataValue.md(_markdown(["batch_id", "mode", "manifest rows", "reason"], rejected)),
            "batches_still_being_written": dg.MetadataValue.text(", ".join(writing) or "none"),
        },
    )


def batches_not_held(conn: duckdb.DuckDBPyConnection, system: str) -> dg.AssetCheckResult:
    """ERROR when a complete batch is held behind a rejected or an incomplete older batch."""
    held = [(b.batch_id, b.mode, b.rows_manifest, b.reason) for b in read_batch_log(conn, system) if b.status == "held"]
    return dg.AssetCheckResult(
        passed=not held,
        severity=dg.AssetCheckSeverity.ERROR,
        description=f"{len(held)} batch(es) of {system} held: not in tonight's numbers" if held else None,
        metadata={
            "batches_held": len(held),
            "held": dg.MetadataValue.md(_markdown(["batch_id", "mode", "manifest rows", "reason"], held)),
        },
    )


def incomplete_within_timeout(conn: duckdb.DuckDBPyConnection, system: str, settings: Settings) -> dg.AssetCheckResult:
    """WARN when a batch folder has had no _manifest.json beyond Q2C_INCOMPLETE_BATCH_TIMEOUT_HOURS."""
    rules = ArrivalRules.from_settings(settings)
    stale = stale_incomplete(settings.landing_dir, system, read_batch_log(conn, system), rules)
    return dg.AssetCheckResult(
        passed=not stale,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "timeout_hours": settings.incomplete_batch_timeout_hours,
            "incomplete": dg.MetadataValue.md(
                _markdown(["batch_id", "reason"], [(i.batch_id, i.reason) for i in stale])
            ),
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


def system_checks(system: str) -> list[dg.AssetChecksDefinition]:
    key = batch_log_key(system)
    return [
        _warehouse_check(
            key,
            "manifest_rows_accounted",
            "Every decided batch: manifest rows = rows loaded + quarantined + rejected (and raw_quarantine agrees).",
            lambda conn, _settings: batch_accounting(conn, system),
        ),
        _warehouse_check(
            key,
            "no_rejected_batches",
            "No complete batch was rejected (WARN): its records are not in the warehouse.",
            lambda conn, settings: batches_accepted(conn, system, settings),
        ),
        _warehouse_check(
            key,
            "no_held_batches",
            "No complete batch is held behind a rejected or an incomplete older one (ERROR): the system is behind.",
            lambda conn, _settings: batches_not_held(conn, system),
        ),
        _warehouse_check(
            key,
            "no_stale_incomplete_batches",
            "No batch folder without _manifest.json beyond Q2C_INCOMPLETE_BATCH_TIMEOUT_HOURS (WARN).",
            lambda conn, settings: incomplete_within_timeout(conn, system, settings),
        ),
        _warehouse_check(
            key,
            "no_new_columns",
            "No raw column outside the extract contract (WARN): new source fields load, then wait for the contract.",
            lambda conn, _settings: new_columns_check(conn, system),
        ),
    ]


def all_system_checks() -> list[dg.AssetChecksDefinition]:
    return [check for system in SYSTEMS for check in system_checks(system)]
