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
from q2c.ledger.amounts import AT_RISK, amount_subject_sql, counted_exceptions_sql
from q2c.ledger.identity import AGING_BUCKETS
from q2c.ledger.schema import FINDING_KEY_COLUMNS, ensure_ledger_tables
from q2c.rule_catalogue import FAMILIES

if TYPE_CHECKING:
    from ingestion.landing.batch_log import BatchIssue

TREND_RUNS = 30
TOP_PER_RULE = 10


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
    top_exceptions: list[dict[str, Any]]  # the largest open ones of each rule, in rule order
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
                       coalesce(sum(counted_amount_reporting), 0) AS amount
                FROM ({counted_exceptions_sql(f"{AT_RISK} AND {where}")}) GROUP BY 1""",
        )
    }
    return [
        AgingRow(b, found[b]["n"] if b in found else 0, Decimal(found[b]["amount"]) if b in found else Decimal("0"))
        for b in AGING_BUCKETS
        if bucket_column == "open_aging_bucket" or b != "0-30"  # UNB-01 only fires after 30 days
    ]


# The customer a finding concerns, by name: the CRM account's, else the ERP or billing customer's.
_CUSTOMER_NAMES = (
    ("marts.customers", "crm_account_id", "account_name"),
    ("marts.erp_customers", "erp_customer_id", "company_name"),
    ("marts.billing_customers", "billing_customer_id", "customer_name"),
)


def _customer_name_sql(conn: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """(select expression, joins) naming the customer of ``x``; NULL without the marts."""
    present = {
        f"{s}.{t}" for s, t in conn.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall()
    }
    names, joins = [], []
    for i, (table, key, name) in enumerate(_CUSTOMER_NAMES):
        if table in present:
            joins.append(
                f"LEFT JOIN (SELECT {key}, min({name}) AS name FROM {table} GROUP BY 1) c{i} ON c{i}.{key} = x.{key}"
            )
            names.append(f"c{i}.name")
    return (f"coalesce({', '.join(names)})" if names else "NULL"), " ".join(joins)


def _top(conn: duckdb.DuckDBPyConnection, per_rule: int) -> list[dict[str, Any]]:
    """The ``per_rule`` largest open exceptions of each rule; ``amount_counted`` is false where
    the amount is another finding's of the same subject (counted once, q2c.ledger.amounts)."""
    keys = ", ".join(f"x.{c}" for c in FINDING_KEY_COLUMNS)
    customer, joins = _customer_name_sql(conn)
    return _rows(
        conn,
        f"""SELECT x.exception_id, x.rule_id, x.family, x.status, x.subject_type, x.subject_id, x.attribute,
                   {keys}, x.expected, x.actual, x.amount_at_risk, x.currency_code, x.amount_at_risk_reporting,
                   x.counted_amount_reporting IS NOT NULL OR x.amount_at_risk_reporting IS NULL AS amount_counted,
                   x.owner, x.explanation, x.first_seen_as_of, x.open_age_days, x.event_date, x.event_age_days,
                   {customer} AS customer_name
            FROM (
                SELECT *, row_number() OVER (
                    PARTITION BY rule_id
                    ORDER BY amount_at_risk_reporting DESC NULLS LAST, subject_id, attribute) AS rank
                FROM ({counted_exceptions_sql()})
            ) x {joins}
            WHERE x.rank <= {int(per_rule)}
            ORDER BY x.rule_id, x.rank""",
    )


def load_trend(conn: duckdb.DuckDBPyConnection, as_of: date, runs: int = TREND_RUNS) -> list[TrendPoint]:
    """Active exceptions and their amount on each of the last ``runs`` nights up to ``as_of``.

    Nights are the as-of dates on which the nightly ledger update recorded a change, plus
    ``as_of`` itself (a night that changed nothing has the same values as the one before).
    """
    rows = _rows(
        conn,
        f"""
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
        ), per_subject AS (  -- each subject's amount once (q2c.ledger.amounts)
            SELECT s.as_of, count(*) AS active, max(e.amount_at_risk_reporting) AS amount
            FROM state s JOIN recon.exceptions e ON e.exception_id = s.exception_id
            WHERE s.last_event <> 'resolved'
            GROUP BY s.as_of, e.rule_id, {amount_subject_sql("e")}
        )
        SELECT n.as_of, coalesce(sum(p.active), 0) AS active, coalesce(sum(p.amount), 0) AS amount
        FROM last_nights n
        LEFT JOIN per_subject p ON p.as_of = n.as_of
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
    top_per_rule: int = TOP_PER_RULE,
    batch_issues: list[BatchIssue] | None = None,
) -> ReportData:
    ensure_ledger_tables(conn)
    reviews = review_rules(conn, as_of, materiality, run_id=run_id)
    return ReportData(
        as_of=as_of,
        reporting_currency=reporting_currency,
        run_id=run_id,
        reviews=reviews,
        families=_families(reviews),
        exception_aging=_aging(conn, "open_aging_bucket", "true"),
        unbilled_aging=_aging(conn, "event_aging_bucket", "rule_id = 'UNB-01'"),
        top_exceptions=_top(conn, top_per_rule),
        trend=load_trend(conn, as_of),
        batch_issues=list(batch_issues or []),
    )
