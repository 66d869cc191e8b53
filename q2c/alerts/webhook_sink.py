"""POST the digest as JSON to a webhook URL (schema in ``q2c.alerts.digest``)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from q2c.alerts.digest import AlertDigest, digest_to_json
from q2c.alerts.sink_result import SinkResult, redact

_MAX_ERROR_BODY = 200


@dataclass(frozen=True)
class WebhookConfig:
    # The URL itself is treated as a secret: chat webhooks carry their token in the path.
    url: str = field(repr=False)
    token: str | None = field(default=None, repr=False)
    timeout_seconds: float = 10.0

    @property
    def target(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}"


def url_secrets(url: str) -> list[str]:
    """Every part of a webhook URL but its scheme, host and port, longest first: a server
    or library may echo any of them (the path with its query, the query alone, one value)."""
    parts = urlsplit(url)
    tail = parts.path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    pieces = [url, tail, parts.path, parts.query, parts.fragment, parts.username, parts.password]
    pieces += [value for _, value in parse_qsl(parts.query, keep_blank_values=False)]
    pieces += [segment for segment in parts.path.split("/") if len(segment) > 2]
    return sorted({p for p in pieces if p and p != "/"}, key=len, reverse=True)


def send_webhook(digest: AlertDigest, config: WebhookConfig) -> SinkResult:
    secrets = [config.token, *url_secrets(config.url)]
    if urlsplit(config.url).scheme not in ("http", "https"):
        return SinkResult("webhook", False, "(invalid URL)", "Q2C_ALERT_WEBHOOK_URL must be an http(s) URL")
    body = json.dumps(digest_to_json(digest)).encode("utf-8")
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "q2c-alerts/1"}
    if config.token:
        headers["Authorization"] = f"Bearer {config.token}"
    request = urllib.request.Request(config.url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=config.timeout_seconds) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        answer = exc.read(_MAX_ERROR_BODY).decode("utf-8", "replace").strip()
        error = f"webhook answered HTTP {exc.code} {exc.reason}" + (f": {answer}" if answer else "")
        return SinkResult("webhook", False, config.target, redact(error, secrets))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return SinkResult("webhook", False, config.target, redact(f"webhook POST failed: {reason}", secrets))
    return SinkResult("webhook", True, config.target, f"HTTP {status}")
