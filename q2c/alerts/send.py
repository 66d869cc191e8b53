"""Send a digest to every sink configured in the environment (see docs/quality-and-alerts.md).

Each sink is tried independently: one sink's failure is reported in its ``SinkResult`` and
never stops the others. Nothing is sent, and ``[]`` returned, when no sink is configured.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from q2c.alerts.digest import AlertDigest
from q2c.alerts.sink_result import SinkResult
from q2c.alerts.smtp_sink import SmtpConfig, send_smtp
from q2c.alerts.webhook_sink import WebhookConfig, send_webhook

log = logging.getLogger(__name__)

DEFAULT_SMTP_PORT = 25
DEFAULT_TIMEOUT_SECONDS = 10.0
_TRUE = {"1", "true", "yes", "on"}


class AlertConfigError(ValueError):
    """A sink is partly configured; the message names the variable, never a secret's value."""


def _get(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name)
    return value.strip() if value and value.strip() else None


def _timeout(env: Mapping[str, str]) -> float:
    raw = _get(env, "Q2C_ALERT_TIMEOUT_SECONDS")
    try:
        value = float(raw) if raw else DEFAULT_TIMEOUT_SECONDS
    except ValueError:
        raise AlertConfigError(f"Q2C_ALERT_TIMEOUT_SECONDS must be a number, got {raw!r}") from None
    if value <= 0:
        raise AlertConfigError("Q2C_ALERT_TIMEOUT_SECONDS must be positive")
    return value


def smtp_config_from_env(env: Mapping[str, str]) -> SmtpConfig | None:
    host = _get(env, "Q2C_ALERT_SMTP_HOST")
    if host is None:
        return None
    port_text = _get(env, "Q2C_ALERT_SMTP_PORT")
    try:
        port = int(port_text) if port_text else DEFAULT_SMTP_PORT
    except ValueError:
        raise AlertConfigError(f"Q2C_ALERT_SMTP_PORT must be an integer, got {port_text!r}") from None
    sender = _get(env, "Q2C_ALERT_EMAIL_FROM")
    recipients = tuple(a.strip() for a in (_get(env, "Q2C_ALERT_EMAIL_TO") or "").split(",") if a.strip())
    if sender is None:
        raise AlertConfigError("Q2C_ALERT_SMTP_HOST is set but Q2C_ALERT_EMAIL_FROM is not")
    if not recipients:
        raise AlertConfigError("Q2C_ALERT_SMTP_HOST is set but Q2C_ALERT_EMAIL_TO names no recipient")
    return SmtpConfig(
        host=host,
        port=port,
        sender=sender,
        recipients=recipients,
        user=_get(env, "Q2C_ALERT_SMTP_USER"),
        password=env.get("Q2C_ALERT_SMTP_PASSWORD") or None,
        starttls=(_get(env, "Q2C_ALERT_SMTP_STARTTLS") or "").lower() in _TRUE,
        timeout_seconds=_timeout(env),
    )


def webhook_config_from_env(env: Mapping[str, str]) -> WebhookConfig | None:
    url = _get(env, "Q2C_ALERT_WEBHOOK_URL")
    if url is None:
        return None
    return WebhookConfig(url=url, token=_get(env, "Q2C_ALERT_WEBHOOK_TOKEN"), timeout_seconds=_timeout(env))


def configured_sinks(env: Mapping[str, str]) -> list[str]:
    """Names of the sinks the environment configures (for a run's log / metadata)."""
    return [
        name for name, var in (("smtp", "Q2C_ALERT_SMTP_HOST"), ("webhook", "Q2C_ALERT_WEBHOOK_URL")) if _get(env, var)
    ]


def send_digest(digest: AlertDigest, env: Mapping[str, str]) -> list[SinkResult]:
    results: list[SinkResult] = []
    for sink, load, send in (
        ("smtp", smtp_config_from_env, send_smtp),
        ("webhook", webhook_config_from_env, send_webhook),
    ):
        try:
            config = load(env)
        except AlertConfigError as exc:
            result = SinkResult(sink, False, "(misconfigured)", str(exc))
        else:
            if config is None:
                continue
            result = send(digest, config)
        results.append(result)
        if result.success:
            log.info("alert digest sent via %s to %s: %s", result.sink, result.target, result.detail)
        else:
            log.error("alert digest via %s to %s failed: %s", result.sink, result.target, result.detail)
    return results
