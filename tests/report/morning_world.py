"""One small nightly run shared by the morning-review tests (report, docs, GX checks,
alerts, browser): demo data with 40 customers over 3 months in a temp folder, run through
``q2c.cli.run.run_nightly`` against a temporary Dagster instance, with the alert webhook
pointing at a real HTTP server on 127.0.0.1.

The run is cached per test session (a nightly costs minutes on a busy 2-core runner). The
environment is set only while the run executes; tests get every path explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from q2c.run_summary import NightlyResult
from q2c.settings import RECON_CONFIG_DEFAULT
from tests.alerts.local_servers import ReceivedPost, WebhookServer, serve_in_thread

CUSTOMERS, MONTHS, SEED = 40, 3, 7
WEBHOOK_PATH = "/hooks/q2c-morning"


@dataclass(frozen=True)
class MorningWorld:
    root: Path
    env: dict[str, str]  # the Q2C_* / DAGSTER_HOME variables of the run
    result: NightlyResult
    echoed: list[str]
    webhook_posts: list[ReceivedPost]

    @property
    def warehouse(self) -> Path:
        return Path(self.env["Q2C_DUCKDB_PATH"])

    @property
    def dagster_home(self) -> Path:
        return Path(self.env["DAGSTER_HOME"])

    @property
    def reports_dir(self) -> Path:
        return Path(self.env["Q2C_REPORTS_DIR"])

    @property
    def docs_dir(self) -> Path:
        return Path(self.env["Q2C_DOCS_DIR"])


_cache: dict[str, MorningWorld] = {}


def morning_world(tmp_path_factory: pytest.TempPathFactory) -> MorningWorld:
    if "world" in _cache:
        return _cache["world"]
    from q2c_demo.data import generate

    root = tmp_path_factory.mktemp("morning_review")
    env = {
        "Q2C_LANDING_DIR": str(root / "landing"),
        "Q2C_DUCKDB_PATH": str(root / "warehouse.duckdb"),
        "Q2C_GROUND_TRUTH_DIR": str(root / "ground_truth"),
        "Q2C_REPORTS_DIR": str(root / "reports"),
        "Q2C_DOCS_DIR": str(root / "docs"),
        "Q2C_DOCS": "on",  # this world checks the GX and dbt docs (tests/conftest.py turns them off)
        "Q2C_PUBLISHED_PATH": str(root / "published" / "warehouse.duckdb"),
        "Q2C_RECON_CONFIG": str(RECON_CONFIG_DEFAULT),
        "DAGSTER_HOME": str(root / "dagster_home"),
    }
    generate(root / "landing", root / "ground_truth", customers=CUSTOMERS, months=MONTHS, seed=SEED)
    server = WebhookServer()
    serve_in_thread(server)
    echoed: list[str] = []
    try:
        with pytest.MonkeyPatch.context() as mp:
            for name, value in env.items():
                mp.setenv(name, value)
            mp.delenv("Q2C_AS_OF", raising=False)
            for name in ("Q2C_ALERT_SMTP_HOST", "Q2C_ALERT_WEBHOOK_TOKEN"):
                mp.delenv(name, raising=False)
            mp.setenv("Q2C_ALERT_WEBHOOK_URL", f"http://127.0.0.1:{server.port}{WEBHOOK_PATH}")
            mp.setenv("Q2C_ALERT_TIMEOUT_SECONDS", "10")
            from q2c.cli.run import run_nightly

            result = run_nightly(echo=echoed.append)
    finally:
        server.shutdown()
        server.server_close()
    _cache["world"] = MorningWorld(root, env, result, echoed, list(server.received))
    return _cache["world"]
