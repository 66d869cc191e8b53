"""What each source system delivers and where it lands: objects, files, raw tables, columns.

The column names and types follow docs/design.md §1 exactly; they are spelled out here
rather than derived, so a naming-convention change in dlt cannot silently rename them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SYSTEMS: tuple[str, ...] = ("crm", "psa", "erp", "billing")

CSV_SYSTEMS = frozenset({"crm", "erp"})

# JSON value kinds and the raw DuckDB type each lands as.
INT, DEC, BOOL, TEXT = "int", "dec", "bool", "text"
SQL_TYPES = {INT: "BIGINT", DEC: "DECIMAL(18,4)", BOOL: "BOOLEAN", TEXT: "VARCHAR"}

BATCH_LOG = "batch_log"
QUARANTINE = "raw_quarantine"


@dataclass(frozen=True)
class Field:
    column: str  # raw column name (design.md)
    source: str  # CSV header, or JSON path with '.' between nested keys
    kind: str = TEXT  # CSV fields are always TEXT


@dataclass(frozen=True)
class ChildSpec:
    """A JSON list flattened into its own table, keyed by the parent's id."""

    table: str
    list_path: str  # JSON path of the list inside the parent record
    parent_key: str  # column holding the parent's id
    fields: tuple[Field, ...]  # paths relative to one list item ('' = the item itself)


@dataclass(frozen=True)
class ObjectSpec:
    system: str
    object: str  # as named in the manifest
    file: str
    table: str
    primary_key: tuple[str, ...]
    fields: tuple[Field, ...]
    children: tuple[ChildSpec, ...] = field(default=())

    @property
    def is_csv(self) -> bool:
        return self.system in CSV_SYSTEMS

    @property
    def columns(self) -> list[str]:
        return [f.column for f in self.fields]


def _csv(system: str, obj: str, table: str, pk: tuple[str, ...], pairs: str) -> ObjectSpec:
    """pairs: whitespace-separated 'Header:column' items."""
    fields = []
    for item in pairs.split():
        header, column = item.split(":")
        fields.append(Field(column, header))
    return ObjectSpec(system, obj, f"{obj}.csv", table, pk, tuple(fields))


def _json_fields(spec: str) -> tuple[Field, ...]:
    """spec: whitespace-separated 'path:column:kind' items (column defaults to the path
    with '.' → '_', kind defaults to text)."""
    fields = []
    for item in spec.split():
        parts = item.split(":")
        path = parts[0]
        column = parts[1] if len(parts) > 1 and parts[1] else path.replace(".", "_")
        kind = parts[2] if len(parts) > 2 else TEXT
        fields.append(Field(column, path, kind))
    return tuple(fields)


def _json(system: str, obj: str, spec: str, children: tuple[ChildSpec, ...] = ()) -> ObjectSpec:
    return ObjectSpec(system, obj, f"{obj}.jsonl", obj, ("id",), _json_fields(spec), children)


_NAMED = "id::int name"
_PROJECT_REF = "project.id::int project.name project.code"
_CLIENT_REF = "client.id::int client.name client.currency"
_USER_REF = "user.id::int user.name"

