"""Fold one night's ``recon.findings`` into the exception ledger.

Lifecycle (issue 3): a finding seen for the first time opens an exception (event ``new``);
seen again on a later night it stays in its status and only ``last_seen_as_of``,
``runs_seen`` and the age move (no event); an active exception that no longer fires is
``resolved`` (event); a resolved one that fires again is ``reopened`` (event).

Idempotent: the change set is computed against the ledger's own state, so rerunning a
night with the same findings finds nothing to change and writes nothing. A night older than
an exception's last sighting never moves it backwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

import duckdb

from q2c.ledger.errors import LedgerError
from q2c.ledger.identity import aging_bucket_sql, exception_id_sql
from q2c.ledger.schema import ACTIVE_STATUSES, FINDING_KEY_COLUMNS, FINDING_VALUE_COLUMNS, ensure_ledger_tables
from q2c.ledger.transaction import transaction

NIGHTLY_ACTOR = "q2c-nightly"

_ACTIVE = "(" + ", ".join(f"'{s}'" for s in ACTIVE_STATUSES) + ")"
_TONIGHT = "_q2c_ledger_tonight"
_CHANGES = "_q2c_ledger_changes"


def _execute(conn: duckdb.DuckDBPyConnection, sql: str, params: dict) -> None:
    # DuckDB rejects named parameters a statement does not use: pass only the referenced ones.
    used = set(re.findall(r"\$(\w+)", sql))
    conn.execute(sql, {k: v for k, v in params.items() if k in used})


@dataclass(frozen=True)
class LedgerUpdate:
    as_of: date
    findings: int
    new: int
    reopened: int
    resolved: int
    seen_again: int
    refreshed: int

    @property
    def events_written(self) -> int:
        return self.new + self.reopened + self.resolved


def _stage_findings(conn: duckdb.DuckDBPyConnection, findings_table: str) -> None:
    keys = ", ".join(FINDING_KEY_COLUMNS)
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {_TONIGHT} AS
        SELECT {exception_id_sql()} AS exception_id,
               rule_id, family, subject_type, subject_id, coalesce(attribute, '') AS attribute,
               {keys}, expected, actual, currency_code,
               CAST(amount_at_risk AS DECIMAL(18, 4)) AS amount_at_risk,
               CAST(fx_rate_to_reporting AS DECIMAL(18, 8)) AS fx_rate_to_reporting,
               CAST(amount_at_risk_reporting AS DECIMAL(18, 4)) AS amount_at_risk_reporting,
               reporting_currency, CAST(event_date AS DATE) AS event_date,
               CAST(event_age_days AS INTEGER) AS event_age_days, event_aging_bucket, owner, explanation,
               CAST(as_of_date AS DATE) AS as_of_date
        FROM {findings_table}
        """
    )


def _validate_findings(conn: duckdb.DuckDBPyConnection, as_of: date) -> int:
    dates = [r[0] for r in conn.execute(f"SELECT DISTINCT as_of_date FROM {_TONIGHT}").fetchall()]
    if any(d != as_of for d in dates):
        raise LedgerError(
            f"recon.findings were computed as of {', '.join(map(str, sorted(dates, key=str)))}, "
            f"but the ledger is being updated as of {as_of}: rebuild the findings first"
        )
    dupes = conn.execute(
        f"""SELECT rule_id, subject_type, subject_id, attribute, count(*) FROM {_TONIGHT}
            GROUP BY ALL HAVING count(*) > 1 ORDER BY 1, 2, 3, 4 LIMIT 5"""
    ).fetchall()
    if dupes:
        listed = "; ".join(f"{r[0]} {r[1]} {r[2]} {r[3]!r} x{r[4]}" for r in dupes)
        raise LedgerError(f"recon.findings has more than one row per rule and subject: {listed}")
    return conn.execute(f"SELECT count(*) FROM {_TONIGHT}").fetchall()[0][0]


