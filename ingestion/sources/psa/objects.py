"""The objects the PSA (Harvest API v2, JSON Lines) delivers: files, raw tables, columns, and
the child table its users' role lists flatten into."""

from __future__ import annotations

from ingestion.sources.spec import TEXT, ChildSpec, Field, json_object

SYSTEM = "psa"

_NAMED = "id::int name"
_PROJECT_REF = "project.id::int project.name project.code"
_CLIENT_REF = "client.id::int client.name client.currency"
_USER_REF = "user.id::int user.name"

OBJECTS = (
    json_object(SYSTEM, "clients", f"{_NAMED} is_active::bool currency created_at updated_at"),
    json_object(
        SYSTEM,
        "projects",
        f"id::int {_CLIENT_REF} name code is_active::bool is_billable::bool is_fixed_fee::bool "
        "bill_by hourly_rate::dec fee::dec starts_on ends_on created_at updated_at",
    ),
    json_object(
        SYSTEM,
        "users",
        "id::int first_name last_name email is_active::bool default_hourly_rate::dec "
        "cost_rate::dec created_at updated_at",
        (ChildSpec("user_roles", "roles", "user_id", (Field("role", "", TEXT),)),),
    ),
    json_object(
        SYSTEM,
        "user_assignments",
        f"id::int {_PROJECT_REF} {_USER_REF} is_active::bool use_default_rates::bool "
        "hourly_rate::dec budget::dec created_at updated_at",
    ),
    json_object(
        SYSTEM,
        "time_entries",
        "id::int spent_date hours::dec rounded_hours::dec notes is_locked::bool is_billed::bool "
        "is_running::bool approval_status billable::bool billable_rate::dec cost_rate::dec "
        f"{_USER_REF} {_CLIENT_REF} {_PROJECT_REF} task.id::int task.name "
        "user_assignment.id::int user_assignment.is_active::bool user_assignment.hourly_rate::dec "
        "invoice.id invoice.number created_at updated_at",
    ),
    json_object(
        SYSTEM,
        "expenses",
        "id::int spent_date total_cost::dec units::dec notes billable::bool is_billed::bool "
        f"is_locked::bool approval_status {_USER_REF} {_CLIENT_REF} {_PROJECT_REF} "
        "expense_category.id::int expense_category.name invoice.id invoice.number "
        "created_at updated_at",
    ),
)

# Primary keys of child tables (design.md); children are replaced per parent (landing.dlt_source).
CHILD_PRIMARY_KEYS = {"user_roles": ("user_id", "position")}