OBJECTS: dict[str, tuple[ObjectSpec, ...]] = {
    "crm": (
        _csv("crm", "Account", "account", ("id",),
             "Id:id Name:name AccountNumber:account_number ParentId:parent_id "
             "MasterRecordId:master_record_id Type:type BillingCountryCode:billing_country_code "
             "CurrencyIsoCode:currency_iso_code Tax_Id__c:tax_id_c Legal_Entity__c:legal_entity_c "
             "ERP_Customer_Id__c:erp_customer_id_c IsDeleted:is_deleted CreatedDate:created_date "
             "LastModifiedDate:last_modified_date SystemModstamp:system_modstamp"),
        _csv("crm", "Opportunity", "opportunity", ("id",),
             "Id:id AccountId:account_id Name:name StageName:stage_name IsClosed:is_closed "
             "IsWon:is_won CloseDate:close_date Amount:amount CurrencyIsoCode:currency_iso_code "
             "Type:type Billing_Type__c:billing_type_c Not_To_Exceed__c:not_to_exceed_c "
             "PSA_Project_Code__c:psa_project_code_c IsDeleted:is_deleted "
             "LastModifiedDate:last_modified_date SystemModstamp:system_modstamp"),
        _csv("crm", "OpportunityLineItem", "opportunity_line_item", ("id",),
             "Id:id OpportunityId:opportunity_id Product2Id:product2_id ProductCode:product_code "
             "Quantity:quantity UnitPrice:unit_price ListPrice:list_price Discount:discount "
             "TotalPrice:total_price ServiceDate:service_date Rate_End_Date__c:rate_end_date_c "
             "IsDeleted:is_deleted LastModifiedDate:last_modified_date SystemModstamp:system_modstamp"),
        _csv("crm", "Product2", "product2", ("id",),
             "Id:id Name:name ProductCode:product_code Family:family IsActive:is_active "
             "LastModifiedDate:last_modified_date"),
    ),
    "erp": (
        _csv("erp", "currency", "currency", ("id",), "id:id symbol:symbol name:name"),
        _csv("erp", "subsidiary", "subsidiary", ("id",),
             "id:id name:name legalname:legalname country:country currency:currency"),
        _csv("erp", "customer", "customer", ("id",),
             "id:id entityid:entityid companyname:companyname externalid:externalid currency:currency "
             "subsidiary:subsidiary vatregnumber:vatregnumber billcountry:billcountry "
             "isinactive:isinactive datecreated:datecreated lastmodifieddate:lastmodifieddate"),
        _csv("erp", "job", "job", ("id",),
             "id:id entityid:entityid companyname:companyname customer:customer externalid:externalid "
             "jobbillingtype:jobbillingtype startdate:startdate enddate:enddate isinactive:isinactive "
             "lastmodifieddate:lastmodifieddate"),
        _csv("erp", "transaction", "transaction", ("id",),
             "id:id tranid:tranid type:type status:status trandate:trandate duedate:duedate "
             "entity:entity job:job currency:currency exchangerate:exchangerate "
             "foreigntotal:foreigntotal foreignamountpaid:foreignamountpaid "
             "foreignamountunpaid:foreignamountunpaid externalid:externalid memo:memo voided:voided "
             "lastmodifieddate:lastmodifieddate"),
        _csv("erp", "transactionline", "transactionline", ("id",),
             "id:id transaction:transaction linesequencenumber:linesequencenumber mainline:mainline "
             "taxline:taxline item:item quantity:quantity rate:rate foreignamount:foreignamount memo:memo"),
        _csv("erp", "previoustransactionlink", "previoustransactionlink",
             ("previousdoc", "nextdoc", "linktype"),
             "previousdoc:previousdoc nextdoc:nextdoc linktype:linktype foreignamount:foreignamount "
             "linkdate:linkdate"),
    ),
    "psa": (
        _json("psa", "clients", f"{_NAMED} is_active::bool currency created_at updated_at"),
        _json("psa", "projects",
              f"id::int {_CLIENT_REF} name code is_active::bool is_billable::bool is_fixed_fee::bool "
              "bill_by hourly_rate::dec fee::dec starts_on ends_on created_at updated_at"),
        _json("psa", "users",
              "id::int first_name last_name email is_active::bool default_hourly_rate::dec "
              "cost_rate::dec created_at updated_at",
              (ChildSpec("user_roles", "roles", "user_id", (Field("role", "", TEXT),)),)),
        _json("psa", "user_assignments",
              f"id::int {_PROJECT_REF} {_USER_REF} is_active::bool use_default_rates::bool "
              "hourly_rate::dec budget::dec created_at updated_at"),
        _json("psa", "time_entries",
              "id::int spent_date hours::dec rounded_hours::dec notes is_locked::bool is_billed::bool "
              "is_running::bool approval_status billable::bool billable_rate::dec cost_rate::dec "
              f"{_USER_REF} {_CLIENT_REF} {_PROJECT_REF} task.id::int task.name "
              "user_assignment.id::int user_assignment.is_active::bool user_assignment.hourly_rate::dec "
              "invoice.id invoice.number created_at updated_at"),
        _json("psa", "expenses",
              "id::int spent_date total_cost::dec units::dec notes billable::bool is_billed::bool "
              f"is_locked::bool approval_status {_USER_REF} {_CLIENT_REF} {_PROJECT_REF} "
              "expense_category.id::int expense_category.name invoice.id invoice.number "
              "created_at updated_at"),
    ),
    "billing": (
        _json("billing", "customers",
              "id object name email currency address.country address.line1 address.city "
              "address.postal_code metadata.crm_account_id metadata.erp_customer_id created::int "
              "livemode::bool deleted::bool",
              (ChildSpec("customer_tax_ids", "tax_ids.data", "customer_id",
                         _json_fields("type value")),)),
        _json("billing", "invoices",
              "id object number customer status currency subtotal::int tax::int total::int "
              "amount_due::int amount_paid::int amount_remaining::int created::int due_date::int "
              "period_start::int period_end::int status_transitions.finalized_at::int "
              "status_transitions.paid_at::int status_transitions.voided_at::int "
              "status_transitions.marked_uncollectible_at::int metadata.psa_project_code "
              "lines.has_more::bool livemode::bool",
              (ChildSpec("invoice_lines", "lines.data", "invoice_id",
                         _json_fields("id amount::int currency description quantity::dec "
                                      "unit_amount_excluding_tax period.start:period_start:int "
                                      "period.end:period_end:int metadata.psa_project_code "
                                      "metadata.role")),)),
        _json("billing", "credit_notes",
              "id object invoice customer status total::int currency reason created::int voided_at::int"),
        _json("billing", "charges",
              "id object invoice customer amount::int amount_captured::int amount_refunded::int "
              "currency status paid::bool refunded::bool created::int"),
    ),
}

# Primary keys of child tables (design.md); children are replaced per parent, see sources.py.
CHILD_PRIMARY_KEYS = {
    "user_roles": ("user_id", "position"),
    "customer_tax_ids": ("customer_id", "position"),
    "invoice_lines": ("id",),
}


def _check_system(system: str) -> None:
    if system not in SYSTEMS:
        raise ValueError(f"unknown system {system!r}; expected one of {SYSTEMS}")


def raw_dataset(system: str) -> str:
    _check_system(system)
    return f"raw_{system}"


def objects(system: str) -> tuple[ObjectSpec, ...]:
    _check_system(system)
    return OBJECTS[system]


def object_spec(system: str, object_name: str) -> ObjectSpec | None:
    return next((o for o in objects(system) if o.object == object_name), None)


def raw_tables(system: str) -> list[str]:
    """The data tables of design.md §1 for the system, child tables after their parent."""
    tables: list[str] = []
    for spec in objects(system):
        tables.append(spec.table)
        tables.extend(child.table for child in spec.children)
    return tables
