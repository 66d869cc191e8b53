"""dbt: staging, intermediate, marts and the reconciliation rule models, one ``dbt build``;
every dbt test is an asset check of its model."""

import dagster as dg


def defs() -> dg.Definitions:
    from orchestration.transform.assets import build_dbt_assets
    from orchestration.transform.dbt_cli import PLAIN_OUTPUT_FLAGS, NightlyDbtCliResource
    from orchestration.transform.project import dbt_executable, dbt_project

    project = dbt_project()
    return dg.Definitions(
        assets=[build_dbt_assets(project)],
        resources={
            "dbt": NightlyDbtCliResource(
                project_dir=project, dbt_executable=dbt_executable(), global_config_flags=PLAIN_OUTPUT_FLAGS
            )
        },
    )
