"""All dbt nodes (seeds, staging, intermediate, marts, reconciliation) as one multi-asset,
materialised by a single ``dbt build`` (one build beats run + test; dbt tests become asset
checks). dbt sources are keyed ``[raw_<system>, <table>]``, the keys of the dlt assets, so
the graph runs landing -> raw -> staging -> marts -> recon.findings -> ledger."""


from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets

from orchestration.as_of import resolve_as_of
from orchestration.resources import Warehouse
from orchestration.transform.build_state import build_fingerprint, forget_build, last_build_fingerprint, record_build
from orchestration.transform.dbt_cli import recon_settings_in_env
from orchestration.transform.project import dbt_project
from q2c.reconciliation_config import load_recon_config
from q2c.settings import get_settings


def nightly_target_path() -> Path:
    """dbt's target folder for the nightly build, beside the warehouse it builds.

    One fixed folder per warehouse (not dagster-dbt's new folder per invocation): partial
    parsing keeps working, nothing accumulates, and the runner reads run_results.json there.
    """
    return get_settings().data_dir / "dbt_target"

_LAYER_GROUPS = {"staging": "staging", "intermediate": "intermediate", "marts": "marts", "reconciliation": "reconciliation"}


class Q2cDbtTranslator(DagsterDbtTranslator):
    """Default keys (``[schema, model]``, sources ``[source, table]``); one group per layer."""

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None
    ) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] == "source":
            return spec
        fqn = props.get("fqn") or []
        layer = fqn[1] if len(fqn) > 2 else ""
        group = "reference" if props["resource_type"] == "seed" else _LAYER_GROUPS.get(layer, "dbt")
        return spec.replace_attributes(group_name=group)


translator = Q2cDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


def dbt_build_vars(as_of) -> dict[str, Any]:
    """The ``--vars`` of the nightly build: config/reconciliation.yml plus the as-of date."""
    return load_recon_config(get_settings().recon_config_path).dbt_vars(as_of)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=translator,
    name="dbt_build",
)
def q2c_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse):
    as_of = resolve_as_of(context, warehouse)
    build_vars = dbt_build_vars(as_of)
    whole = not context.is_subset
    with warehouse.connect() as conn:
        fingerprint = build_fingerprint(conn, build_vars, dbt_project.manifest_path)
        if whole and fingerprint == last_build_fingerprint(conn):
            # nothing landed and nothing changed: the models already hold this build's result;
            # yielding nothing skips the downstream steps (ledger, rule checks) as well
            context.log.info(f"dbt build as of {as_of} skipped: no new load, same vars and project since the last build")
            return
        forget_build(conn)
    context.log.info(f"dbt build as of {as_of}")
    with recon_settings_in_env(build_vars):  # not --vars: keeps dbt's partial parse (dbt_cli.py)
        invocation = dbt.cli(
            # unit tests check model logic on fixtures, not tonight's data: CI runs them (tests/dbt)
            ["build", "--exclude", "resource_type:unit_test"],
            context=context,
            target_path=nightly_target_path(),
        )
    yield from invocation.stream()
    if whole:
        with warehouse.connect() as conn:
            record_build(conn, fingerprint, context.run_id)


assets = [q2c_dbt_assets]
