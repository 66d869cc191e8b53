"""``q2c bench --scale XS`` end to end: real generator, real nightly, real baselines.

No timing is asserted (the machine is shared); the JSON must carry every stage and baseline
with positive figures, and the three nightlies must have seen what the benchmark fed them.
"""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from q2c.cli import app

STAGES = ("generate", "load_code_location", "land", "dbt_build", "reconcile", "ledger", "nightly_total", "total")


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    root = tmp_path_factory.mktemp("q2c_bench")
    out = root / "xs.json"
    with pytest.MonkeyPatch.context() as mp:
        # the benchmark works in its own folder; these must come back untouched
        mp.setenv("Q2C_DUCKDB_PATH", str(root / "caller" / "warehouse.duckdb"))
        mp.setenv("DAGSTER_HOME", str(root / "caller" / "dagster_home"))
        mp.delenv("Q2C_AS_OF", raising=False)
        result = CliRunner().invoke(
            app, ["bench", "--scale", "XS", "--out", str(out), "--work-dir", str(root / "work")]
        )
        assert result.exit_code == 0, result.output + repr(result.exception)
        assert os.environ["Q2C_DUCKDB_PATH"] == str(root / "caller" / "warehouse.duckdb")
        assert os.environ["DAGSTER_HOME"] == str(root / "caller" / "dagster_home")
    assert not (root / "work").exists(), "the working folder is removed unless --keep"
    return {"json": json.loads(out.read_text()), "output": result.output}


def test_every_stage_has_positive_seconds_and_memory(figures):
    stages = figures["json"]["stages"]
    for name in STAGES:
        assert stages[name]["seconds"] > 0, name
        assert stages[name]["peak_rss_mib"] > 0, name
    # publish exists once the nightly has a publish step; when present it is measured
    if stages.get("publish") is not None:
        assert stages["publish"]["seconds"] > 0


def test_rows_and_rates_where_rows_apply(figures):
    data = figures["json"]
    stages = data["stages"]
    assert data["time_entries"] > 1000
    assert stages["generate"]["rows"] == data["rows_generated"] > data["time_entries"]
    assert stages["land"]["rows"] > 0 and stages["land"]["rows_per_s"] > 0
    # the full load lands every batch but the held-back newest one
    assert stages["land"]["rows"] <= data["rows_generated"] - data["baselines"]["incremental"]["rows"]
    assert stages["dbt_build"]["rows"] >= stages["land"]["rows"] * 0.9


def test_raw_duckdb_baseline_per_system_and_format(figures):
    raw = figures["json"]["baselines"]["raw_duckdb"]
    for system in ("crm", "psa", "erp", "billing"):
        assert raw["systems"][system]["seconds"] > 0
        assert raw["systems"][system]["rows"] > 0
        assert raw["land_over_raw"][system] > 0
    for group in ("csv", "jsonl", "all"):
        assert raw["land_over_raw"][group] > 0
    assert raw["groups"]["jsonl"]["rows"] > raw["groups"]["csv"]["rows"]  # time entries dominate


def test_incremental_and_no_new_batch_nightlies(figures):
    baselines = figures["json"]["baselines"]
    inc = baselines["incremental"]
    assert inc["rows"] > 0 and 0 < inc["share_of_full_rows"] < 0.2
    assert set(inc["batches"]) == {"crm", "psa", "erp", "billing"}
    assert inc["nightly"]["stages"]["land"]["rows"] > 0
    assert inc["seconds"] > 0 and inc["incremental_over_full"] > 0
    none = baselines["no_new_batch"]
    assert none["seconds"] > 0
    assert none["nightly"]["stages"]["land"]["rows"] == 0
    # nothing new: the dbt build is skipped, so it costs far less than the full run's
    assert none["nightly"]["steps"]["dbt_build"] < figures["json"]["full_nightly"]["steps"]["dbt_build"]


def test_printed_tables_show_the_ratios(figures):
    output = figures["output"]
    assert "land / raw" in output
    assert "incremental / full" in output
    assert "nightly with no new batch" in output
