"""A tiny raw layer (design.md §1) with the sources' real quirks, for testing the dbt model.

``write_raw_fixture(path, dirty=False)`` creates the raw_* schemas and tables in a DuckDB file
exactly as the dlt loader does (CSV systems all VARCHAR text, JSON systems typed, technical
columns included) and fills them with a handful of hand-written rows. ``dirty=True`` adds
documents that do not add up inside their own system, as the demo generator injects them.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb

BATCH_ID = "2026-03-05T02-00-00Z"
LOAD_ID = "1772676000.0"
EPOCH_2026_03_01 = 1772323200  # 2026-03-01T00:00:00Z
DAY = 86400

TECHNICAL = {
    "_q2c_batch_id": "VARCHAR",
    "_q2c_extracted_at": "TIMESTAMP",
    "_dlt_load_id": "VARCHAR",
    "_dlt_id": "VARCHAR",
}

D = Decimal
V, B, I, N = "VARCHAR", "BOOLEAN", "BIGINT", "DECIMAL(18,4)"


def _text(*names: str) -> dict[str, str]:
    return {n: V for n in names}


# ---- crm (Salesforce CSV: every column text) -------------------------------------------
CRM = {
    "account": (
        _text("id", "name", "account_number", "parent_id", "master_record_id", "type",
              "billing_country_code", "currency_iso_code", "tax_id_c", "legal_entity_c",
              "erp_customer_id_c", "is_deleted", "created_date", "last_modified_date",
              "system_modstamp"),
        [
            ["001A1", "Acme Corp", "AC-1", None, None, "Customer", "US", "USD", "US-111",
             "Q2 Advisory Inc.", "101", "false", "2025-12-01T10:00:00.000Z",
             "2026-03-01T14:05:09.000Z", "2026-03-01T14:05:09.000Z"],
            ["001A2", "Beta GmbH", "AC-2", None, None, "Customer", "DE", "EUR", "DE-222",
             "Q2 Advisory Inc.", None, "false", "2025-12-02T10:00:00.000Z",
             "2026-03-01T14:05:09.000Z", "2026-03-01T14:05:09.000Z"],
            ["001A3", "Gone Ltd", None, None, None, "Prospect", "GB", "GBP", None, None, None,
             "true", "2025-12-03T10:00:00.000Z", "2026-03-01T14:05:09.000Z",
             "2026-03-01T14:05:09.000Z"],
            ["001A4", "Acme Japan KK", None, "001A1", "001A1", "Customer", "JP", "JPY", None,
             None, None, "false", "2025-12-04T10:00:00.000Z", "2026-03-01T14:05:09.000Z",
             "2026-03-01T14:05:09.000Z"],
        ],
    ),
    "opportunity": (
        _text("id", "account_id", "name", "stage_name", "is_closed", "is_won", "close_date",
              "amount", "currency_iso_code", "type", "billing_type_c", "not_to_exceed_c",
              "psa_project_code_c", "is_deleted", "last_modified_date", "system_modstamp"),
        [
            ["006O1", "001A1", "Acme rollout", "Closed Won", "true", "true", "2026-01-15",
             "100000.00", "USD", "New Business", "Time and Materials", "120000.00", "PRJ-1",
             "false", "2026-01-15T09:00:00.000Z", "2026-01-15T09:00:00.000Z"],
            ["006O2", "001A2", "Beta audit", "Closed Won", "true", "true", "2026-02-01",
             "50000.00", "EUR", "New Business", "Fixed Fee", None, "PRJ-2", "false",
             "2026-02-01T09:00:00.000Z", "2026-02-01T09:00:00.000Z"],
            ["006O3", "001A3", "Gone deal", "Closed Won", "true", "true", "2026-01-20",
             "1000.00", "GBP", "New Business", "Time and Materials", None, "PRJ-X", "true",
             "2026-01-20T09:00:00.000Z", "2026-01-20T09:00:00.000Z"],
        ],
    ),
    "opportunity_line_item": (
        _text("id", "opportunity_id", "product2_id", "product_code", "quantity", "unit_price",
              "list_price", "discount", "total_price", "service_date", "rate_end_date_c",
              "is_deleted", "last_modified_date", "system_modstamp"),
        [
            ["00kL1", "006O1", "01tSR", "SR-CONS", "200", "175.00", "200.00", "12.5",
             "35000.00", "2026-01-01", "2026-03-31", "false", "2026-01-15T09:00:00.000Z",
             "2026-01-15T09:00:00.000Z"],
            ["00kL2", "006O1", "01tSR", "SR-CONS", "100", "190.00", "200.00", "5",
             "19000.00", "2026-04-01", None, "false", "2026-01-15T09:00:00.000Z",
             "2026-01-15T09:00:00.000Z"],
            ["00kL3", "006O1", "01tCO", "CONS", "300", "120.00", "120.00", "0", "36000.00",
             "2026-01-01", None, "false", "2026-01-15T09:00:00.000Z",
             "2026-01-15T09:00:00.000Z"],
            ["00kL4", "006O1", "01tCO", "CONS", "10", "99.00", "120.00", "0", "990.00",
             "2026-01-01", None, "true", "2026-01-15T09:00:00.000Z",
             "2026-01-15T09:00:00.000Z"],
        ],
    ),
    "product2": (
        _text("id", "name", "product_code", "family", "is_active", "last_modified_date"),
        [
            ["01tSR", "Senior Consultant", "SR-CONS", "Professional Services", "true",
             "2025-01-01T00:00:00.000Z"],
            ["01tCO", "Consultant", "CONS", "Professional Services", "true",
             "2025-01-01T00:00:00.000Z"],
        ],
    ),
}

# ---- psa (Harvest JSON: typed) ---------------------------------------------------------
_PSA_TS = {"created_at": V, "updated_at": V}
PSA = {
    "clients": (
        {"id": I, "name": V, "is_active": B, "currency": V, **_PSA_TS},
        [[1, "Acme", True, "USD", "2025-12-01T10:00:00Z", "2026-01-01T10:00:00Z"],
         [2, "Beta", True, "EUR", "2025-12-01T10:00:00Z", "2026-01-01T10:00:00Z"]],
    ),
    "projects": (
        {"id": I, "client_id": I, "client_name": V, "client_currency": V, "name": V,
         "code": V, "is_active": B, "is_billable": B, "is_fixed_fee": B, "bill_by": V,
         "hourly_rate": N, "fee": N, "starts_on": V, "ends_on": V, **_PSA_TS},
        [[11, 1, "Acme", "USD", "Acme rollout", "PRJ-1", True, True, False, "People", None,
          None, "2026-01-01", "2026-12-31", "2026-01-02T10:00:00Z", "2026-01-02T10:00:00Z"],
         [12, 2, "Beta", "EUR", "Beta extra", "PRJ-3", True, True, True, "Project", None,
          D("5000.00"), "2026-02-01", None, "2026-02-02T10:00:00Z", "2026-02-02T10:00:00Z"]],
    ),
    "users": (
        {"id": I, "first_name": V, "last_name": V, "email": V, "is_active": B,
         "default_hourly_rate": N, "cost_rate": N, **_PSA_TS},
        [[21, "Ann", "Lee", "ann@q2.example", True, D("175.00"), D("80.00"),
          "2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z"],
         [22, "Bob", "Ray", "bob@q2.example", True, D("120.00"), D("60.00"),
          "2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z"]],
    ),
    "user_roles": (
        {"user_id": I, "position": I, "role": V},
        [[21, 0, "Senior Consultant"], [21, 1, "Consultant"], [22, 0, "Consultant"]],
    ),
    "user_assignments": (
        {"id": I, "project_id": I, "project_name": V, "project_code": V, "user_id": I,
         "user_name": V, "is_active": B, "use_default_rates": B, "hourly_rate": N,
         "budget": N, **_PSA_TS},
        [[31, 11, "Acme rollout", "PRJ-1", 21, "Ann Lee", True, False, D("175.00"), None,
          "2026-01-02T10:00:00Z", "2026-01-02T10:00:00Z"]],
    ),
    "time_entries": (
        {"id": I, "spent_date": V, "hours": N, "rounded_hours": N, "notes": V,
         "is_locked": B, "is_billed": B, "is_running": B, "approval_status": V,
         "billable": B, "billable_rate": N, "cost_rate": N, "user_id": I, "user_name": V,
         "client_id": I, "client_name": V, "client_currency": V, "project_id": I,
         "project_name": V, "project_code": V, "task_id": I, "task_name": V,
         "user_assignment_id": I, "user_assignment_is_active": B,
         "user_assignment_hourly_rate": N, "invoice_id": V, "invoice_number": V, **_PSA_TS},
        [[41, "2026-02-10", D("8.5"), D("8.5"), "Workshop", True, True, False, "approved",
          True, D("175.00"), D("80.00"), 21, "Ann Lee", 1, "Acme", "USD", 11,
          "Acme rollout", "PRJ-1", 7, "Consulting", 31, True, D("175.00"), "in_1", "0001",
          "2026-02-10T18:00:00Z", "2026-02-11T09:00:00Z"],
         [42, "2026-02-11", D("1.25"), D("1.5"), "Internal", False, False, False,
          "submitted", False, None, D("60.00"), 22, "Bob Ray", 1, "Acme", "USD", 11,
          "Acme rollout", "PRJ-1", 8, "Admin", None, None, None, None, None,
          "2026-02-11T18:00:00Z", "2026-02-11T18:00:00Z"]],
    ),
    "expenses": (
        {"id": I, "spent_date": V, "total_cost": N, "units": N, "notes": V, "billable": B,
         "is_billed": B, "is_locked": B, "approval_status": V, "user_id": I, "user_name": V,
         "client_id": I, "client_name": V, "client_currency": V, "project_id": I,
         "project_name": V, "project_code": V, "expense_category_id": I,
         "expense_category_name": V, "invoice_id": V, "invoice_number": V, **_PSA_TS},
        [[51, "2026-02-12", D("312.40"), None, "Flight", True, False, False, "approved", 21,
          "Ann Lee", 1, "Acme", "USD", 11, "Acme rollout", "PRJ-1", 3, "Travel", None, None,
          "2026-02-12T10:00:00Z", "2026-02-12T10:00:00Z"]],
    ),
}

# ---- erp (NetSuite CSV: every column text) ---------------------------------------------
ERP = {
    "currency": (_text("id", "symbol", "name"),
                 [["1", "USD", "US Dollar"], ["2", "EUR", "Euro"], ["3", "JPY", "Yen"]]),
    "subsidiary": (
        _text("id", "name", "legalname", "country", "currency"),
        [["1", "Q2 US", "Q2 Advisory Inc.", "US", "1"],
         ["2", "Q2 DE", "Q2 Advisory GmbH", "DE", "2"]],
    ),
    "customer": (
        _text("id", "entityid", "companyname", "externalid", "currency", "subsidiary",
              "vatregnumber", "billcountry", "isinactive", "datecreated", "lastmodifieddate"),
        [["101", "C101", "Acme Corp", "001A1", "1", "1", "US-111", "US", "F",
          "12/5/2025 9:30 am", "3/1/2026 12:05 am"],
         ["102", "C102", "Beta GmbH", "001A2", "2", "2", "DE-222", "DE", "F",
          "12/6/2025 9:30 am", "3/1/2026 12:30 pm"],
         ["103", "C103", "Beta GmbH (dup)", "001A2", "2", "2", "DE-222", "DE", "F",
          "12/7/2025 9:30 am", "3/1/2026 1:15 pm"],
         ["104", "C104", "Orphan Co", "001ZZ", "1", "1", None, "US", "T",
          "12/8/2025 9:30 am", "3/1/2026 11:59 pm"]],
    ),
    "job": (
        _text("id", "entityid", "companyname", "customer", "externalid", "jobbillingtype",
              "startdate", "enddate", "isinactive", "lastmodifieddate"),
        [["201", "J201", "Acme rollout", "101", "PRJ-1", "TM", "1/1/2026", "12/31/2026", "F",
          "1/2/2026 10:00 am"],
         ["202", "J202", "Beta audit", "102", "PRJ-2", "FF", "2/1/2026", None, "F",
          "2/2/2026 10:00 am"]],
    ),
    "transaction": (
        _text("id", "tranid", "type", "status", "trandate", "duedate", "entity", "job",
              "currency", "exchangerate", "foreigntotal", "foreignamountpaid",
              "foreignamountunpaid", "externalid", "memo", "voided", "lastmodifieddate"),
        [["301", "INV301", "CustInvc", "B", "2/28/2026", "3/30/2026", "101", "201", "1",
          "1.00", "1636.25", "1636.25", "0.00", "in_1", None, "F", "3/2/2026 9:00 am"],
         ["302", "INV302", "CustInvc", "A", "3/1/2026", "3/31/2026", "102", "202", "2",
          "1.08", "500.00", "0.00", "400.00", "in_9", None, "F", "3/1/2026 9:00 am"],
         ["311", "PYMT311", "CustPymt", "B", "3/2/2026", None, "101", None, "1", "1.00",
          "1636.25", None, None, "ch_1", None, "F", "3/2/2026 9:00 am"],
         ["321", "CM321", "CustCred", "B", "3/3/2026", None, "102", None, "2", "1.08",
          "100.00", None, None, "cn_1", "Goodwill", "F", "3/3/2026 9:00 am"]],
    ),
    "transactionline": (
        _text("id", "transaction", "linesequencenumber", "mainline", "taxline", "item",
              "quantity", "rate", "foreignamount", "memo"),
        [["3010", "301", "0", "T", "F", None, None, None, "1636.25", None],
         ["3011", "301", "1", "F", "F", "Senior Consultant", "8.5", "175.00", "1487.50",
          None],
         ["3012", "301", "2", "F", "T", "Tax", None, None, "148.75", None],
         ["3020", "302", "0", "T", "F", None, None, None, "500.00", None],
         ["3021", "302", "1", "F", "F", "Fixed fee", "1", "500.00", "500.00", None],
         ["3110", "311", "0", "T", "F", None, None, None, "1636.25", None]],
    ),
    "previoustransactionlink": (
        _text("previousdoc", "nextdoc", "linktype", "foreignamount", "linkdate"),
        [["301", "311", "Payment", "1636.25", "3/2/2026"],
         ["302", "321", "Credit Memo", "100.00", "3/3/2026"]],
    ),
}

# ---- billing (Stripe JSON: typed, amounts in minor units) ------------------------------
_INV_COLS = {"id": V, "object": V, "number": V, "customer": V, "status": V, "currency": V,
             "subtotal": I, "tax": I, "total": I, "amount_due": I, "amount_paid": I,
             "amount_remaining": I, "created": I, "due_date": I, "period_start": I,
             "period_end": I, "status_transitions_finalized_at": I,
             "status_transitions_paid_at": I, "status_transitions_voided_at": I,
             "status_transitions_marked_uncollectible_at": I, "metadata_psa_project_code": V,
             "lines_has_more": B, "livemode": B}
_LINE_COLS = {"id": V, "invoice_id": V, "position": I, "amount": I, "currency": V,
              "description": V, "quantity": N, "unit_amount_excluding_tax": V,
              "period_start": I, "period_end": I, "metadata_psa_project_code": V,
              "metadata_role": V}
T0 = EPOCH_2026_03_01
BILLING = {
    "customers": (
        {"id": V, "object": V, "name": V, "email": V, "currency": V, "address_country": V,
         "address_line1": V, "address_city": V, "address_postal_code": V,
         "metadata_crm_account_id": V, "metadata_erp_customer_id": V, "created": I,
         "livemode": B, "deleted": B},
        [["cus_1", "customer", "Acme Corp", "ap@acme.example", "usd", "US", "1 Main St",
          "Austin", "78701", "001A1", "101", T0 - 90 * DAY, False, None],
         ["cus_2", "customer", "Beta GmbH", "ap@beta.example", "eur", "DE", None, "Berlin",
          None, "001A2", "104", T0 - 60 * DAY, False, None],
         ["cus_3", "customer", "Acme Corp (old)", None, "usd", "US", None, None, None,
          "001A1", None, T0 - 200 * DAY, False, True]],
    ),
    "customer_tax_ids": (
        {"customer_id": V, "position": I, "type": V, "value": V},
        [["cus_1", 0, "us_ein", "US-111"], ["cus_2", 0, "eu_vat", "DE-222"]],
    ),
    "invoices": (
        _INV_COLS,
        [["in_1", "invoice", "0001", "cus_1", "paid", "usd", 148750, 14875, 163625, 163625,
          163625, 0, T0 - 2 * DAY, T0 + 28 * DAY, T0 - 30 * DAY, T0 - DAY, T0 - 2 * DAY,
          T0 + DAY, None, None, "PRJ-1", False, False],
         ["in_2", "invoice", "0002", "cus_2", "open", "jpy", 500, 0, 500, 500, 0, 500,
          T0, T0 + 30 * DAY, T0 - 30 * DAY, T0, T0, None, None, None, "PRJ-2", False, False],
         ["in_3", "invoice", "0003", "cus_2", "open", "bhd", 12345, 0, 12345, 12345, 0,
          12345, T0, None, T0, T0, T0, None, None, None, None, False, False],
         ["in_4", "invoice", None, "cus_1", "draft", "usd", 0, 0, 0, 0, 0, 0, T0, None, T0,
          T0, None, None, None, None, None, False, False]],
    ),
    "invoice_lines": (
        _LINE_COLS,
        [["il_1", "in_1", 0, 148750, "usd", "Senior Consultant Feb", D("8.5"), "17500",
          T0 - 30 * DAY, T0 - DAY, "PRJ-1", "Senior Consultant"],
         ["il_2", "in_2", 0, 500, "jpy", "Milestone 1", D("1"), "500", T0 - 30 * DAY, T0,
          "PRJ-2", None],
         ["il_3", "in_3", 0, 12345, "bhd", "Advisory", D("1"), "12345", T0, T0, None,
          None]],
    ),
    "credit_notes": (
        {"id": V, "object": V, "invoice": V, "customer": V, "status": V, "total": I,
         "currency": V, "reason": V, "created": I, "voided_at": I},
        [["cn_1", "credit_note", "in_2", "cus_2", "issued", 100, "jpy",
          "order_change", T0 + DAY, None]],
    ),
    "charges": (
        {"id": V, "object": V, "invoice": V, "customer": V, "amount": I,
         "amount_captured": I, "amount_refunded": I, "currency": V, "status": V, "paid": B,
         "refunded": B, "created": I},
        [["ch_1", "charge", "in_1", "cus_1", 163625, 163625, 0, "usd", "succeeded", True,
          False, T0 + DAY]],
    ),
}

# Documents that do not add up inside their own system (INV-08 material).
DIRTY_BILLING_INVOICES = [
    # total != subtotal + tax, subtotal != Σ lines, paid with amount_remaining > 0
    ["in_5", "invoice", "0005", "cus_1", "paid", "usd", 10000, 1000, 11500, 11500, 11000,
     500, T0, T0 + 30 * DAY, T0 - 30 * DAY, T0, T0, T0, None, None, "PRJ-1", False, False],
]
DIRTY_BILLING_LINES = [
    ["il_5", "in_5", 0, 9000, "usd", "Senior Consultant", D("5"), "18000", T0 - 30 * DAY,
     T0, "PRJ-1", "Senior Consultant"],
]
DIRTY_ERP_TRANSACTIONS = [
    ["303", "INV303", "CustInvc", "A", "3/4/2026", "4/3/2026", "101", "201", "1", "1.00",
     "110.00", "0.00", "110.00", "in_5", None, "F", "3/4/2026 9:00 am"],
]
DIRTY_ERP_LINES = [
    ["3030", "303", "0", "T", "F", None, None, None, "110.00", None],
    ["3031", "303", "1", "F", "F", "Senior Consultant", "1", "100.00", "100.00", None],
]

SYSTEMS = {"raw_crm": CRM, "raw_psa": PSA, "raw_erp": ERP, "raw_billing": BILLING}


def _create(con: duckdb.DuckDBPyConnection, schema: str, table: str,
            columns: dict[str, str], rows: list[list]) -> None:
    all_columns = {**columns, **TECHNICAL}
    ddl = ", ".join(f'"{c}" {t}' for c, t in all_columns.items())
    con.execute(f'CREATE TABLE {schema}."{table}" ({ddl})')
    marks = ", ".join("?" for _ in all_columns)
    technical = [BATCH_ID, "2026-03-05 02:00:00", LOAD_ID]
    con.executemany(
        f'INSERT INTO {schema}."{table}" VALUES ({marks})',
        [[*row, *technical, f"{table}-{i}"] for i, row in enumerate(rows)],
    )


def write_raw_fixture(path: Path, dirty: bool = False) -> None:
    """(Re)create every raw_* table of design.md §1 in the DuckDB file at ``path``."""
    con = duckdb.connect(str(path))
    try:
        con.execute("BEGIN")
        for schema, tables in SYSTEMS.items():
            con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            con.execute(f"CREATE SCHEMA {schema}")
            for table, (columns, rows) in tables.items():
                rows = list(rows)
                if dirty and (schema, table) == ("raw_billing", "invoices"):
                    rows += DIRTY_BILLING_INVOICES
                if dirty and (schema, table) == ("raw_billing", "invoice_lines"):
                    rows += DIRTY_BILLING_LINES
                if dirty and (schema, table) == ("raw_erp", "transaction"):
                    rows += DIRTY_ERP_TRANSACTIONS
                if dirty and (schema, table) == ("raw_erp", "transactionline"):
                    rows += DIRTY_ERP_LINES
                _create(con, schema, table, columns, rows)
        con.execute("COMMIT")
    finally:
        con.close()
