"""The GX Data Docs site in a real browser with the network off: the pages are styled and the
index lists the validation results, as on a machine without internet.

GX's templates load bootstrap, bootstrap-table, jQuery and vega from CDNs; the site must carry
its own copies (q2c/quality/data_docs_offline.py). Headless Chromium over the DevTools protocol
(cdp_browser.py), network emulated offline and every http(s) URL blocked.
"""

from __future__ import annotations

import json
import os
import time

import pytest

from q2c.quality import run_mart_expectations
from q2c.quality.mart_checks import MART_CHECKS
from tests.browser.cdp_browser import Browser, find_chromium
from tests.quality.mart_fixtures import build_marts, good_rows

CHROMIUM = find_chromium()
if CHROMIUM is None and os.environ.get("CI", "").lower() != "true":
    pytest.skip(
        "chromium is not installed (apt-get install chromium); CI installs it and runs this test",
        allow_module_level=True,
    )

PAGE_TIMEOUT = 30.0
VALIDATIONS_TABLE = "#section-1-content-block-2-1-body-table"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("gx-offline")
    docs = base / "docs" / "gx"
    outcomes = run_mart_expectations(build_marts(base / "warehouse.duckdb", good_rows()), docs)
    return docs, outcomes


@pytest.fixture
def offline_browser(tmp_path):
    assert CHROMIUM is not None, "CI=true: chromium must be installed (see .ci/run)"
    b = Browser(CHROMIUM, tmp_path / "chromium-profile")
    try:
        b.send("Network.enable")
        b.send(
            "Network.emulateNetworkConditions",
            {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        b.send("Network.setBlockedURLs", {"urls": ["http://*", "https://*"]})
        yield b
    finally:
        b.close()


# What bootstrap and bootstrap-table do to the page once their files load: a hidden inactive
# tab pane, bootstrap's system font stack, and the table rows bootstrap-table builds.
_PAGE_STATE_JS = """(() => {
  if (document.readyState !== "complete" || !document.body || location.protocol !== "file:") return null;
  const display = s => document.querySelector(s) ? getComputedStyle(document.querySelector(s)).display : null;
  const rows = [...document.querySelectorAll(%s)].map(tr => tr.innerText);
  return {
    jquery: typeof window.jQuery === "function",
    bootstrap_table: !!(window.jQuery && jQuery.fn.bootstrapTable),
    vega: typeof window.vegaEmbed === "function",
    body_font: getComputedStyle(document.body).fontFamily,
    inactive_tab_display: display("#Expectation-Suites"),
    navbar_display: display(".navbar"),
    rows: rows,
  };
})()"""


def _state(browser: Browser, rows_selector: str, ready) -> dict:
    script = _PAGE_STATE_JS % json.dumps(rows_selector)
    deadline = time.monotonic() + PAGE_TIMEOUT
    while True:
        state = browser.evaluate(script)
        if (state and ready(state)) or time.monotonic() > deadline:
            return state
        time.sleep(0.3)


def test_index_is_styled_and_lists_validation_results_offline(site, offline_browser, tmp_path):
    docs, _ = site
    offline_browser.navigate((docs / "index.html").as_uri())
    state = _state(offline_browser, f"{VALIDATIONS_TABLE} tbody tr", lambda s: len(s["rows"]) >= len(MART_CHECKS))

    assert state["jquery"] and state["bootstrap_table"] and state["vega"], state
    assert "apple-system" in state["body_font"], state  # bootstrap's reboot font stack
    assert state["inactive_tab_display"] == "none", state  # bootstrap's .tab-pane rules
    assert state["navbar_display"] == "flex", state
    listed = "\n".join(state["rows"])
    for mart in MART_CHECKS:
        assert f"marts.{mart}" in listed, (mart, state["rows"])
    assert offline_browser.screenshot(tmp_path / "gx-index-offline.png").stat().st_size > 10_000


def test_a_validation_page_deep_in_the_site_is_styled_offline(site, offline_browser):
    _, outcomes = site
    page = next(o.docs_url for o in outcomes if "/validations/" in o.docs_url)
    offline_browser.navigate(page)
    state = _state(offline_browser, "table tbody tr", lambda s: s["jquery"] and bool(s["rows"]))

    assert state["jquery"] and state["bootstrap_table"], state
    assert "apple-system" in state["body_font"], state
    assert state["navbar_display"] == "flex", state
    assert state["rows"], state
