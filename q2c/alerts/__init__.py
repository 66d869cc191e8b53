"""Alert digests of failed nightly runs, sent by SMTP and/or webhook (see docs/quality-and-alerts.md)."""

from q2c.alerts.digest import (
    AlertDigest,
    FailedRule,
    digest_to_json,
    failed_rules_from_rows,
    render_subject,
    render_text,
)
from q2c.alerts.send import AlertConfigError, configured_sinks, send_digest
from q2c.alerts.sink_result import SinkResult

__all__ = [
    "AlertConfigError",
    "AlertDigest",
    "FailedRule",
    "SinkResult",
    "configured_sinks",
    "digest_to_json",
    "failed_rules_from_rows",
    "render_subject",
    "render_text",
    "send_digest",
]
