"""Transport behaviour against the stand-ins: retries with backoff, Retry-After, a bounded
retry time, and fast, clear failures on bad credentials that land nothing."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster_dlt import DagsterDltResource

from ingestion.api import ApiAuthError, ApiError, extract_to_landing
from ingestion.api.cursors import state_path
from ingestion.landing import land
from q2c.settings import settings_for
from q2c_demo.api_standin import StandinDataset, StandinServers
from tests.api.conftest import api_env
from tests.api.raw_compare import raw_differences


@pytest.fixture(scope="module")
def dataset(demo_source: Path) -> StandinDataset:
    return StandinDataset.from_landing(demo_source)


@pytest.fixture
def servers(dataset: StandinDataset, monkeypatch: pytest.MonkeyPatch):
    with StandinServers(dataset) as running:
        api_env(monkeypatch, running.env())
        yield running


def _no_batch(landing: Path, system: str) -> bool:
    folder = landing / system
    return not folder.exists() or not any(p for p in folder.iterdir() if not p.name.startswith("."))


def test_429_burst_transient_500s_and_dropped_connections_are_retried(
    servers: StandinServers, demo_source: Path, file_mode_warehouse: Path, tmp_path: Path
) -> None:
    faults = servers.faults("crm")
    faults.dropped_connections, faults.rate_limited, faults.retry_after, faults.server_errors = 1, 2, 1, 2
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    started = time.monotonic()
    batch = extract_to_landing("crm", settings_for(landing, warehouse))
    took = time.monotonic() - started

    statuses = [r.status for r in servers.requests_of("crm")]
    assert statuses[:5] == [0, 429, 429, 500, 500]  # 0: connection dropped without a response
    assert set(statuses[5:]) == {200}
    assert took >= 2.0  # two 429s, each honouring Retry-After: 1
    assert batch.mode == "full" and batch.rows["Account"] == servers.dataset.count("crm", "Account")
    report = land("crm", settings_for(landing, warehouse, passed_through={}), raise_on_error=False)
    assert report.error is None and report.loaded
    assert raw_differences(warehouse, file_mode_warehouse, systems=("crm",)) == []


def test_stripe_pagination_survives_a_429_mid_listing(servers: StandinServers, tmp_path: Path) -> None:
    servers.faults("billing").rate_limited = 1
    batch = extract_to_landing("billing", settings_for(tmp_path / "landing", tmp_path / "warehouse.duckdb"))
    assert batch.rows["invoices"] == servers.dataset.count("billing", "invoices")
    assert [r.status for r in servers.requests_of("billing")].count(429) == 1


def test_bad_token_fails_fast_with_a_clear_message_and_lands_nothing(
    servers: StandinServers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad_token = "sk_live_this-is-not-the-token"
    monkeypatch.setenv("Q2C_BILLING_API_TOKEN", bad_token)
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    started = time.monotonic()
    with pytest.raises(ApiAuthError) as failure:
        extract_to_landing("billing", settings_for(landing, warehouse))
    assert time.monotonic() - started < 2
    message = str(failure.value)
    assert "billing" in message and "401" in message and "Q2C_BILLING_API_TOKEN" in message
    assert bad_token not in message
    assert len(servers.requests_of("billing")) == 1  # no retries on a refused credential
    assert _no_batch(landing, "billing")
    assert not state_path(warehouse, "billing").exists()


def test_bad_token_fails_the_nightly_landing_step_and_loads_nothing(
    servers: StandinServers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orchestration.ingestion.assets import system_assets
    from orchestration.resources import night_lock_resource
    from q2c.settings import get_settings

    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("Q2C_LANDING_DIR", str(landing))
    monkeypatch.setenv("Q2C_DUCKDB_PATH", str(warehouse))
    monkeypatch.setenv("Q2C_CRM_API_TOKEN", "expired-or-wrong")
    result = dg.materialize(
        [system_assets("crm")],
        resources={"dlt": DagsterDltResource(), "settings": get_settings(), "night_lock": night_lock_resource},
        raise_on_error=False,
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    error = failure.step_failure_data.error
    while error.cause is not None:
        error = error.cause
    assert "crm API refused the credentials" in error.message and "Q2C_CRM_API_TOKEN" in error.message
    assert _no_batch(landing, "crm")
    if warehouse.exists():
        with duckdb.connect(str(warehouse), read_only=True) as con:
            assert not con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw_crm'"
            ).fetchall()


def test_expired_token_is_reported_as_a_credential_problem(servers: StandinServers, tmp_path: Path) -> None:
    servers.faults("psa").expired_token = True
    expected = r"psa API refused the credentials \(HTTP 401\).*Q2C_PSA_ACCOUNT_ID.*expired"
    with pytest.raises(ApiAuthError, match=expected):
        extract_to_landing("psa", settings_for(tmp_path / "landing", tmp_path / "warehouse.duckdb"))
    assert _no_batch(tmp_path / "landing", "psa")


def test_retrying_stops_at_the_time_budget(
    servers: StandinServers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("Q2C_API_MAX_RETRY_SECONDS", "2")
    servers.faults("erp").server_errors = 10_000
    started = time.monotonic()
    with pytest.raises(ApiError, match=r"erp API still failing after \d+ attempt\(s\).*HTTP 500.*giving up"):
        extract_to_landing("erp", settings_for(tmp_path / "landing", tmp_path / "warehouse.duckdb"))
    assert time.monotonic() - started < 4
    assert len(servers.requests_of("erp")) >= 3  # 0.5 s, 1 s backoff fit in 2 s
    assert _no_batch(tmp_path / "landing", "erp")


def test_a_retry_after_beyond_the_budget_fails_at_once(
    servers: StandinServers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("Q2C_API_MAX_RETRY_SECONDS", "5")
    faults = servers.faults("crm")
    faults.rate_limited, faults.retry_after = 1, 120
    started = time.monotonic()
    with pytest.raises(ApiError, match="server asked to wait 120 s"):
        extract_to_landing("crm", settings_for(tmp_path / "landing", tmp_path / "warehouse.duckdb"))
    assert time.monotonic() - started < 2


def test_an_unreachable_api_is_retried_then_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    api_env(
        monkeypatch,
        {
            "Q2C_CRM_MODE": "api",
            "Q2C_CRM_API_BASE_URL": f"http://127.0.0.1:{port}",
            "Q2C_CRM_API_TOKEN": "t0ken-value",
            "Q2C_API_MAX_RETRY_SECONDS": "1.5",
        },
    )
    with pytest.raises(ApiError, match=r"crm API still failing .*ConnectionError") as failure:
        extract_to_landing("crm", settings_for(tmp_path / "landing", tmp_path / "warehouse.duckdb"))
    assert "t0ken-value" not in str(failure.value)
