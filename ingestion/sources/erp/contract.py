"""NetSuite (ERP) CSV contracts: integer internal ids, T/F booleans, US M/D/YYYY dates and
'M/D/YYYY h:mm am' datetimes, two-place decimals, status codes per transaction type."""

from ingestion.sources.checks import DECIMAL, INTEGER_ID, ISO_CURRENCY_UPPER, schema, text
from ingestion.sources.plausibility import (
    BIGINT_TEXT,
    FX_RATE_TEXT,
    MONEY_TEXT,
    SIGNED_LINE_QUANTITY,
    US_DATE_OR_DATETIME_READER,
    US_DATE_READER,
    DateFormat,
    event,
    planned,
)

BOOLEAN = r"^[TF]$"
DATE = r"^\d{1,2}/\d{1,2}/\d{4}$"
DATE_OR_DATETIME = r"^\d{1,2}/\d{1,2}/\d{4}( \d{1,2}:\d{2} ?(am|pm|AM|PM))?$"
TRANSACTION_TYPES = {"CustInvc", "CustPymt", "CustCred"}
STATUS_CODES = {"A", "B", "C", "D", "V"}

SCHEMAS = {
    "currency": schema(
        "erp.currency",
        {
            "id": text(INTEGER_ID, required=True),
            "symbol": text(ISO_CURRENCY_UPPER, required=True),
        },
    ),
    "subsidiary": schema(
        "erp.subsidiary",
        {
            "id": text(INTEGER_ID, required=True),
            "currency": text(INTEGER_ID),
        },
    ),
    "customer": schema(
        "erp.customer",
        {
            "id": text(INTEGER_ID, required=True),
            "currency": text(INTEGER_ID),
            "subsidiary": text(INTEGER_ID),
            "isinactive": text(BOOLEAN, required=True),
            "datecreated": text(DATE_OR_DATETIME),
            "lastmodifieddate": text(DATE_OR_DATETIME),
        },
    ),
    "job": schema(
        "erp.job",
        {
            "id": text(INTEGER_ID, required=True),
            "customer": text(INTEGER_ID),
            "jobbillingtype": text(isin={"TM", "FF"}),
            "startdate": text(DATE),
            "enddate": text(DATE),
            "isinactive": text(BOOLEAN, required=True),
            "lastmodifieddate": text(DATE_OR_DATETIME),
        },
    ),
    "transaction": schema(
        "erp.transaction",
        {
            "id": text(INTEGER_ID, required=True),
            "type": text(isin=TRANSACTION_TYPES, required=True),
            "status": text(isin=STATUS_CODES, required=True),
            "trandate": text(DATE),
            "duedate": text(DATE),
            "entity": text(INTEGER_ID),
            "job": text(INTEGER_ID),
            "currency": text(INTEGER_ID),
            "exchangerate": text(DECIMAL),
            "foreigntotal": text(DECIMAL),
            "foreignamountpaid": text(DECIMAL),
            "foreignamountunpaid": text(DECIMAL),
            "voided": text(BOOLEAN),
            "lastmodifieddate": text(DATE_OR_DATETIME),
        },
    ),
    "transactionline": schema(
        "erp.transactionline",
        {
            "id": text(INTEGER_ID, required=True),
            "transaction": text(INTEGER_ID, required=True),
            "linesequencenumber": text(INTEGER_ID),
            "mainline": text(BOOLEAN),
            "taxline": text(BOOLEAN),
            "quantity": text(DECIMAL),
            "rate": text(DECIMAL),
            "foreignamount": text(DECIMAL),
        },
    ),
    "previoustransactionlink": schema(
        "erp.previoustransactionlink",
        {
            "previousdoc": text(INTEGER_ID, required=True),
            "nextdoc": text(INTEGER_ID, required=True),
            "linktype": text(isin={"Payment", "Credit Memo"}, required=True),
            "foreignamount": text(DECIMAL),
            "linkdate": text(DATE),
        },
    ),
}

DATE_FORMAT = DateFormat("M/D/YYYY", DATE, US_DATE_READER)
DATE_OR_DATETIME_FORMAT = DateFormat("M/D/YYYY or M/D/YYYY h:mm am", DATE_OR_DATETIME, US_DATE_OR_DATETIME_READER)

# Values that cannot be true (ingestion/sources/plausibility.py). A job's start and end and a
# transaction's due date may lie ahead; a transaction, its application and every stamp happened.
# Credit memo lines may carry negative quantities and amounts. A line's rate is no hourly rate
# (expense and milestone lines carry their amount there): only its type is checked.
PLAUSIBLE = {
    "customer": {"datecreated": event(DATE_OR_DATETIME_FORMAT), "lastmodifieddate": event(DATE_OR_DATETIME_FORMAT)},
    "job": {
        "startdate": planned(DATE_FORMAT),
        "enddate": planned(DATE_FORMAT),
        "lastmodifieddate": event(DATE_OR_DATETIME_FORMAT),
    },
    "transaction": {
        "trandate": event(DATE_FORMAT),
        "duedate": planned(DATE_FORMAT),
        "exchangerate": FX_RATE_TEXT,
        "foreigntotal": MONEY_TEXT,
        "foreignamountpaid": MONEY_TEXT,
        "foreignamountunpaid": MONEY_TEXT,
        "lastmodifieddate": event(DATE_OR_DATETIME_FORMAT),
    },
    "transactionline": {
        "linesequencenumber": BIGINT_TEXT,
        "quantity": SIGNED_LINE_QUANTITY,
        "rate": MONEY_TEXT,
        "foreignamount": MONEY_TEXT,
    },
    "previoustransactionlink": {"foreignamount": MONEY_TEXT, "linkdate": event(DATE_FORMAT)},
}
