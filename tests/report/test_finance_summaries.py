"""What finance reads each morning (issue 14, defects 6 and 12): the run summary and the HTML
report over a hand-made ledger with a few marts beside it."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import duckdb
import pytest

from q2c.ledger import review_rules
from q2c.reconciliation_config import load_recon_config
from q2c.report import load_report_data, render_report_html
from q2c.report.ledger_view import load_trend
from q2c.rule_catalogue import RULES
from q2c.run_summary import DbtSummary, NightlyResult, ledger_line, render_markdown
from q2c.settings import RECON_CONFIG_DEFAULT
from tests.report.ledger_nights import fold_night

NIGHT = date(2026, 11, 22)
# ACC-06 finds the ERP and the billing customer of one dead CRM account: the same receivables
_ACC06 = [
    ("ACC-06", "ACC", "erp_customer", "1011", Decimal("141746.57"), "accounts_receivable", "no account",
     "erp_customer_id"),
    ("ACC-06", "ACC", "billing_customer", "cus_1", Decimal("141746.57"), "accounts_receivable", "no account",
     "billing_customer_id"),
]  # fmt: skip
_ACC04 = ("ACC-04", "ACC", "crm_account", "001B", None, "sales_ops", "keys conflict", "crm_account_id")
_BOOK01 = ("BOOK-01", "BOOK", "crm_opportunity", "006X", Decimal("500.00"), "sales_ops", "over", "crm_opportunity_id")
_KEYS = {"1011": {"crm_account_id": "001A"}, "cus_1": {"crm_account_id": "001A"}, "006X": {"crm_account_id": "001B"}}

_MARTS = """
CREATE SCHEMA marts; CREATE SCHEMA reference;
CREATE TABLE reference.fx_rates AS SELECT * FROM (VALUES ('USD', 1.0::DECIMAL(18,8)), ('EUR', 1.08::DECIMAL(18,8)))
    v(currency_code, rate_to_reporting);
CREATE TABLE marts.customers AS SELECT * FROM (VALUES ('001A', 'Dead Account Ltd'), ('001B', 'Conflicted GmbH'))
    v(crm_account_id, account_name);
CREATE TABLE marts.customer_keys AS SELECT * FROM (VALUES ('001B', 'erp', '2001'), ('001B', 'erp', '2002'),
    ('001B', 'billing', 'cus_9')) v(crm_account_id, system, system_customer_id);
CREATE TABLE marts.erp_invoices AS SELECT * FROM (VALUES
    ('2001', 'EUR', 1000.00::DECIMAL(18,4), false), ('2002', 'USD', 250.50::DECIMAL(18,4), false),
    ('2002', 'USD', 999.00::DECIMAL(18,4), true),   -- voided: not a receivable
    ('2002', 'USD', 0.00::DECIMAL(18,4), false)) v(erp_customer_id, currency_code, amount_unpaid, is_voided);
CREATE TABLE marts.engagements AS SELECT * FROM (VALUES ('PRJ-1', '001B')) v(psa_project_code, crm_account_id);
CREATE TABLE marts.time_entries AS SELECT * FROM (VALUES
    ('PRJ-1', 'USD', 'approved', true, false, 300.00::DECIMAL(18,4)),
    ('PRJ-1', 'USD', 'approved', true, true, 700.00::DECIMAL(18,4)),    -- billed already
    ('PRJ-1', 'USD', 'submitted', true, false, 50.00::DECIMAL(18,4)))   -- not approved yet
    v(psa_project_code, client_currency_code, approval_status, is_billable, is_billed, billable_amount);
