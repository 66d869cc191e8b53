"""The dbt canonical model (staging → intermediate → marts) on a hand-written raw layer."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.dbt.dbt_harness import build_canonical, run_dbt
from tests.dbt.raw_fixture import write_raw_fixture

NEW_LOAD_ID = "1772762400.0"  # a load after raw_fixture.LOAD_ID


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory):
    work = tmp_path_factory.mktemp("dbt_clean")
    db = work / "warehouse.duckdb"
    write_raw_fixture(db)
    result, outcomes = build_canonical(db, work)
    return db, work, result, outcomes


@pytest.fixture(scope="module")
def dirty_build(tmp_path_factory):
    work = tmp_path_factory.mktemp("dbt_dirty")
    db = work / "warehouse.duckdb"
    write_raw_fixture(db, dirty=True)
    # only the documents' models, their upstream and their tests: the rest is covered by clean_build
    result, outcomes = run_dbt(
        ["build", "--select", "+billing_invoices", "+erp_invoices", "--indirect-selection", "cautious"], db, work
    )
    return db, result, outcomes


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db))
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def by_id(db: Path, mart: str, key: str, columns: str) -> dict:
    return {r[0]: r[1:] for r in rows(db, f"select {key}, {columns} from marts.{mart}")}


def test_parse_needs_no_warehouse(tmp_path):
    missing = tmp_path / "absent" / "warehouse.duckdb"
    result, _ = run_dbt(["parse"], missing, tmp_path)
    assert result.success, result.exception
    assert not missing.exists()


def test_clean_build_passes_every_test_without_warnings(clean_build):
    _, _, result, outcomes = clean_build
    assert result.success, result.exception
    not_ok = [(o.name, o.status) for o in outcomes if o.status not in ("pass", "success")]
    assert not_ok == []
    kinds = {o.resource_type for o in outcomes}
    assert {"model", "test", "unit_test", "seed"} <= kinds
    assert sum(o.resource_type == "unit_test" for o in outcomes) >= 7


def test_stripe_minor_units_follow_the_currency_exponent(clean_build):
    db = clean_build[0]
    invoices = by_id(
        db,
        "billing_invoices",
        "billing_invoice_id",
        "currency_code, currency_exponent, subtotal, total, total_minor, line_count, lines_amount_minor",
    )
    assert invoices["in_1"] == ("USD", 2, Decimal("1487.5"), Decimal("1636.25"), 163625, 1, 148750)
    assert invoices["in_2"] == ("JPY", 0, Decimal("500"), Decimal("500"), 500, 1, 500)
    assert invoices["in_3"] == ("BHD", 3, Decimal("12.345"), Decimal("12.345"), 12345, 1, 12345)
    lines = by_id(
        db,
        "billing_invoice_lines",
        "billing_invoice_line_id",
        "unit_amount, unit_amount_minor, quantity, period_start_date, role_name",
    )
    assert lines["il_1"] == (Decimal("175"), Decimal("17500"), Decimal("8.5"), date(2026, 1, 30), "Senior Consultant")
    charge = by_id(db, "payments", "payment_id", "amount, currency_code, paid_on")["ch_1"]
    assert charge == (Decimal("1636.25"), "USD", date(2026, 3, 2))


def test_netsuite_status_codes_are_named_per_transaction_type(clean_build):
    db = clean_build[0]
    assert by_id(db, "erp_invoices", "erp_transaction_id", "status_code, status")["301"] == ("B", "paid_in_full")
    assert by_id(db, "credit_notes", "credit_note_id", "status")["321"] == ("fully_applied",)
    assert by_id(db, "payments", "payment_id", "status")["311"] == ("not_deposited",)


def test_netsuite_dates_and_datetimes(clean_build):
    db = clean_build[0]
    customers = by_id(db, "erp_customers", "erp_customer_id", "created_on, last_modified_at, is_inactive")
    assert customers["101"] == (date(2025, 12, 5), datetime(2026, 3, 1, 0, 5), False)  # 12:05 am
    assert customers["102"][1] == datetime(2026, 3, 1, 12, 30)  # 12:30 pm
    assert customers["104"][1:] == (datetime(2026, 3, 1, 23, 59), True)
    invoice = by_id(
        db,
        "erp_invoices",
        "erp_transaction_id",
        "tran_date, due_date, total, lines_total, payment_applied, currency_code, psa_project_code",
    )["301"]
    assert invoice == (
        date(2026, 2, 28),
        date(2026, 3, 30),
        Decimal("1636.25"),
        Decimal("1636.25"),
        Decimal("1636.25"),
        "USD",
        "PRJ-1",
    )


def test_customer_crosswalk_keeps_every_candidate_and_shows_conflicts(clean_build):
    db = clean_build[0]
    customers = by_id(
        db,
        "customers",
        "customer_id",
        "erp_customer_id, billing_customer_id, erp_customer_candidates, billing_customer_candidates, is_live",
    )
    assert customers["001A1"] == ("101", "cus_1", 1, 1, True)  # deleted cus_3 is not a live candidate
    assert customers["001A2"] == (None, "cus_2", 2, 1, True)  # two live ERP customers claim it
    assert customers["001A4"][-1] is False  # merged
    keys = set(
        rows(
            db,
            """select crm_account_id, system, system_customer_id, link_source,
                                  crm_account_exists, system_customer_is_live, is_mapping_link
                           from marts.customer_keys""",
        )
    )
    assert ("001A1", "erp", "101", "crm.erp_customer_id", True, True, True) in keys
    assert ("001A1", "erp", "101", "erp.externalid", True, True, True) in keys
    assert ("001A2", "erp", "102", "erp.externalid", True, True, True) in keys
    assert ("001A2", "erp", "103", "erp.externalid", True, True, True) in keys
    assert ("001ZZ", "erp", "104", "erp.externalid", False, False, True) in keys
    assert ("001A1", "billing", "cus_3", "billing.metadata.crm_account_id", True, False, True) in keys
    # cus_2 says its ERP customer is 104, which maps to no account of its own: kept for ACC-04
    assert ("001A2", "erp", "104", "billing.metadata.erp_customer_id", True, False, False) in keys
    assert len(keys) == 10


def test_engagements_join_opportunity_project_and_job_by_code(clean_build):
    db = clean_build[0]
    engagements = by_id(
        db,
        "engagements",
        "psa_project_code",
        "opportunity_id, psa_project_id, erp_job_id, erp_customer_id, is_fixed_fee, "
        "billing_type, has_opportunity, has_psa_project, has_erp_job",
    )
    assert engagements["PRJ-1"] == ("006O1", "11", "201", "101", False, "time_and_materials", True, True, True)
    assert engagements["PRJ-2"] == ("006O2", None, "202", "102", True, "fixed_fee", True, False, True)
    assert engagements["PRJ-3"] == (None, "12", None, None, True, None, False, True, False)
    assert "PRJ-X" not in engagements  # only on a deleted opportunity


def test_rate_cards_are_effective_dated_and_resolve_the_contracted_rate(clean_build):
    db = clean_build[0]
    cards = rows(
        db,
        """select rate_card_id, role_name, hourly_rate, effective_from, effective_to
                        from marts.rate_cards where psa_project_code = 'PRJ-1' order by rate_card_id""",
    )
    assert cards == [
        ("00kL1", "Senior Consultant", Decimal("175"), date(2026, 1, 1), date(2026, 3, 31)),
        ("00kL2", "Senior Consultant", Decimal("190"), date(2026, 4, 1), None),
        ("00kL3", "Consultant", Decimal("120"), date(2026, 1, 1), None),
    ]  # deleted line 00kL4 is gone
    contracted = rows(
        db,
        """
        select t.time_entry_id, t.primary_role, t.billable_amount, r.hourly_rate
        from marts.time_entries t
        join marts.rate_cards r
          on r.psa_project_code = t.psa_project_code and r.role_name = t.primary_role
         and t.spent_date between r.effective_from and coalesce(r.effective_to, date '9999-12-31')
        order by 1""",
    )
    assert contracted == [
        ("41", "Senior Consultant", Decimal("1487.5"), Decimal("175")),
        ("42", "Consultant", None, Decimal("120")),
    ]


def test_time_entries_join_rate_cards_on_role_code(clean_build):
    """One column, one meaning: time_entries.role_code is rate_cards.role_code (a CRM code),
    role_name is rate_cards.role_name (the name PSA users carry)."""
    db = clean_build[0]
    assert rows(db, "select time_entry_id, role_code, role_name from marts.time_entries order by 1") == [
        ("41", "SR-CONS", "Senior Consultant"),
        ("42", "CONS", "Consultant"),
    ]
    joined = rows(
        db,
        """
        select t.time_entry_id, r.hourly_rate
        from marts.time_entries t
        join marts.rate_cards r using (psa_project_code, role_code)
        where t.spent_date between r.effective_from and coalesce(r.effective_to, date '9999-12-31')
        order by 1""",
    )
    assert joined == [("41", Decimal("175")), ("42", Decimal("120"))]


def test_dbt_docs_open_on_the_q2c_overview(tmp_path):
    result, _ = run_dbt(["parse"], tmp_path / "absent.duckdb", tmp_path)
    assert result.success, result.exception
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    overview = manifest["docs"]["doc.q2c.__overview__"]["block_contents"]
    assert "recon.findings" in overview and "Where to start" in overview


def test_marts_carry_the_contract_types(clean_build):
    db = clean_build[0]
    types = {
        (t, c): d
        for t, c, d in rows(
            db,
            """
        select table_name, column_name, data_type from information_schema.columns
        where table_schema = 'marts'""",
        )
    }
    assert types[("billing_invoices", "total")] == "DECIMAL(18,4)"
    assert types[("billing_invoices", "total_minor")] == "BIGINT"
    assert types[("time_entries", "hours")] == "DECIMAL(12,4)"
    assert types[("erp_invoices", "exchange_rate")] == "DECIMAL(18,8)"
    assert types[("time_entries", "time_entry_id")] == "VARCHAR"
    assert types[("erp_invoices", "erp_transaction_id")] == "VARCHAR"
    assert not [k for k, v in types.items() if v in ("DOUBLE", "FLOAT")]


def test_dirty_documents_warn_without_breaking_the_build(dirty_build):
    _, result, outcomes = dirty_build
    assert result.success, result.exception
    warned = {o.name for o in outcomes if o.status == "warn"}
    assert "billing_invoices_paid_means_nothing_remaining" in warned
    assert any(n.startswith("equal_within_minor_units_billing_invoices_total_minor") for n in warned)
    assert any(n.startswith("equal_within_minor_units_billing_invoices_subtotal_minor") for n in warned)
    assert any(
        n.startswith("equal_within_minor_units_erp_invoices_total") and n.endswith("lines_total") for n in warned
    )
    assert len(warned) == 4
    assert [o.name for o in outcomes if o.status in ("fail", "error")] == []


def test_incremental_marts_match_a_full_rebuild_after_changes_and_purges(clean_build, tmp_path):
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(clean_build[0], db)
    con = duckdb.connect(str(db))
    try:
        con.execute("BEGIN")
        # entry 42 purged by a full batch; a new entry 43 arrives; user 21's primary role changes
        con.execute("delete from raw_psa.time_entries where id = 42")
        con.execute(f"""insert into raw_psa.time_entries by name
            select * replace (43 as id, 2.0 as hours, '{NEW_LOAD_ID}' as _dlt_load_id)
            from raw_psa.time_entries where id = 41""")
        con.execute(
            "update raw_psa.user_roles set role = case position when 0 then 'Consultant' "
            "else 'Senior Consultant' end where user_id = 21"
        )
        con.execute(f"update raw_psa.users set _dlt_load_id = '{NEW_LOAD_ID}' where id = 21")
        # invoice in_1 re-sent with a changed line; in_3's line disappears
        con.execute(
            f"update raw_billing.invoice_lines set quantity = 9.0, _dlt_load_id = '{NEW_LOAD_ID}' where id = 'il_1'"
        )
        con.execute("delete from raw_billing.invoice_lines where id = 'il_3'")
        con.execute("COMMIT")
    finally:
        con.close()

    result, outcomes = run_dbt(["run", "--select", "time_entries", "billing_invoice_lines"], db, tmp_path)
    assert result.success, result.exception
    assert all("max(processed._source_load_id)" in (o.compiled_code or "") for o in outcomes)

    entries = by_id(db, "time_entries", "time_entry_id", "primary_role, hours")
    assert entries == {"41": ("Consultant", Decimal("8.5")), "43": ("Consultant", Decimal("2"))}
    lines = by_id(db, "billing_invoice_lines", "billing_invoice_line_id", "quantity")
    assert lines == {"il_1": (Decimal("9"),), "il_2": (Decimal("1"),)}
    # the incremental result equals the models' full definition
    for mart, full in [
        ("time_entries", "intermediate.int_time_entries_enriched"),
        ("billing_invoice_lines", "staging.stg_billing__invoice_lines"),
    ]:
        cols = ", ".join(
            c
            for (c,) in rows(
                db,
                f"""select column_name from information_schema.columns
            where table_schema = 'marts' and table_name = '{mart}' and column_name <> '_source_load_id'""",
            )
        )
        diff = rows(
            db,
            f"""(select {cols} from marts.{mart} except select {cols} from {full})
                            union all (select {cols} from {full} except select {cols} from marts.{mart})""",
        )
        assert diff == []
