"""A warehouse holding a ledger built from hand-made findings over several nights."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb

from q2c.ledger import apply_findings
from q2c.ledger.schema import FINDING_KEY_COLUMNS

# (rule_id, family, subject_type, subject_id, amount_at_risk (USD) or None, owner, explanation, key column)
Finding = tuple[str, str, str, str, Decimal | None, str, str, str]

_COLUMNS = (
    "rule_id VARCHAR, family VARCHAR, subject_type VARCHAR, subject_id VARCHAR, attribute VARCHAR, "
    + ", ".join(f"{c} VARCHAR" for c in FINDING_KEY_COLUMNS)
    + ", expected VARCHAR, actual VARCHAR, currency_code VARCHAR, amount_at_risk DECIMAL(18,4), "
    "fx_rate_to_reporting DECIMAL(18,8), amount_at_risk_reporting DECIMAL(18,4), reporting_currency VARCHAR, "
    "event_date DATE, event_age_days INTEGER, event_aging_bucket VARCHAR, "
    "owner VARCHAR, explanation VARCHAR, as_of_date DATE"
)


def fold_night(
    conn: duckdb.DuckDBPyConnection,
    as_of: date,
    findings: list[Finding],
    aging: dict[str, str] | None = None,
    *,
    run_id: str | None = None,
    keys_of: dict[str, dict[str, str]] | None = None,
) -> None:
    """Replace recon.findings with ``findings`` as of ``as_of`` and fold them into the ledger;
    ``keys_of``: further key columns per subject id (``{"1011": {"crm_account_id": "001A"}}``)."""
    conn.execute("CREATE SCHEMA IF NOT EXISTS recon")
    conn.execute(f"CREATE OR REPLACE TABLE recon.findings ({_COLUMNS})")
    for rule_id, family, subject_type, subject_id, amount, owner, explanation, key in findings:
        keys = dict.fromkeys(FINDING_KEY_COLUMNS)
        keys[key] = subject_id
        keys.update((keys_of or {}).get(subject_id, {}))
        conn.execute(
            f"INSERT INTO recon.findings VALUES ({', '.join('?' * (5 + len(FINDING_KEY_COLUMNS) + 13))})",
            [
                rule_id,
                family,
                subject_type,
                subject_id,
                "",
                *keys.values(),
                "expected",
                "actual",
                "USD",
                amount,
                Decimal(1),
                amount,
                "USD",
                None,
                None,
                (aging or {}).get(subject_id),
                owner,
                explanation,
                as_of,
            ],
        )
    apply_findings(conn, as_of, run_id=run_id or f"run-{as_of}")


def build_ledger(path: Path, nights: list[tuple[date, list[Finding]]]) -> None:
    with duckdb.connect(str(path)) as conn:
        for as_of, findings in nights:
            fold_night(conn, as_of, findings, aging={"te-1": "61-90", "te-2": "31-60"})
