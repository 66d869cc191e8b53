"""Reconciliation: the exception ledger over ``recon.findings`` and one check per catalogue rule."""

import dagster as dg


def defs() -> dg.Definitions:
    from orchestration.reconciliation.assets import exception_ledger
    from orchestration.reconciliation.checks import rule_checks

    return dg.Definitions(assets=[exception_ledger], asset_checks=[rule_checks])
