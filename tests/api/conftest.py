"""Shared demo data for the API-mode tests: one generated dataset (40 customers, 3 months),
served by the stand-ins and landed in file mode for comparison."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingestion.catalog import SYSTEMS
from ingestion.landing import land_all
from q2c.settings import settings_for
from q2c_demo.data import generate

# Small pages so every connector follows its API's pagination several times.
PAGE_SIZES = {"crm": 40, "psa": 500, "erp": 100, "billing": 30}


@pytest.fixture(scope="session")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("api_demo")
    generate(root / "landing", root / "ground_truth", customers=40, months=3, seed=42)
    return root / "landing"


@pytest.fixture(scope="session")
def file_mode_warehouse(demo_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every demo batch landed the file way."""
    warehouse = tmp_path_factory.mktemp("file_mode") / "warehouse.duckdb"
    reports = land_all(settings_for(demo_source, warehouse, passed_through={}))
    assert all(r.error is None for r in reports.values()), {s: r.error for s, r in reports.items()}
    return warehouse


def batch_ids(landing: Path, system: str) -> list[str]:
    return sorted(p.name for p in (landing / system).iterdir() if (p / "_manifest.json").is_file())


def manifest_rows(batch_dir: Path) -> dict[str, int]:
    manifest = json.loads((batch_dir / "_manifest.json").read_text(encoding="utf-8"))
    return {f["object"]: f["rows"] for f in manifest["files"]}


def api_env(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], *, page_sizes: bool = True) -> None:
    """Point API mode at the stand-ins; nothing leaks from the developer's environment."""
    for system in SYSTEMS:
        for key in ("MODE", "API_BASE_URL", "API_TOKEN", "API_PAGE_SIZE"):
            monkeypatch.delenv(f"Q2C_{system.upper()}_{key}", raising=False)
    monkeypatch.delenv("Q2C_PSA_ACCOUNT_ID", raising=False)
    monkeypatch.delenv("Q2C_API_MAX_RETRY_SECONDS", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if page_sizes:
        for system, size in PAGE_SIZES.items():
            monkeypatch.setenv(f"Q2C_{system.upper()}_API_PAGE_SIZE", str(size))
