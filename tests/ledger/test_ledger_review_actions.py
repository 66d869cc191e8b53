from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from q2c.ledger import (
    InvalidTransitionError,
    LedgerError,
    Materiality,
    UnknownExceptionError,
    acknowledge,
    apply_findings,
    exception_id,
    get_exception,
    list_exceptions,
    reopen,
    review_rules,
    waive,
)
from q2c.rule_catalogue import RULES

D1, D2 = date(2026, 3, 1), date(2026, 3, 2)
MATERIALITY = Materiality(amount=Decimal("1000"), count=3)


def _snapshot(wh):
    return (
        wh.rows("SELECT * FROM recon.exceptions ORDER BY exception_id"),
        wh.rows("SELECT count(*) FROM recon.exception_events"),
    )


@pytest.fixture
def ledger(warehouse, finding):
    warehouse.night(
        D1,
        [
            finding("ACC-01", "001A"),
            finding("INV-03", "in_1", subject_type="billing_invoice", amount="2000"),
            finding("INV-03", "in_2", subject_type="billing_invoice", amount="5"),
        ],
    )
    apply_findings(warehouse.conn, D1)
    return warehouse


def test_acknowledge_writes_one_event_and_keeps_the_exception_open_for_checks(ledger):
    eid = exception_id("ACC-01", "crm_account", "001A", "")
    acknowledge(ledger.conn, eid[:8], by="ana", reason="talking to sales ops")
    row, events = get_exception(ledger.conn, eid)
    assert (row["status"], row["status_by"], row["status_reason"]) == ("acknowledged", "ana", "talking to sales ops")
    assert [(e["event_type"], e["actor"], e["reason"]) for e in events] == [
        ("new", "q2c-nightly", None),
        ("acknowledged", "ana", "talking to sales ops"),
    ]
    acc01 = next(r for r in review_rules(ledger.conn, D1, MATERIALITY) if r.rule_id == "ACC-01")
    assert (acc01.open, acc01.acknowledged, acc01.severity) == (1, 1, "warn")


def test_waived_stays_visible_but_no_longer_fails_its_check(ledger):
    material = exception_id("INV-03", "billing_invoice", "in_1", "")
    before = next(r for r in review_rules(ledger.conn, D1, MATERIALITY) if r.rule_id == "INV-03")
    assert before.severity == "error" and before.amount_at_risk_reporting == Decimal("2205.5")
    waive(ledger.conn, material, by="bo", reason="credit agreed with customer")
    after = next(r for r in review_rules(ledger.conn, D1, MATERIALITY) if r.rule_id == "INV-03")
    assert (after.severity, after.open, after.waived) == ("warn", 1, 1)
    assert after.amount_at_risk_reporting == Decimal("5.5")
    assert {r["status"] for r in list_exceptions(ledger.conn, rule_id="INV-03")} == {"open", "waived"}
    # the nightly keeps a waived finding waived while it fires
    apply_findings(ledger.conn, D1)
    assert get_exception(ledger.conn, material)[0]["status"] == "waived"


def test_a_material_rule_catalogued_as_warn_is_reported_as_warn(ledger, monkeypatch):
    from dataclasses import replace

    from q2c.ledger import review

    monkeypatch.setattr(
        review, "RULES", tuple(replace(r, severity="warn") if r.rule_id == "INV-03" else r for r in RULES)
    )
    inv03 = next(r for r in review_rules(ledger.conn, D1, MATERIALITY) if r.rule_id == "INV-03")
    assert (inv03.severity, inv03.amount_at_risk_reporting) == ("warn", Decimal("2205.5"))


def test_reopen_returns_a_waived_exception_to_open(ledger):
    eid = exception_id("INV-03", "billing_invoice", "in_1", "")
    waive(ledger.conn, eid, by="bo", reason="credit agreed")
    reopen(ledger.conn, eid, by="cy", reason="credit never issued")
    row, events = get_exception(ledger.conn, eid)
    assert row["status"] == "open"
    assert [e["event_type"] for e in events] == ["new", "waived", "manually_reopened"]


