"""Which systems are read from their API, where the API is and how to authenticate.

Per system ``<S>`` (CRM, PSA, ERP, BILLING):

- ``Q2C_<S>_MODE``: ``files`` (default: extracts are dropped into the landing zone) or ``api``.
- ``Q2C_<S>_API_BASE_URL`` and ``Q2C_<S>_API_TOKEN``; the PSA also ``Q2C_PSA_ACCOUNT_ID``.
  Each may instead come from dlt's ``.dlt/secrets.toml`` (section ``[q2c.<system>]``, keys
  ``api_base_url``, ``api_token``, ``account_id``). Environment variables win.
- ``Q2C_<S>_API_PAGE_SIZE``: records per request (defaults to each API's maximum).
- ``Q2C_API_MAX_RETRY_SECONDS`` (default 60): how long one request may keep being retried
  (429, 5xx, connection errors) before the extraction gives up.

Credentials are held in :class:`ApiConfig` and only ever put into request headers: the
dataclass ``repr`` hides them and :func:`mask` scrubs them from any text that is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ingestion.catalog import SYSTEMS
from q2c.settings import Settings

MODES = ("files", "api")
FILES, API = MODES
DEFAULT_MAX_RETRY_SECONDS = 60.0

# Largest page each real API allows.
DEFAULT_PAGE_SIZE = {"crm": 2000, "psa": 2000, "erp": 1000, "billing": 100}


class ApiConfigError(Exception):
    """A system is switched to API mode but its configuration is incomplete or invalid."""


def env_name(system: str, key: str) -> str:
    return f"Q2C_{system.upper()}_{key.upper()}"


def _secret(system: str, key: str) -> str | None:
    """dlt secrets.toml ``[q2c.<system>] <key> = ...`` (looked up only when the env is silent)."""
    try:
        import dlt

        value = dlt.secrets.get(f"q2c.{system}.{key}")
    except Exception:  # noqa: BLE001 - a broken/missing secrets file means "not configured"
        return None
    return str(value) if value not in (None, "") else None


def _setting(env: Mapping[str, str], system: str, key: str) -> str | None:
    value = env.get(env_name(system, key))
    if value:
        return value
    return _secret(system, key)


def system_mode(system: str, settings: Settings) -> str:
    if system not in SYSTEMS:
        raise ValueError(f"unknown system {system!r}; expected one of {SYSTEMS}")
    value = (settings.passed_through.get(env_name(system, "mode")) or FILES).strip().lower()
    if value not in MODES:
        raise ApiConfigError(f"{env_name(system, 'mode')}={value!r}: expected one of {', '.join(MODES)}")
    return value


def api_systems(settings: Settings) -> list[str]:
    return [s for s in SYSTEMS if system_mode(s, settings) == API]


@dataclass(frozen=True)
class ApiConfig:
    system: str
    base_url: str
    token: str = field(repr=False)
    account_id: str | None = None  # Harvest-Account-Id (PSA only)
    page_size: int = 100
    max_retry_seconds: float = DEFAULT_MAX_RETRY_SECONDS

    @property
    def token_variable(self) -> str:
        return env_name(self.system, "api_token")

    def mask(self, text: str) -> str:
        return mask(text, self.token)


def mask(text: str, *secrets: str | None) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def _positive(name: str, raw: str | None, default: float) -> float:
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ApiConfigError(f"{name}={raw!r} is not a number") from None
    if value <= 0:
        raise ApiConfigError(f"{name} must be positive, got {raw}")
    return value


def load_api_config(system: str, settings: Settings) -> ApiConfig:
    """The API settings of one system; raises :class:`ApiConfigError` naming what is missing."""
    system_mode(system, settings)  # validates the system name
    env = settings.passed_through
    base_url = _setting(env, system, "api_base_url")
    token = _setting(env, system, "api_token")
    account_id = _setting(env, system, "account_id") if system == "psa" else None
    missing = [env_name(system, k) for k, v in (("api_base_url", base_url), ("api_token", token)) if not v]
    if system == "psa" and not account_id:
        missing.append(env_name(system, "account_id"))
    if missing:
        raise ApiConfigError(
            f"{system} is in API mode but {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set "
            f"(environment, or [q2c.{system}] in .dlt/secrets.toml)"
        )
    if not base_url.startswith(("http://", "https://")):
        raise ApiConfigError(f"{env_name(system, 'api_base_url')}={base_url!r} is not an http(s) URL")
    page_var = env_name(system, "api_page_size")
    page_size = int(_positive(page_var, env.get(page_var), DEFAULT_PAGE_SIZE[system]))
    page_size = min(page_size, DEFAULT_PAGE_SIZE[system])
    retry = _positive("Q2C_API_MAX_RETRY_SECONDS", env.get("Q2C_API_MAX_RETRY_SECONDS"), DEFAULT_MAX_RETRY_SECONDS)
    return ApiConfig(system, base_url.rstrip("/"), token, account_id, page_size, retry)
