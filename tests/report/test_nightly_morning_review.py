"""The morning review after one small nightly run (shared world, see morning_world.py):
the HTML report, the GX checks and Data Docs, the dbt docs, and the alert digest."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import dagster as dg
import duckdb

from orchestration.asset_keys import LEDGER_KEY
from orchestration.automation import nightly_finished as nightly_alert_on_success
from orchestration.night_record import digest_for_run
from q2c.alerts import digest_to_json
from q2c.quality.mart_checks import MART_CHECKS
from q2c.settings import get_settings
from tests.orchestration.run_sensors import evaluate_run_sensor
from tests.report.morning_world import WEBHOOK_PATH


def _check_evaluations(world) -> list:
    with dg.DagsterInstance.from_config(str(world.dagster_home)) as instance:
        entries = instance.all_logs(world.result.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
        return [e.dagster_event.event_specific_data for e in entries]


def test_the_night_succeeded_and_wrote_the_html_report(world):
    result = world.result
    assert result.success, result.failures
    assert result.html_report_path == world.reports_dir / f"{result.as_of.isoformat()}.html"
    html = result.html_report_path.read_text(encoding="utf-8")
    assert (world.reports_dir / "latest.html").read_text(encoding="utf-8") == html
    assert f"as of {result.as_of.isoformat()}" in html and "<svg" in html
    for review in result.reviews:  # every rule has its row, linked to its section when it has open rows
        rid = re.escape(review.rule_id)
        cell = rf'<a href="#rule-{rid}">{rid}</a>' if review.open else rid
        row = rf"<tr><td>{cell}</td><td>[^<]+</td><td>.*?</td><td class=\"n\">{review.open}</td>"
        assert re.search(row, html), review


def test_rule_checks_link_the_report(world):
    rule_checks = [e for e in _check_evaluations(world) if e.asset_key == LEDGER_KEY]
    assert len(rule_checks) == 27
    expected = str(world.result.html_report_path)
    assert {e.metadata["report"].value for e in rule_checks} == {expected}


def test_gx_checks_publish_each_mart_with_its_data_docs(world):
    gx = {e.asset_key.path[-1]: e for e in _check_evaluations(world) if e.check_name == "gx_quality"}
    assert set(gx) == set(MART_CHECKS)
    for mart, evaluation in gx.items():
        assert evaluation.severity == dg.AssetCheckSeverity.WARN
        docs = evaluation.metadata["data_docs"].value
        assert docs.startswith(str(world.docs_dir / "gx")) and docs.endswith(".html"), docs
        with open(docs, encoding="utf-8") as page:
            assert f"marts.{mart}" in page.read()
        if not evaluation.passed:
            assert evaluation.metadata["observed_value"].value
            assert "expect_" in evaluation.metadata["failed_expectation"].value
    assert (world.docs_dir / "gx" / "index.html").exists()
    with duckdb.connect(str(world.warehouse), read_only=True) as conn:
        stored = conn.execute(
            "SELECT mart, count(*), count(*) FILTER (WHERE NOT success) FROM quality.expectation_results "
            "WHERE run_id = ? GROUP BY mart",
            [world.result.run_id],
        ).fetchall()
    stored = {mart: (n, failed) for mart, n, failed in stored}
    assert set(stored) == set(MART_CHECKS)
    for mart, evaluation in gx.items():
        assert evaluation.metadata["expectations"].value == stored[mart][0]
        assert evaluation.passed == (stored[mart][1] == 0)


def test_dbt_docs_open_as_a_file_and_the_build_summary_is_intact(world):
    docs = world.docs_dir / "dbt"
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert "MANIFEST.JSON INLINE DATA" not in index and "CATALOG.JSON INLINE DATA" not in index
    assert "model.q2c.billing_invoices" in index  # the manifest is inlined
    catalog = json.loads((docs / "catalog.json").read_text(encoding="utf-8"))
    assert "model.q2c.billing_invoices" in catalog["nodes"]  # the catalog query reached the marts
    manifest = json.loads((docs / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["nodes"]["model.q2c.billing_invoices"]["description"]
    # docs generate reused the build's target without overwriting its run results
    assert world.result.dbt is not None and world.result.dbt.models_built >= 50


def test_material_findings_send_one_digest_to_the_webhook(world):
    errors = [r for r in world.result.reviews if r.severity == "error"]
    assert errors, "the demo data is expected to hold material findings"
    [post] = world.webhook_posts
    assert post.path == WEBHOOK_PATH
    body = post.json()
    assert body["schema"] == "q2c.alert_digest/v1" and body["run_status"] == "errors"
    assert body["as_of"] == world.result.as_of.isoformat()
    assert body["dagster_run_id"] == world.result.run_id
    assert body["report"] == str(world.result.html_report_path)
    sent = {r["rule_id"]: r for r in body["failed_rules"]}
    assert set(sent) == {r.rule_id for r in errors}
    for review in errors:
        assert sent[review.rule_id]["open_count"] == review.open
        assert Decimal(sent[review.rule_id]["amount_at_risk_reporting"]) == review.amount_at_risk_reporting
    assert any(line.startswith("alert digest (errors) sent via webhook to http://127.0.0.1:") for line in world.echoed)


def test_the_sensor_builds_the_same_digest_but_leaves_cli_runs_to_the_cli(world):
    with dg.DagsterInstance.from_config(str(world.dagster_home)) as instance:
        digest = digest_for_run(instance, world.result.run_id, get_settings(world.env))
        assert digest is not None
        sent = world.webhook_posts[0].json()
        assert digest_to_json(digest)["failed_rules"] == sent["failed_rules"]

        skipped = evaluate_run_sensor(nightly_alert_on_success, instance, world.result.run_id, get_settings(world.env))
    assert isinstance(skipped, dg.SkipReason) and "q2c run" in skipped.skip_message


def test_a_run_the_cli_saw_fail_is_reported_as_failed(world):
    with dg.DagsterInstance.from_config(str(world.dagster_home)) as instance:
        digest = digest_for_run(instance, world.result.run_id, get_settings(world.env), failed=True)
    assert digest.run_status == "failed" and digest.as_of == world.result.as_of
