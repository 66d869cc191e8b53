"""Stripe (billing) JSONL contracts: prefixed ids, lower-case currencies, integer minor-unit
amounts, epoch-second timestamps, the object's status vocabulary."""

from ingestion.sources.checks import boolean, decimal, integer, schema, stripe_id, text

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
