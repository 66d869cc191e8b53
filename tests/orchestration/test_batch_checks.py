"""Rejected and held batches are loud (issue 17, defect 12): a system with a held batch fails an
ERROR check, a folder incomplete beyond the timeout a WARN one, and the night's three reports
(the `q2c run` summary, latest.md, latest.html) list every rejected and held batch with its
system, id and reason.

One small world, landed through the real Dagster landing assets and their checks (no dbt):
crm has B1 loaded, B2 rejected (checksum) and B3 held behind it; psa has B1 loaded, B2 still
without manifest 8 hours after its batch id's time and B3 held waiting for it; erp and billing
have nothing.
"""

from __future__ import annotations

import html
from datetime import datetime

import dagster as dg
import pytest
from dagster_dlt import DagsterDltResource

from orchestration.ingestion.assets import system_assets
from orchestration.ingestion.checks import system_checks
from orchestration.night_record import run_facts
from orchestration.resources import night_lock_resource
from orchestration.review.assets import reconciliation_report
from q2c.cli.run import print_result
from q2c.night import alert_digest, finish_night
from q2c.settings import settings_in
from tests.ingestion.batch_writer import account, user, write_batch

B1, B2, B3 = "2026-11-21T02-00-00Z", "2026-11-22T02-00-00Z", "2026-11-23T02-00-00Z"
NOW = datetime(2026, 11, 22, 10)  # psa's B2 has been without a manifest for 8 h (timeout 6 h)
SYSTEMS = ("crm", "psa")


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    root = tmp_path_factory.mktemp("batch_checks")
    settings = settings_in(root, landing_now=NOW, incomplete_batch_timeout_hours=6)
    landing = settings.landing_dir
    write_batch(landing, "crm", B1, {"Account": [account(1)]})
    bad = write_batch(landing, "crm", B2, {"Account": [account(2)]}, mode="incremental")
    (bad / "Account.csv").write_text((bad / "Account.csv").read_text().replace("Acme 2", "Acme 7"))
    write_batch(landing, "crm", B3, {"Account": [account(3)]}, mode="incremental")
    write_batch(landing, "psa", B1, {"users": [user(1, ["Consultant"])]})
    (landing / "psa" / B2).mkdir(parents=True)  # still being written: no manifest
    write_batch(landing, "psa", B3, {"users": [user(2, ["Consultant"])]}, mode="incremental")

    instance = dg.DagsterInstance.ephemeral()
    resources = {"dlt": DagsterDltResource(), "settings": settings, "night_lock": night_lock_resource}
    landed = dg.materialize(
        [*(system_assets(s) for s in SYSTEMS), *(c for s in SYSTEMS for c in system_checks(s))],
        resources=resources,
        instance=instance,
    )
    reported = dg.materialize([reconciliation_report], resources={"settings": settings}, instance=instance)
    return settings, instance, landed, reported


def _checks(result: dg.ExecuteInJobResult) -> dict[tuple[str, str], dg.AssetCheckEvaluation]:
    return {(e.asset_key.path[0], e.check_name): e for e in result.get_asset_check_evaluations()}


def test_a_held_system_fails_an_error_check_and_the_night_still_succeeds(night):
    _, _, landed, _ = night
    checks = _checks(landed)
    for system in SYSTEMS:
        held = checks[(f"raw_{system}", "no_held_batches")]
        assert (held.passed, held.severity) == (False, dg.AssetCheckSeverity.ERROR), system
        assert B3 in held.metadata["held"].value
    assert "held until rejected batch 2026-11-22T02-00-00Z is fixed" in (
        checks[("raw_crm", "no_held_batches")].metadata["held"].value
    )
    assert (
        f"waiting for older batch {B2} to be completed" in checks[("raw_psa", "no_held_batches")].metadata["held"].value
    )
    rejected = checks[("raw_crm", "no_rejected_batches")]
    assert (rejected.passed, rejected.severity) == (False, dg.AssetCheckSeverity.WARN)
    assert "sha256 mismatch" in rejected.metadata["rejected"].value
    assert checks[("raw_psa", "no_rejected_batches")].passed
    # an incomplete folder beyond the timeout warns; one within it (crm has none) does not
    stale = checks[("raw_psa", "no_stale_incomplete_batches")]
    assert (stale.passed, stale.severity) == (False, dg.AssetCheckSeverity.WARN)
    assert B2 in stale.metadata["incomplete"].value and "8 h" in stale.metadata["incomplete"].value
    assert checks[("raw_crm", "no_stale_incomplete_batches")].passed
    # every decided batch, the rejected one included, accounts for its manifest rows
    assert checks[("raw_crm", "manifest_rows_accounted")].passed
    # the checks are not blocking: the other systems' data and the rest of the night go on
    assert landed.success


def test_the_summary_terminal_and_digest_name_every_rejected_and_held_batch(night, capsys):
    settings, instance, landed, _ = night
    facts = run_facts(instance, landed.run_id)
    result = finish_night(facts, settings)
    markdown = (settings.reports_dir / "latest.md").read_text()
    section = markdown[markdown.index("## Batches not loaded") :]
    for system, batch_id, state, reason in (
        ("crm", B2, "rejected", "Account.csv: sha256 mismatch"),
        ("crm", B3, "held", f"held until rejected batch {B2} is fixed"),
        ("psa", B3, "held", f"waiting for older batch {B2} to be completed"),
        ("psa", B2, "incomplete", f"`q2c batches skip {B2} --system psa --reason ...`"),
    ):
        line = next(x for x in section.splitlines() if x.startswith(f"| {system} | {batch_id} | {state} |"))
        assert reason in line, line
    assert "ERROR: crm is held" in markdown and "ERROR: psa is held" in markdown

    print_result(result)
    out = capsys.readouterr()
    terminal = out.out + out.err
    assert "batches not loaded" in terminal
    for system, batch_id, state in (("crm", B2, "rejected"), ("crm", B3, "held"), ("psa", B3, "held")):
        assert any(line.split()[:3] == [system, batch_id, state] for line in terminal.splitlines()), terminal
    assert "sha256 mismatch" in terminal and f"waiting for older batch {B2}" in terminal
    # the project's convention: failed ERROR checks leave the run green (rc 0) and send an "errors" digest
    assert result.success
    digest = alert_digest(facts, settings)
    assert digest.run_status == "errors"
    assert {"raw_crm/batch_log:no_held_batches", "raw_psa/batch_log:no_held_batches"} <= set(digest.failed_checks)


def test_the_html_report_lists_every_rejected_and_held_batch(night):
    settings, _, _, reported = night
    assert reported.success
    page = (settings.reports_dir / "latest.html").read_text()
    section = page[page.index('id="batches-not-loaded"') :]
    rows = [html.unescape(r) for r in section.split("<tr>")[2:]]
    for system, batch_id, state, reason in (
        ("crm", B2, "rejected", "Account.csv: sha256 mismatch"),
        ("crm", B3, "held", f"held until rejected batch {B2} is fixed"),
        ("psa", B3, "held", f"waiting for older batch {B2} to be completed"),
        ("psa", B2, "incomplete", "Q2C_INCOMPLETE_BATCH_TIMEOUT_HOURS"),
    ):
        assert any(f"<td>{system}</td><td>{batch_id}</td><td>{state}</td>" in r and reason in r for r in rows), (
            system,
            batch_id,
        )
