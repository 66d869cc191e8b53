"""The morning review: the reconciliation report and the dbt docs."""

import dagster as dg


def defs() -> dg.Definitions:
    from orchestration.review.assets import dbt_docs, reconciliation_report

    return dg.Definitions(assets=[reconciliation_report, dbt_docs])
