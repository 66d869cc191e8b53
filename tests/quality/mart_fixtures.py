"""Small hand-built ``marts.*`` tables (design.md §2 names and types) for the quality tests."""

from __future__ import annotations

from pathlib import Path

import duckdb

MART_DDL = {
    "customers": """create table marts.customers (
        customer_id varchar, account_name varchar, currency_code varchar, country_code varchar)""",
    "rate_cards": """create table marts.rate_cards (
        rate_card_id varchar, opportunity_id varchar, role_name varchar, hourly_rate decimal(18,4),
        currency_code varchar, effective_from date, hours_sold decimal(12,4), discount_pct decimal(18,4))""",
    "time_entries": """create table marts.time_entries (
        time_entry_id varchar, spent_date date, hours decimal(12,4), rounded_hours decimal(12,4),
        user_id varchar, approval_status varchar, psa_project_code varchar, client_currency_code varchar,
        billable_rate decimal(18,4), cost_rate decimal(18,4))""",
    "billing_invoices": """create table marts.billing_invoices (
        billing_invoice_id varchar, billing_customer_id varchar, status varchar, currency_code varchar,
        subtotal decimal(18,4), tax decimal(18,4), total decimal(18,4), amount_due decimal(18,4),
        amount_paid decimal(18,4), amount_remaining decimal(18,4))""",
    "billing_invoice_lines": """create table marts.billing_invoice_lines (
        billing_invoice_line_id varchar, billing_invoice_id varchar, currency_code varchar,
        amount decimal(18,4), quantity decimal(12,4))""",
    "erp_invoices": """create table marts.erp_invoices (
        erp_transaction_id varchar, tran_id varchar, status varchar, erp_customer_id varchar,
        currency_code varchar, total decimal(18,4), billing_invoice_id varchar, amount_paid decimal(18,4),
        amount_unpaid decimal(18,4), exchange_rate decimal(18,8))""",
    "payments": """create table marts.payments (
        payment_id varchar, source_system varchar, status varchar, currency_code varchar,
        amount decimal(18,4), amount_captured decimal(18,4), amount_refunded decimal(18,4))""",
    "credit_notes": """create table marts.credit_notes (
        credit_note_id varchar, source_system varchar, status varchar, currency_code varchar,
        total decimal(18,4))""",
}

N_INVOICES = 20


def good_rows() -> dict[str, list[tuple]]:
    """Clean data: every expectation passes on it."""
    invoices = []
    erp = []
    for i in range(N_INVOICES):
        cur = "USD" if i % 2 else "EUR"
        total = 1000 + 10 * i
        paid = total if i % 3 == 0 else 0
        invoices.append(
            (f"in_{i}", f"cus_{i % 4}", "paid" if paid else "open", cur, total, 0, total, total, paid, total - paid)
        )
        erp.append(
            (
                str(100 + i),
                f"INV{i}",
                "paid_in_full" if paid else "open",
                str(i % 4),
                cur,
                total,
                f"in_{i}",
                paid,
                total - paid,
                1,
            )
        )
    return {
        "customers": [(f"001{i}", f"Client {i}", "USD", "US") for i in range(4)],
        "rate_cards": [
            ("00k1", "0061", "Senior Consultant", 175, "USD", "2026-01-01", 100, 0),
            ("00k2", "0061", "Consultant", 120, "USD", "2026-01-01", 200, 5),
            ("00k3", "0062", "Consultant", 18000, "JPY", "2026-01-01", 50, 0),  # high-nominal: exempt
        ],
        "time_entries": [
            (
                str(i),
                "2026-10-01",
                7.5,
                7.5,
                str(i % 3),
                ["unsubmitted", "submitted", "approved"][i % 3],
                "PRJ-1",
                "USD",
                175,
                80,
            )
            for i in range(30)
        ],
        "billing_invoices": invoices,
        "billing_invoice_lines": [(f"il_{i}", f"in_{i}", r[3], r[4], 5) for i, r in enumerate(invoices)],
        "erp_invoices": erp,
        "payments": [
            ("ch_1", "billing", "succeeded", "USD", 1010, 1010, 0),
            ("900", "erp", "deposited", "EUR", 1000, None, None),
        ],
        "credit_notes": [("cn_1", "billing", "issued", "USD", 50), ("901", "erp", "fully_applied", "USD", 50)],
    }


def build_marts(
    path: Path, rows: dict[str, list[tuple]], *, skip: tuple[str, ...] = (), drop_columns: tuple[str, ...] = ()
) -> Path:
    """``drop_columns``: ``"mart.column"`` entries removed after loading (a broken contract)."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        for mart, ddl in MART_DDL.items():
            if mart in skip:
                continue
            con.execute(ddl)
            if rows.get(mart):
                placeholders = ", ".join("?" * len(rows[mart][0]))
                con.executemany(f"insert into marts.{mart} values ({placeholders})", rows[mart])
        for qualified in drop_columns:
            mart, column = qualified.split(".")
            con.execute(f"alter table marts.{mart} drop column {column}")
    return path
