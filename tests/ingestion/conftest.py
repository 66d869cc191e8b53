from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest


@dataclass
class Warehouse:
    landing: Path
    duckdb_path: Path

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        con = duckdb.connect(str(self.duckdb_path), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def table(self, name: str, order_by: str = "1") -> list[tuple]:
        """A raw table's rows without dlt's per-load columns, for comparisons."""
        return self.query(f"SELECT * EXCLUDE (_dlt_load_id, _dlt_id) FROM {name} ORDER BY {order_by}")

    def exists(self, schema: str, table: str) -> bool:
        return bool(
            self.query(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?", [schema, table]
            )
        )


@pytest.fixture
def wh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Warehouse:
    landing = tmp_path / "landing"
    db = tmp_path / "data" / "warehouse.duckdb"
    landing.mkdir()
    monkeypatch.setenv("Q2C_LANDING_DIR", str(landing))
    monkeypatch.setenv("Q2C_DUCKDB_PATH", str(db))
    return Warehouse(landing, db)
