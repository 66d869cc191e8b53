"""The HTML reconciliation report from a hand-made ledger over three nights."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import duckdb
import pytest

from q2c.reconciliation_config import load_recon_config
from q2c.report import load_report_data, render_trend_svg, write_reconciliation_report
from q2c.report.ledger_view import TrendPoint, load_trend
from q2c.rule_catalogue import RULES, RULES_DOC
from q2c.settings import RECON_CONFIG_DEFAULT
from tests.report.ledger_nights import build_ledger

NIGHT_1, NIGHT_2, NIGHT_3 = date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)
HOSTILE = '<script>alert("x")</script> & Sons'

_INV = ("INV-03", "INV", "billing_invoice")
_UNB = ("UNB-01", "UNB", "psa_time_entry")
_ACC = ("ACC-01", "ACC", "crm_account")


def _night_1():
    return [
        (*_INV, "in_1", Decimal("7500.00"), "billing", "totals differ", "billing_invoice_id"),
        (*_INV, "in_2", Decimal("12.50"), "billing", "totals differ", "billing_invoice_id"),
        (*_UNB, "te-1", Decimal("900.00"), "pmo", "unbilled", "psa_time_entry_id"),
        (*_ACC, "001A", None, "sales_ops", "no ERP customer", "crm_account_id"),
    ]


def _night_2():  # in_2 resolved, te-2 new (with hostile free text)
    n1 = _night_1()
    return [n1[0], n1[2], n1[3], (*_UNB, "te-2", Decimal("100.25"), "pmo", HOSTILE, "psa_time_entry_id")]


def _night_3():  # in_1 resolved, in_2 reopened
    n2 = _night_2()
    return [n2[1], n2[2], n2[3], _night_1()[1]]


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    path = tmp_path_factory.mktemp("report_ledger") / "warehouse.duckdb"
    build_ledger(path, [(NIGHT_1, _night_1()), (NIGHT_2, _night_2()), (NIGHT_3, _night_3())])
    return path


@pytest.fixture(scope="module")
def config():
    return load_recon_config(RECON_CONFIG_DEFAULT)


def _materiality(config):
    return {rule.rule_id: config.materiality(rule.rule_id) for rule in RULES}


def test_trend_rebuilds_each_night_from_the_event_log(ledger):
    with duckdb.connect(str(ledger)) as conn:
        trend = load_trend(conn, NIGHT_3)
        # a night's amount is the sum of the latest amounts of the exceptions active that night
        assert trend == [
            TrendPoint(NIGHT_1, 4, Decimal("8412.50")),
            TrendPoint(NIGHT_2, 4, Decimal("8500.25")),
            TrendPoint(NIGHT_3, 4, Decimal("1012.75")),
        ]
        assert load_trend(conn, NIGHT_2) == trend[:2]  # never looks past its as-of
        assert load_trend(conn, NIGHT_3, runs=2) == trend[1:]


def test_report_data_counts_new_resolved_reopened_and_amounts_per_family(ledger, config):
    with duckdb.connect(str(ledger)) as conn:
        data = load_report_data(conn, NIGHT_3, _materiality(config), "USD", run_id=f"run-{NIGHT_3}")
    families = {f.family: f for f in data.families}
    assert (families["INV"].open, families["INV"].resolved_tonight) == (1, 1)
    assert families["INV"].amount_at_risk_reporting == Decimal("12.50")
    assert families["UNB"].open == 2 and families["UNB"].amount_at_risk_reporting == Decimal("1000.25")
    assert families["ACC"].amount_at_risk_reporting == Decimal("0")
    by_rule = {r.rule_id: r for r in data.reviews}
    assert by_rule["INV-03"].reopened_tonight == 1 and by_rule["INV-03"].resolved_tonight == 1
    assert (data.open_total, data.amount_total) == (4, Decimal("1012.75"))
    assert [(a.bucket, a.exceptions, a.amount_at_risk_reporting) for a in data.unbilled_aging] == [
        ("31-60", 1, Decimal("100.25")),
        ("61-90", 1, Decimal("900.00")),
        ("90+", 0, Decimal("0")),
    ]
    top = [(x["rule_id"], x["subject_id"]) for x in data.top_exceptions]
    assert top == [
        ("ACC-01", "001A"),
        ("INV-03", "in_2"),
        ("UNB-01", "te-1"),
        ("UNB-01", "te-2"),
    ]  # by rule, largest first
    assert data.top_exceptions[0]["amount_at_risk_reporting"] is None  # ACC-01 carries no amount


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_written_report_is_self_contained_escaped_and_complete(ledger, config, tmp_path):
    reports = tmp_path / "reports"
    with duckdb.connect(str(ledger)) as conn:
        path = write_reconciliation_report(conn, NIGHT_3, reports, config, run_id=f"run-{NIGHT_3}")
    assert path == reports / "2026-03-03.html"
    html = path.read_text(encoding="utf-8")
    assert (reports / "latest.html").read_text(encoding="utf-8") == html

    page = _Collector()
    page.feed(html)
    tags = [t for t, _ in page.tags]
    assert "script" not in tags  # the hostile explanation arrived as text, not as markup
    assert HOSTILE in "".join(page.text)
    assert "&lt;script&gt;" in html
    for tag, attrs in page.tags:  # nothing is fetched from anywhere; links are anchors or the catalogue
        assert "src" not in attrs, (tag, attrs)
        assert tag == "a" or "href" not in attrs, (tag, attrs)
    outward = [a["href"] for t, a in page.tags if t == "a" and not a.get("href", "#").startswith("#")]
    assert outward == [RULES_DOC.as_uri()]  # the rule catalogue
    assert tags.count("svg") == 1 and tags.count("rect") == 3  # one bar per night

    text = " ".join(" ".join(page.text).split())
    assert re.search(r"open exceptions\s*4", text)
    assert re.search(r"amount at risk \(USD\)\s*1,012\.75", text)
    assert f"run-{NIGHT_3}" in text
    # the keys of every system of a top exception
    assert "psa_time_entry_id=te-1" in html and "billing_invoice_id=in_2" in html


def test_trend_svg_draws_one_bar_and_one_line_point_per_night():
    points = [TrendPoint(date(2026, 1, d), d * 3, Decimal(d * 1000)) for d in range(1, 31)]
    svg = render_trend_svg(points, "EUR")
    assert svg.startswith("<svg") and svg.count('class="bar"') == 30 and svg.count("<circle") == 30
    [polyline] = re.findall(r'<polyline points="([^"]+)"', svg)
    ys = [float(p.split(",")[1]) for p in polyline.split()]
    assert ys == sorted(ys, reverse=True)  # rising amounts draw a rising line (y grows downward)
    assert "EUR" in svg
    assert render_trend_svg([], "EUR").startswith("<p")
