"""Refresh the README's morning-review screenshots (``docs/screenshots/``) from a real night.

Run after ``uv run q2c demo`` in the project directory::

    uv run python -m tests.browser.screenshots

It starts dagster-webserver on the instance ``q2c run`` records into (``data/dagster_home``) on
a free 127.0.0.1 port, drives headless Chromium over the DevTools protocol and captures what a
finance lead opens each morning: the rule checks, the HTML report, Great Expectations' Data Docs
and the dbt docs. A screenshot that does not show what it should fails the script rather than
saving a blank page.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from q2c.settings import PROJECT_ROOT, get_settings
from tests.browser.cdp_browser import Browser, find_chromium

UI_TIMEOUT = 240.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _webserver(dagster_home: Path, log_path: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "DAGSTER_HOME": str(dagster_home)}
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
        try:
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/server_info", timeout=5) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"dagster-webserver did not come up; see {log_path}")
                time.sleep(0.5)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _shoot(browser: Browser, url: str, needles: list[str], path: Path, *, settle: float = 1.5) -> Path:
    browser.navigate(url)
    browser.wait_for_text(needles, UI_TIMEOUT)
    browser.click_text("Skip")  # Dagster's first-visit dialog; a no-op elsewhere
    time.sleep(settle)  # let charts and fonts finish drawing
    browser.screenshot(path)
    print(f"{path}  ({path.stat().st_size:,} bytes) <- {url}")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs" / "screenshots", help="output folder")
    args = parser.parse_args(argv)
    settings = get_settings()
    chromium = find_chromium()
    if chromium is None:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    report = settings.reports_dir / "latest.html"
    gx_index = settings.docs_dir / "gx" / "index.html"
    dbt_index = settings.docs_dir / "dbt" / "index.html"
    for needed in (report, gx_index, dbt_index):
        if not needed.exists():
            print(f"{needed} is missing: run `uv run q2c demo` first", file=sys.stderr)
            return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        scratch_dir = Path(scratch)
        browser = Browser(chromium, scratch_dir / "profile")
        try:
            _shoot(browser, report.as_uri(), ["reconciliation as of"], args.out / "report.png")
            _shoot(browser, gx_index.as_uri(), ["Validation"], args.out / "gx-data-docs.png")
            _shoot(browser, f"{dbt_index.as_uri()}#!/overview", ["q2c"], args.out / "dbt-docs.png", settle=3)
            with _webserver(settings.dagster_home, scratch_dir / "webserver.log") as base:
                _shoot(
                    browser,
                    f"{base}/assets/recon/exception_ledger?view=checks",
                    ["ACC_01", "INV_01"],
                    args.out / "dagster-rule-checks.png",
                    settle=3,
                )
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
