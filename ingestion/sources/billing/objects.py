"""The objects billing (Stripe list endpoints, JSON Lines) delivers: files, raw tables,
columns, and the child tables its customers' tax ids and invoices' lines flatten into."""

from __future__ import annotations

from ingestion.sources.spec import ChildSpec, json_fields, json_object

SYSTEM = "billing"

OBJECTS = (
    json_object(
        SYSTEM,
        "customers",
        "id object name email currency address.country address.line1 address.city "
        "address.postal_code metadata.crm_account_id metadata.erp_customer_id created::int "
        "livemode::bool deleted::bool",
        (ChildSpec("customer_tax_ids", "tax_ids.data", "customer_id", json_fields("type value")),),
    ),
    json_object(
        SYSTEM,
        "invoices",
        "id object number customer status currency subtotal::int tax::int total::int "
        "amount_due::int amount_paid::int amount_remaining::int created::int due_date::int "
        "period_start::int period_end::int status_transitions.finalized_at::int "
        "status_transitions.paid_at::int status_transitions.voided_at::int "
        "status_transitions.marked_uncollectible_at::int metadata.psa_project_code "
        "lines.has_more::bool livemode::bool",
        (
            ChildSpec(
                "invoice_lines",
                "lines.data",
                "invoice_id",
                json_fields(
                    "id amount::int currency description quantity::dec "
                    "unit_amount_excluding_tax period.start:period_start:int "
                    "period.end:period_end:int metadata.psa_project_code "
                    "metadata.role"
                ),
            ),
        ),
    ),
    json_object(
        SYSTEM,
        "credit_notes",
        "id object invoice customer status total::int currency reason created::int voided_at::int",
    ),
    json_object(
        SYSTEM,
        "charges",
        "id object invoice customer amount::int amount_captured::int amount_refunded::int "
        "currency status paid::bool refunded::bool created::int",
    ),
)

# Primary keys of child tables (design.md); children are replaced per parent (landing.dlt_source).
CHILD_PRIMARY_KEYS = {"customer_tax_ids": ("customer_id", "position"), "invoice_lines": ("id",)}
