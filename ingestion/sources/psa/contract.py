"""Harvest (PSA) JSONL contracts: integer ids, ISO dates and second-precision UTC
timestamps, hours within a day, non-negative rates. JSON types are checked by the reader."""

from ingestion.sources.checks import (
    ISO_CURRENCY_UPPER,
    ISO_DATE,
    boolean,
    decimal,
    integer,
    schema,
    stripe_id,
    text,
)
from ingestion.sources.plausibility import (
    ISO_DATE_READER,
    ISO_TIMESTAMP_READER,
    LINE_QUANTITY,
    RATE,
    DateFormat,
    event,
    planned,
)

TIMESTAMP = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"
APPROVAL = {"unsubmitted", "submitted", "approved"}
BILL_BY = {"People", "Tasks", "Project", "none"}

_TIMESTAMPS = {"created_at": text(TIMESTAMP), "updated_at": text(TIMESTAMP)}

SCHEMAS = {
    "clients": schema(
        "psa.clients",
        {
            "id": integer(required=True, min_value=1),
            "currency": text(ISO_CURRENCY_UPPER),
            "is_active": boolean(),
            **_TIMESTAMPS,
        },
    ),
    "projects": schema(
        "psa.projects",
        {
            "id": integer(required=True, min_value=1),
            "client_id": integer(min_value=1),
            "client_currency": text(ISO_CURRENCY_UPPER),
            "bill_by": text(isin=BILL_BY),
            "hourly_rate": decimal(min_value=0),
            "fee": decimal(min_value=0),
            "starts_on": text(ISO_DATE),
            "ends_on": text(ISO_DATE),
            **_TIMESTAMPS,
        },
    ),
    "users": schema(
        "psa.users",
        {
            "id": integer(required=True, min_value=1),
            "default_hourly_rate": decimal(min_value=0),
            "cost_rate": decimal(min_value=0),
            **_TIMESTAMPS,
        },
    ),
    "user_roles": schema(
        "psa.users.roles",
        {
            "user_id": integer(required=True),
            "position": integer(required=True, min_value=0),
            "role": text(required=True),
        },
    ),
    "user_assignments": schema(
        "psa.user_assignments",
        {
            "id": integer(required=True, min_value=1),
            "project_id": integer(min_value=1),
            "user_id": integer(min_value=1),
            "hourly_rate": decimal(min_value=0),
            "budget": decimal(min_value=0),
            **_TIMESTAMPS,
        },
    ),
    "time_entries": schema(
        "psa.time_entries",
        {
            "id": integer(required=True, min_value=1),
            "spent_date": text(ISO_DATE, required=True),
            "hours": decimal(required=True, min_value=0, max_value=24),
            "rounded_hours": decimal(min_value=0, max_value=24),
            "approval_status": text(isin=APPROVAL),
            "billable_rate": decimal(min_value=0),
            "cost_rate": decimal(min_value=0),
            "user_id": integer(min_value=1),
            "client_currency": text(ISO_CURRENCY_UPPER),
            "project_id": integer(min_value=1),
            "user_assignment_hourly_rate": decimal(min_value=0),
            "invoice_id": text(stripe_id("in")),
            **_TIMESTAMPS,
        },
    ),
    "expenses": schema(
        "psa.expenses",
        {
            "id": integer(required=True, min_value=1),
            "spent_date": text(ISO_DATE, required=True),
            "total_cost": decimal(),
            "units": decimal(min_value=0),
            "approval_status": text(isin=APPROVAL),
            "user_id": integer(min_value=1),
            "client_currency": text(ISO_CURRENCY_UPPER),
            "project_id": integer(min_value=1),
            "invoice_id": text(stripe_id("in")),
            **_TIMESTAMPS,
        },
    ),
}

DATE_FORMAT = DateFormat("YYYY-MM-DD", ISO_DATE, ISO_DATE_READER)
TIMESTAMP_FORMAT = DateFormat("YYYY-MM-DDThh:mm:ssZ", TIMESTAMP, ISO_TIMESTAMP_READER)
_STAMPS = {"created_at": event(TIMESTAMP_FORMAT), "updated_at": event(TIMESTAMP_FORMAT)}

# Values that cannot be true (ingestion/sources/plausibility.py). A project may be planned to
# start or end in the future; time is spent by the time it is extracted. Hours of a time entry
# are the contract's 0..24 above.
PLAUSIBLE = {
    "clients": _STAMPS,
    "projects": {
        "hourly_rate": RATE,
        "starts_on": planned(DATE_FORMAT),
        "ends_on": planned(DATE_FORMAT),
        **_STAMPS,
    },
    "users": {"default_hourly_rate": RATE, "cost_rate": RATE, **_STAMPS},
    "user_assignments": {"hourly_rate": RATE, **_STAMPS},
    "time_entries": {
        "spent_date": event(DATE_FORMAT),
        "billable_rate": RATE,
        "cost_rate": RATE,
        "user_assignment_hourly_rate": RATE,
        **_STAMPS,
    },
    "expenses": {"spent_date": event(DATE_FORMAT), "units": LINE_QUANTITY, **_STAMPS},
}
