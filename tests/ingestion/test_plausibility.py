"""Values that cannot be true are quarantined at landing (issue 17, defects 2 and 7): impossible
calendar dates and times, dates outside the batch's plausible window, rates and quantities
beyond their bounds. The rest of the batch loads, and dbt's staging casts no longer fail."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import duckdb
import pytest

from ingestion.catalog import INT, SYSTEMS, TEXT, objects
from ingestion.landing import land, land_all
from ingestion.landing.plausibility import rules_for
from ingestion.sources.plausibility import Fits, When, Within
from q2c.settings import PlausibleBounds, SettingsError, get_settings, settings_for
from tests.dbt.dbt_harness import run_dbt
from tests.ingestion.batch_writer import (
    erp_transaction,
    invoice,
    invoice_line,
    opportunity,
    sf_id,
    time_entry,
    user,
    write_batch,
)
from tests.ingestion.conftest import Warehouse

B = "2026-11-22T02-00-00Z"  # extracted_at 2026-11-22T02:00:00Z
EVENT_RANGE = "2000-01-01 .. 2026-11-23 02:00:00 (extracted_at + 1 day)"
PLANNED_RANGE = "2000-01-01 .. 2036-11-22 02:00:00 (extracted_at + 10 years for a planned date)"
MS_CREATED = 1764374400000  # 2025-11-29 in epoch milliseconds; the contract says seconds


def epoch(*args: int) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp())


def customer(n: int, **over) -> dict:
    row = {
        "id": f"cus_{n}",
        "object": "customer",
        "name": f"Acme {n}",
        "email": f"billing{n}@acme.test",
        "currency": "usd",
        "address": {"country": "US"},
        "tax_ids": {"data": []},
        "metadata": {"crm_account_id": sf_id("001", n), "erp_customer_id": str(100 + n)},
        "created": 1772000000,
        "livemode": False,
    }
    row.update(over)
    return row


def line_item(n: int, **over) -> dict:
    row = {
        "Id": sf_id("00k", n),
        "OpportunityId": sf_id("006", 1),
        "Product2Id": sf_id("01t", 1),
        "ProductCode": "SR-CONS",
        "Quantity": "120",
        "UnitPrice": "175.00",
        "ListPrice": "200.00",
        "Discount": "12.5",
        "TotalPrice": "21000.00",
        "ServiceDate": "2026-03-01",
        "Rate_End_Date__c": "",
        "IsDeleted": "false",
        "LastModifiedDate": "2026-03-01T14:05:09.000Z",
        "SystemModstamp": "2026-03-01T14:05:09.000Z",
    }
    row.update(over)
    return row


def erp_line(transaction: int, n: int, **over) -> dict:
    row = {
        "id": str(n),
        "transaction": str(transaction),
        "linesequencenumber": str(n),
        "mainline": "F",
        "taxline": "F",
        "item": "Senior Consultant",
        "quantity": "7.5",
        "rate": "175.00",
        "foreignamount": "1312.50",
        "memo": "",
    }
    row.update(over)
    return row


def expense(n: int, **over) -> dict:
    row = {
        "id": n,
        "spent_date": "2026-03-02",
        "total_cost": 120.5,
        "units": 2.0,
        "notes": "train",
        "billable": True,
        "is_billed": False,
        "is_locked": False,
        "approval_status": "approved",
        "user": {"id": 7, "name": "Ann Lee"},
        "client": {"id": 3, "name": "Acme", "currency": "USD"},
        "project": {"id": 9, "name": "Impl", "code": "PRJ-1"},
        "expense_category": {"id": 1, "name": "Travel"},
        "invoice": None,
        "created_at": "2026-03-02T10:00:00Z",
        "updated_at": "2026-03-02T10:00:00Z",
    }
    row.update(over)
    return row


def quarantined(wh, system: str) -> list[tuple]:
    return wh.query(f'SELECT file, line_number, "check", message FROM raw_{system}.raw_quarantine ORDER BY 1, 2, 4')


def test_epoch_milliseconds_in_stripe_timestamps_are_quarantined_naming_file_line_field_and_value(wh):
    customers = [customer(1), customer(2, created=MS_CREATED), customer(3)]
    lines = [invoice_line(1), invoice_line(2, period={"start": MS_CREATED, "end": 1772000000})]
    invoices = [invoice(1, lines), invoice(2, [invoice_line(3)])]
    write_batch(wh.landing, "billing", B, {"customers": customers, "invoices": invoices})

    report = land("billing", settings_for(wh.landing, wh.duckdb_path))

    assert (report.rows_loaded, report.rows_quarantined) == (3, 2)
    assert wh.query("SELECT id FROM raw_billing.customers ORDER BY id") == [("cus_1",), ("cus_3",)]
    assert wh.query("SELECT id FROM raw_billing.invoices ORDER BY id") == [("in_2",)]
    assert quarantined(wh, "billing") == [
        (
            "customers.jsonl",
            2,
            "plausible_range",
            f"customers.jsonl line 2: field 'created' {MS_CREATED} (epoch seconds → year 57880) "
            f"is outside {EVENT_RANGE}",
        ),
        (
            "invoices.jsonl",
            1,
            "plausible_range",
            f"invoices.jsonl line 1: field 'lines.data[1].period.start' {MS_CREATED} (epoch seconds → year 57880) "
            f"is outside {PLANNED_RANGE}",
        ),
    ]


def test_impossible_calendar_dates_and_times_are_quarantined_and_the_rest_of_the_batch_loads(wh):
    write_batch(
        wh.landing,
        "crm",
        B,
        {"Opportunity": [opportunity(1), opportunity(2, CloseDate="2026-02-30"), opportunity(3)]},
    )
    write_batch(
        wh.landing,
        "erp",
        B,
        {
            "transaction": [
                erp_transaction(1, trandate="2/30/2026"),
                erp_transaction(2),
                erp_transaction(3, duedate="13/1/2026"),
                erp_transaction(4, lastmodifieddate="3/1/2026 25:00 pm"),
            ]
        },
    )
    entries = [time_entry(1, spent_date="2026-02-29"), time_entry(2, updated_at="2026-03-02T25:00:00Z"), time_entry(3)]
    write_batch(wh.landing, "psa", B, {"time_entries": entries})

    settings = settings_for(wh.landing, wh.duckdb_path)
    reports = {system: land(system, settings) for system in ("crm", "erp", "psa")}

    assert {s: (r.rows_loaded, r.rows_quarantined) for s, r in reports.items()} == {
        "crm": (2, 1),
        "erp": (1, 3),
        "psa": (1, 2),
    }
    assert wh.query("SELECT id FROM raw_crm.opportunity ORDER BY id") == [(sf_id("006", 1),), (sf_id("006", 3),)]
    assert wh.query("SELECT id FROM raw_erp.transaction") == [("2",)]
    assert wh.query("SELECT id FROM raw_psa.time_entries") == [(3,)]
    assert quarantined(wh, "crm") == [
        (
            "Opportunity.csv",
            2,
            "calendar_date",
            "Opportunity.csv record 2, physical line 3: "
            "field 'CloseDate' '2026-02-30' is not a real calendar date (YYYY-MM-DD)",
        )
    ]
    assert quarantined(wh, "erp") == [
        (
            "transaction.csv",
            1,
            "calendar_date",
            "transaction.csv record 1, physical line 2: "
            "field 'trandate' '2/30/2026' is not a real calendar date (M/D/YYYY)",
        ),
        (
            "transaction.csv",
            3,
            "calendar_date",
            "transaction.csv record 3, physical line 4: "
            "field 'duedate' '13/1/2026' is not a real calendar date (M/D/YYYY)",
        ),
        (
            "transaction.csv",
            4,
            "calendar_date",
            "transaction.csv record 4, physical line 5: "
            "field 'lastmodifieddate' '3/1/2026 25:00 pm' is not a real date or date "
            "and time (M/D/YYYY or M/D/YYYY h:mm am)",
        ),
    ]
    assert quarantined(wh, "psa") == [
        (
            "time_entries.jsonl",
            1,
            "calendar_date",
            "time_entries.jsonl line 1: field 'spent_date' '2026-02-29' is not a real calendar date (YYYY-MM-DD)",
        ),
        (
            "time_entries.jsonl",
            2,
            "calendar_date",
            "time_entries.jsonl line 2: field 'updated_at' '2026-03-02T25:00:00Z' is not a real date and time "
            "(YYYY-MM-DDThh:mm:ssZ)",
        ),
    ]
    # a record is quarantined once per fault: the calendar check never repeats a failed pattern
    write_batch(wh.landing, "crm", "2026-11-22T03-00-00Z", {"Opportunity": [opportunity(4, CloseDate="2/30/2026")]})
    land("crm", settings)
    assert sorted(r[2] for r in quarantined(wh, "crm")) == ["calendar_date", r"str_matches('^\d{4}-\d{2}-\d{2}$')"]


def test_event_dates_end_at_extracted_at_plus_the_margin_while_planned_dates_may_lie_years_ahead(wh):
    write_batch(
        wh.landing,
        "erp",
        B,
        {
            "transaction": [
                erp_transaction(1, trandate="11/22/2026", duedate="11/22/2031"),  # due in 5 years: loads
                erp_transaction(2, trandate="11/24/2026"),  # two days after extraction
                erp_transaction(3, duedate="1/1/2037"),  # beyond the planned horizon
                erp_transaction(4, trandate="12/31/1999"),  # before the earliest date
                erp_transaction(5, lastmodifieddate="11/23/2026 1:30 am"),  # within the day of clock skew
            ]
        },
    )
    invoices = [
        invoice(1, [invoice_line(1)], due_date=epoch(2027, 11, 1), period_end=epoch(2027, 1, 1)),
        invoice(2, [invoice_line(2)], status_transitions={"finalized_at": None, "paid_at": epoch(2026, 11, 25)}),
    ]
    write_batch(wh.landing, "billing", B, {"invoices": invoices})

    settings = settings_for(wh.landing, wh.duckdb_path)
    erp, billing = land("erp", settings), land("billing", settings)

    assert wh.query("SELECT id FROM raw_erp.transaction ORDER BY id") == [("1",), ("5",)]
    assert [(r[1], r[2], r[3]) for r in quarantined(wh, "erp")] == [
        (
            2,
            "plausible_range",
            f"transaction.csv record 2, physical line 3: field 'trandate' '11/24/2026' is outside {EVENT_RANGE}",
        ),
        (
            3,
            "plausible_range",
            f"transaction.csv record 3, physical line 4: field 'duedate' '1/1/2037' is outside {PLANNED_RANGE}",
        ),
        (
            4,
            "plausible_range",
            f"transaction.csv record 4, physical line 5: field 'trandate' '12/31/1999' is outside {EVENT_RANGE}",
        ),
    ]
    assert wh.query("SELECT id, due_date FROM raw_billing.invoices") == [("in_1", epoch(2027, 11, 1))]
    assert [r[3] for r in quarantined(wh, "billing")] == [
        f"invoices.jsonl line 2: field 'status_transitions.paid_at' {epoch(2026, 11, 25)} "
        f"(epoch seconds → 2026-11-25 00:00:00) is outside {EVENT_RANGE}"
    ]
    assert (erp.rows_quarantined, billing.rows_quarantined) == (3, 1)


def test_negative_or_absurd_hours_rates_and_quantities_are_quarantined_but_wrong_looking_ones_load(wh):
    users = [user(1, ["Analyst"]), user(2, ["Analyst"], cost_rate=5_000_000), user(3, ["Analyst"], cost_rate=-90)]
    entries = [
        time_entry(1, billable_rate=999.99),  # a mismatched rate is the reconciliations' business: it loads
        time_entry(2, billable_rate=1_000_001),
        time_entry(3, rounded_hours=-0.25),
        time_entry(4, hours=1e9),
    ]
    expenses = [expense(1), expense(2, units=1e9)]
    write_batch(wh.landing, "psa", B, {"users": users, "time_entries": entries, "expenses": expenses})
    items = [
        line_item(1),
        line_item(2, Quantity="-5"),
        line_item(3, UnitPrice="1000000000"),
        line_item(4, ListPrice="-200.00"),
        line_item(5, Quantity="1" + "0" * 40),
    ]
    write_batch(wh.landing, "crm", B, {"OpportunityLineItem": items})
    lines = [
        erp_line(1, 1),
        erp_line(1, 2, quantity="-7.5", foreignamount="-1312.50"),  # a credit memo's line: loads
        erp_line(1, 3, quantity="1000000000"),
        erp_line(1, 4, linesequencenumber="9" * 20),
    ]
    write_batch(wh.landing, "erp", B, {"transactionline": lines})
    invoices = [
        invoice(1, [invoice_line(1, quantity=40.0)]),
        invoice(2, [invoice_line(2), invoice_line(3, quantity=10_000.5)]),
        invoice(3, [invoice_line(4, amount=-17500)]),  # a credit line: loads
    ]
    write_batch(wh.landing, "billing", B, {"invoices": invoices})

    reports = land_all(settings_for(wh.landing, wh.duckdb_path), raise_on_error=True)

    assert {s: (r.rows_loaded, r.rows_quarantined) for s, r in reports.items()} == {
        "crm": (1, 4),
        "psa": (3, 6),
        "erp": (2, 2),
        "billing": (2, 1),
    }
    assert wh.query("SELECT id, billable_rate FROM raw_psa.time_entries") == [(1, Decimal("999.99"))]
    assert wh.query("SELECT id FROM raw_erp.transactionline ORDER BY id") == [("1",), ("2",)]
    assert wh.query("SELECT id FROM raw_billing.invoice_lines ORDER BY id") == [("il_1",), ("il_4",)]
    messages = {(s, m) for s in SYSTEMS for *_, m in quarantined(wh, s)}
    assert messages >= {
        ("psa", "users.jsonl line 2: field 'cost_rate' 5000000.0000 is outside 0 .. 1000000 "
         "(a rate per hour, Q2C_PLAUSIBLE_MAX_RATE)"),
        ("psa", "time_entries.jsonl line 2: field 'billable_rate' 1000001.0000 is outside 0 .. 1000000 "
         "(a rate per hour, Q2C_PLAUSIBLE_MAX_RATE)"),
        ("psa", "expenses.jsonl line 2: field 'units' 1000000000.0000 is outside 0 .. 10000 "
         "(hours or units on one line, Q2C_PLAUSIBLE_MAX_LINE_QUANTITY)"),
        ("crm", "OpportunityLineItem.csv record 2, physical line 3: "
"field 'Quantity' -5 is outside 0 .. 10000 "
         "(hours or units on one line, Q2C_PLAUSIBLE_MAX_LINE_QUANTITY)"),
        ("crm", "OpportunityLineItem.csv record 3, physical line 4: "
"field 'UnitPrice' 1000000000 is outside 0 .. 1000000 "
         "(a rate per hour, Q2C_PLAUSIBLE_MAX_RATE)"),
        ("crm", "OpportunityLineItem.csv record 4, physical line 5: "
"field 'ListPrice' -200.00 is outside 0 .. 1000000 "
         "(a rate per hour, Q2C_PLAUSIBLE_MAX_RATE)"),
        ("crm", f"OpportunityLineItem.csv record 5, physical line 6: "
f"field 'Quantity' 1{'0' * 40} is outside 0 .. 10000 "
         "(hours or units on one line, Q2C_PLAUSIBLE_MAX_LINE_QUANTITY)"),
        ("erp", "transactionline.csv record 3, physical line 4: "
"field 'quantity' 1000000000 is outside -10000 .. 10000 "
         "(hours or units on one line, Q2C_PLAUSIBLE_MAX_LINE_QUANTITY)"),
        ("erp", f"transactionline.csv record 4, physical line 5: "
f"field 'linesequencenumber' number does not fit BIGINT: {'9' * 20}"),
        ("billing", "invoices.jsonl line 2: field 'lines.data[1].quantity' 10000.5000 is outside 0 .. 10000 "
         "(hours or units on one line, Q2C_PLAUSIBLE_MAX_LINE_QUANTITY)"),
    }  # fmt: skip
    checks = {(s, c) for s in ("psa",) for _, _, c, _ in quarantined(wh, s)}
    # the contract's own bounds (0..24 hours, rates >= 0) report those faults, once
    assert checks == {("psa", "plausible_range"), ("psa", "in_range(0, 24)"), ("psa", "greater_than_or_equal_to(0)")}
    assert len(quarantined(wh, "psa")) == 6


def test_the_bounds_are_the_settings_q2c_plausible_variables(wh, tmp_path):
    entries = [
        time_entry(1, spent_date="2026-11-25", created_at="2026-11-25T10:00:00Z", updated_at="2026-11-25T10:00:00Z"),
        time_entry(2, spent_date="2019-06-01"),
        time_entry(3, billable_rate=250.0),
    ]
    write_batch(wh.landing, "psa", B, {"time_entries": entries})

    default = land("psa", settings_for(wh.landing, wh.duckdb_path))
    assert (default.rows_loaded, default.rows_quarantined) == (2, 1)

    environ = {
        "Q2C_PLAUSIBLE_FUTURE_MARGIN_DAYS": "4",
        "Q2C_PLAUSIBLE_EARLIEST_DATE": "2020-01-01",
        "Q2C_PLAUSIBLE_MAX_RATE": "200",
    }
    other = Warehouse(wh.landing, tmp_path / "other" / "warehouse.duckdb")
    settings = settings_for(other.landing, other.duckdb_path, environ)
    assert settings.plausible == PlausibleBounds(earliest_date=date(2020, 1, 1), future_margin_days=4, max_rate=200)
    changed = land("psa", settings)
    assert (changed.rows_loaded, changed.rows_quarantined) == (1, 2)
    assert [m for *_, m in quarantined(other, "psa")] == [
        "time_entries.jsonl line 2: field 'spent_date' '2019-06-01' is outside "
        "2020-01-01 .. 2026-11-26 02:00:00 (extracted_at + 4 days)",
        "time_entries.jsonl line 3: field 'billable_rate' 250.0000 is outside 0 .. 200 "
        "(a rate per hour, Q2C_PLAUSIBLE_MAX_RATE)",
    ]
    # a nightly's child processes get the same bounds
    assert settings.process_environment()["Q2C_PLAUSIBLE_MAX_RATE"] == "200"
    assert get_settings(settings.process_environment()).plausible == settings.plausible


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("Q2C_PLAUSIBLE_EARLIEST_DATE", "1/1/2000"),
        ("Q2C_PLAUSIBLE_FUTURE_MARGIN_DAYS", "-1"),
        ("Q2C_PLAUSIBLE_PLANNED_HORIZON_YEARS", "0"),
        ("Q2C_PLAUSIBLE_MAX_RATE", "lots"),
        ("Q2C_PLAUSIBLE_MAX_LINE_QUANTITY", "1e9"),  # beyond what DECIMAL(12,4) hours hold
    ],
)
def test_an_unusable_bound_is_refused_naming_its_variable(variable, value):
    with pytest.raises(SettingsError, match=re.escape(f"{variable}={value!r}")):
        get_settings({variable: value})


# Column names that hold a date or a timestamp, whatever the system calls them.
_TEMPORAL_NAME = re.compile(r"date|_at$|^created$|modstamp|_on$|^period_")


@pytest.mark.parametrize("system", SYSTEMS)
def test_every_date_and_timestamp_of_every_object_has_a_plausibility_class(system):
    for spec in objects(system):
        tables = [(spec.table, spec.fields)] + [(c.table, c.fields) for c in spec.children]
        for table, fields in tables:
            rules = rules_for(system, table)
            kinds = {f.column: f.kind for f in fields}
            temporal = {c for c in kinds if _TEMPORAL_NAME.search(c)}
            declared = {c for c, r in rules.items() if isinstance(r, When)}
            assert declared == temporal, (system, table)
            for column, rule in rules.items():
                assert column in kinds, (system, table, column)
                if isinstance(rule, When):
                    assert kinds[column] == (INT if rule.format.shape is None else TEXT), (system, table, column)
                elif isinstance(rule, Fits):
                    assert kinds[column] == TEXT, (system, table, column)
                else:
                    assert isinstance(rule, Within)


def test_what_lands_no_longer_fails_the_staging_casts(wh, tmp_path):
    """Issue 17, defect 7: one impossible date failed the nightly's dbt build with a Conversion
    Error naming no record. The staging models are views, so their casts run when a table
    reads them: every staged row is read here, all columns."""
    opportunities = [opportunity(1), opportunity(2, CloseDate="2026-02-30"), opportunity(3, Amount="1" + "0" * 17)]
    write_batch(wh.landing, "crm", B, {"Opportunity": opportunities})
    transactions = [
        erp_transaction(1),
        erp_transaction(2, trandate="2/30/2026"),
        erp_transaction(3, lastmodifieddate="3/1/2026 2:05pm"),
    ]
    write_batch(
        wh.landing,
        "erp",
        B,
        {"transaction": transactions, "transactionline": [erp_line(1, 1, linesequencenumber="9" * 20)]},
    )
    write_batch(wh.landing, "psa", B, {"time_entries": [time_entry(1), time_entry(2, spent_date="2026-02-30")]})
    customers = [customer(1), customer(2, created=MS_CREATED), customer(3, created=10**17)]
    write_batch(wh.landing, "billing", B, {"customers": customers})
    reports = land_all(settings_for(wh.landing, wh.duckdb_path), raise_on_error=True)
    assert {s: r.rows_quarantined for s, r in reports.items()} == {"crm": 2, "erp": 3, "psa": 1, "billing": 2}

    result, outcomes = run_dbt(["build", "--select", "path:models/staging"], wh.duckdb_path, tmp_path / "dbt")
    assert result.success, [(o.name, o.status) for o in outcomes if o.status not in ("success", "pass")]

    views = sorted(o.name for o in outcomes if o.resource_type == "model")
    assert {"stg_crm__opportunities", "stg_erp__transactions", "stg_psa__time_entries"} <= set(views)
    with duckdb.connect(str(wh.duckdb_path)) as con:  # dbt's in-process connection is still open read-write
        staged = {view: con.execute(f"SELECT * FROM staging.{view}").fetchall() for view in views}
    assert len(staged["stg_crm__opportunities"]) == len(staged["stg_erp__transactions"]) == 1
    assert [row[0] for row in staged["stg_billing__customers"]] == ["cus_1"]
