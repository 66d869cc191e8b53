"""All dbt nodes (seeds, staging, intermediate, marts, reconciliation) as one multi-asset,
materialised by a single ``dbt build`` (one build beats run + test; dbt tests become asset
checks). dbt sources are keyed ``[raw_<system>, <table>]``, the keys of the dlt assets, so
the graph runs landing -> raw -> staging -> marts -> recon.findings -> ledger."""

from collections.abc import Mapping
from datetime import date
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets

from orchestration.run_tags import run_as_of
from orchestration.transform.dbt_cli import dbt_environment
from q2c.dbt_build_state import build_fingerprint, forget_build, last_build_fingerprint, record_build
from q2c.night_steps import unfinished_steps
from q2c.reconciliation_config import load_recon_config
from q2c.run_lock import LockHolder
from q2c.settings import Settings
from q2c.warehouse import warehouse_connection

_LAYER_GROUPS = {
    "staging": "staging",
    "intermediate": "intermediate",
    "marts": "marts",
    "reconciliation": "reconciliation",
}


class Q2cDbtTranslator(DagsterDbtTranslator):
    """Default keys (``[schema, model]``, sources ``[source, table]``); one group per layer."""

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] == "source":
            return spec
        fqn = props.get("fqn") or []
        layer = fqn[1] if len(fqn) > 2 else ""
        group = "reference" if props["resource_type"] == "seed" else _LAYER_GROUPS.get(layer, "dbt")
        return spec.replace_attributes(group_name=group)


def dbt_build_vars(settings: Settings, as_of: date) -> dict[str, Any]:
    """The run settings of the nightly build: config/reconciliation.yml plus the as-of date."""
    return load_recon_config(settings.recon_config_path).dbt_vars(as_of)


def build_dbt_assets(project: DbtProject) -> dg.AssetsDefinition:
    translator = Q2cDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

    @dbt_assets(manifest=project.manifest_path, project=project, dagster_dbt_translator=translator, name="dbt_build")
    def q2c_dbt_assets(
        context: dg.AssetExecutionContext,
        dbt: DbtCliResource,
        settings: dg.ResourceParam[Settings],
        night_lock: dg.ResourceParam[LockHolder],  # a writer of the warehouse: one night at a time
    ):
        as_of = run_as_of(context.run.tags, settings)
        build_vars = dbt_build_vars(settings, as_of)
        whole = not context.is_subset
        with warehouse_connection(settings) as conn:
            fingerprint = build_fingerprint(conn, build_vars, project.manifest_path)
            current = whole and fingerprint == last_build_fingerprint(conn)
            unfinished = unfinished_steps(conn, fingerprint, settings.build_docs) if current else []
            if current and not unfinished:
                # nothing landed, nothing changed, and every later step finished with this build:
                # yielding nothing skips the downstream steps (ledger, rule checks) as well
                context.log.info(
                    f"dbt build as of {as_of} skipped: no new load, same vars and project since the last build"
                )
                return
            forget_build(conn)
        if unfinished:
            # a killed run left these undone: rebuilding runs every step downstream again
            context.log.info(f"dbt build as of {as_of}: the last run did not finish {', '.join(unfinished)}")
        context.log.info(f"dbt build as of {as_of}")
        with dbt_environment(settings, build_vars):
            invocation = dbt.cli(
                # unit tests check model logic on fixtures, not tonight's data: CI runs them (tests/dbt)
                ["build", "--exclude", "resource_type:unit_test"],
                context=context,
                target_path=settings.dbt_target_dir,
            )
            yield from invocation.stream()
        if whole:
            with warehouse_connection(settings) as conn:
                record_build(conn, fingerprint, context.run_id)

    return q2c_dbt_assets
