"""The Checks tab of recon/exception_ledger shows the latest real rule results after a night
with nothing new and after a failed night (issue 14, defect 3), read the way the UI reads it:
the latest asset check execution record per check, and the status Dagster resolves for it.

Without the re-report a night with nothing new leaves every check "Skipped" (its run planned
the checks and succeeded without evaluating them) and a failed night "Execution failed".
"""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import replace

import dagster as dg
import pytest
from dagster._core.loader import LoadingContextForTest
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionResolvedStatus

from orchestration.asset_keys import LEDGER_KEY
from orchestration.launch import instance_for
from q2c.cli.run import run_nightly
from q2c.rule_catalogue import RULES
from q2c.settings import settings_in
from q2c_demo.data import generate

KEYS = [dg.AssetCheckKey(LEDGER_KEY, rule.check_name) for rule in RULES]


def _shown(instance: dg.DagsterInstance) -> dict[str, tuple]:
    """Per check: the resolved status of its latest execution and that evaluation's result."""
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(KEYS)
    loading = LoadingContextForTest(instance)  # what the webserver resolves statuses with, per request

    async def statuses():
        return [await latest[key].resolve_status(loading) for key in KEYS]

    shown = {}
    for key, status in zip(KEYS, asyncio.run(statuses())):
        evaluation = latest[key].evaluation if latest[key].status.value != "PLANNED" else None
        result = (evaluation.passed, evaluation.severity, evaluation.metadata["open"].value) if evaluation else None
        shown[key.name] = (status, result)
    return shown


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    root = tmp_path_factory.mktemp("latest_rule_results")
    generate(root / "extracts", root / "truth", customers=12, months=3, seed=11)
    shutil.copytree(root / "extracts", root / "landing")
    settings = settings_in(root, build_docs=False)
    first = run_nightly(echo=lambda _: None, settings=settings)
    assert first.success, first.failures
    with instance_for(settings) as instance:
        real = _shown(instance)
    return settings, real


def _assert_real_results(shown, real):
    evaluated = {AssetCheckExecutionResolvedStatus.SUCCEEDED, AssetCheckExecutionResolvedStatus.FAILED}
    assert {name: status for name, (status, _) in shown.items() if status not in evaluated} == {}
    assert {name: result for name, (_, result) in shown.items()} == {name: result for name, (_, result) in real.items()}


def test_the_first_night_evaluates_every_rule_check(night):
    _, real = night
    evaluated = {AssetCheckExecutionResolvedStatus.SUCCEEDED, AssetCheckExecutionResolvedStatus.FAILED}
    assert {status for status, _ in real.values()} <= evaluated
    assert {result[1] for _, result in real.values() if not result[0]} == {
        dg.AssetCheckSeverity.ERROR,
        dg.AssetCheckSeverity.WARN,
    }


def test_a_night_with_nothing_new_keeps_the_latest_results(night):
    settings, real = night
    again = run_nightly(echo=lambda _: None, settings=settings)
    assert again.success, again.failures
    with instance_for(settings) as instance:
        run = instance.get_run_by_id(again.run_id)
        skipped = [e for e in instance.all_logs(run.run_id) if e.dagster_event_type == dg.DagsterEventType.STEP_SKIPPED]
        assert any(e.step_key == "rule_checks" for e in skipped)  # the checks really were not run
        shown = _shown(instance)
    _assert_real_results(shown, real)


def test_a_failed_night_keeps_the_latest_results(night, tmp_path):
    settings, real = night
    broken = replace(settings, recon_config_path=tmp_path / "missing.yml")  # the dbt build cannot start
    failed = run_nightly(echo=lambda _: None, settings=broken)
    assert not failed.success
    with instance_for(settings) as instance:
        assert instance.get_run_by_id(failed.run_id).status == dg.DagsterRunStatus.FAILURE
        shown = _shown(instance)
    _assert_real_results(shown, real)
