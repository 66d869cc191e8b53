"""Consistent hand-built records: each builder's defaults agree with the others', so a case
only states the one thing that is wrong (or nearly wrong) about it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from tests.reconciliation.recon_harness import AS_OF, Marts

LEGAL_ENTITY = "Q2 Advisory Inc."


def days_ago(n: int) -> date:
    return AS_OF - timedelta(days=n)


def ts_days_ago(n: int) -> datetime:
    return datetime.combine(days_ago(n), time(12, 0))


def dec(value: str | int) -> Decimal:
    return Decimal(str(value))


def account(
    m: Marts,
    crm_id: str,
    name: str = "Acme Corp",
    *,
    erp_pointer: str | None = None,
    deleted: bool = False,
    master: str | None = None,
    currency: str = "USD",
    country: str = "US",
    tax_id: str | None = None,
    legal: str = LEGAL_ENTITY,
) -> None:
    m.add(
        "customers",
        customer_id=crm_id,
        crm_account_id=crm_id,
        account_name=name,
        currency_code=currency,
        country_code=country,
        tax_id=tax_id,
        legal_entity_name=legal,
        erp_customer_pointer=erp_pointer,
        is_deleted=deleted,
        master_record_id=master,
        is_live=not deleted and master is None,
    )


def erp_customer(
    m: Marts,
    erp_id: str,
    crm_id: str | None,
    name: str = "Acme Corp",
    *,
    inactive: bool = False,
    currency: str = "USD",
    country: str = "US",
    vat: str | None = None,
    legal: str = LEGAL_ENTITY,
    subsidiary_currency: str = "USD",
) -> None:
    m.add(
        "erp_customers",
        erp_customer_id=erp_id,
        entity_id=erp_id,
        company_name=name,
        crm_account_id=crm_id,
        currency_code=currency,
        country_code=country,
        vat_reg_number=vat,
        subsidiary_id="1",
        subsidiary_legal_name=legal,
        subsidiary_currency_code=subsidiary_currency,
        is_inactive=inactive,
        is_live=not inactive,
    )


def billing_customer(
    m: Marts,
    cus_id: str,
    crm_id: str | None,
    name: str = "Acme Corp",
    *,
    erp_id: str | None = None,
    deleted: bool = False,
    currency: str | None = "USD",
    country: str = "US",
    tax_ids: tuple[str, ...] = (),
) -> None:
    m.add(
        "billing_customers",
        billing_customer_id=cus_id,
        customer_name=name,
        currency_code=currency,
        country_code=country,
        crm_account_id=crm_id,
        erp_customer_id=erp_id,
        is_deleted=deleted,
        is_live=not deleted,
    )
    for position, value in enumerate(tax_ids):
        m.add(
            "billing_customer_tax_ids",
            billing_customer_id=cus_id,
            position=position,
            tax_id_type="eu_vat",
            tax_id=value,
        )


def opportunity(
    m: Marts,
    opp_id: str,
    crm_id: str,
    *,
    closed_days_ago: int = 100,
    won: bool = True,
    code: str | None = None,
    fixed_fee: bool = False,
    amount: str = "100000",
    nte: str | None = None,
    currency: str = "USD",
    deleted: bool = False,
) -> None:
    m.add(
        "opportunities",
        opportunity_id=opp_id,
        crm_account_id=crm_id,
        opportunity_name=f"Opp {opp_id}",
        stage_name="Closed Won" if won else "Prospecting",
        is_closed=won,
        is_won=won,
        close_date=days_ago(closed_days_ago),
        amount=dec(amount),
        currency_code=currency,
        billing_type="fixed_fee" if fixed_fee else "time_and_materials",
        is_fixed_fee=fixed_fee,
        not_to_exceed=dec(nte) if nte else None,
        psa_project_code=code,
        is_deleted=deleted,
        is_live=not deleted,
    )


def engagement(
    m: Marts,
    code: str,
    *,
    opp_id: str | None,
    crm_id: str | None = None,
    project_id: str | None = None,
    erp_job_id: str | None = None,
    erp_customer_id: str | None = None,
    currency: str = "USD",
    client_currency: str = "USD",
    opp_fixed_fee: bool = False,
    project_fixed_fee: bool = False,
    job_type: str = "TM",
    amount: str = "100000",
    nte: str | None = None,
    project_active: bool = True,
    project_billable: bool = True,
    starts_days_ago: int | None = 400,
    ends_days_ago: int | None = None,
    closed_days_ago: int = 100,
) -> None:
    """An engagement row plus its PSA project (when project_id) and, for an opportunity,
    the opportunity itself is expected to be added separately with opportunity()."""
    m.add(
        "engagements",
        psa_project_code=code,
        opportunity_id=opp_id,
        crm_account_id=crm_id,
        billing_type=None if opp_id is None else ("fixed_fee" if opp_fixed_fee else "time_and_materials"),
        is_fixed_fee=opp_fixed_fee or project_fixed_fee or job_type == "FF",
        currency_code=currency if opp_id else None,
        contract_amount=dec(amount) if opp_id else None,
        not_to_exceed=dec(nte) if nte else None,
        close_date=days_ago(closed_days_ago) if opp_id else None,
        psa_project_id=project_id,
        psa_client_currency_code=client_currency,
        project_is_active=project_active,
        project_is_billable=project_billable,
        project_is_fixed_fee=project_fixed_fee,
        starts_on=days_ago(starts_days_ago) if starts_days_ago is not None else None,
        ends_on=days_ago(ends_days_ago) if ends_days_ago is not None else None,
        erp_job_id=erp_job_id,
        erp_customer_id=erp_customer_id,
        erp_job_billing_type=job_type if erp_job_id else None,
        has_opportunity=opp_id is not None,
        has_psa_project=project_id is not None,
        has_erp_job=erp_job_id is not None,
    )
    if project_id is not None:
        m.add(
            "psa_projects",
            psa_project_id=project_id,
            psa_project_code=code,
            project_name=f"Project {code}",
            psa_client_id="c1",
            psa_client_currency_code=client_currency,
            is_active=project_active,
            is_billable=project_billable,
            is_fixed_fee=project_fixed_fee,
            starts_on=days_ago(starts_days_ago) if starts_days_ago is not None else None,
            ends_on=days_ago(ends_days_ago) if ends_days_ago is not None else None,
        )


def rate_card(
    m: Marts,
    rate_id: str,
    opp_id: str,
    code: str,
    role: str,
    rate: str,
    *,
    from_days_ago: int | None = 400,
    to_days_ago: int | None = None,
    currency: str = "USD",
) -> None:
    m.add(
        "rate_cards",
        rate_card_id=rate_id,
        opportunity_id=opp_id,
        psa_project_code=code,
        role_name=role,
        hourly_rate=dec(rate),
        currency_code=currency,
        effective_from=days_ago(from_days_ago) if from_days_ago is not None else None,
        effective_to=days_ago(to_days_ago) if to_days_ago is not None else None,
    )


def time_entry(
    m: Marts,
    te_id: str,
    code: str,
    project_id: str,
    *,
    spent_days_ago: int = 5,
    hours: str = "8",
    rate: str | None = "150",
    role: str = "Senior Consultant",
    status: str = "approved",
    billable: bool = True,
    billed: bool = False,
    invoice: str | None = None,
    assignment_active: bool | None = True,
    currency: str = "USD",
    user_id: str = "u1",
) -> None:
    m.add(
        "time_entries",
        time_entry_id=te_id,
        spent_date=days_ago(spent_days_ago),
        hours=dec(hours),
        approval_status=status,
        is_billable=billable,
        is_billed=billed,
        billable_rate=dec(rate) if rate is not None else None,
        billable_amount=dec(hours) * dec(rate) if rate is not None else None,
        user_id=user_id,
        primary_role=role,
        client_currency_code=currency,
        psa_project_id=project_id,
        psa_project_code=code,
        user_assignment_is_active=assignment_active,
        billing_invoice_id=invoice,
    )


def expense(
    m: Marts,
    exp_id: str,
    code: str,
    *,
    spent_days_ago: int = 5,
    total: str = "250",
    status: str = "approved",
    billable: bool = True,
    billed: bool = False,
    invoice: str | None = None,
    currency: str = "USD",
) -> None:
    m.add(
        "expenses",
        expense_id=exp_id,
        spent_date=days_ago(spent_days_ago),
        total_cost=dec(total),
        approval_status=status,
        is_billable=billable,
        is_billed=billed,
        client_currency_code=currency,
        psa_project_code=code,
        billing_invoice_id=invoice,
    )


def billing_invoice(
    m: Marts,
    in_id: str,
    cus_id: str,
    *,
    status: str = "paid",
    total: str = "1000.00",
    tax: str = "0",
    paid: str | None = None,
    remaining: str | None = None,
    currency: str = "USD",
    code: str | None = None,
    finalized_days_ago: int | None = 20,
    paid_days_ago: int | None = 10,
    lines_total: str | None = None,
    subtotal: str | None = None,
) -> None:
    factor = 1 if currency.upper() in ("JPY", "KRW") else 100
    total_d = dec(total)
    tax_d = dec(tax)
    subtotal_d = dec(subtotal) if subtotal is not None else total_d - tax_d
    if paid is None:
        paid = total if status == "paid" else "0"
    paid_d = dec(paid)
    remaining_d = (
        dec(remaining) if remaining is not None else (Decimal(0) if status in ("paid", "void") else total_d - paid_d)
    )
    lines_d = dec(lines_total) if lines_total is not None else subtotal_d
    finalised = status != "draft"
    m.add(
        "billing_invoices",
        billing_invoice_id=in_id,
        invoice_number=in_id,
        billing_customer_id=cus_id,
        status=status,
        currency_code=currency.upper(),
        currency_exponent=0 if factor == 1 else 2,
        subtotal=subtotal_d,
        tax=tax_d,
        total=total_d,
        amount_due=total_d,
        amount_paid=paid_d,
        amount_remaining=remaining_d,
        subtotal_minor=int(subtotal_d * factor),
        tax_minor=int(tax_d * factor),
        total_minor=int(total_d * factor),
        amount_due_minor=int(total_d * factor),
        amount_paid_minor=int(paid_d * factor),
        amount_remaining_minor=int(remaining_d * factor),
        line_count=1,
        lines_amount_minor=int(lines_d * factor),
        finalized_at=ts_days_ago(finalized_days_ago) if finalised and finalized_days_ago is not None else None,
        paid_at=ts_days_ago(paid_days_ago) if status == "paid" and paid_days_ago is not None else None,
        psa_project_code=code,
        is_finalised=status in ("open", "paid", "uncollectible"),
    )


def invoice_line(
    m: Marts,
    il_id: str,
    in_id: str,
    *,
    code: str | None,
    role: str | None,
    quantity: str = "8",
    unit: str = "150",
    period_days_ago: int = 20,
    currency: str = "USD",
) -> None:
    m.add(
        "billing_invoice_lines",
        billing_invoice_line_id=il_id,
        billing_invoice_id=in_id,
        position=0,
        amount=dec(quantity) * dec(unit),
        amount_minor=int(dec(quantity) * dec(unit) * 100),
        currency_code=currency,
        quantity=dec(quantity),
        unit_amount=dec(unit),
        unit_amount_minor=dec(unit) * 100,
        period_start_at=ts_days_ago(period_days_ago),
        period_start_date=days_ago(period_days_ago),
        psa_project_code=code,
        role_name=role,
    )


def erp_invoice(
    m: Marts,
    tx_id: str,
    erp_id: str | None,
    billing_id: str | None,
    *,
    status: str = "paid_in_full",
    total: str = "1000.00",
    paid: str | None = None,
    unpaid: str | None = None,
    currency: str = "USD",
    exchange_rate: str | None = "1",
    credit_applied: str | None = None,
    lines: tuple[str, ...] | None = None,
    tran_days_ago: int = 19,
) -> None:
    voided = status == "voided"
    total_d = dec(total)
    if paid is None:
        paid = total if status == "paid_in_full" else "0"
    unpaid_d = dec(unpaid) if unpaid is not None else (Decimal(0) if voided else total_d - dec(paid))
    m.add(
        "erp_invoices",
        erp_transaction_id=tx_id,
        tran_id=f"INV{tx_id}",
        status=status,
        is_voided=voided,
        tran_date=days_ago(tran_days_ago),
        erp_customer_id=erp_id,
        currency_code=currency.upper(),
        exchange_rate=dec(exchange_rate) if exchange_rate else None,
        total=total_d,
        amount_paid=dec(paid),
        amount_unpaid=unpaid_d,
        billing_invoice_id=billing_id,
        credit_memo_applied=dec(credit_applied) if credit_applied else None,
    )
    m.add(
        "erp_invoice_lines",
        erp_transaction_line_id=f"{tx_id}-0",
        erp_transaction_id=tx_id,
        line_sequence=0,
        is_main_line=True,
        is_tax_line=False,
        item=None,
        amount=total_d,
    )
    for n, amount in enumerate(lines if lines is not None else (total,), start=1):
        m.add(
            "erp_invoice_lines",
            erp_transaction_line_id=f"{tx_id}-{n}",
            erp_transaction_id=tx_id,
            line_sequence=n,
            is_main_line=False,
            is_tax_line=False,
            item="Senior Consultant",
            amount=dec(amount),
        )


def credit_note(
    m: Marts,
    cn_id: str,
    *,
    total: str,
    status: str = "issued",
    invoice: str | None = None,
    cus_id: str | None = None,
    currency: str = "USD",
) -> None:
    m.add(
        "credit_notes",
        credit_note_id=cn_id,
        source_system="billing",
        billing_credit_note_id=cn_id,
        billing_invoice_id=invoice,
        billing_customer_id=cus_id,
        status=status,
        total=dec(total),
        currency_code=currency,
        is_voided=status == "void",
    )


def erp_credit_memo(
    m: Marts,
    tx_id: str,
    external_id: str,
    *,
    total: str,
    erp_id: str | None = None,
    status: str = "fully_applied",
    currency: str = "USD",
) -> None:
    m.add(
        "credit_notes",
        credit_note_id=tx_id,
        source_system="erp",
        erp_transaction_id=tx_id,
        erp_customer_id=erp_id,
        status=status,
        total=dec(total),
        currency_code=currency,
        created_on=days_ago(10),
        is_voided=status == "voided",
        external_id=external_id,
        exchange_rate=dec("1"),
    )
