from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import duckdb
import pytest

from q2c.ledger import LedgerError, apply_findings, exception_id
from q2c.ledger.identity import aging_bucket
from tests.ledger.conftest import Warehouse

D1, D2, D3, D4 = date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3), date(2026, 4, 15)


def _exceptions(wh) -> dict[str, dict]:
    cur = wh.conn.execute("SELECT * FROM recon.exceptions")
    names = [d[0] for d in cur.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cur.fetchall()}


def _events(wh) -> list[tuple]:
    return wh.rows(
        "SELECT exception_id, as_of, event_type FROM recon.exception_events ORDER BY as_of, event_type, exception_id"
    )


def test_exception_id_is_sha1_of_rule_subject_and_attribute(warehouse, finding):
    warehouse.night(D1, [finding("ACC-03", "001A", attribute="name")])
    apply_findings(warehouse.conn, D1)
    (stored,) = warehouse.rows("SELECT exception_id FROM recon.exceptions")
    assert stored[0] == exception_id("ACC-03", "crm_account", "001A", "name")
    assert stored[0] != exception_id("ACC-03", "crm_account", "001A", "country")


def test_first_sighting_opens_with_event(warehouse, finding):
    warehouse.night(
        D1, [finding("ACC-01", "001A"), finding("INV-03", "in_1", subject_type="billing_invoice", amount="120.50")]
    )
    update = apply_findings(warehouse.conn, D1)
    assert (update.new, update.resolved, update.reopened, update.findings) == (2, 0, 0, 2)
    rows = _exceptions(warehouse)
    inv = rows[exception_id("INV-03", "billing_invoice", "in_1", "")]
    assert inv["status"] == "open"
    assert (inv["first_seen_as_of"], inv["last_seen_as_of"], inv["runs_seen"]) == (D1, D1, 1)
    assert inv["amount_at_risk"] == Decimal("120.5000")
    assert inv["amount_at_risk_reporting"] == Decimal("132.5500")
    assert (inv["open_age_days"], inv["open_aging_bucket"]) == (0, "0-30")
    assert [e[2] for e in _events(warehouse)] == ["new", "new"]


def test_seen_again_moves_last_seen_without_event(warehouse, finding):
    warehouse.night(D1, [finding("ACC-01", "001A")])
    apply_findings(warehouse.conn, D1)
    warehouse.night(D3, [finding("ACC-01", "001A")])
    update = apply_findings(warehouse.conn, D3)
    assert (update.new, update.seen_again, update.events_written) == (0, 1, 0)
    (row,) = _exceptions(warehouse).values()
    assert (row["status"], row["last_seen_as_of"], row["runs_seen"], row["open_age_days"]) == ("open", D3, 2, 2)
    assert len(_events(warehouse)) == 1


def test_rerunning_the_same_night_changes_nothing(warehouse, finding):
    night = [finding("ACC-01", "001A"), finding("RATE-01", "42", subject_type="psa_time_entry", amount="10")]
    warehouse.night(D1, night)
    apply_findings(warehouse.conn, D1, now=datetime(2026, 3, 1, 3, 0))
    warehouse.night(D2, night[:1])
    apply_findings(warehouse.conn, D2, now=datetime(2026, 3, 2, 3, 0))
    before = (_exceptions(warehouse), _events(warehouse))
    update = apply_findings(warehouse.conn, D2, now=datetime(2026, 3, 2, 9, 0))
    assert update.events_written == 0 and update.seen_again == 0 and update.refreshed == 0
    assert (_exceptions(warehouse), _events(warehouse)) == before


def test_no_longer_firing_resolves_and_firing_again_reopens(warehouse, finding):
    a = finding("UNB-01", "77", subject_type="psa_time_entry", amount="500")
    warehouse.night(D1, [a])
    apply_findings(warehouse.conn, D1)
    warehouse.night(D2, [])
    assert apply_findings(warehouse.conn, D2).resolved == 1
    (row,) = _exceptions(warehouse).values()
    assert (row["status"], row["resolved_as_of"], row["last_seen_as_of"]) == ("resolved", D2, D1)
    # still gone: nothing more happens
    warehouse.night(D3, [])
    assert apply_findings(warehouse.conn, D3).events_written == 0
    warehouse.night(D4, [a])
    update = apply_findings(warehouse.conn, D4)
    assert (update.reopened, update.new) == (1, 0)
    (row,) = _exceptions(warehouse).values()
    assert (row["status"], row["resolved_as_of"], row["reopened_count"], row["runs_seen"]) == ("open", None, 1, 2)
    assert (row["first_seen_as_of"], row["last_seen_as_of"]) == (D1, D4)
    assert (row["open_age_days"], row["open_aging_bucket"]) == (45, "31-60")
    assert [(e[1], e[2]) for e in _events(warehouse)] == [(D1, "new"), (D2, "resolved"), (D4, "reopened")]


def test_changed_values_are_refreshed_while_open(warehouse, finding):
    warehouse.night(D1, [finding("INV-06", "in_9", subject_type="billing_invoice", amount="10", actual="90")])
    apply_findings(warehouse.conn, D1)
    warehouse.night(D2, [finding("INV-06", "in_9", subject_type="billing_invoice", amount="25", actual="75")])
    apply_findings(warehouse.conn, D2)
    (row,) = _exceptions(warehouse).values()
    assert (row["actual"], row["amount_at_risk"]) == ("75", Decimal("25.0000"))