"""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("finance") / "warehouse.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute(_MARTS)
        fold_night(conn, NIGHT, [*_ACC06, _ACC04, _BOOK01], run_id="night-1", keys_of=_KEYS)
        fold_night(conn, NIGHT, [*_ACC06, _ACC04, _BOOK01], run_id="night-1-rerun", keys_of=_KEYS)
        conn.execute(  # the rule models' own text
            "UPDATE recon.exceptions SET expected = 'not to exceed 98908272.0500', actual = 'billed 98909272.0500' "
            "WHERE rule_id = 'BOOK-01'"
        )
    return path


@pytest.fixture(scope="module")
def materiality():
    config = load_recon_config(RECON_CONFIG_DEFAULT)
    return {rule.rule_id: config.materiality(rule.rule_id) for rule in RULES}


def _reviews(path, materiality, run_id):
    with duckdb.connect(str(path)) as conn:
        return {r.rule_id: r for r in review_rules(conn, NIGHT, materiality, run_id=run_id)}


def test_a_rerun_that_changed_nothing_reports_nothing_new(warehouse, materiality):
    first = _reviews(warehouse, materiality, "night-1")
    rerun = _reviews(warehouse, materiality, "night-1-rerun")
    assert first["ACC-06"].new_tonight == 2 and first["BOOK-01"].new_tonight == 1
    assert all(r.new_tonight == 0 and r.resolved_tonight == 0 for r in rerun.values())
    line = ledger_line(NightlyResult(success=True, run_id="night-1-rerun", reviews=list(rerun.values())))
    assert line == "4 open exceptions: 0 new, 0 resolved, 0 reopened tonight"


def test_one_subject_found_through_two_systems_counts_once(warehouse, materiality):
    acc06 = _reviews(warehouse, materiality, "night-1")["ACC-06"]
    assert acc06.open == 2 and acc06.amount_at_risk_reporting == Decimal("141746.57")
    with duckdb.connect(str(warehouse)) as conn:
        data = load_report_data(conn, NIGHT, materiality, "USD", run_id="night-1")
        [trend] = load_trend(conn, NIGHT)
    assert data.amount_total == Decimal("142246.57")  # ACC-06 once + BOOK-01
    assert trend.amount_at_risk_reporting == Decimal("142246.57") and trend.open_exceptions == 4
    assert sum(a.amount_at_risk_reporting for a in data.exception_aging) == Decimal("142246.57")


def test_a_rule_without_an_amount_says_what_is_at_stake(warehouse, materiality):
    acc04 = _reviews(warehouse, materiality, "night-1")["ACC-04"]
    # account 001B: ERP receivables 1000 EUR x 1.08 + 250.50 USD; unbilled approved time 300 USD
    assert acc04.at_stake is not None and acc04.at_stake.accounts == 1
    assert acc04.at_stake.open_receivables_reporting == Decimal("1330.50")
    assert acc04.at_stake.unbilled_reporting == Decimal("300.00")
    assert _reviews(warehouse, materiality, "night-1")["BOOK-01"].at_stake is None  # it has its own amount


def test_summary_names_rules_totals_and_the_ledger_in_finance_terms(warehouse, materiality):
    reviews = list(_reviews(warehouse, materiality, "night-1").values())
    result = NightlyResult(success=True, run_id="night-1", as_of=NIGHT, reviews=reviews)
    text = render_markdown(result, "USD")
    assert "| ACC-04 | Cross-system customer keys conflict |" in text
    assert re.search(r"\| ACC-04 \|[^\n]*\| - \| 1,630\.50 \| ERROR \|", text), text
    assert "total open amount at risk: 142,246.57 USD" in text
    assert "4 open exceptions: 4 new, 0 resolved, 0 reopened tonight" in text
    assert "seen_again" not in text and "events_written" not in text


def test_report_lists_the_top_of_each_rule_with_ids_customers_and_money(warehouse, materiality):
    with duckdb.connect(str(warehouse)) as conn:
        data = load_report_data(conn, NIGHT, materiality, "USD", run_id="night-1", top_per_rule=1)
        ids = dict(conn.execute("SELECT subject_id, exception_id FROM recon.exceptions").fetchall())
    html = render_report_html(data)
    assert [x["rule_id"] for x in data.top_exceptions] == ["ACC-04", "ACC-06", "BOOK-01"]  # one per rule
    for rule in ("ACC-04", "ACC-06", "BOOK-01"):
        assert f'id="rule-{rule}"' in html and f'href="#rule-{rule}"' in html
    assert ids["001B"][:12] in html and f"q2c exceptions show {ids['001B']}" in html
    assert "Conflicted GmbH" in html and "Dead Account Ltd" in html  # names, not only ids
    assert "not to exceed 98,908,272.05 USD" in html and "98908272.0500" not in html
    assert 'table class="top"' in html and "table-layout:fixed" in html  # wraps within the page


def test_dbt_warnings_are_named_with_their_models(tmp_path):
    uid = "test.q2c.billing_invoices_paid_means_nothing_remaining.1a2b"
    (tmp_path / "run_results.json").write_text(
        json.dumps({"results": [{"unique_id": uid, "status": "warn"}, {"unique_id": "test.q2c.t.9", "status": "pass"}]})
    )
    (tmp_path / "manifest.json").write_text(
        json.dumps({"nodes": {uid: {"attached_node": "model.q2c.billing_invoices", "depends_on": {"nodes": []}}}})
    )
    summary = DbtSummary.from_run_results(tmp_path / "run_results.json")
    assert summary.warned_tests == ["billing_invoices_paid_means_nothing_remaining on billing_invoices"]
    text = render_markdown(NightlyResult(success=True, run_id="r", dbt=summary), "USD")
    assert "warned: `billing_invoices_paid_means_nothing_remaining on billing_invoices`" in text
