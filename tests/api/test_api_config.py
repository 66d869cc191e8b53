"""API-mode configuration, cursor bookkeeping and batch writing, without any server."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from ingestion.api import ApiConfigError, jsontext, load_api_config, system_mode
from ingestion.api.batch_writer import ObjectRows, write_batch
from ingestion.api.cursors import Cursor, SystemState
from ingestion.catalog import object_spec
from ingestion.landing.manifest import read_manifest
from q2c.settings import get_settings
from tests.api.conftest import api_env


def test_mode_defaults_to_files_and_rejects_unknown_values(monkeypatch: pytest.MonkeyPatch) -> None:
    api_env(monkeypatch, {})
    assert system_mode("erp", get_settings()) == "files"
    monkeypatch.setenv("Q2C_ERP_MODE", "API")
    assert system_mode("erp", get_settings()) == "api"
    monkeypatch.setenv("Q2C_ERP_MODE", "ftp")
    with pytest.raises(ApiConfigError, match="Q2C_ERP_MODE='ftp'"):
        system_mode("erp", get_settings())


def test_api_mode_without_credentials_names_the_missing_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    api_env(monkeypatch, {"Q2C_PSA_MODE": "api", "Q2C_PSA_API_BASE_URL": "http://127.0.0.1:1"})
    monkeypatch.chdir(Path(__file__).parent)  # no .dlt/secrets.toml here
    with pytest.raises(ApiConfigError, match="Q2C_PSA_API_TOKEN, Q2C_PSA_ACCOUNT_ID are not set"):
        load_api_config("psa", get_settings())


def test_credentials_can_come_from_dlt_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    # dlt.secrets resolves [q2c.crm] api_token from secrets.toml or, as here, its env form.
    api_env(
        monkeypatch,
        {"Q2C_CRM_API_BASE_URL": "https://example.my.salesforce.com", "Q2C__CRM__API_TOKEN": "from-dlt-secrets"},
    )
    config = load_api_config("crm", get_settings())
    assert config.token == "from-dlt-secrets"
    assert "from-dlt-secrets" not in repr(config)
    assert config.mask("refused token from-dlt-secrets") == "refused token ***"


def test_exact_decimals_survive_a_json_round_trip() -> None:
    text = '{"hours":1.50,"rate":125000.00,"big":12345678901234567.89,"n":3,"name":"Zürich"}'
    record = jsontext.loads(text)
    assert record["hours"] == Decimal("1.50") and record["big"] == Decimal("12345678901234567.89")
    assert jsontext.dumps(record) == text  # digits as written, never through a float
    assert jsontext.loads(jsontext.dumps({"tiny": Decimal("0.0000001")}))["tiny"] == Decimal("0.0000001")


def test_cursor_keeps_only_new_or_changed_records_at_the_boundary() -> None:
    cursor = Cursor()
    first = cursor.keep_changed(
        [
            ("a", "2026-01-01T00:00:00", {"v": 1}),
            ("b", "2026-01-02T00:00:00", {"v": 2}),
            ("c", "2026-01-02T00:00:00", {"v": 3}),
        ]
    )
    assert len(first) == 3 and cursor.mark == "2026-01-02T00:00:00" and set(cursor.boundary) == {"b", "c"}
    # the inclusive re-read returns b and c again: unchanged b is dropped, changed c kept
    again = cursor.keep_changed(
        [
            ("b", "2026-01-02T00:00:00", {"v": 2}),
            ("c", "2026-01-02T00:00:00", {"v": 30}),
            ("d", "2026-01-03T00:00:00", {"v": 4}),
        ]
    )
    assert again == [{"v": 30}, {"v": 4}]
    assert cursor.mark == "2026-01-03T00:00:00" and set(cursor.boundary) == {"d"}
    assert cursor.keep_changed([]) == [] and cursor.mark == "2026-01-03T00:00:00"


def test_state_round_trips_and_an_unreadable_file_means_start_over(tmp_path: Path) -> None:
    path = tmp_path / "state" / "crm.json"
    state = SystemState("crm")
    state.cursor("Account").keep_changed([("001", "2026-01-01T00:00:00", {"x": 1})])
    state.last_batch_id = "2026-01-01T02-00-00Z"
    state.save(path)
    loaded = SystemState.load(path, "crm")
    assert loaded.cursors["Account"].mark == "2026-01-01T00:00:00" and loaded.last_batch_id == state.last_batch_id
    path.write_text("{not json", encoding="utf-8")
    assert SystemState.load(path, "crm").is_empty
    assert SystemState.load(path, "psa").is_empty


def test_batches_follow_the_landing_contract_and_keep_sorting_in_time(tmp_path: Path) -> None:
    spec = object_spec("erp", "currency")
    rows = [["1", "USD", "US Dollar"], ["2", "EUR", 'Euro, "single" currency']]
    server_time = datetime(2026, 11, 22, 2, 0, 1, 500)
    one = write_batch(tmp_path, "erp", "full", server_time, [ObjectRows(spec, rows)])
    # a server clock running behind must not produce a batch that sorts before the last one
    two = write_batch(tmp_path, "erp", "incremental", datetime(2026, 11, 21), [ObjectRows(spec, [])])
    assert one.batch_id == "2026-11-22T02-00-01Z" and two.batch_id == "2026-11-22T02-00-02Z"
    manifest = read_manifest(one.path, "erp")  # the landing layer's own verification
    assert manifest.mode == "full" and manifest.rows == 2
    data = (one.path / "currency.csv").read_bytes()
    assert data.decode().splitlines()[0] == "id,symbol,name"
    raw = json.loads((one.path / "_manifest.json").read_text())
    assert raw["files"][0]["sha256"] == hashlib.sha256(data).hexdigest()
    assert not [p for p in tmp_path.joinpath("erp").iterdir() if p.name.startswith(".")]