def test_an_older_night_never_moves_an_exception_backwards(warehouse, finding):
    warehouse.night(D3, [finding("ACC-01", "001A")])
    apply_findings(warehouse.conn, D3)
    warehouse.night(D1, [])
    update = apply_findings(warehouse.conn, D1)
    assert update.events_written == 0
    (row,) = _exceptions(warehouse).values()
    assert (row["status"], row["last_seen_as_of"]) == ("open", D3)


def test_findings_of_another_date_are_refused_and_nothing_changes(warehouse, finding):
    warehouse.night(D1, [finding("ACC-01", "001A")])
    with pytest.raises(LedgerError, match="as of 2026-03-01"):
        apply_findings(warehouse.conn, D2)
    assert warehouse.rows("SELECT count(*) FROM recon.exceptions") == [(0,)]
    assert warehouse.rows("SELECT count(*) FROM recon.exception_events") == [(0,)]


def test_duplicate_findings_are_refused_and_nothing_changes(warehouse, finding):
    warehouse.night(D1, [finding("ACC-01", "001A")])
    apply_findings(warehouse.conn, D1)
    warehouse.night(D2, [finding("ACC-01", "001A"), finding("ACC-01", "001A"), finding("ACC-02", "001B")])
    with pytest.raises(LedgerError, match="more than one row"):
        apply_findings(warehouse.conn, D2)
    assert warehouse.rows("SELECT count(*), max(last_seen_as_of) FROM recon.exceptions") == [(1, D1)]
    assert warehouse.rows("SELECT count(*) FROM recon.exception_events") == [(1,)]


def test_ledger_tables_survive_and_are_not_rebuilt(warehouse, finding):
    warehouse.night(D1, [finding("ACC-01", "001A")])
    apply_findings(warehouse.conn, D1)
    warehouse.conn.close()
    import duckdb

    warehouse.conn = duckdb.connect(str(warehouse.path))
    warehouse.night(D2, [finding("ACC-01", "001A")])
    apply_findings(warehouse.conn, D2)
    assert warehouse.rows("SELECT runs_seen FROM recon.exceptions") == [(2,)]


@pytest.mark.parametrize(
    ("age", "bucket"),
    [(0, "0-30"), (30, "0-30"), (31, "31-60"), (60, "31-60"), (61, "61-90"), (90, "61-90"), (91, "90+")],
)
def test_aging_buckets(age, bucket):
    assert aging_bucket(age) == bucket


def test_the_ledger_keeps_the_event_age_apart_from_the_open_age(warehouse, finding):
    # An invoice finalised 235 days before the night the reconciliation first detects it.
    finalised = date(2025, 7, 9)
    night = {"event_date": finalised, "event_age_days": (D1 - finalised).days, "event_aging_bucket": "90+"}
    warehouse.night(D1, [{**finding("INV-01", "in_1", subject_type="billing_invoice"), **night}])
    apply_findings(warehouse.conn, D1)
    (row,) = _exceptions(warehouse).values()
    assert (row["event_date"], row["event_age_days"], row["event_aging_bucket"]) == (finalised, 235, "90+")
    assert (row["first_seen_as_of"], row["open_age_days"], row["open_aging_bucket"]) == (D1, 0, "0-30")


def test_a_ledger_created_before_the_event_ages_is_upgraded_in_place(tmp_path, finding):
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as conn:  # the pre-issue-14 columns, one open exception
        conn.execute("CREATE SCHEMA recon")
        conn.execute(
            "CREATE TABLE recon.exceptions (exception_id VARCHAR PRIMARY KEY, rule_id VARCHAR NOT NULL, "
            "family VARCHAR NOT NULL, subject_type VARCHAR NOT NULL, subject_id VARCHAR NOT NULL, "
            "attribute VARCHAR NOT NULL, finding_aging_bucket VARCHAR, status VARCHAR NOT NULL, "
            "first_seen_as_of DATE NOT NULL, last_seen_as_of DATE NOT NULL, runs_seen INTEGER NOT NULL, "
            "age_days INTEGER NOT NULL, aging_bucket VARCHAR NOT NULL, resolved_as_of DATE, "
            "reopened_count INTEGER NOT NULL DEFAULT 0, status_by VARCHAR, status_reason VARCHAR, "
            "status_changed_at TIMESTAMP, created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)"
        )
        conn.execute(
            "INSERT INTO recon.exceptions VALUES (?, 'UNB-01', 'UNB', 'psa_time_entry', 'te-1', '', '31-60', "
            "'open', ?, ?, 1, 0, '0-30', NULL, 0, 'q2c-nightly', NULL, NULL, now(), now())",
            [exception_id("UNB-01", "psa_time_entry", "te-1", ""), D1, D1],
        )
    wh = Warehouse(path)
    try:
        spent = date(2026, 1, 20)
        again = {"event_date": spent, "event_age_days": (D3 - spent).days, "event_aging_bucket": "31-60"}
        wh.night(D3, [{**finding("UNB-01", "te-1", subject_type="psa_time_entry"), **again}])
        update = apply_findings(wh.conn, D3)
        assert (update.new, update.seen_again) == (0, 1)
        (row,) = _exceptions(wh).values()
        assert (row["first_seen_as_of"], row["open_age_days"], row["open_aging_bucket"]) == (D1, 2, "0-30")
        assert (row["event_date"], row["event_age_days"], row["event_aging_bucket"]) == (spent, 42, "31-60")
        assert not {"age_days", "aging_bucket", "finding_aging_bucket"} & set(row)
    finally:
        wh.conn.close()
