"""Issue 17, defect 10: a full batch purges only what it shows to be gone.

A record missing from a clean full batch was purged in the source (extract contract). A
quarantined record is no evidence of a purge, so a full file with any quarantined record
(an all-bad file included) is merged, not replaced: every record keeps its last loaded
version, and nothing is purged until a full batch of the object loads cleanly.
"""

from __future__ import annotations

from ingestion.landing import land
from q2c.settings import settings_for
from tests.ingestion.batch_writer import account, invoice, invoice_line, opportunity, time_entry, write_batch

B1, B2, B3 = "2026-11-20T02-00-00Z", "2026-11-21T02-00-00Z", "2026-11-22T02-00-00Z"
NOT_PURGED = "records missing from this full batch are not purged until a full batch loads cleanly"


def _land(wh, system="crm"):
    return land(system, settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)


def _accounts(wh) -> list[tuple]:
    return wh.query("SELECT id, name, is_deleted, _q2c_batch_id FROM raw_crm.account ORDER BY id")


def test_a_bad_is_deleted_flag_is_quarantined_and_the_account_keeps_its_last_version(wh):
    write_batch(wh.landing, "crm", B1, {"Account": [account(n) for n in range(1, 5)]})
    _land(wh)
    write_batch(
        wh.landing,
        "crm",
        B2,
        {"Account": [account(1), account(2, IsDeleted="maybe", Name="Two v2"), account(3), account(4)]},
    )
    report = _land(wh)

    assert (report.rows_loaded, report.rows_quarantined) == (3, 1)
    assert report.warnings == [f"{B2}: Account.csv: 1 record(s) quarantined: {NOT_PURGED}"]
    # never read as true, never dropped: account 2 is still there, as B1 delivered it
    assert _accounts(wh) == [
        ("001000000000000001", "Acme 1", "false", B2),
        ("001000000000000002", "Acme 2", "false", B1),
        ("001000000000000003", "Acme 3", "false", B2),
        ("001000000000000004", "Acme 4", "false", B2),
    ]
    quarantine = wh.query('SELECT batch_id, file, line_number, "check", message FROM raw_crm.raw_quarantine')
    assert len(quarantine) == 1
    batch_id, file, record, check, message = quarantine[0]
    assert (batch_id, file, record) == (B2, "Account.csv", 2)
    assert message.startswith("Account.csv record 2, physical line 3: field 'IsDeleted'") and "'maybe'" in message
    assert "str_matches" in check
    assert wh.query("SELECT warnings FROM raw_crm.batch_log WHERE batch_id = ?", [B2])[0][0] == (
        f'["Account.csv: 1 record(s) quarantined: {NOT_PURGED}"]'
    )


def test_an_all_bad_full_file_keeps_the_table_by_the_same_rule(wh):
    write_batch(wh.landing, "crm", B1, {"Account": [account(1), account(2)], "Opportunity": [opportunity(1)]})
    _land(wh)
    before = _accounts(wh)
    write_batch(
        wh.landing,
        "crm",
        B2,
        {"Account": [account(1, IsDeleted="maybe"), account(3, Id="bad")], "Opportunity": [opportunity(2)]},
    )
    report = _land(wh)

    assert (report.rows_loaded, report.rows_quarantined) == (1, 2)
    assert report.warnings == [f"{B2}: Account.csv: 2 record(s) quarantined: {NOT_PURGED}"]
    assert _accounts(wh) == before  # nothing loaded, nothing purged
    # the clean Opportunity file of the same batch still replaces its table
    assert wh.query("SELECT id FROM raw_crm.opportunity") == [("006000000000000002",)]


def test_a_clean_full_batch_still_purges_a_missing_record(wh):
    write_batch(wh.landing, "crm", B1, {"Account": [account(1), account(2), account(3)]})
    _land(wh)
    write_batch(wh.landing, "crm", B2, {"Account": [account(1), account(3)]})
    report = _land(wh)
    assert report.warnings == []
    assert [r[0] for r in _accounts(wh)] == ["001000000000000001", "001000000000000003"]


def test_a_missing_record_is_purged_only_once_a_full_batch_loads_cleanly(wh):
    write_batch(wh.landing, "crm", B1, {"Account": [account(1), account(2), account(3)]})
    _land(wh)
    # account 2 is quarantined, account 3 is gone from the source
    write_batch(wh.landing, "crm", B2, {"Account": [account(1, Name="One v2"), account(2, IsDeleted="maybe")]})
    _land(wh)
    assert [r[:2] for r in _accounts(wh)] == [
        ("001000000000000001", "One v2"),
        ("001000000000000002", "Acme 2"),
        ("001000000000000003", "Acme 3"),
    ]
    write_batch(wh.landing, "crm", B3, {"Account": [account(1, Name="One v2"), account(2, Name="Two v3")]})
    report = _land(wh)
    assert report.warnings == []
    assert [r[:2] for r in _accounts(wh)] == [("001000000000000001", "One v2"), ("001000000000000002", "Two v3")]


