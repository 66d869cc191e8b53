"""The code location loads and carries the whole lineage, every rule check, the job, the
schedule and the sensor."""

from __future__ import annotations

import dagster as dg
import pytest

from ingestion.catalog import SYSTEMS, raw_tables
from q2c.rule_catalogue import RULES

MARTS = (
    "customers",
    "customer_keys",
    "erp_customers",
    "billing_customers",
    "billing_customer_tax_ids",
    "opportunities",
    "psa_projects",
    "engagements",
    "rate_cards",
    "consultants",
    "time_entries",
    "expenses",
    "billing_invoices",
    "billing_invoice_lines",
    "erp_invoices",
    "erp_invoice_lines",
    "payments",
    "payment_applications",
    "credit_notes",
)
RECON_FAMILY_MODELS = ("recon_accounts", "recon_rates", "recon_unbilled", "recon_invoices", "recon_bookings")
LEDGER = dg.AssetKey(["recon", "exception_ledger"])


@pytest.fixture(scope="module")
def defs():
    from orchestration.definitions import defs

    return defs()


@pytest.fixture(scope="module")
def graph(defs):
    return defs.get_repository_def().asset_graph


def test_definitions_validate(defs):
    dg.Definitions.validate_loadable(defs)


def test_every_raw_table_of_every_system_is_an_asset(graph):
    keys = graph.get_all_asset_keys()
    for system in SYSTEMS:
        for table in [*raw_tables(system), "batch_log", "raw_quarantine"]:
            assert dg.AssetKey([f"raw_{system}", table]) in keys, (system, table)
        assert dg.AssetKey(["landing", system]) in keys


def test_staging_marts_recon_and_ledger_assets_exist(graph):
    keys = graph.get_all_asset_keys()
    staging = [k for k in keys if k.path[0] == "staging"]
    assert any(k.path[1] == "stg_crm__accounts" for k in staging)
    assert {s.split("__")[0] for k in staging for s in [k.path[1]]} >= {"stg_crm", "stg_psa", "stg_erp", "stg_billing"}
    for mart in MARTS:
        assert dg.AssetKey(["marts", mart]) in keys, mart
    for model in (*RECON_FAMILY_MODELS, "findings"):
        assert dg.AssetKey(["recon", model]) in keys, model
    assert LEDGER in keys


def test_lineage_is_one_graph_from_landing_to_ledger(graph):
    assert graph.get(LEDGER).parent_keys == {dg.AssetKey(["recon", "findings"])}
    # raw tables are the upstream of the dbt sources
    assert dg.AssetKey(["staging", "stg_crm__accounts"]) in graph.get(dg.AssetKey(["raw_crm", "account"])).child_keys
    assert graph.get(dg.AssetKey(["raw_crm", "account"])).parent_keys == {dg.AssetKey(["landing", "crm"])}
    upstream, frontier = set(), {LEDGER}
    while frontier:
        key = frontier.pop()
        for parent in graph.get(key).parent_keys:
            if parent not in upstream:
                upstream.add(parent)
                frontier.add(parent)
    for system in SYSTEMS:
        assert dg.AssetKey(["landing", system]) in upstream
    assert dg.AssetKey(["marts", "billing_invoices"]) in upstream


def test_one_check_per_rule_on_the_ledger(graph):
    names = {key.name for key in graph.asset_check_keys if key.asset_key == LEDGER}
    assert names == {rule.rule_id.replace("-", "_") for rule in RULES}
    assert len(names) == 27


def test_ingestion_checks_per_system(graph):
    for system in SYSTEMS:
        names = {k.name for k in graph.asset_check_keys if k.asset_key == dg.AssetKey([f"raw_{system}", "batch_log"])}
        assert names == {
            "manifest_rows_accounted",
            "no_rejected_batches",
            "no_held_batches",
            "no_stale_incomplete_batches",
            "no_new_columns",
        }


def test_dbt_tests_are_asset_checks(graph):
    on_marts = [k for k in graph.asset_check_keys if k.asset_key.path[0] == "marts"]
    assert len(on_marts) >= len(MARTS)


def test_nightly_job_schedule_and_sensor(defs):
    job = defs.resolve_job_def("nightly")
    assert job.executor_def.name == "in_process"
    schedule = defs.resolve_schedule_def("nightly_0200")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert schedule.job_name == "nightly"
    sensor = defs.resolve_sensor_def("new_batch_sensor")
    assert sensor.job_name == "nightly"


def test_nightly_job_covers_every_materialisable_asset(defs, graph):
    job = defs.resolve_job_def("nightly")
    in_job = set(job.asset_layer.selected_asset_keys)
    materialisable = {k for k in graph.get_all_asset_keys() if graph.get(k).is_materializable}
    assert materialisable <= in_job
    assert LEDGER in in_job