@pytest.mark.parametrize(
    ("action", "ident", "by", "reason", "error"),
    [
        (acknowledge, "ffffffffff", "ana", "why", UnknownExceptionError),
        (acknowledge, "abc", "ana", "why", UnknownExceptionError),
        (acknowledge, "ACC-01", "  ", "why", LedgerError),
        (waive, "ACC-01", "ana", "", LedgerError),
        (reopen, "ACC-01", "ana", "why", InvalidTransitionError),
    ],
)
def test_bad_review_input_changes_nothing(ledger, action, ident, by, reason, error):
    if ident == "ACC-01":
        ident = exception_id("ACC-01", "crm_account", "001A", "")
    before = _snapshot(ledger)
    with pytest.raises(error):
        action(ledger.conn, ident, by=by, reason=reason)
    assert _snapshot(ledger) == before


def test_resolved_exception_cannot_be_acknowledged(ledger):
    ledger.night(D2, [])
    apply_findings(ledger.conn, D2)
    eid = exception_id("ACC-01", "crm_account", "001A", "")
    with pytest.raises(InvalidTransitionError, match="resolved"):
        acknowledge(ledger.conn, eid, by="ana", reason="late")


def test_review_covers_every_rule_with_counts_severity_and_sql(ledger, finding):
    ledger.night(
        D2,
        [
            finding("INV-03", "in_1", subject_type="billing_invoice", amount="2000"),
            finding("BOOK-02", "006X", subject_type="crm_opportunity"),
        ],
    )
    apply_findings(ledger.conn, D2)
    reviews = {r.rule_id: r for r in review_rules(ledger.conn, D2, MATERIALITY)}
    assert list(reviews) == [r.rule_id for r in RULES] and len(reviews) == 27
    inv = reviews["INV-03"]
    assert (inv.firing, inv.open, inv.new_tonight, inv.resolved_tonight, inv.severity) == (1, 1, 0, 1, "error")
    assert "in_1" in inv.top_markdown() and "in_2" not in inv.top_markdown()
    assert "rule_id = 'INV-03'" in inv.analyst_sql
    # the analyst SQL runs and lists exactly the open ones
    assert [r[4] for r in ledger.rows(inv.analyst_sql)] == ["in_1"]
    book = reviews["BOOK-02"]
    assert (book.new_tonight, book.unquantified_open, book.severity) == (1, 1, "warn")
    acc = reviews["ACC-01"]
    assert (acc.resolved_tonight, acc.open, acc.severity) == (1, 0, None)
    assert reviews["RATE-01"].passed and reviews["RATE-01"].top_markdown() == "_no open findings_"


def test_count_threshold_makes_many_findings_material(warehouse, finding):
    warehouse.night(
        D1,
        [finding("BOOK-02", f"006{i}", subject_type="crm_opportunity") for i in range(3)]
        + [finding("RATE-01", f"{i}", subject_type="psa_time_entry", amount="1") for i in range(2)],
    )
    apply_findings(warehouse.conn, D1)
    reviews = {r.rule_id: r for r in review_rules(warehouse.conn, D1, MATERIALITY)}
    assert (reviews["BOOK-02"].unquantified_open, reviews["BOOK-02"].severity) == (3, "error")
    assert reviews["RATE-01"].severity == "warn"
    per_rule = {r.rule_id: MATERIALITY for r in RULES} | {"RATE-01": Materiality(Decimal("1000"), 2)}
    assert next(r for r in review_rules(warehouse.conn, D1, per_rule) if r.rule_id == "RATE-01").severity == "error"


def test_list_filters(ledger):
    assert len(list_exceptions(ledger.conn)) == 3
    assert [r["subject_id"] for r in list_exceptions(ledger.conn, rule_id="INV-03")] == ["in_1", "in_2"]
    assert list_exceptions(ledger.conn, owner="sales_ops")[0]["rule_id"] == "ACC-01"
    assert list_exceptions(ledger.conn, status="resolved") == []
    with pytest.raises(ValueError, match="unknown status"):
        list_exceptions(ledger.conn, status="closed")
