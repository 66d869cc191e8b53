"""What the report shows, read from the ledger (recon.exceptions / recon.exception_events).

Money stays Decimal from DuckDB to the page. The trend is rebuilt from the event log:
an exception is active on a night when its latest nightly event up to that night is
``new`` or ``reopened``. The ledger keeps only each exception's latest amount, so a night's
amount at risk is the sum of the latest amounts of the exceptions active that night.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import duckdb

from q2c.ledger import Materiality, RuleReview, review_rules
from q2c.ledger.identity import AGING_BUCKETS
from q2c.ledger.schema import FINDING_KEY_COLUMNS, ensure_ledger_tables
from q2c.rule_catalogue import FAMILIES

if TYPE_CHECKING:
    from ingestion.landing.batch_log import BatchIssue

TREND_RUNS = 30
TOP_EXCEPTIONS = 25
# Counted as "at risk": un-waived active exceptions, as the rule checks count them.
_AT_RISK = "status IN ('open', 'acknowledged')"


@dataclass(frozen=True)
class TrendPoint:
    as_of: date
    open_exceptions: int
    amount_at_risk_reporting: Decimal


@dataclass(frozen=True)
class AgingRow:
    bucket: str
    exceptions: int
    amount_at_risk_reporting: Decimal


@dataclass(frozen=True)
class FamilySummary:
    family: str
    rules_failing: int
    open: int
    new_tonight: int
    resolved_tonight: int
    amount_at_risk_reporting: Decimal


@dataclass
class ReportData:
    as_of: date
    reporting_currency: str
    run_id: str | None
    reviews: list[RuleReview]
    families: list[FamilySummary]
    exception_aging: list[AgingRow]  # open_aging_bucket: since the ledger first detected it
    unbilled_aging: list[AgingRow]  # UNB-01 event_aging_bucket: since the time was spent
    top_exceptions: list[dict[str, Any]]
    trend: list[TrendPoint] = field(default_factory=list)
    batch_issues: list[BatchIssue] = field(default_factory=list)  # rejected, held, incomplete too long

    @property
    def open_total(self) -> int:
        return sum(r.open for r in self.reviews)

    @property
    def amount_total(self) -> Decimal:
        return sum((r.amount_at_risk_reporting for r in self.reviews), Decimal("0"))

    @property
    def new_total(self) -> int:
        return sum(r.new_tonight for r in self.reviews)

    @property
    def resolved_total(self) -> int:
        return sum(r.resolved_tonight for r in self.reviews)

    @property
    def reopened_total(self) -> int:
        return sum(r.reopened_tonight for r in self.reviews)


def _rows(conn: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params or {})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _families(reviews: list[RuleReview]) -> list[FamilySummary]:
    out = []
    for family in FAMILIES:
        mine = [r for r in reviews if r.family == family]
        out.append(
            FamilySummary(
                family=family,
                rules_failing=sum(1 for r in mine if not r.passed),
                open=sum(r.open for r in mine),
                new_tonight=sum(r.new_tonight for r in mine),
                resolved_tonight=sum(r.resolved_tonight for r in mine),
                amount_at_risk_reporting=sum((r.amount_at_risk_reporting for r in mine), Decimal("0")),
            )
        )
    return out


def _aging(conn: duckdb.DuckDBPyConnection, bucket_column: str, where: str) -> list[AgingRow]:
    found = {
        row["bucket"]: row
        for row in _rows(
            conn,
            f"""SELECT {bucket_column} AS bucket, count(*) AS n,
                       coalesce(sum(amount_at_risk_reporting), 0) AS amount
                FROM recon.exceptions WHERE {_AT_RISK} AND {where} GROUP BY 1""",
        )
    }
    return [
        AgingRow(b, found[b]["n"] if b in found else 0, Decimal(found[b]["amount"]) if b in found else Decimal("0"))
        for b in AGING_BUCKETS
        if bucket_column == "open_aging_bucket" or b != "0-30"  # UNB-01 only fires after 30 days
    ]


def _top(conn: duckdb.DuckDBPyConnection, limit: int) -> list[dict[str, Any]]:
    keys = ", ".join(FINDING_KEY_COLUMNS)
    return _rows(
        conn,
        f"""SELECT exception_id, rule_id, family, status, subject_type, subject_id, attribute,
                   {keys}, expected, actual, amount_at_risk, currency_code, amount_at_risk_reporting,
                   owner, explanation, first_seen_as_of, open_age_days, event_date, event_age_days
            FROM recon.exceptions WHERE {_AT_RISK}
            ORDER BY amount_at_risk_reporting DESC NULLS LAST, rule_id, subject_id, attribute
            LIMIT {int(limit)}""",
    )


def load_trend(conn: duckdb.DuckDBPyConnection, as_of: date, runs: int = TREND_RUNS) -> list[TrendPoint]:
    """Active exceptions and their amount on each of the last ``runs`` nights up to ``as_of``.

    Nights are the as-of dates on which the nightly ledger update recorded a change, plus
    ``as_of`` itself (a night that changed nothing has the same values as the one before).
    """
    rows = _rows(
        conn,
        """
        WITH nights AS (
            SELECT DISTINCT as_of FROM recon.exception_events
            WHERE event_type IN ('new', 'reopened', 'resolved') AND as_of <= $as_of
            UNION SELECT $as_of
        ), last_nights AS (
            SELECT as_of FROM nights ORDER BY as_of DESC LIMIT $runs
        ), state AS (
            SELECT n.as_of, ev.exception_id,
                   arg_max(ev.event_type, (ev.as_of, ev.occurred_at)) AS last_event
            FROM last_nights n
            JOIN recon.exception_events ev
              ON ev.as_of <= n.as_of AND ev.event_type IN ('new', 'reopened', 'resolved')
            GROUP BY n.as_of, ev.exception_id
        )
        SELECT n.as_of,
               count(s.exception_id) FILTER (WHERE s.last_event <> 'resolved') AS active,
               coalesce(sum(e.amount_at_risk_reporting) FILTER (WHERE s.last_event <> 'resolved'), 0) AS amount
        FROM last_nights n
        LEFT JOIN state s ON s.as_of = n.as_of
        LEFT JOIN recon.exceptions e ON e.exception_id = s.exception_id
        GROUP BY n.as_of ORDER BY n.as_of
        """,
        {"as_of": as_of, "runs": runs},
    )
    return [TrendPoint(r["as_of"], int(r["active"]), Decimal(r["amount"])) for r in rows]


def load_report_data(
    conn: duckdb.DuckDBPyConnection,
    as_of: date,
    materiality: Materiality | Mapping[str, Materiality],
    reporting_currency: str,
    *,
    run_id: str | None = None,
    top: int = TOP_EXCEPTIONS,
    batch_issues: list[BatchIssue] | None = None,
) -> ReportData:
    ensure_ledger_tables(conn)
    reviews = review_rules(conn, as_of, materiality)
    return ReportData(
        as_of=as_of,
        reporting_currency=reporting_currency,
        run_id=run_id,
        reviews=reviews,
        families=_families(reviews),
        exception_aging=_aging(conn, "open_aging_bucket", "true"),
        unbilled_aging=_aging(conn, "event_aging_bucket", "rule_id = 'UNB-01'"),
        top_exceptions=_top(conn, top),
        trend=load_trend(conn, as_of),
        batch_issues=list(batch_issues or []),
    )
