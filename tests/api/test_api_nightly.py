"""``q2c demo --api``: the nightly job in API mode against the stand-ins gives the same raw
tables, marts and findings as the file-mode nightly on the same demo data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from q2c.settings import RECON_CONFIG_DEFAULT
from tests.api.conftest import api_env
from tests.api.raw_compare import raw_differences, schema_tables, table_rows


def _env(root: Path, landing: Path) -> dict[str, str]:
    return {
        "Q2C_LANDING_DIR": str(landing),
        "Q2C_DUCKDB_PATH": str(root / "warehouse.duckdb"),
        "Q2C_GROUND_TRUTH_DIR": str(root / "ground_truth"),
        "Q2C_REPORTS_DIR": str(root / "reports"),
        "Q2C_RECON_CONFIG": str(RECON_CONFIG_DEFAULT),
        "DAGSTER_HOME": str(root / "dagster_home"),
    }


@pytest.fixture(scope="module")
def file_nightly(demo_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from q2c.cli.run import run_nightly

    root = tmp_path_factory.mktemp("file_nightly")
    with pytest.MonkeyPatch.context() as mp:
        api_env(mp, _env(root, demo_source), page_sizes=False)
        mp.delenv("Q2C_AS_OF", raising=False)
        result = run_nightly(echo=lambda _: None)
    assert result.success, result.failures
    return root / "warehouse.duckdb"


@pytest.fixture(scope="module")
def api_nightly(demo_source: Path, tmp_path_factory: pytest.TempPathFactory):
    from q2c.cli import app

    root = tmp_path_factory.mktemp("api_nightly")
    with pytest.MonkeyPatch.context() as mp:
        api_env(mp, {**_env(root, root / "landing"), "Q2C_API_STANDIN_DIR": str(demo_source)})
        mp.delenv("Q2C_AS_OF", raising=False)
        result = CliRunner().invoke(app, ["demo", "--api"])
        leaked = [name for name in ("Q2C_CRM_MODE", "Q2C_BILLING_API_TOKEN") if name in os.environ]
    return root, result, leaked


def test_demo_api_runs_the_nightly_through_the_apis(api_nightly, demo_source: Path) -> None:
    root, result, leaked = api_nightly
    assert result.exit_code == 0, result.output
    assert "nightly run succeeded" in result.output
    assert not leaked  # the stand-ins' settings are gone once the demo is over
    for system in ("crm", "psa", "erp", "billing"):
        batches = [p for p in (root / "landing" / system).iterdir() if (p / "_manifest.json").exists()]
        assert len(batches) == 1, system  # one full API extraction per system


def test_api_mode_lands_the_same_raw_tables_as_file_mode(api_nightly, file_nightly: Path) -> None:
    root, result, _ = api_nightly
    assert result.exit_code == 0, result.output
    assert raw_differences(root / "warehouse.duckdb", file_nightly) == []


@pytest.mark.parametrize("schema", ["marts", "recon"])
def test_api_mode_builds_the_same_marts_and_findings(api_nightly, file_nightly: Path, schema: str) -> None:
    root, result, _ = api_nightly
    assert result.exit_code == 0, result.output
    api_wh = root / "warehouse.duckdb"
    tables = schema_tables(file_nightly, schema)
    assert tables and schema_tables(api_wh, schema) == tables
    for table in tables:
        if schema == "recon" and table.startswith("exception"):
            continue  # the ledger records when it saw things (run ids, timestamps)
        assert table_rows(api_wh, schema, table) == table_rows(file_nightly, schema, table), table
