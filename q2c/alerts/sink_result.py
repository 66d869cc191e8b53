"""What happened at one alert sink; safe to log and to show (no credentials)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SinkResult:
    sink: str  # "smtp" or "webhook"
    success: bool
    target: str  # where it went, without credentials or secret URL parts
    detail: str  # what happened, or the error when success is False

    @property
    def error(self) -> str | None:
        return None if self.success else self.detail


def redact(text: str, secrets: list[str | None]) -> str:
    """Replace every secret in ``text``; servers and libraries sometimes echo them back."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text
