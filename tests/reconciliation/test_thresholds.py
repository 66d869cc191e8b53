"""Thresholds are configuration: the vars change the findings, the defaults match the file."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from q2c.reconciliation_config import ReconConfigError, load_recon_config
from q2c.settings import RECON_CONFIG_DEFAULT
from tests.reconciliation import builders as b
from tests.reconciliation.recon_harness import AS_OF, Marts, ReconRun, default_vars, run_recon


def build() -> Marts:
    m = Marts()
    b.account(m, "AT")
    b.billing_customer(m, "cus_T", "AT")
    b.erp_customer(m, "ET", "AT")
    b.account(m, "AT-NEW")
    b.opportunity(m, "O-T-NEW", "AT-NEW", closed_days_ago=2)  # ACC-01/02 only when G < 2
    b.opportunity(m, "O-T", "AT", code="P-T")
    b.engagement(m, "P-T", opp_id="O-T", crm_id="AT", project_id="pt", erp_job_id="JT")
    b.time_entry(m, "te-t-25", "P-T", "pt", spent_days_ago=25, rate=None)  # UNB-01 only when N < 25
    b.billing_invoice(m, "in_T", "cus_T")
    b.erp_invoice(m, "T-T", "ET", "in_T", total="1004.00")  # INV-03 only without 0.5 %
    return m


def changed_vars() -> dict:
    config = load_recon_config(RECON_CONFIG_DEFAULT)
    config = replace(
        config,
        grace_days=1,
        unbilled_age_days=20,
        amount_tolerance_pct=Decimal("0"),
        owners={**config.owners, "UNB-01": "billing"},
    )
    return config.dbt_vars(AS_OF)


@pytest.fixture(scope="module")
def default_run(recon_session_dir: Path) -> ReconRun:
    return run_recon(build(), recon_session_dir, default_vars())


@pytest.fixture(scope="module")
def changed_run(recon_session_dir: Path) -> ReconRun:
    return run_recon(build(), recon_session_dir, changed_vars())


@pytest.fixture(scope="module")
def bare_run(recon_session_dir: Path) -> ReconRun:
    """Only the as-of date passed: the SQL's own defaults apply."""
    return run_recon(build(), recon_session_dir, {"as_of": AS_OF.isoformat()})


def test_changed_thresholds_change_the_findings(default_run: ReconRun, changed_run: ReconRun) -> None:
    watched = {("ACC-01", "AT-NEW", ""), ("ACC-02", "AT-NEW", ""), ("UNB-01", "te-t-25", ""), ("INV-03", "in_T", "")}
    assert not default_run.fired() & watched
    assert changed_run.fired() & watched == watched
    assert changed_run.one("UNB-01", "te-t-25")["owner"] == "billing"
    assert changed_run.one("UNB-01", "te-t-25")["event_aging_bucket"] == "0-30"


def test_sql_defaults_equal_the_config_file(default_run: ReconRun, bare_run: ReconRun) -> None:
    def comparable(run: ReconRun) -> list[tuple]:
        return sorted(tuple(str(v) for v in f.values()) for f in run.findings)

    assert default_run.findings  # the comparison must compare something
    assert comparable(bare_run) == comparable(default_run)


def test_config_loads_exact_decimals_and_every_owner() -> None:
    config = load_recon_config(RECON_CONFIG_DEFAULT)
    assert config.amount_tolerance_pct == Decimal("0.005")
    assert config.quantity_tolerance_hours == Decimal("0.01")
    assert config.owner("INV-05") == "accounts_receivable"
    assert config.materiality("ACC-04").count == 1
    assert config.materiality("ACC-04").amount == Decimal("5000")  # inherited from default
    assert config.materiality("RATE-01").is_material(Decimal("5000"), 1)
    assert not config.materiality("RATE-01").is_material(Decimal("4999.99"), 24)
    vars_ = config.dbt_vars(AS_OF)
    assert vars_["as_of"] == "2026-03-31"
    assert vars_["amount_tolerance_abs"] == "0.01"
    assert vars_["grace_days"] == 2
    assert len(vars_["recon_owners"]) == 27


def test_config_rejects_an_unknown_owner(tmp_path: Path) -> None:
    text = RECON_CONFIG_DEFAULT.read_text().replace("BOOK-02: pmo", "BOOK-02: marketing")
    path = tmp_path / "reconciliation.yml"
    path.write_text(text)
    with pytest.raises(ReconConfigError, match="owners"):
        load_recon_config(path)
