"""The nightly's run settings reach the models through Q2C_RECON_SETTINGS, a new as-of date
does not cost a full re-parse, and --vars still overrides them for a hand-run dbt."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from orchestration.transform.dbt_cli import NightlyDbtCliResource, recon_settings_in_env
from orchestration.transform.project import dbt_executable, dbt_project

COMPILED = Path("compiled/q2c/models/reconciliation/recon_unbilled.sql")


@pytest.fixture
def dbt(tmp_path, monkeypatch):
    monkeypatch.setenv("Q2C_DUCKDB_PATH", str(tmp_path / "warehouse.duckdb"))
    return NightlyDbtCliResource(project_dir=dbt_project(), dbt_executable=dbt_executable())


def _compile(dbt, target: Path, settings: dict, *extra: str) -> str:
    with recon_settings_in_env(settings):
        invocation = dbt.cli(["compile", "--select", "recon_unbilled", *extra], target_path=target)
    invocation.wait()
    return (target / COMPILED).read_text(encoding="utf-8")


def test_as_of_and_thresholds_come_from_the_environment_and_keep_partial_parsing(dbt, tmp_path):
    target = tmp_path / "target"
    first = _compile(dbt, target, {"as_of": "2026-05-04", "unbilled_age_days": 45})
    assert "cast('2026-05-04' as date)" in first
    assert "45" in first

    second = _compile(dbt, target, {"as_of": "2026-05-05", "unbilled_age_days": 45})
    assert "cast('2026-05-05' as date)" in second and "2026-05-04" not in second
    # `dbt parse` reports what it re-read: one more new date
    with recon_settings_in_env({"as_of": "2026-05-06", "unbilled_age_days": 45}):
        dbt.cli(["parse"], target_path=target).wait()
    perf = json.loads((target / "perf_info.json").read_text())
    assert perf["is_partial_parse_enabled"] is True
    # only the files that read the settings are parsed again, not the whole project
    assert 0 < perf["parsed_path_count"] < perf["path_count"] / 5, perf


def test_vars_on_the_command_line_override_the_environment(dbt, tmp_path):
    compiled = _compile(
        dbt, tmp_path / "target", {"as_of": "2026-05-04"}, "--vars", json.dumps({"as_of": "2026-07-01"})
    )
    assert "cast('2026-07-01' as date)" in compiled and "2026-05-04" not in compiled


def test_version_without_a_subprocess_matches_the_cli(dbt):
    printed = subprocess.run([dbt_executable(), "--version"], capture_output=True, text=True, check=True).stdout
    assert f"installed: {dbt._cli_version}" in printed
