"""Read side of the ledger: per-rule review status (Dagster checks, run summary) and the
list/show queries behind ``q2c exceptions``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import duckdb

from q2c.ledger.actions import resolve_exception_id
from q2c.ledger.amounts import counted_exceptions_sql
from q2c.ledger.at_stake import AtStake, values_at_stake
from q2c.ledger.schema import STATUSES, ensure_ledger_tables
from q2c.reconciliation_config import Materiality
from q2c.rule_catalogue import RULES

TOP_N = 20


@dataclass
class RuleReview:
    rule_id: str
    family: str
    title: str
    as_of: date
    firing: int = 0  # findings tonight (exceptions not resolved, last seen tonight)
    open: int = 0  # open + acknowledged (un-waived) exceptions, any night
    acknowledged: int = 0
    waived: int = 0
    new_tonight: int = 0
    reopened_tonight: int = 0
    resolved_tonight: int = 0
    amount_at_risk_reporting: Decimal = Decimal("0")  # each subject once (q2c.ledger.amounts)
    max_amount_reporting: Decimal | None = None
    at_stake: AtStake | None = None  # behind open findings without an amount (q2c.ledger.at_stake)
    unquantified_open: int = 0
    materiality: Materiality | None = None
    severity: str | None = None  # "error", "warn" or None (pass)
    top: list[dict[str, Any]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.severity is None

    @property
    def analyst_sql(self) -> str:
        return (
            "SELECT *\nFROM recon.exceptions\n"
            f"WHERE rule_id = '{self.rule_id}' AND status IN ('open', 'acknowledged')\n"
            "ORDER BY amount_at_risk_reporting DESC NULLS LAST, subject_id;"
        )

    def top_markdown(self) -> str:
        return findings_markdown(self.top)


_TOP_COLUMNS = (
    "exception_id",
    "status",
    "subject_type",
    "subject_id",
    "attribute",
    "expected",
    "actual",
    "amount_at_risk",
    "currency_code",
    "amount_at_risk_reporting",
    "owner",
    "first_seen_as_of",
    "open_age_days",
    "event_age_days",
)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value).replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= 60 else text[:57] + "..."


def findings_markdown(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "_no open findings_"
    header = "| " + " | ".join(_TOP_COLUMNS) + " |"
    rule = "|" + "|".join("---" for _ in _TOP_COLUMNS) + "|"
    lines = [header, rule]
    for row in rows:
        cells = [_cell(row[c][:12] if c == "exception_id" else row[c]) for c in _TOP_COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _fetch_dicts(conn: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params or {})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _transitions(conn: duckdb.DuckDBPyConnection, as_of: date, run_id: str | None) -> dict[tuple[str, str], int]:
    """(rule id, event type) -> exceptions with that nightly transition: written by ``run_id``,
    else dated ``as_of``."""
    where, params = (
        ("run_id = $run_id", {"run_id": run_id}) if run_id is not None else ("as_of = $as_of", {"as_of": as_of})
    )
    rows = conn.execute(
        f"""SELECT rule_id, event_type, count(DISTINCT exception_id) FROM recon.exception_events
            WHERE {where} AND event_type IN ('new', 'resolved', 'reopened') GROUP BY ALL""",
        params,
    ).fetchall()
    return {(rule_id, event): n for rule_id, event, n in rows}


def review_rules(
    conn: duckdb.DuckDBPyConnection,
    as_of: date,
    materiality: Materiality | Mapping[str, Materiality],
    *,
    run_id: str | None = None,
) -> list[RuleReview]:
    """One review per catalogue rule (rules that never fired included), as of ``as_of``.

    ``materiality`` (config/reconciliation.yml) is one threshold for all rules or one per
    rule id. Only open and acknowledged findings count: a waived one no longer fails.
    ``run_id``: the night's run; its new, resolved and reopened counts are the events that
    run's ledger update wrote (a rerun that changed nothing: 0). Without it they are the
    transitions dated ``as_of``.
    """
    ensure_ledger_tables(conn)
    by_rule = {rule.rule_id: materiality for rule in RULES} if isinstance(materiality, Materiality) else materiality
    params = {"as_of": as_of}
    stats = {
        row["rule_id"]: row
        for row in _fetch_dicts(
            conn,
            """
            SELECT rule_id,
              count(*) FILTER (WHERE status <> 'resolved' AND last_seen_as_of = $as_of) AS firing,
              count(*) FILTER (WHERE status IN ('open', 'acknowledged')) AS open,
              count(*) FILTER (WHERE status = 'acknowledged') AS acknowledged,
              count(*) FILTER (WHERE status = 'waived') AS waived,
              count(*) FILTER (WHERE first_seen_as_of = $as_of) AS new_tonight,
              count(*) FILTER (WHERE status = 'resolved' AND resolved_as_of = $as_of)
                  AS resolved_tonight,
              max(amount_at_risk_reporting)
                  FILTER (WHERE status IN ('open', 'acknowledged')) AS max_amount,
              count(*) FILTER (WHERE status IN ('open', 'acknowledged')
                  AND amount_at_risk_reporting IS NULL) AS unquantified
            FROM recon.exceptions GROUP BY rule_id
            """,
            params,
        )
    }
    amounts = dict(
        conn.execute(
            f"SELECT rule_id, sum(counted_amount_reporting) FROM ({counted_exceptions_sql()}) GROUP BY rule_id"
        ).fetchall()
    )
    tonight = _transitions(conn, as_of, run_id)
    at_stake = values_at_stake(conn)
    top_rows = _fetch_dicts(
        conn,
        f"""
        SELECT rule_id, {", ".join(_TOP_COLUMNS)} FROM (
            SELECT *, row_number() OVER (
                PARTITION BY rule_id
                ORDER BY amount_at_risk_reporting DESC NULLS LAST, subject_id, attribute) AS rank
            FROM recon.exceptions WHERE status IN ('open', 'acknowledged')
        ) WHERE rank <= {TOP_N} ORDER BY rule_id, rank
        """,
    )
    reviews = []
    for rule in RULES:
        review = RuleReview(rule.rule_id, rule.family, rule.title, as_of)
        s = stats.get(rule.rule_id)
        if s:
            review.firing = s["firing"]
            review.open = s["open"]
            review.acknowledged = s["acknowledged"]
            review.waived = s["waived"]
            review.new_tonight = s["new_tonight"]
            review.resolved_tonight = s["resolved_tonight"]
            review.amount_at_risk_reporting = Decimal(amounts.get(rule.rule_id) or 0)
            review.max_amount_reporting = s["max_amount"]
            review.unquantified_open = s["unquantified"]
        review.reopened_tonight = tonight.get((rule.rule_id, "reopened"), 0)
        if run_id is not None:
            review.new_tonight = tonight.get((rule.rule_id, "new"), 0)
            review.resolved_tonight = tonight.get((rule.rule_id, "resolved"), 0)
        if review.unquantified_open:
            review.at_stake = at_stake.get(rule.rule_id)
        review.top = [r for r in top_rows if r["rule_id"] == rule.rule_id]
        review.materiality = by_rule[rule.rule_id]
        if review.open > 0 and review.materiality.is_material(review.max_amount_reporting, review.open):
            review.severity = rule.severity  # the catalogue's severity of a material finding
        elif review.open > 0:
            review.severity = "warn"
        reviews.append(review)
    return reviews


# `q2c exceptions list --status reopened`: open again after it was resolved (a night saw it fire
# again) or after a review (`q2c exceptions reopen`); its status is plain `open`
REOPENED = "reopened"
LIST_STATUSES: tuple[str, ...] = (*STATUSES, REOPENED)

# --sort: each order ends on the exception's identity, so equal keys list the same way every time
LIST_ORDERS: dict[str, str] = {
    "amount": "amount_at_risk_reporting DESC NULLS LAST, rule_id, subject_id, attribute",
    "age": "event_age_days DESC NULLS LAST, open_age_days DESC, amount_at_risk_reporting DESC NULLS LAST, "
    "rule_id, subject_id, attribute",
    "rule": "rule_id, amount_at_risk_reporting DESC NULLS LAST, subject_id, attribute",
    "first-seen": "first_seen_as_of, amount_at_risk_reporting DESC NULLS LAST, rule_id, subject_id, attribute",
}

_LIST_WHERE = """
    WHERE ($rule_id IS NULL OR rule_id = $rule_id)
      AND ($owner IS NULL OR owner = $owner)
      AND ($status IS NULL OR status = $status
           OR ($status = 'reopened' AND status = 'open' AND exception_id IN (
               SELECT exception_id FROM recon.exception_events
               WHERE event_type IN ('reopened', 'manually_reopened'))))
