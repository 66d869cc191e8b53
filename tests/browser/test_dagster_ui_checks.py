"""The Dagster UI in a real browser: after a nightly run, the reconciliation rule checks on
the exception ledger show their failures with severity and metadata.

dagster-webserver runs on 127.0.0.1 (free port) against the temporary instance of the
shared nightly run; headless Chromium is driven over the DevTools protocol (cdp_browser.py).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from q2c.settings import PROJECT_ROOT
from tests.browser.cdp_browser import Browser, find_chromium

CHROMIUM = find_chromium()
if CHROMIUM is None and os.environ.get("CI", "").lower() != "true":
    pytest.skip(
        "chromium is not installed (apt-get install chromium); CI installs it and runs this test",
        allow_module_level=True,
    )

UI_TIMEOUT = 240.0  # loading the code location parses the dbt manifest; slow on a busy runner


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def webserver(world, tmp_path_factory):
    port = _free_port()
    log_path = tmp_path_factory.mktemp("webserver") / "dagster-webserver.log"
    env = {**os.environ, **world.env}
    env.pop("Q2C_ALERT_WEBHOOK_URL", None)
    executable = Path(sys.executable).with_name("dagster-webserver")
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(executable), "-h", "127.0.0.1", "-p", str(port), "-w", str(PROJECT_ROOT / "workspace.yaml")],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + UI_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(f"{base}/server_info", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"dagster-webserver did not come up; log:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.5)
        try:
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def browser(tmp_path):
    assert CHROMIUM is not None, "CI=true: chromium must be installed (see .ci/run)"
    b = Browser(CHROMIUM, tmp_path / "chromium-profile")
    yield b
    b.close()


# The UI marks a failed check's severity with its icon: ERROR "cancel", WARN "warning_outline".
SEVERITY_ICON = {"error": "cancel", "warn": "warning_outline"}

_CHECK_ROWS_JS = r"""(() => {
  const inner = document.querySelector("[class*=VirtualizedTable_inner]");
  if (!inner) return [];
  return [...inner.children].map(row => ({
    lines: row.innerText.split("\n").map(s => s.trim()).filter(Boolean),
    icons: [...row.querySelectorAll("[role=img]")].map(i => i.getAttribute("aria-label")),
  }));
})()"""

_METADATA_JS = r"""(() => {
  const table = [...document.querySelectorAll("table")]
    .find(t => t.innerText.includes("amount_at_risk_reporting_exact"));
  if (!table) return null;
  return [...table.querySelectorAll("tr")].map(tr => [...tr.children].map(td => td.innerText.trim()));
})()"""


def _wait(browser, script, ready, timeout=UI_TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        value = browser.evaluate(script)
        if ready(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.5)


def test_rule_checks_render_failures_with_severity_and_metadata(world, webserver, browser, tmp_path):
    reviews = {r.rule_id.replace("-", "_"): r for r in world.result.reviews}
    error_check = next(name for name, r in reviews.items() if r.severity == "error")
    review = reviews[error_check]

    browser.navigate(f"{webserver}/assets/recon/exception_ledger?view=checks&checkDetail={error_check}")
    browser.wait_for_text([error_check, "Metadata", "amount_at_risk_reporting_exact"], UI_TIMEOUT)
    browser.click_text("Skip")  # the first-visit "join the community" dialog covers the page

    rows = _wait(browser, _CHECK_ROWS_JS, lambda rows: len(rows) == len(reviews))
    listed = {row["lines"][0]: row for row in rows}
    assert set(listed) == set(reviews), listed.keys()
    for name, r in reviews.items():
        if r.passed:
            assert "Failed" not in listed[name]["lines"], name
        else:
            assert "Failed" in listed[name]["lines"], (name, listed[name])
            assert SEVERITY_ICON[r.severity] in listed[name]["icons"], (name, r.severity, listed[name]["icons"])
    assert {r.severity for r in reviews.values()} >= {"error", "warn"}  # both severities were on screen

    metadata = _wait(browser, _METADATA_JS, bool)
    assert metadata, "the latest execution's metadata table is not rendered"
    table = {cells[0]: cells[1] for cells in metadata if len(cells) >= 2}
    assert table["open"] == str(review.open)
    assert table["as_of"] == world.result.as_of.isoformat()
    assert table["amount_at_risk_reporting_exact"] == str(review.amount_at_risk_reporting)
    assert table["report"] == str(world.result.html_report_path)
    assert "count" in table["materiality"]

    screenshot = browser.screenshot(tmp_path / f"ledger-check-{error_check}.png")
    print(f"\nscreenshot of {error_check} in the Dagster UI: {screenshot}")
    assert screenshot.stat().st_size > 10_000