def _stage_changes(conn: duckdb.DuckDBPyConnection, as_of: date) -> None:
    values_differ = " OR ".join(f"e.{c} IS DISTINCT FROM t.{c}" for c in FINDING_VALUE_COLUMNS)
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {_CHANGES} AS
        SELECT exception_id, change, status_before FROM (
            SELECT t.exception_id, e.status AS status_before,
                   CASE
                     WHEN e.exception_id IS NULL THEN 'new'
                     WHEN e.status = 'resolved' AND $as_of >= e.resolved_as_of THEN 'reopened'
                     WHEN e.status IN {_ACTIVE} AND $as_of > e.last_seen_as_of THEN 'seen_again'
                     WHEN e.status IN {_ACTIVE} AND $as_of = e.last_seen_as_of
                          AND ({values_differ}) THEN 'refreshed'
                   END AS change
            FROM {_TONIGHT} t LEFT JOIN recon.exceptions e ON e.exception_id = t.exception_id
            UNION ALL
            SELECT e.exception_id, e.status, 'resolved'
            FROM recon.exceptions e
            WHERE e.status IN {_ACTIVE} AND e.last_seen_as_of <= $as_of
              AND NOT EXISTS (SELECT 1 FROM {_TONIGHT} t WHERE t.exception_id = e.exception_id)
        ) WHERE change IS NOT NULL
        """,
        {"as_of": as_of},
    )


def _write_events(conn: duckdb.DuckDBPyConnection, params: dict) -> None:
    _execute(
        conn,
        f"""
        INSERT INTO recon.exception_events
            (event_id, exception_id, rule_id, as_of, event_type, status_before, status_after,
             actor, reason, run_id, occurred_at)
        SELECT gen_random_uuid()::VARCHAR, c.exception_id,
               coalesce(t.rule_id, e.rule_id), $as_of, c.change, c.status_before,
               CASE c.change WHEN 'resolved' THEN 'resolved' ELSE 'open' END,
               $actor, NULL, $run_id, $now
        FROM {_CHANGES} c
        LEFT JOIN {_TONIGHT} t ON t.exception_id = c.exception_id
        LEFT JOIN recon.exceptions e ON e.exception_id = c.exception_id
        WHERE c.change IN ('new', 'reopened', 'resolved')
        ORDER BY c.change, c.exception_id
        """,
        params,
    )


def _insert_new(conn: duckdb.DuckDBPyConnection, params: dict) -> None:
    cols = ", ".join(FINDING_VALUE_COLUMNS)
    _execute(
        conn,
        f"""
        INSERT INTO recon.exceptions
            (exception_id, rule_id, subject_type, subject_id, attribute, {cols},
             status, first_seen_as_of, last_seen_as_of, runs_seen, open_age_days, open_aging_bucket,
             resolved_as_of, reopened_count, status_by, status_reason, status_changed_at,
             created_at, updated_at)
        SELECT t.exception_id, t.rule_id, t.subject_type, t.subject_id, t.attribute,
               {", ".join(f"t.{c}" for c in FINDING_VALUE_COLUMNS)},
               'open', $as_of, $as_of, 1, 0, '0-30',
               NULL, 0, $actor, NULL, $now, $now, $now
        FROM {_TONIGHT} t JOIN {_CHANGES} c ON c.exception_id = t.exception_id AND c.change = 'new'
        ORDER BY t.exception_id
        """,
        params,
    )


def _update_sighted(conn: duckdb.DuckDBPyConnection, params: dict) -> None:
    refresh = ", ".join(f"{c} = t.{c}" for c in FINDING_VALUE_COLUMNS)
    age = "datediff('day', first_seen_as_of, greatest(last_seen_as_of, $as_of))"
    _execute(
        conn,
        f"""
        UPDATE recon.exceptions SET
            {refresh},
            status = CASE WHEN c.change = 'reopened' THEN 'open' ELSE status END,
            resolved_as_of = CASE WHEN c.change = 'reopened' THEN NULL ELSE resolved_as_of END,
            reopened_count = reopened_count + CASE WHEN c.change = 'reopened' THEN 1 ELSE 0 END,
            status_by = CASE WHEN c.change = 'reopened' THEN $actor ELSE status_by END,
            status_reason = CASE WHEN c.change = 'reopened' THEN NULL ELSE status_reason END,
            status_changed_at = CASE WHEN c.change = 'reopened' THEN $now ELSE status_changed_at END,
            runs_seen = runs_seen + CASE WHEN $as_of > last_seen_as_of THEN 1 ELSE 0 END,
            last_seen_as_of = greatest(last_seen_as_of, $as_of),
            open_age_days = {age},
            open_aging_bucket = {aging_bucket_sql(age)},
            updated_at = $now
        FROM {_TONIGHT} t, {_CHANGES} c
        WHERE t.exception_id = recon.exceptions.exception_id
          AND c.exception_id = recon.exceptions.exception_id
          AND c.change IN ('reopened', 'seen_again', 'refreshed')
        """,
        params,
    )


def _resolve_missing(conn: duckdb.DuckDBPyConnection, params: dict) -> None:
    age = "datediff('day', first_seen_as_of, $as_of)"
    _execute(
        conn,
        f"""
        UPDATE recon.exceptions SET
            status = 'resolved',
            resolved_as_of = $as_of,
            open_age_days = {age},
            open_aging_bucket = {aging_bucket_sql(age)},
            status_by = $actor,
            status_reason = NULL,
            status_changed_at = $now,
            updated_at = $now
        FROM {_CHANGES} c
        WHERE c.exception_id = recon.exceptions.exception_id AND c.change = 'resolved'
        """,
        params,
    )


def apply_findings(
    conn: duckdb.DuckDBPyConnection,
    as_of: date,
    *,
    run_id: str | None = None,
    now: datetime | None = None,
    findings_table: str = "recon.findings",
) -> LedgerUpdate:
    """Fold ``findings_table`` (all rows as of ``as_of``) into the ledger in one transaction."""
    ensure_ledger_tables(conn)
    params = {
        "as_of": as_of,
        "actor": NIGHTLY_ACTOR,
        "run_id": run_id,
        "now": (now or datetime.now(UTC)).replace(tzinfo=None),
    }
    with transaction(conn):
        _stage_findings(conn, findings_table)
        total = _validate_findings(conn, as_of)
        _stage_changes(conn, as_of)
        counts = dict(conn.execute(f"SELECT change, count(*) FROM {_CHANGES} GROUP BY change").fetchall())
        _write_events(conn, params)
        _insert_new(conn, params)
        _update_sighted(conn, params)
        _resolve_missing(conn, params)
        conn.execute(f"DROP TABLE {_CHANGES}")
        conn.execute(f"DROP TABLE {_TONIGHT}")
    return LedgerUpdate(
        as_of=as_of,
        findings=total,
        new=counts.get("new", 0),
        reopened=counts.get("reopened", 0),
        resolved=counts.get("resolved", 0),
        seen_again=counts.get("seen_again", 0),
        refreshed=counts.get("refreshed", 0),
    )
