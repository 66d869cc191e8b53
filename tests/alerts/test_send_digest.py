"""send_digest against a real SMTP server and a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import logging
import socket
from datetime import date
from decimal import Decimal
from email import message_from_bytes
from email.policy import default as default_policy

import pytest

from q2c.alerts import AlertDigest, FailedRule, send_digest
from tests.alerts.local_servers import SmtpServer, WebhookServer, serve_in_thread

TOKEN = "s3cret-webhook-token"
PASSWORD = "p@ss-w0rd-never-logged"


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    serve_in_thread(server)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def webhook_server(request):
    server = WebhookServer(*getattr(request, "param", (200, "ok")))
    serve_in_thread(server)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def digest() -> AlertDigest:
    return AlertDigest(
        as_of=date(2026, 11, 22),
        run_status="errors",
        failed_rules=(
            FailedRule("INV-04", 3, Decimal("12345.6700"), "USD"),
            ("UNB-01", 41, "8000.10", "USD"),
        ),
        report_path="/srv/q2c/data/reports/2026-11-22.html",
        dagster_run_id="run-abc-123",
        failed_checks=("gx_marts_quality",),
    )


def _smtp_env(server: SmtpServer, **extra: str) -> dict[str, str]:
    return {
        "Q2C_ALERT_SMTP_HOST": "127.0.0.1",
        "Q2C_ALERT_SMTP_PORT": str(server.port),
        "Q2C_ALERT_EMAIL_FROM": "q2c@example.com",
        "Q2C_ALERT_EMAIL_TO": "finance-ops@example.com, controller@example.com",
        "Q2C_ALERT_TIMEOUT_SECONDS": "5",
        **extra,
    }


def _webhook_env(server: WebhookServer) -> dict[str, str]:
    return {
        "Q2C_ALERT_WEBHOOK_URL": f"http://127.0.0.1:{server.port}/hooks/q2c",
        "Q2C_ALERT_WEBHOOK_TOKEN": TOKEN,
        "Q2C_ALERT_TIMEOUT_SECONDS": "5",
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_nothing_is_sent_when_no_sink_is_configured(digest, smtp_server, webhook_server):
    assert send_digest(digest, env={"PATH": "/usr/bin"}) == []
    assert smtp_server.inbox.messages == []
    assert webhook_server.received == []


def test_digest_reaches_both_sinks(digest, smtp_server, webhook_server):
    results = send_digest(digest, env={**_smtp_env(smtp_server), **_webhook_env(webhook_server)})

    assert [(r.sink, r.success) for r in results] == [("smtp", True), ("webhook", True)]
    assert results[0].detail == "sent to 2 recipient(s)"
    assert results[1].detail == "HTTP 200"
    assert results[1].target == f"http://127.0.0.1:{webhook_server.port}"  # no path: it may be a secret

    (mail,) = smtp_server.inbox.messages
    assert mail.mail_from == "q2c@example.com"
    assert mail.rcpt_to == ["finance-ops@example.com", "controller@example.com"]
    assert mail.auth is None
    msg = message_from_bytes(mail.data, policy=default_policy)
    assert msg["Subject"] == (
        "[q2c] 2026-11-22 nightly run with errors: 2 rules failed, 20,345.77 USD at risk; 1 other check failed"
    )
    body = msg.get_content().replace("\r\n", "\n")
    assert "  rule      open  amount at risk\n  INV-04       3  12,345.67 USD\n  UNB-01      41  8,000.10 USD\n" in body
    assert "Total at risk: 20,345.77 USD" in body
    assert "Report: /srv/q2c/data/reports/2026-11-22.html" in body
    assert "Dagster run: run-abc-123" in body
    assert "gx_marts_quality" in body

    (post,) = webhook_server.received
    assert post.path == "/hooks/q2c"
    assert post.headers["authorization"] == f"Bearer {TOKEN}"
    assert post.headers["content-type"].startswith("application/json")
    assert post.json() == {
        "schema": "q2c.alert_digest/v1",
        "summary": msg["Subject"],
        "as_of": "2026-11-22",
        "run_status": "errors",
        "dagster_run_id": "run-abc-123",
        "report": "/srv/q2c/data/reports/2026-11-22.html",
        "failed_rules": [
            {
                "rule_id": "INV-04",
                "open_count": 3,
                "amount_at_risk_reporting": "12345.6700",
                "reporting_currency": "USD",
            },
            {"rule_id": "UNB-01", "open_count": 41, "amount_at_risk_reporting": "8000.10", "reporting_currency": "USD"},
        ],
        "total_at_risk_reporting": {"USD": "20345.7700"},
        "failed_checks": ["gx_marts_quality"],
    }


@pytest.mark.parametrize("webhook_server", [(500, "boom: database down")], indirect=True)
def test_webhook_500_fails_clearly_and_smtp_is_still_sent(digest, smtp_server, webhook_server):
    results = {r.sink: r for r in send_digest(digest, env={**_smtp_env(smtp_server), **_webhook_env(webhook_server)})}

    assert not results["webhook"].success
    assert results["webhook"].error == "webhook answered HTTP 500 Internal Server Error: boom: database down"
    assert len(webhook_server.received) == 1
    assert results["smtp"].success
    assert len(smtp_server.inbox.messages) == 1


def test_unreachable_smtp_fails_and_webhook_is_still_sent(digest, webhook_server):
    env = {
        "Q2C_ALERT_SMTP_HOST": "127.0.0.1",
        "Q2C_ALERT_SMTP_PORT": str(_free_port()),
        "Q2C_ALERT_EMAIL_FROM": "q2c@example.com",
        "Q2C_ALERT_EMAIL_TO": "ops@example.com",
        **_webhook_env(webhook_server),
    }
    results = {r.sink: r for r in send_digest(digest, env=env)}
    assert not results["smtp"].success
    assert "sending e-mail failed: ConnectionRefusedError" in results["smtp"].error
    assert results["webhook"].success and len(webhook_server.received) == 1


def test_smtp_login_uses_credentials_without_leaking_them(digest, smtp_server, caplog):
    env = _smtp_env(smtp_server, Q2C_ALERT_SMTP_USER="alerts", Q2C_ALERT_SMTP_PASSWORD=PASSWORD)
    with caplog.at_level(logging.DEBUG):
        (result,) = send_digest(digest, env=env)
    assert result.success
    assert smtp_server.inbox.messages[0].auth == ("alerts", PASSWORD)
    assert PASSWORD not in repr(result) and PASSWORD not in caplog.text
    assert "alert digest sent via smtp" in caplog.text


def test_starttls_requested_but_not_offered_is_a_clear_failure(digest, smtp_server):
    (result,) = send_digest(digest, env=_smtp_env(smtp_server, Q2C_ALERT_SMTP_STARTTLS="true"))
    assert not result.success
    assert "STARTTLS extension not supported" in result.error
    assert smtp_server.inbox.messages == []


def test_partly_configured_smtp_is_reported_and_webhook_still_sent(digest, webhook_server):
    env = {
        "Q2C_ALERT_SMTP_HOST": "127.0.0.1",
        "Q2C_ALERT_EMAIL_FROM": "q2c@example.com",
        **_webhook_env(webhook_server),
    }
    results = {r.sink: r for r in send_digest(digest, env=env)}
    assert results["smtp"].error == "Q2C_ALERT_SMTP_HOST is set but Q2C_ALERT_EMAIL_TO names no recipient"
    assert results["webhook"].success


@pytest.mark.parametrize("webhook_server", [(401, f"bad token {TOKEN}")], indirect=True)
def test_webhook_error_never_echoes_the_token(digest, webhook_server, caplog):
    with caplog.at_level(logging.DEBUG):
        (result,) = send_digest(digest, env=_webhook_env(webhook_server))
    assert not result.success
    assert result.error == "webhook answered HTTP 401 Unauthorized: bad token ***"
    assert TOKEN not in caplog.text and "/hooks/q2c" not in caplog.text


def test_run_failed_outright_digest_subject(smtp_server):
    failed = AlertDigest(as_of=date(2026, 11, 22), run_status="failed", dagster_run_id="r-9")
    (result,) = send_digest(failed, env=_smtp_env(smtp_server))
    assert result.success
    msg = message_from_bytes(smtp_server.inbox.messages[0].data, policy=default_policy)
    assert msg["Subject"] == "[q2c] 2026-11-22 nightly run FAILED"
    assert "Run status: FAILED" in msg.get_content()


def test_money_is_never_a_float():
    with pytest.raises(TypeError, match="not float"):
        FailedRule("INV-03", 1, 10.5, "USD")  # type: ignore[arg-type]
    assert FailedRule("INV-03", 1, Decimal("0.10"), "EUR").amount_at_risk_reporting == "0.10"
    with pytest.raises(ValueError, match="run_status"):
        AlertDigest(as_of=date(2026, 1, 1), run_status="ok")


@pytest.mark.parametrize("webhook_server", [(404, "no hook at /hooks/SECRET-PATH?code=QSECRET&x=1")], indirect=True)
def test_webhook_url_is_masked_whole_but_its_host(digest, webhook_server, caplog):
    url = f"http://127.0.0.1:{webhook_server.port}/hooks/SECRET-PATH?code=QSECRET&x=1"
    env = {**_webhook_env(webhook_server), "Q2C_ALERT_WEBHOOK_URL": url}
    with caplog.at_level(logging.DEBUG):
        (result,) = send_digest(digest, env=env)
    assert not result.success
    assert result.target == f"http://127.0.0.1:{webhook_server.port}"
    shown = f"{result.target} {result.detail} {caplog.text}"
    for secret in ("SECRET-PATH", "QSECRET", "code=", "/hooks"):
        assert secret not in shown, shown
    assert result.error == "webhook answered HTTP 404 Not Found: no hook at ***"
