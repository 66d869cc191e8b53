"""The marts of design.md §2 that the rule models read, as DuckDB DDL for hand-built cases."""

from __future__ import annotations

V, M, H, FX, D, TS, B, I = (
    "VARCHAR",
    "DECIMAL(18,4)",
    "DECIMAL(12,4)",
    "DECIMAL(18,8)",
    "DATE",
    "TIMESTAMP",
    "BOOLEAN",
    "BIGINT",
)

MARTS: dict[str, dict[str, str]] = {
    "customers": {
        "customer_id": V, "crm_account_id": V, "account_name": V, "account_number": V,
        "account_type": V, "parent_account_id": V, "master_record_id": V, "country_code": V,
        "currency_code": V, "tax_id": V, "legal_entity_name": V, "erp_customer_pointer": V,
        "is_deleted": B, "is_live": B, "created_at": TS, "last_modified_at": TS,
        "erp_customer_id": V, "billing_customer_id": V, "erp_customer_candidates": I,
        "billing_customer_candidates": I,
    },
    "customer_keys": {
        "crm_account_id": V, "system": V, "system_customer_id": V, "link_source": V,
        "crm_account_exists": B, "system_customer_exists": B, "system_customer_is_live": B,
    },
    "erp_customers": {
        "erp_customer_id": V, "entity_id": V, "company_name": V, "crm_account_id": V,
        "currency_code": V, "subsidiary_id": V, "subsidiary_name": V, "subsidiary_legal_name": V,
        "subsidiary_currency_code": V, "vat_reg_number": V, "country_code": V, "is_inactive": B,
        "is_live": B, "created_on": D, "last_modified_at": TS,
    },
    "billing_customers": {
        "billing_customer_id": V, "customer_name": V, "email": V, "currency_code": V,
        "country_code": V, "crm_account_id": V, "erp_customer_id": V, "is_deleted": B,
        "is_live": B, "created_at": TS,
    },
    "billing_customer_tax_ids": {
        "billing_customer_id": V, "position": I, "tax_id_type": V, "tax_id": V,
    },
    "opportunities": {
        "opportunity_id": V, "crm_account_id": V, "opportunity_name": V, "stage_name": V,
        "is_closed": B, "is_won": B, "close_date": D, "amount": M, "currency_code": V,
        "opportunity_type": V, "billing_type": V, "is_fixed_fee": B, "not_to_exceed": M,
        "psa_project_code": V, "is_deleted": B, "is_live": B,
    },
    "psa_projects": {
        "psa_project_id": V, "psa_project_code": V, "project_name": V, "psa_client_id": V,
        "psa_client_name": V, "psa_client_currency_code": V, "is_active": B, "is_billable": B,
        "is_fixed_fee": B, "bill_by": V, "hourly_rate": M, "fee": M, "starts_on": D, "ends_on": D,
    },
    "engagements": {
        "psa_project_code": V, "opportunity_id": V, "crm_account_id": V, "billing_type": V,
        "is_fixed_fee": B, "currency_code": V, "contract_amount": M, "not_to_exceed": M,
        "close_date": D, "psa_project_id": V, "psa_client_id": V, "psa_client_currency_code": V,
        "project_is_active": B, "project_is_billable": B, "project_is_fixed_fee": B,
        "starts_on": D, "ends_on": D, "erp_job_id": V, "erp_customer_id": V,
        "erp_job_billing_type": V, "has_opportunity": B, "has_psa_project": B, "has_erp_job": B,
    },
    "rate_cards": {
        "rate_card_id": V, "opportunity_id": V, "psa_project_code": V, "product_id": V,
        "role_code": V, "role_name": V, "hourly_rate": M, "list_price": M, "discount_pct": M,
        "hours_sold": H, "currency_code": V, "effective_from": D, "effective_to": D,
    },
    "consultants": {
        "user_id": V, "first_name": V, "last_name": V, "full_name": V, "email": V,
        "is_active": B, "primary_role": V, "default_hourly_rate": M, "cost_rate": M,
    },
    "time_entries": {
        "time_entry_id": V, "spent_date": D, "hours": H, "rounded_hours": H, "notes": V,
        "is_locked": B, "is_billed": B, "is_running": B, "approval_status": V, "is_billable": B,
        "billable_rate": M, "cost_rate": M, "billable_amount": M, "user_id": V, "user_name": V,
        "primary_role": V, "psa_client_id": V, "client_currency_code": V, "psa_project_id": V,
        "psa_project_code": V, "task_name": V, "user_assignment_id": V,
        "user_assignment_is_active": B, "user_assignment_hourly_rate": M,
        "billing_invoice_id": V, "billing_invoice_number": V, "created_at": TS, "updated_at": TS,
    },
    "expenses": {
        "expense_id": V, "spent_date": D, "total_cost": M, "units": M, "notes": V,
        "is_billable": B, "is_billed": B, "is_locked": B, "approval_status": V, "user_id": V,
        "psa_client_id": V, "client_currency_code": V, "psa_project_id": V,
        "psa_project_code": V, "expense_category": V, "billing_invoice_id": V,
        "billing_invoice_number": V, "created_at": TS, "updated_at": TS,
    },
    "billing_invoices": {
        "billing_invoice_id": V, "invoice_number": V, "billing_customer_id": V, "status": V,
        "currency_code": V, "currency_exponent": I, "subtotal": M, "tax": M, "total": M,
        "amount_due": M, "amount_paid": M, "amount_remaining": M, "subtotal_minor": I,
        "tax_minor": I, "total_minor": I, "amount_due_minor": I, "amount_paid_minor": I,
        "amount_remaining_minor": I, "line_count": I, "lines_amount_minor": I,
        "created_at": TS, "due_date": D, "period_start": TS, "period_end": TS,
        "finalized_at": TS, "paid_at": TS, "voided_at": TS, "marked_uncollectible_at": TS,
        "psa_project_code": V, "is_finalised": B,
    },
    "billing_invoice_lines": {
        "billing_invoice_line_id": V, "billing_invoice_id": V, "position": I, "amount": M,
        "amount_minor": I, "currency_code": V, "description": V, "quantity": H,
        "unit_amount": M, "unit_amount_minor": M, "period_start_at": TS, "period_end_at": TS,
        "period_start_date": D, "psa_project_code": V, "role_name": V,
    },
    "erp_invoices": {
        "erp_transaction_id": V, "tran_id": V, "status_code": V, "status": V, "is_voided": B,
        "tran_date": D, "due_date": D, "erp_customer_id": V, "erp_job_id": V,
        "psa_project_code": V, "currency_code": V, "exchange_rate": FX, "total": M,
        "amount_paid": M, "amount_unpaid": M, "billing_invoice_id": V, "memo": V,
        "last_modified_at": TS, "lines_total": M, "credit_memo_applied": M,
    },
    "erp_invoice_lines": {
        "erp_transaction_line_id": V, "erp_transaction_id": V, "line_sequence": I,
        "is_main_line": B, "is_tax_line": B, "item": V, "quantity": H, "rate": M, "amount": M,
    },
    "payments": {
        "payment_id": V, "source_system": V, "billing_charge_id": V, "erp_transaction_id": V,
        "billing_invoice_id": V, "billing_customer_id": V, "erp_customer_id": V, "amount": M,
        "amount_captured": M, "amount_refunded": M, "currency_code": V, "status": V,
        "paid_at": TS, "paid_on": D, "is_voided": B, "external_id": V,
    },
    "payment_applications": {
        "erp_invoice_id": V, "applying_transaction_id": V, "link_type": V, "amount": M,
        "link_date": D,
    },
    "credit_notes": {
        "credit_note_id": V, "source_system": V, "billing_credit_note_id": V,
        "erp_transaction_id": V, "billing_invoice_id": V, "billing_customer_id": V,
        "erp_customer_id": V, "status": V, "total": M, "currency_code": V, "reason": V,
        "created_at": TS, "created_on": D, "voided_at": TS, "is_voided": B, "external_id": V,
        "exchange_rate": FX,
    },
}
