"""The reconciliation rule ids of the catalogue (shared/rules/README.md), in catalogue order.

The ledger, the Dagster asset checks and the run summary all enumerate rules from here, so a
rule that fires nothing still gets a (passing) check and a summary line.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    rule_id: str
    family: str
    title: str

    @property
    def check_name(self) -> str:
        """Dagster check names must be identifiers: ``ACC-01`` -> ``ACC_01``."""
        return self.rule_id.replace("-", "_")


RULES: tuple[Rule, ...] = (
    Rule("ACC-01", "ACC", "Won CRM account has no ERP customer"),
    Rule("ACC-02", "ACC", "Won CRM account has no billing customer"),
    Rule("ACC-03", "ACC", "Customer attribute differs between CRM and ERP/billing"),
    Rule("ACC-04", "ACC", "Cross-system customer keys conflict"),
    Rule("ACC-05", "ACC", "Inactive ERP customer with open invoices or recent time"),
    Rule("ACC-06", "ACC", "ERP/billing customer maps to no live CRM account"),
    Rule("RATE-01", "RATE", "Time billed at a rate other than the contracted rate"),
    Rule("RATE-02", "RATE", "Invoice line priced other than the contracted rate"),
    Rule("RATE-03", "RATE", "Approved billable time without a rate or a contracted rate"),
    Rule("RATE-04", "RATE", "Engagement currency differs from client or invoice currency"),
    Rule("RATE-05", "RATE", "Billable time outside the project's dates or assignment"),
    Rule("UNB-01", "UNB", "Approved billable time not invoiced after the aging limit"),
    Rule("UNB-02", "UNB", "Marked billed but no valid invoice"),
    Rule("UNB-03", "UNB", "Billable time not approved within the backlog limit"),
    Rule("UNB-04", "UNB", "Approved billable expense not invoiced after the aging limit"),
    Rule("UNB-05", "UNB", "Invoice line hours differ from the time entries billed on it"),
    Rule("INV-01", "INV", "Finalised billing invoice missing in the ERP"),
    Rule("INV-02", "INV", "ERP invoice matches no billing invoice"),
    Rule("INV-03", "INV", "Billing and ERP invoice totals or currencies differ"),
    Rule("INV-04", "INV", "Paid in one system, open in the other"),
    Rule("INV-05", "INV", "Void/uncollectible in billing, open in the ERP"),
    Rule("INV-06", "INV", "Partial payments disagree"),
    Rule("INV-07", "INV", "Credit note missing or different in the ERP"),
    Rule("INV-08", "INV", "Document does not add up inside its own system"),
    Rule("INV-09", "INV", "ERP invoice booked to another customer"),
    Rule("BOOK-01", "BOOK", "Billed beyond the not-to-exceed or fixed fee"),
    Rule("BOOK-02", "BOOK", "Won opportunity without PSA project or ERP job"),
)

RULES_BY_ID: dict[str, Rule] = {rule.rule_id: rule for rule in RULES}
FAMILIES: tuple[str, ...] = ("ACC", "RATE", "UNB", "INV", "BOOK")
