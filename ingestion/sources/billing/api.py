"""Billing: Stripe list endpoints ``GET /v1/<objects>``, newest first, paged with
``starting_after`` while ``has_more``; invoices with their lines expanded.

Incremental: ``created[gte]`` finds new objects, but Stripe objects change after they are
created (an invoice is paid, a credit note voided) without a list filter for that. Changes
are found the way Stripe intends, through ``GET /v1/events`` since the last extraction; each
changed object is then read again (``GET /v1/<objects>/<id>``) so the batch holds its
current state. Stripe keeps events for 30 days: an older high-water mark forces a full
extraction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.paginators import BasePaginator
from requests import Request, Response

from ingestion.api.batch_writer import ObjectRows
from ingestion.api.config import ApiConfig
from ingestion.api.cursors import Cursor, FullExtractionNeeded, SystemState, content_hash
from ingestion.api.transport import ApiSession
from ingestion.sources.billing.objects import OBJECTS

EVENT_RETENTION_SECONDS = 30 * 24 * 3600
_EPOCH = datetime(1970, 1, 1)
EVENTS = "events"
# Stripe's object type (the records' ``object`` field) -> list endpoint / extract object.
OBJECT_TYPES = {"customer": "customers", "invoice": "invoices", "credit_note": "credit_notes", "charge": "charges"}
EXPAND = {"customers": ["data.tax_ids"], "invoices": ["data.lines"]}
EVENT_TYPES = [
    "customer.created",
    "customer.updated",
    "customer.deleted",
    "invoice.created",
    "invoice.updated",
    "credit_note.created",
    "credit_note.updated",
    "credit_note.voided",
    "charge.succeeded",
    "charge.updated",
    "charge.refunded",
]


class StartingAfterPaginator(BasePaginator):
    """Stripe's cursor: the id of the last object of the page, while ``has_more``."""

    def __init__(self) -> None:
        super().__init__()
        self._after: str | None = None

    def update_state(self, response: Response, data: list[Any] | None = None) -> None:
        body = response.json()
        if body.get("has_more") and data:
            self._after = data[-1]["id"]
        else:
            self._has_next_page = False

    def update_request(self, request: Request) -> None:
        request.params = {**(request.params or {}), "starting_after": self._after}


def _list(client: RESTClient, path: str, params: dict[str, Any]):
    pages = client.paginate(path, params=params, paginator=StartingAfterPaginator(), data_selector="data")
    return (obj for page in pages for obj in page)


def _params(config: ApiConfig, name: str, **extra: Any) -> dict[str, Any]:
    params: dict[str, Any] = {"limit": config.page_size, **extra}
    if name in EXPAND:
        params["expand[]"] = EXPAND[name]
    return params


def _epoch(client: RESTClient) -> int | None:
    session = client.session
    when = session.server_time if isinstance(session, ApiSession) else None
    return None if when is None else int((when - _EPOCH).total_seconds())


def _changed_since_events(client: RESTClient, config: ApiConfig, state: SystemState) -> dict[str, set[str]]:
    """Ids of the objects changed since the events high-water mark, per extract object."""
    cursor = state.cursor(EVENTS)
    events = list(
        _list(client, "/v1/events", {"limit": config.page_size, "created[gte]": cursor.mark, "types[]": EVENT_TYPES})
    )
    now = _epoch(client)
    if now is not None and now - cursor.mark > EVENT_RETENTION_SECONDS:
        days = EVENT_RETENTION_SECONDS // 86400
        raise FullExtractionNeeded(f"the last billing extraction is older than Stripe's {days}-day event retention")
    changed: dict[str, set[str]] = {}
    for event in cursor.keep_changed((e["id"], e["created"], e) for e in events):
        obj = event.get("data", {}).get("object", {})
        name = OBJECT_TYPES.get(obj.get("object"))
        if name and obj.get("id"):
            changed.setdefault(name, set()).add(obj["id"])
    return changed


def extract(client: RESTClient, config: ApiConfig, state: SystemState, full: bool) -> list[ObjectRows]:
    changed: dict[str, set[str]] = {}
    if not full:
        if state.cursor(EVENTS).mark is None:
            raise FullExtractionNeeded("no event high-water mark yet")
        changed = _changed_since_events(client, config, state)
    out = []
    for spec in OBJECTS:
        cursor = state.cursor(spec.object)
        extra = {} if full or cursor.mark is None else {"created[gte]": cursor.mark}
        pages = _list(client, f"/v1/{spec.object}", _params(config, spec.object, **extra))
        listed = cursor.keep_changed((o["id"], o["created"], o) for o in pages)
        have = {o["id"] for o in listed}
        expand = {"expand[]": [e.removeprefix("data.") for e in EXPAND.get(spec.object, [])]}
        for obj_id in sorted(changed.get(spec.object, set()) - have):
            obj = client.get(f"/v1/{spec.object}/{obj_id}", params=expand).json()
            listed.append(obj)
            if obj.get("created") == cursor.mark:  # keep the boundary current: no re-read next time
                cursor.boundary[obj_id] = content_hash(obj)
        out.append(ObjectRows(spec, listed))
    started = _epoch(client)
    if full and started is not None:
        # Changes from the start of this full read on are picked up by the next run's events.
        state.cursors[EVENTS] = Cursor(started)
    return out
