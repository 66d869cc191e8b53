"""What the quality suite expects of each canonical mart (names from docs/design.md §2).

Declarative on purpose: the GX suites are generated from these specs, so adding a check
is one line here and the tests read the same vocabulary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from q2c.quality.iso_currencies import ISO_4217_CODES

# Ceiling for plausible hourly rates and daily hours; see HIGH_NOMINAL_CURRENCIES for
# the currencies exempt from the rate ceiling.
MAX_HOURLY_RATE = 2000
MAX_HOURS_PER_ENTRY = 24

BILLING_INVOICE_STATUSES = frozenset({"draft", "open", "paid", "void", "uncollectible"})
ERP_INVOICE_STATUSES = frozenset({"open", "paid_in_full", "pending_approval", "voided"})
APPROVAL_STATUSES = frozenset({"unsubmitted", "submitted", "approved"})
SOURCE_SYSTEMS = frozenset({"billing", "erp"})
# payments and credit_notes hold documents of both systems, so their statuses are the
# union of Stripe's and NetSuite's vocabularies.
PAYMENT_STATUSES = frozenset({"succeeded", "pending", "failed", "not_deposited", "deposited", "voided"})
CREDIT_NOTE_STATUSES = frozenset({"issued", "void", "open", "fully_applied", "voided"})


@dataclass(frozen=True)
class ValueRange:
    column: str
    min_value: float | None
    max_value: float | None = None
    # When set, rows whose currency (in this column) is high-nominal are exempt.
    exempt_high_nominal_currency_in: str | None = None


@dataclass(frozen=True)
class MartChecks:
    mart: str
    not_null: Mapping[str, float]  # column -> least share of rows that must be non-null
    unique: tuple[str, ...] = ()
    value_sets: Mapping[str, frozenset[str]] = field(default_factory=dict)
    ranges: tuple[ValueRange, ...] = ()
    # (amount column, currency column): mean amount per currency must stay near the
    # previous run's mean for that currency.
    mean_per_currency: tuple[str, str] | None = None

    @property
    def columns(self) -> list[str]:
        cols = [*self.not_null, *self.unique, *self.value_sets]
        for r in self.ranges:
            cols += [r.column] + ([r.exempt_high_nominal_currency_in] if r.exempt_high_nominal_currency_in else [])
        if self.mean_per_currency:
            cols += list(self.mean_per_currency)
        return list(dict.fromkeys(cols))


def _never_null(*columns: str) -> dict[str, float]:
    return dict.fromkeys(columns, 1.0)


def _both_systems_value_sets(statuses: frozenset[str]) -> dict[str, frozenset[str]]:
    """For marts holding documents of both systems, tagged by source_system."""
    return {"source_system": SOURCE_SYSTEMS, "status": statuses, "currency_code": ISO_4217_CODES}


def _money_not_negative(*columns: str) -> tuple[ValueRange, ...]:
    return tuple(ValueRange(c, 0) for c in columns)


MART_CHECKS: Mapping[str, MartChecks] = MappingProxyType(
    {
        c.mart: c
        for c in (
            MartChecks(
                mart="customers",
                not_null={"customer_id": 1.0, "account_name": 1.0, "currency_code": 0.99, "country_code": 0.95},
                unique=("customer_id",),
                value_sets={"currency_code": ISO_4217_CODES},
            ),
            MartChecks(
                mart="rate_cards",
                not_null={
                    "rate_card_id": 1.0,
                    "opportunity_id": 1.0,
                    "role_name": 0.99,
                    "hourly_rate": 1.0,
                    "currency_code": 1.0,
                    "effective_from": 1.0,
                },
                unique=("rate_card_id",),
                value_sets={"currency_code": ISO_4217_CODES},
                ranges=(
                    ValueRange("hourly_rate", 0, MAX_HOURLY_RATE, exempt_high_nominal_currency_in="currency_code"),
                    ValueRange("hours_sold", 0),
                    ValueRange("discount_pct", 0, 100),
                ),
            ),
            MartChecks(
                mart="time_entries",
                not_null={
                    **_never_null("time_entry_id", "spent_date", "hours", "user_id", "approval_status"),
                    "psa_project_code": 0.95,
                    "client_currency_code": 0.99,
                },
                unique=("time_entry_id",),
                value_sets={"approval_status": APPROVAL_STATUSES, "client_currency_code": ISO_4217_CODES},
                ranges=(
                    ValueRange("hours", 0, MAX_HOURS_PER_ENTRY),
                    ValueRange("rounded_hours", 0, MAX_HOURS_PER_ENTRY),
                    ValueRange(
                        "billable_rate", 0, MAX_HOURLY_RATE, exempt_high_nominal_currency_in="client_currency_code"
                    ),
                    ValueRange("cost_rate", 0, MAX_HOURLY_RATE, exempt_high_nominal_currency_in="client_currency_code"),
                ),
            ),
            MartChecks(
                mart="billing_invoices",
                not_null=_never_null("billing_invoice_id", "billing_customer_id", "status", "currency_code", "total"),
                unique=("billing_invoice_id",),
                value_sets={"status": BILLING_INVOICE_STATUSES, "currency_code": ISO_4217_CODES},
                ranges=_money_not_negative("subtotal", "tax", "total", "amount_due", "amount_paid", "amount_remaining"),
                mean_per_currency=("total", "currency_code"),
            ),
            MartChecks(
                mart="billing_invoice_lines",
                not_null=_never_null("billing_invoice_line_id", "billing_invoice_id", "currency_code", "amount"),
                unique=("billing_invoice_line_id",),
                value_sets={"currency_code": ISO_4217_CODES},
                ranges=(ValueRange("quantity", 0),),
            ),
            MartChecks(
                mart="erp_invoices",
                not_null={
                    **_never_null(
                        "erp_transaction_id", "tran_id", "status", "erp_customer_id", "currency_code", "total"
                    ),
                    # Invoices keyed by hand in NetSuite have no Stripe id (INV-02 finds
                    # each one); a surge means the sync itself broke.
                    "billing_invoice_id": 0.9,
                },
                unique=("erp_transaction_id",),
                value_sets={"status": ERP_INVOICE_STATUSES, "currency_code": ISO_4217_CODES},
                ranges=(*_money_not_negative("total", "amount_paid", "amount_unpaid"), ValueRange("exchange_rate", 0)),
                mean_per_currency=("total", "currency_code"),
            ),
            MartChecks(
                mart="payments",
                not_null=_never_null("payment_id", "source_system", "status", "currency_code", "amount"),
                unique=("payment_id",),
                value_sets=_both_systems_value_sets(PAYMENT_STATUSES),
                ranges=_money_not_negative("amount", "amount_captured", "amount_refunded"),
            ),
            MartChecks(
                mart="credit_notes",
                not_null=_never_null("credit_note_id", "source_system", "status", "currency_code", "total"),
                unique=("credit_note_id",),
                value_sets=_both_systems_value_sets(CREDIT_NOTE_STATUSES),
                ranges=_money_not_negative("total"),
            ),
        )
    }
)
