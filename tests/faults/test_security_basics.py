"""The Dagster webserver binds to 127.0.0.1 unless told otherwise, and nothing in the repo
tells it otherwise."""

from __future__ import annotations

from dagster_webserver.cli import DEFAULT_WEBSERVER_HOST, dagster_webserver

from q2c.settings import PROJECT_ROOT


def test_webserver_defaults_to_localhost():
    assert DEFAULT_WEBSERVER_HOST == "127.0.0.1"
    host = next(p for p in dagster_webserver.params if p.name == "host")
    assert host.default == "127.0.0.1"


def test_no_config_in_the_repo_binds_to_every_interface():
    files = [
        PROJECT_ROOT / "workspace.yaml",
        PROJECT_ROOT / ".env.example",
        PROJECT_ROOT / "README.md",
        *(PROJECT_ROOT / "orchestration").rglob("*.py"),
        *(PROJECT_ROOT / "q2c").rglob("*.py"),
    ]
    offenders = [str(f) for f in files if f.exists() and "0.0.0.0" in f.read_text(encoding="utf-8")]
    assert offenders == []
