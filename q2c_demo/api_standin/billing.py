"""Stripe API stand-in: ``GET /v1/<customers|invoices|credit_notes|charges>`` (newest first,
``limit`` up to 100, ``starting_after``, ``created[gte|gt|lte|lt]``), ``GET /v1/<objects>/<id>``
and ``GET /v1/events`` (``types[]``, ``created[...]``) with the events of the objects that
changed after the dataset was first loaded. ``expand[]`` is accepted; invoices always carry
their complete ``lines`` list and customers their ``tax_ids``, as the extract contract has them.
"""

from __future__ import annotations

import re

from q2c_demo.api_standin.exchange import BadRequest, Exchange, Reply

OBJECTS = ("customers", "invoices", "credit_notes", "charges")
MAX_LIMIT = 100
_PATH = re.compile(r"^/v1/(\w+)(?:/([\w-]+))?/?$")
_RANGE = {"gte": lambda a, b: a >= b, "gt": lambda a, b: a > b, "lte": lambda a, b: a <= b, "lt": lambda a, b: a < b}


def unauthorized(why: str) -> object:
    message = (
        "Expired API Key provided."
        if why == "expired"
        else "Invalid API Key provided. You did not provide a valid API key."
    )
    return {"error": {"type": "invalid_request_error", "message": message}}


def _error(status: int, message: str, code: str | None = None) -> Reply:
    body: dict[str, object] = {"type": "invalid_request_error", "message": message}
    if code:
        body["code"] = code
    return Reply(status, {"error": body})


def _created_filter(exchange: Exchange, items: list[dict]) -> list[dict]:
    for op, test in _RANGE.items():
        raw = exchange.arg(f"created[{op}]")
        if raw not in (None, ""):
            bound = int(raw)
            items = [o for o in items if test(o["created"], bound)]
    return items


def _list(exchange: Exchange, items: list[dict], url: str) -> Reply:
    limit = exchange.int_arg("limit", 10, high=MAX_LIMIT)
    items = sorted(_created_filter(exchange, items), key=lambda o: (o["created"], o["id"]), reverse=True)
    after = exchange.arg("starting_after")
    if after:
        ids = [o["id"] for o in items]
        if after not in ids:
            return _error(400, f"No such object: '{after}'", "resource_missing")
        items = items[ids.index(after) + 1 :]
    page = items[:limit]
    return Reply(200, {"object": "list", "data": page, "has_more": len(items) > limit, "url": url}, records=len(page))


def handle(exchange: Exchange) -> Reply:
    match = _PATH.match(exchange.path)
    if exchange.method != "GET" or not match:
        return _error(404, f"Unrecognized request URL ({exchange.method}: {exchange.path}).")
    name, obj_id = match[1], match[2]
    try:
        if name == "events" and obj_id is None:
            types = set(exchange.query.get("types[]", []))
            events = [e for e in exchange.dataset.stripe_events() if not types or e["type"] in types]
            return _list(exchange, events, "/v1/events")
        if name not in OBJECTS:
            return _error(404, f"Unrecognized request URL ({exchange.method}: {exchange.path}).")
        if obj_id is not None:
            record = exchange.dataset.record("billing", name, obj_id)
            if record is None:
                return _error(404, f"No such {name.rstrip('s')}: '{obj_id}'", "resource_missing")
            return Reply(200, record.data, records=1)
        return _list(exchange, [r.data for r in exchange.dataset.records("billing", name)], f"/v1/{name}")
    except (BadRequest, ValueError) as exc:
        return _error(400, str(exc))
