"""The objects the CRM (Salesforce, Bulk API 2.0 CSV) delivers: files, raw tables, columns."""

from __future__ import annotations

from ingestion.sources.spec import csv_object

SYSTEM = "crm"

OBJECTS = (
    csv_object(
        SYSTEM,
        "Account",
        "account",
        ("id",),
        "Id:id Name:name AccountNumber:account_number ParentId:parent_id "
        "MasterRecordId:master_record_id Type:type BillingCountryCode:billing_country_code "
        "CurrencyIsoCode:currency_iso_code Tax_Id__c:tax_id_c Legal_Entity__c:legal_entity_c "
        "ERP_Customer_Id__c:erp_customer_id_c IsDeleted:is_deleted CreatedDate:created_date "
        "LastModifiedDate:last_modified_date SystemModstamp:system_modstamp",
    ),
    csv_object(
        SYSTEM,
        "Opportunity",
        "opportunity",
        ("id",),
        "Id:id AccountId:account_id Name:name StageName:stage_name IsClosed:is_closed "
        "IsWon:is_won CloseDate:close_date Amount:amount CurrencyIsoCode:currency_iso_code "
        "Type:type Billing_Type__c:billing_type_c Not_To_Exceed__c:not_to_exceed_c "
        "PSA_Project_Code__c:psa_project_code_c IsDeleted:is_deleted "
        "LastModifiedDate:last_modified_date SystemModstamp:system_modstamp",
    ),
    csv_object(
        SYSTEM,
        "OpportunityLineItem",
        "opportunity_line_item",
        ("id",),
        "Id:id OpportunityId:opportunity_id Product2Id:product2_id ProductCode:product_code "
        "Quantity:quantity UnitPrice:unit_price ListPrice:list_price Discount:discount "
        "TotalPrice:total_price ServiceDate:service_date Rate_End_Date__c:rate_end_date_c "
        "IsDeleted:is_deleted LastModifiedDate:last_modified_date SystemModstamp:system_modstamp",
    ),
    csv_object(
        SYSTEM,
        "Product2",
        "product2",
        ("id",),
        "Id:id Name:name ProductCode:product_code Family:family IsActive:is_active LastModifiedDate:last_modified_date",
    ),
)

CHILD_PRIMARY_KEYS: dict[str, tuple[str, ...]] = {}
