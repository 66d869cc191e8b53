"""The stand-in HTTP servers: one real ``ThreadingHTTPServer`` per source system on
127.0.0.1 (an ephemeral port each, as each real API has its own host), serving a
:class:`StandinDataset` through that system's API (see the per-system modules).

Every request is checked for the system's credentials (401 otherwise), may be hit by the
configured :class:`Faults` (a burst of 429 with ``Retry-After``, transient 500s, dropped
connections, an expired token) and is recorded in :attr:`StandinServers.requests`.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from ingestion.api import jsontext
from ingestion.catalog import SYSTEMS
from q2c_demo.api_standin import billing, crm, erp, psa
from q2c_demo.api_standin.dataset import StandinDataset
from q2c_demo.api_standin.exchange import Exchange, Reply

HANDLERS: dict[str, Callable[[Exchange], Reply]] = {
    "crm": crm.handle,
    "psa": psa.handle,
    "erp": erp.handle,
    "billing": billing.handle,
}
UNAUTHORIZED: dict[str, Callable[[str], object]] = {
    "crm": crm.unauthorized,
    "psa": psa.unauthorized,
    "erp": erp.unauthorized,
    "billing": billing.unauthorized,
}


@dataclass
class Faults:
    """Consumed in order by the next requests: dropped connections, then 429s, then 500s."""

    dropped_connections: int = 0
    rate_limited: int = 0
    retry_after: int = 1
    server_errors: int = 0
    expired_token: bool = False  # every request is refused with 401 until cleared


@dataclass(frozen=True)
class LoggedRequest:
    system: str
    method: str
    path: str
    status: int
    records: int  # objects in the response body


@dataclass
class _System:
    name: str
    token: str
    account_id: str | None
    faults: Faults = field(default_factory=Faults)
    state: dict = field(default_factory=dict)  # per-API scratch (query locators)


class _Handler(BaseHTTPRequestHandler):
    server_version = "q2c-standin/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - silence stderr
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._serve("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")

    def _serve(self, method: str) -> None:
        owner: StandinServers = self.server.owner  # type: ignore[attr-defined]
        system: _System = self.server.system  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        faults = system.faults
        with owner.lock:
            dropped = faults.dropped_connections > 0
            if dropped:
                faults.dropped_connections -= 1
                fault = None
            elif faults.rate_limited:
                faults.rate_limited -= 1
                fault = Reply(429, {"error": "rate limit exceeded"}, {"Retry-After": str(faults.retry_after)})
            elif faults.server_errors:
                faults.server_errors -= 1
                fault = Reply(500, {"error": "internal server error"})
            else:
                fault = None
        if dropped:  # close the socket without a response: the client sees a connection error
            owner.log(LoggedRequest(system.name, method, parts.path, 0, 0))
            self.close_connection = True
            return
        if fault is None and (faults.expired_token or not self._authorised(system)):
            fault = Reply(401, UNAUTHORIZED[system.name]("expired" if faults.expired_token else "invalid"))
        if fault is not None:
            reply = fault
        else:
            exchange = Exchange(
                method=method,
                path=parts.path,
                query=parse_qs(parts.query, keep_blank_values=True),
                headers=self.headers,
                body=body,
                base_url=owner.base_url(system.name),
                dataset=owner.dataset,
                state=system.state,
            )
            try:
                reply = HANDLERS[system.name](exchange)
            except Exception as exc:  # noqa: BLE001 - a stand-in bug must surface as a 500, not a hang
                reply = Reply(500, {"error": f"stand-in failure: {type(exc).__name__}: {exc}"})
        owner.log(LoggedRequest(system.name, method, parts.path, reply.status, reply.records))
        payload = jsontext.dumps(reply.body).encode("utf-8")
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def date_time_string(self, timestamp: float | None = None) -> str:
        """``Date`` of every response: the stand-in systems' clock, not the machine's."""
        owner: StandinServers = self.server.owner  # type: ignore[attr-defined]
        return format_datetime(owner.dataset.now().replace(tzinfo=UTC), usegmt=True)

    def _authorised(self, system: _System) -> bool:
        if self.headers.get("Authorization") != f"Bearer {system.token}":
            return False
        return system.name != "psa" or self.headers.get("Harvest-Account-Id") == system.account_id


class StandinServers:
    """Start with ``with StandinServers(dataset) as servers:``; :meth:`env` gives the
    variables that point q2c's API mode at them."""

    def __init__(
        self, dataset: StandinDataset, *, tokens: dict[str, str] | None = None, psa_account_id: str = "1234567"
    ):
        self.dataset = dataset
        self.lock = threading.Lock()
        self.requests: list[LoggedRequest] = []
        tokens = tokens or {}
        self.systems = {
            s: _System(
                s, tokens.get(s) or f"standin-{s}-{secrets.token_urlsafe(16)}", psa_account_id if s == "psa" else None
            )
            for s in SYSTEMS
        }
        self._servers: dict[str, ThreadingHTTPServer] = {}
        self._threads: list[threading.Thread] = []

    def start(self) -> StandinServers:
        for name, system in self.systems.items():
            httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
            httpd.daemon_threads = True
            httpd.owner = self  # type: ignore[attr-defined]
            httpd.system = system  # type: ignore[attr-defined]
            thread = threading.Thread(target=httpd.serve_forever, name=f"standin-{name}", daemon=True)
            thread.start()
            self._servers[name] = httpd
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for httpd in self._servers.values():
            httpd.shutdown()
            httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> StandinServers:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def base_url(self, system: str) -> str:
        host, port = self._servers[system].server_address[:2]
        return f"http://{host}:{port}"

    def token(self, system: str) -> str:
        return self.systems[system].token

    def faults(self, system: str) -> Faults:
        return self.systems[system].faults

    def env(self, systems: tuple[str, ...] = SYSTEMS) -> dict[str, str]:
        env: dict[str, str] = {}
        for s in systems:
            prefix = f"Q2C_{s.upper()}_"
            env[prefix + "MODE"] = "api"
            env[prefix + "API_BASE_URL"] = self.base_url(s)
            env[prefix + "API_TOKEN"] = self.token(s)
        if "psa" in systems:
            env["Q2C_PSA_ACCOUNT_ID"] = self.systems["psa"].account_id or ""
        return env

    def log(self, entry: LoggedRequest) -> None:
        with self.lock:
            self.requests.append(entry)

    def requests_of(self, system: str) -> list[LoggedRequest]:
        with self.lock:
            return [r for r in self.requests if r.system == system]
