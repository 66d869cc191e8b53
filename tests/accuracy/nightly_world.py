"""Run the real nightly job (as `q2c run` does) on generated demo data in a temp folder."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from q2c.settings import RECON_CONFIG_DEFAULT


@dataclass
class World:
    root: Path

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def ground_truth(self) -> Path:
        return self.root / "ground_truth"

    def env(self) -> dict[str, str]:
        return {
            "Q2C_LANDING_DIR": str(self.landing),
            "Q2C_DUCKDB_PATH": str(self.warehouse),
            "Q2C_GROUND_TRUTH_DIR": str(self.ground_truth),
            "Q2C_REPORTS_DIR": str(self.root / "reports"),
            "Q2C_RECON_CONFIG": str(RECON_CONFIG_DEFAULT),
            "DAGSTER_HOME": str(self.root / "dagster_home"),
        }

    def run_nightly(self):
        from q2c.cli.run import run_nightly

        with pytest.MonkeyPatch.context() as mp:
            for name, value in self.env().items():
                mp.setenv(name, value)
            mp.delenv("Q2C_AS_OF", raising=False)
            result = run_nightly(echo=lambda _: None)
        assert result.success, result.failures
        return result

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as conn:
            return conn.execute(sql).fetchall()

    def findings(self) -> set[tuple[str, str, str, str]]:
        return {
            (r, t, s, a or "")
            for r, t, s, a in self.query("select rule_id, subject_type, subject_id, attribute from recon.findings")
        }

    def expected_findings(self) -> set[tuple[str, str, str, str]]:
        with open(self.ground_truth / "ground_truth.csv", newline="") as f:
            return {(r["rule_id"], r["subject_type"], r["subject_id"], r["attribute"] or "") for r in csv.DictReader(f)}

    def near_misses(self) -> list[dict[str, str]]:
        with open(self.ground_truth / "near_misses.csv", newline="") as f:
            return list(csv.DictReader(f))
