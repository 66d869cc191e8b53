"""API mode lands what file mode lands; a second run fetches only what changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.api import extract_to_landing
from ingestion.catalog import SYSTEMS
from ingestion.landing import land_all
from q2c.settings import settings_for
from q2c_demo.api_standin import StandinDataset, StandinServers
from tests.api.conftest import api_env, batch_ids, manifest_rows
from tests.api.raw_compare import raw_differences


def _extract_all(landing: Path, warehouse: Path) -> dict:
    return {system: extract_to_landing(system, settings_for(landing, warehouse)) for system in SYSTEMS}


def _land(landing: Path, warehouse: Path) -> None:
    reports = land_all(settings_for(landing, warehouse, passed_through={}))
    assert all(r.error is None for r in reports.values()), {s: r.error for s, r in reports.items()}
    assert not [b for r in reports.values() for b in r.rejected]


def test_full_then_incremental_lands_the_file_mode_tables(
    demo_source: Path, file_mode_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = batch_ids(demo_source, "crm")
    dataset = StandinDataset.from_landing(demo_source, until=ids[-2])  # the source as of the day before
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    with StandinServers(dataset) as servers:
        api_env(monkeypatch, servers.env())

        first = _extract_all(landing, warehouse)
        assert {b.mode for b in first.values()} == {"full"}
        _land(landing, warehouse)
        served_full = sum(r.records for r in servers.requests)

        dataset.apply_landing(demo_source)  # the last day's changes happen in the sources
        before = len(servers.requests)
        second = _extract_all(landing, warehouse)
        served_incremental = sum(r.records for r in servers.requests[before:])
        for system in SYSTEMS:
            assert second[system].mode == "incremental"
            # exactly the records the source changed that day: the generator's own last batch
            assert second[system].rows == manifest_rows(demo_source / system / ids[-1]), system
        assert 0 < served_incremental < served_full / 10
        _land(landing, warehouse)

        third = _extract_all(landing, warehouse)  # nothing changed since
        assert all(n == 0 for b in third.values() for n in b.rows.values())

        # a full reload of the same source state, into a fresh warehouse
        reload_landing, reload_warehouse = tmp_path / "reload" / "landing", tmp_path / "reload" / "warehouse.duckdb"
        reload = _extract_all(reload_landing, reload_warehouse)
        assert {b.mode for b in reload.values()} == {"full"}
    _land(landing, warehouse)
    _land(reload_landing, reload_warehouse)

    assert raw_differences(warehouse, reload_warehouse) == []
    assert raw_differences(warehouse, file_mode_warehouse) == []
