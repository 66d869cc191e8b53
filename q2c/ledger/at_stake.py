"""What is at stake behind findings that carry no amount of their own (ACC-01..04, RATE-04,
BOOK-02: a missing or conflicting customer key, a currency mismatch, a missing project).

Such a finding puts the money of its customer account in doubt: the receivables still open in
the ERP (the books) and the approved billable time not yet invoiced. For each rule, over its
open and acknowledged exceptions without an amount, the accounts involved are the exception's
``crm_account_id``, else the account of the engagement its ``psa_project_code`` names; each
account counts once per rule:

- open receivables: ``marts.erp_invoices.amount_unpaid`` (not voided, > 0) of every ERP
  customer ``marts.customer_keys`` links to the account;
- unbilled value: ``marts.time_entries.billable_amount`` of approved, billable, not billed
  entries on the account's projects (``marts.engagements``);

both in the reporting currency through ``reference.fx_rates`` (as the findings convert). This
is context, not an amount at risk: it is shown beside the rule, never added to the totals.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import duckdb

_NEEDS = ("marts.customer_keys", "marts.erp_invoices", "marts.time_entries", "marts.engagements", "reference.fx_rates")

_SQL = """
WITH unquantified AS (
    SELECT DISTINCT x.rule_id, coalesce(x.crm_account_id, eng.crm_account_id) AS crm_account_id
    FROM recon.exceptions x
    LEFT JOIN (
        SELECT psa_project_code, min(crm_account_id) AS crm_account_id
        FROM marts.engagements WHERE crm_account_id IS NOT NULL GROUP BY psa_project_code
    ) eng ON eng.psa_project_code = x.psa_project_code
    WHERE x.status IN ('open', 'acknowledged') AND x.amount_at_risk_reporting IS NULL
), accounts AS (
    SELECT DISTINCT crm_account_id FROM unquantified WHERE crm_account_id IS NOT NULL
), receivables AS (
    SELECT a.crm_account_id, sum(i.amount_unpaid * fx.rate_to_reporting) AS amount
    FROM accounts a
    JOIN (SELECT DISTINCT crm_account_id, system_customer_id FROM marts.customer_keys WHERE system = 'erp') k
      ON k.crm_account_id = a.crm_account_id
    JOIN marts.erp_invoices i ON i.erp_customer_id = k.system_customer_id
    JOIN reference.fx_rates fx ON fx.currency_code = i.currency_code
    WHERE NOT coalesce(i.is_voided, false) AND i.amount_unpaid > 0
    GROUP BY a.crm_account_id
), unbilled AS (
    SELECT a.crm_account_id, sum(t.billable_amount * fx.rate_to_reporting) AS amount
    FROM accounts a
    JOIN (SELECT DISTINCT crm_account_id, psa_project_code FROM marts.engagements) e
      ON e.crm_account_id = a.crm_account_id
    JOIN marts.time_entries t ON t.psa_project_code = e.psa_project_code
    JOIN reference.fx_rates fx ON fx.currency_code = t.client_currency_code
    WHERE t.approval_status = 'approved' AND t.is_billable AND NOT t.is_billed
    GROUP BY a.crm_account_id
)
SELECT u.rule_id, count(u.crm_account_id) AS accounts,
       coalesce(sum(r.amount), 0) AS receivables, coalesce(sum(b.amount), 0) AS unbilled
FROM unquantified u
LEFT JOIN receivables r ON r.crm_account_id = u.crm_account_id
LEFT JOIN unbilled b ON b.crm_account_id = u.crm_account_id
GROUP BY u.rule_id
"""


@dataclass(frozen=True)
class AtStake:
    accounts: int  # distinct customer accounts the rule's unquantified findings involve
    open_receivables_reporting: Decimal
    unbilled_reporting: Decimal

    @property
    def total_reporting(self) -> Decimal:
        return self.open_receivables_reporting + self.unbilled_reporting


def _has_tables(conn: duckdb.DuckDBPyConnection) -> bool:
    present = {
        f"{s}.{t}" for s, t in conn.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall()
    }
    return all(name in present for name in _NEEDS)


def values_at_stake(conn: duckdb.DuckDBPyConnection) -> dict[str, AtStake]:
    """Per rule id, what its open findings without an amount put at stake; empty when the
    warehouse holds no marts (a ledger alone)."""
    if not _has_tables(conn):
        return {}
    return {
        rule_id: AtStake(int(accounts), Decimal(receivables), Decimal(unbilled))
        for rule_id, accounts, receivables, unbilled in conn.execute(_SQL).fetchall()
    }