def test_pending_full_batches_in_one_run_follow_the_same_rule(wh):
    """B2 (quarantined) and B3 (clean) pending together: B3 purges, as one by one."""
    write_batch(wh.landing, "crm", B1, {"Account": [account(1), account(2), account(3)]})
    _land(wh)
    write_batch(wh.landing, "crm", B2, {"Account": [account(1), account(2, IsDeleted="maybe")]})
    write_batch(wh.landing, "crm", B3, {"Account": [account(2, Name="Two v3")]})
    _land(wh)
    assert [r[:2] for r in _accounts(wh)] == [("001000000000000002", "Two v3")]

    # a clean full batch followed by a quarantined one: the first purges, the second merges
    write_batch(wh.landing, "crm", "2026-11-23T02-00-00Z", {"Account": [account(4), account(5)]})
    write_batch(wh.landing, "crm", "2026-11-24T02-00-00Z", {"Account": [account(4, Name="x"), account(5, Id="bad")]})
    _land(wh)
    assert [r[:2] for r in _accounts(wh)] == [("001000000000000004", "x"), ("001000000000000005", "Acme 5")]


def test_the_rule_holds_for_json_lines_time_entries(wh):
    write_batch(wh.landing, "psa", B1, {"time_entries": [time_entry(1), time_entry(2), time_entry(3)]})
    _land(wh, "psa")
    # entry 2 is quarantined (hours out of range), entry 3 was deleted in Harvest
    write_batch(wh.landing, "psa", B2, {"time_entries": [time_entry(1, notes="v2"), time_entry(2, hours=30)]})
    report = _land(wh, "psa")
    assert report.warnings == [f"{B2}: time_entries.jsonl: 1 record(s) quarantined: {NOT_PURGED}"]
    assert wh.query("SELECT id, notes, _q2c_batch_id FROM raw_psa.time_entries ORDER BY id") == [
        (1, "v2", B2),
        (2, "work", B1),
        (3, "work", B1),
    ]
    # an all-bad full file: nothing loaded, nothing purged
    write_batch(wh.landing, "psa", B3, {"time_entries": ["{not json"]})
    _land(wh, "psa")
    assert [r[0] for r in wh.query("SELECT id FROM raw_psa.time_entries ORDER BY id")] == [1, 2, 3]
    write_batch(wh.landing, "psa", "2026-11-23T02-00-00Z", {"time_entries": [time_entry(1), time_entry(2)]})
    assert _land(wh, "psa").warnings == []
    assert [r[0] for r in wh.query("SELECT id FROM raw_psa.time_entries ORDER BY id")] == [1, 2]


def test_children_keep_their_parents_version_when_a_full_batch_merges(wh):
    lines = {n: invoice_line(n) for n in range(1, 6)}
    write_batch(
        wh.landing,
        "billing",
        B1,
        {"invoices": [invoice(1, [lines[1], lines[2]]), invoice(2, [lines[3]]), invoice(3, [lines[4]])]},
    )
    _land(wh, "billing")
    # invoice 1 arrives with one line, invoice 2 is quarantined (a bad line), invoice 3 is missing
    bad_line = invoice_line(9, amount="17500")
    write_batch(wh.landing, "billing", B2, {"invoices": [invoice(1, [lines[5]]), invoice(2, [bad_line])]})
    report = _land(wh, "billing")
    assert report.rows_quarantined == 1
    assert wh.query("SELECT id FROM raw_billing.invoices ORDER BY id") == [("in_1",), ("in_2",), ("in_3",)]
    live_lines = (
        "SELECT invoice_id, id FROM raw_billing.invoice_lines WHERE NOT coalesce(_q2c_deleted, false) ORDER BY 1, 2"
    )
    assert wh.query(live_lines) == [("in_1", "il_5"), ("in_2", "il_3"), ("in_3", "il_4")]

    write_batch(wh.landing, "billing", B3, {"invoices": [invoice(1, [lines[5]]), invoice(2, [lines[3]])]})
    _land(wh, "billing")
    assert wh.query("SELECT id FROM raw_billing.invoices ORDER BY id") == [("in_1",), ("in_2",)]
    assert wh.query(live_lines) == [("in_1", "il_5"), ("in_2", "il_3")]


def test_a_clean_empty_full_file_purges_every_record_of_its_object(wh):
    """Nothing quarantined, no record: the source shows every record gone (an all-bad file,
    by contrast, shows nothing)."""
    write_batch(wh.landing, "billing", B1, {"invoices": [invoice(1, [invoice_line(1)])], "charges": []})
    _land(wh, "billing")
    write_batch(wh.landing, "billing", B2, {"invoices": []})
    assert _land(wh, "billing").warnings == []
    assert wh.query("SELECT count(*) FROM raw_billing.invoices") == [(0,)]
    assert wh.query("SELECT count(*) FROM raw_billing.invoice_lines") == [(0,)]

    write_batch(wh.landing, "crm", B1, {"Account": [account(1)]})
    _land(wh)
    write_batch(wh.landing, "crm", B2, {"Account": []})  # the header alone
    _land(wh)
    assert _accounts(wh) == []