"""


@dataclass(frozen=True)
class ExceptionPage:
    rows: list[dict[str, Any]]
    total: int  # how many match the filters, whatever the limit


def list_exceptions(
    conn: duckdb.DuckDBPyConnection,
    *,
    rule_id: str | None = None,
    status: str | None = None,
    owner: str | None = None,
    limit: int | None = None,
    sort: str = "amount",
) -> list[dict[str, Any]]:
    """The exceptions matching the filters, largest amount at risk first (``sort``)."""
    return exception_page(conn, rule_id=rule_id, status=status, owner=owner, limit=limit, sort=sort).rows


def exception_page(
    conn: duckdb.DuckDBPyConnection,
    *,
    rule_id: str | None = None,
    status: str | None = None,
    owner: str | None = None,
    limit: int | None = None,
    sort: str = "amount",
) -> ExceptionPage:
    """At most ``limit`` matching exceptions (None: all) and how many match in all."""
    ensure_ledger_tables(conn)
    if status is not None and status not in LIST_STATUSES:
        raise ValueError(f"unknown status {status!r}; expected one of {', '.join(LIST_STATUSES)}")
    if sort not in LIST_ORDERS:
        raise ValueError(f"unknown sort {sort!r}; expected one of {', '.join(LIST_ORDERS)}")
    params = {"rule_id": rule_id, "status": status, "owner": owner}
    total = conn.execute(f"SELECT count(*) FROM recon.exceptions {_LIST_WHERE}", params).fetchall()[0][0]
    sql = f"SELECT * FROM recon.exceptions {_LIST_WHERE} ORDER BY {LIST_ORDERS[sort]}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return ExceptionPage(_fetch_dicts(conn, sql, params), total)


def get_exception(conn: duckdb.DuckDBPyConnection, id_or_prefix: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The exception row and its events, oldest first."""
    exception_id = resolve_exception_id(conn, id_or_prefix)
    row = _fetch_dicts(conn, "SELECT * FROM recon.exceptions WHERE exception_id = $id", {"id": exception_id})[0]
    events = _fetch_dicts(
        conn,
        "SELECT * FROM recon.exception_events WHERE exception_id = $id ORDER BY occurred_at, as_of, event_type",
        {"id": exception_id},
    )
    return row, events
