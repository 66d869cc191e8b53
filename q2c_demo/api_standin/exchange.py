"""One request to a stand-in API and the reply its handler gives."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import Message

from q2c_demo.api_standin.dataset import StandinDataset


@dataclass
class Exchange:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: Message
    body: bytes
    base_url: str  # this server's own http://host:port, for absolute links
    dataset: StandinDataset
    state: dict  # the system's scratch space between requests (query cursors)

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else default

    def int_arg(self, name: str, default: int, *, low: int = 1, high: int | None = None) -> int:
        raw = self.arg(name)
        if raw is None or raw == "":
            return default
        value = int(raw)  # a ValueError becomes the handler's 400
        if value < low or (high is not None and value > high):
            raise BadRequest(f"{name} must be between {low} and {high}")
        return value


@dataclass
class Reply:
    status: int
    body: object
    headers: dict[str, str] = field(default_factory=dict)
    records: int = 0


class BadRequest(Exception):
    """The request is malformed for this API; handlers turn it into the API's 400 shape."""
