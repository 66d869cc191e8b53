"""Stripe (billing) JSONL contracts: prefixed ids, lower-case currencies, integer minor-unit
amounts, epoch-second timestamps, the object's status vocabulary."""

from ingestion.sources.checks import boolean, decimal, integer, schema, stripe_id, text
from ingestion.sources.plausibility import EPOCH_SECONDS, LINE_QUANTITY, MINOR_AMOUNT, MONEY_TEXT, event, planned

CURRENCY = r"^[a-z]{3}$"
DECIMAL_STRING = r"^-?\d+(\.\d+)?$"

SCHEMAS = {
    "customers": schema(
        "billing.customers",
        {
            "id": text(stripe_id("cus"), required=True),
            "object": text(isin={"customer"}),
            "currency": text(CURRENCY),
            "created": integer(min_value=0),
            "livemode": boolean(),
            "deleted": boolean(),
        },
    ),
    "customer_tax_ids": schema(
        "billing.customers.tax_ids",
        {
            "customer_id": text(stripe_id("cus"), required=True),
            "position": integer(required=True, min_value=0),
            "value": text(required=True),
        },
    ),
    "invoices": schema(
        "billing.invoices",
        {
            "id": text(stripe_id("in"), required=True),
            "object": text(isin={"invoice"}),
            "customer": text(stripe_id("cus"), required=True),
            "status": text(isin={"draft", "open", "paid", "void", "uncollectible"}, required=True),
            "currency": text(CURRENCY, required=True),
            "subtotal": integer(),
            "tax": integer(),
            "total": integer(),
            "amount_due": integer(min_value=0),
            "amount_paid": integer(min_value=0),
            "amount_remaining": integer(min_value=0),
            "created": integer(min_value=0),
            "due_date": integer(min_value=0),
        },
    ),
    "invoice_lines": schema(
        "billing.invoices.lines",
        {
            "id": text(stripe_id("il"), required=True),
            "invoice_id": text(stripe_id("in"), required=True),
            "amount": integer(),
            "currency": text(CURRENCY),
            "quantity": decimal(min_value=0),
            "unit_amount_excluding_tax": text(DECIMAL_STRING),
        },
    ),
    "credit_notes": schema(
        "billing.credit_notes",
        {
            "id": text(stripe_id("cn"), required=True),
            "invoice": text(stripe_id("in")),
            "customer": text(stripe_id("cus")),
            "status": text(isin={"issued", "void"}, required=True),
            "total": integer(min_value=0),
            "currency": text(CURRENCY),
            "created": integer(min_value=0),
        },
    ),
    "charges": schema(
        "billing.charges",
        {
            "id": text(stripe_id("ch"), required=True),
            "invoice": text(stripe_id("in")),
            "customer": text(stripe_id("cus")),
            "amount": integer(min_value=0),
            "amount_captured": integer(min_value=0),
            "amount_refunded": integer(min_value=0),
            "currency": text(CURRENCY, required=True),
            "status": text(isin={"succeeded", "pending", "failed"}, required=True),
            "paid": boolean(),
            "refunded": boolean(),
            "created": integer(min_value=0),
        },
    ),
}

# Values that cannot be true (ingestion/sources/plausibility.py); every timestamp is epoch
# seconds, so one in milliseconds lands thousands of years ahead. An invoice's due date and
# its (or a line's) service period may lie ahead: advance billing.
PLAUSIBLE = {
    "customers": {"created": event(EPOCH_SECONDS)},
    "invoices": {
        **dict.fromkeys(("subtotal", "tax", "total", "amount_due", "amount_paid", "amount_remaining"), MINOR_AMOUNT),
        "created": event(EPOCH_SECONDS),
        "due_date": planned(EPOCH_SECONDS),
        "period_start": planned(EPOCH_SECONDS),
        "period_end": planned(EPOCH_SECONDS),
        "status_transitions_finalized_at": event(EPOCH_SECONDS),
        "status_transitions_paid_at": event(EPOCH_SECONDS),
        "status_transitions_voided_at": event(EPOCH_SECONDS),
        "status_transitions_marked_uncollectible_at": event(EPOCH_SECONDS),
    },
    "invoice_lines": {
        "amount": MINOR_AMOUNT,
        "quantity": LINE_QUANTITY,
        "unit_amount_excluding_tax": MONEY_TEXT,
        "period_start": planned(EPOCH_SECONDS),
        "period_end": planned(EPOCH_SECONDS),
    },
    "credit_notes": {"total": MINOR_AMOUNT, "created": event(EPOCH_SECONDS), "voided_at": event(EPOCH_SECONDS)},
    "charges": {
        **dict.fromkeys(("amount", "amount_captured", "amount_refunded"), MINOR_AMOUNT),
        "created": event(EPOCH_SECONDS),
    },
}
