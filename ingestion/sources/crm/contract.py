"""Salesforce (CRM) CSV contracts: 18-char ids with the object's key prefix, true/false
booleans, ISO dates and millisecond UTC datetimes, upper-case ISO currency codes."""

from ingestion.sources.checks import (
    DECIMAL,
    ISO_COUNTRY,
    ISO_CURRENCY_UPPER,
    ISO_DATE,
    NON_NEGATIVE_DECIMAL,
    salesforce_id,
    schema,
    text,
)
from ingestion.sources.plausibility import (
    ISO_DATE_READER,
    ISO_TIMESTAMP_READER,
    LINE_QUANTITY,
    MONEY_TEXT,
    RATE,
    DateFormat,
    event,
    planned,
)

BOOLEAN = r"^(true|false)$"
DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$"
ACCOUNT, OPPORTUNITY, LINE_ITEM, PRODUCT = "001", "006", "00k", "01t"

# Salesforce's soft-delete flag and audit stamps (Account has created_date among them).
_DELETED_AND_STAMPED = {
    "is_deleted": text(BOOLEAN, required=True),
    "last_modified_date": text(DATETIME),
    "system_modstamp": text(DATETIME),
}

SCHEMAS = {
    "account": schema(
        "crm.Account",
        {
            "id": text(salesforce_id(ACCOUNT), required=True),
            "name": text(required=True),
            "parent_id": text(salesforce_id(ACCOUNT)),
            "master_record_id": text(salesforce_id(ACCOUNT)),
            "billing_country_code": text(ISO_COUNTRY),
            "currency_iso_code": text(ISO_CURRENCY_UPPER),
            "is_deleted": text(BOOLEAN, required=True),
            "created_date": text(DATETIME),
            "last_modified_date": text(DATETIME),
            "system_modstamp": text(DATETIME),
        },
    ),
    "opportunity": schema(
        "crm.Opportunity",
        {
            "id": text(salesforce_id(OPPORTUNITY), required=True),
            "account_id": text(salesforce_id(ACCOUNT)),
            "is_closed": text(BOOLEAN, required=True),
            "is_won": text(BOOLEAN, required=True),
            "close_date": text(ISO_DATE),
            "amount": text(DECIMAL),
            "currency_iso_code": text(ISO_CURRENCY_UPPER),
            "type": text(isin={"New Business", "Change Order", "Renewal"}),
            "billing_type_c": text(isin={"Time and Materials", "Fixed Fee"}),
            "not_to_exceed_c": text(NON_NEGATIVE_DECIMAL),
            **_DELETED_AND_STAMPED,
        },
    ),
    "opportunity_line_item": schema(
        "crm.OpportunityLineItem",
        {
            "id": text(salesforce_id(LINE_ITEM), required=True),
            "opportunity_id": text(salesforce_id(OPPORTUNITY), required=True),
            "product2_id": text(salesforce_id(PRODUCT)),
            "quantity": text(DECIMAL),
            "unit_price": text(DECIMAL),
            "list_price": text(DECIMAL),
            "discount": text(DECIMAL),
            "total_price": text(DECIMAL),
            "service_date": text(ISO_DATE),
            "rate_end_date_c": text(ISO_DATE),
            **_DELETED_AND_STAMPED,
        },
    ),
    "product2": schema(
        "crm.Product2",
        {
            "id": text(salesforce_id(PRODUCT), required=True),
            "name": text(required=True),
            "is_active": text(BOOLEAN, required=True),
            "last_modified_date": text(DATETIME),
        },
    ),
}

DATE_FORMAT = DateFormat("YYYY-MM-DD", ISO_DATE, ISO_DATE_READER)
DATETIME_FORMAT = DateFormat("YYYY-MM-DDThh:mm:ss.sssZ", DATETIME, ISO_TIMESTAMP_READER)
_STAMPS = {
    "last_modified_date": event(DATETIME_FORMAT),
    "system_modstamp": event(DATETIME_FORMAT),
}

# Values that cannot be true (ingestion/sources/plausibility.py). CloseDate is planned: an open
# opportunity's expected close lies ahead. The rate card's lines may start and end in the future.
PLAUSIBLE = {
    "account": {"created_date": event(DATETIME_FORMAT), **_STAMPS},
    "opportunity": {
        "close_date": planned(DATE_FORMAT),
        "amount": MONEY_TEXT,
        "not_to_exceed_c": MONEY_TEXT,
        **_STAMPS,
    },
    "opportunity_line_item": {
        "quantity": LINE_QUANTITY,
        "unit_price": RATE,
        "list_price": RATE,
        "discount": MONEY_TEXT,
        "total_price": MONEY_TEXT,
        "service_date": planned(DATE_FORMAT),
        "rate_end_date_c": planned(DATE_FORMAT),
        **_STAMPS,
    },
    "product2": {"last_modified_date": event(DATETIME_FORMAT)},
}
