"""HTTP transport of the API connectors: a ``requests`` session that dlt's ``RESTClient`` uses.

dlt's own retrying client stops after a number of attempts and sleeps whatever a
``Retry-After`` header says; a nightly job needs a bound on *time* instead, and a clear
failure on bad credentials rather than a generic ``HTTPError``. So this session:

- retries connection errors, timeouts, 5xx and 429 with exponential backoff (0.5 s, 1 s,
  2 s ... capped at 30 s), sleeping exactly ``Retry-After`` when a 429/503 carries one;
- gives up once a request has been retried for ``max_retry_seconds`` (a ``Retry-After``
  that would overrun the budget fails at once, naming the wait the server asked for);
- raises :class:`ApiAuthError` on 401/403 at the first attempt, naming the system and
  the variable to check, and :class:`ApiError` on any other 4xx;
- parses JSON bodies with exact decimals (``response.json()`` returns ``Decimal`` numbers);
- records the server's clock (``Date`` header), which dates the extracted batch.

Tokens never appear in messages: every text taken from a response is masked.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import requests
from requests.exceptions import ChunkedEncodingError, ConnectionError, Timeout
from requests.hooks import dispatch_hook

from ingestion.api import jsontext
from ingestion.api.config import ApiConfig

log = logging.getLogger(__name__)

REQUEST_TIMEOUT = (10, 120)  # connect, read (seconds)
BACKOFF_START, BACKOFF_CAP = 0.5, 30.0
_RETRY_EXCEPTIONS = (ConnectionError, Timeout, ChunkedEncodingError)


class ApiError(Exception):
    """The system's API could not be read; the message names the system and the cause."""


class ApiAuthError(ApiError):
    """The API refused the credentials (401/403)."""


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _server_time(response: requests.Response) -> datetime | None:
    value = response.headers.get("Date")
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when


def _body_message(response: requests.Response, limit: int = 300) -> str:
    text = response.text.strip().replace("\n", " ")
    return text[:limit] + ("..." if len(text) > limit else "")


def _exact_json(response: requests.Response) -> Callable[..., object]:
    """``response.json`` parsing decimals exactly, once (the client and the paginator both ask)."""
    parsed: list[object] = []

    def parse(**_: object) -> object:
        if not parsed:
            parsed.append(jsontext.loads(response.content))
        return parsed[0]

    return parse


class ApiSession(requests.Session):
    """One system's session; pass it to ``RESTClient(session=...)``."""

    def __init__(self, config: ApiConfig, *, sleep: Callable[[float], None] = time.sleep):
        super().__init__()
        self.config = config
        self.sleep = sleep
        self.server_time: datetime | None = None  # Date of the first response
        self.retries = 0  # attempts beyond the first, over the session's life
        self.headers["User-Agent"] = "q2c-ingestion"  # Harvest rejects requests without one
        self.headers["Accept"] = "application/json"

    def _where(self, request: requests.PreparedRequest) -> str:
        url = (request.url or "").split("?", 1)[0]
        return f"{request.method} {self.config.mask(url)}"

    def send(self, request: requests.PreparedRequest, **kwargs) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        system, budget = self.config.system, self.config.max_retry_seconds
        started = time.monotonic()
        delay = BACKOFF_START
        attempt = 0
        # Response hooks (RESTClient's raise-for-status) would fire on every attempt; they run
        # once, on the response this loop settles on.
        hooks, request.hooks = request.hooks, {"response": []}
        while True:
            attempt += 1
            wait: float | None = None
            try:
                response = super().send(request, **kwargs)
            except _RETRY_EXCEPTIONS as exc:
                problem = f"{type(exc).__name__}: {self.config.mask(str(exc))}"
                response = None
            else:
                if self.server_time is None:
                    self.server_time = _server_time(response)
                status = response.status_code
                if status < 400:
                    response.json = _exact_json(response)  # type: ignore[method-assign]
                    request.hooks = hooks
                    return dispatch_hook("response", hooks, response, **kwargs)
                if status in (401, 403):
                    raise ApiAuthError(
                        f"{system} API refused the credentials (HTTP {status}) at {self._where(request)}: "
                        f"check {self.config.token_variable}"
                        + (" and Q2C_PSA_ACCOUNT_ID" if system == "psa" else "")
                        + f" (the token may be wrong, expired or lack permission); "
                        f"server said: {self.config.mask(_body_message(response))}"
                    )
                if status != 429 and status < 500:
                    raise ApiError(
                        f"{system} API returned HTTP {status} at {self._where(request)}: "
                        f"{self.config.mask(_body_message(response))}"
                    )
                problem = f"HTTP {status}"
                if status in (429, 503):
                    wait = _retry_after(response)
            elapsed = time.monotonic() - started
            if wait is None:
                wait, delay = delay, min(delay * 2, BACKOFF_CAP)
            if elapsed + wait > budget:
                asked = (
                    f" (server asked to wait {wait:.0f} s)"
                    if response is not None and response.headers.get("Retry-After")
                    else ""
                )
                raise ApiError(
                    f"{system} API still failing after {attempt} attempt(s) in {elapsed:.1f} s at "
                    f"{self._where(request)}: {problem}{asked}; giving up (Q2C_API_MAX_RETRY_SECONDS={budget:g})"
                )
            log.warning("%s API: %s at %s, retry %d in %.1f s", system, problem, self._where(request), attempt, wait)
            self.retries += 1
            if response is not None:
                response.close()
            self.sleep(wait)
