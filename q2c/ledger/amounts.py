"""How the ledger's amounts add up: once per business subject.

A rule may find one business subject through two systems: ACC-06 finds the ERP customer and
the billing customer of one dead CRM account, each holding the same receivables. Summing both
would count that money twice, so a rule's amount is summed over its subjects (the catalogue's
``amount_once_per`` key, else the exception itself), each subject's largest amount once.
"""

from __future__ import annotations

from q2c.ledger.schema import FINDING_KEY_COLUMNS
from q2c.rule_catalogue import RULES

# Un-waived active exceptions: what the rule checks and every total count as "at risk".
AT_RISK = "status IN ('open', 'acknowledged')"

for _rule in RULES:
    if _rule.amount_once_per and _rule.amount_once_per not in FINDING_KEY_COLUMNS:
        raise ValueError(
            f"rule {_rule.rule_id}: amount_once_per {_rule.amount_once_per!r} is not a finding key column "
            f"({', '.join(FINDING_KEY_COLUMNS)})"
        )


def amount_subject_sql(alias: str = "") -> str:
    """SQL of the subject an exception's amount belongs to (exceptions of one rule sharing it count once)."""
    p = f"{alias}." if alias else ""
    cases = " ".join(f"WHEN '{r.rule_id}' THEN {p}{r.amount_once_per}" for r in RULES if r.amount_once_per)
    if not cases:
        return f"{p}exception_id"
    return f"coalesce(CASE {p}rule_id {cases} END, {p}exception_id)"


def counted_exceptions_sql(where: str = AT_RISK) -> str:
    """``recon.exceptions`` rows matching ``where`` with ``counted_amount_reporting``: the amount
    where the row is its subject's largest (ties: lowest exception id), else NULL."""
    return f"""
        SELECT *,
               CASE WHEN row_number() OVER (
                        PARTITION BY rule_id, {amount_subject_sql()}
                        ORDER BY amount_at_risk_reporting DESC NULLS LAST, exception_id) = 1
                    THEN amount_at_risk_reporting END AS counted_amount_reporting
        FROM recon.exceptions WHERE {where}
    """
