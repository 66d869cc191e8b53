"""Harvest API v2 stand-in: ``GET /v2/<clients|projects|users|user_assignments|time_entries|expenses>``
with ``page``/``per_page`` (at most 2000), ``updated_since`` and the v2 pagination envelope
(``per_page``, ``total_pages``, ``next_page``, ``links.next`` ...). Requests need
``Authorization: Bearer`` and ``Harvest-Account-Id``."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlencode

from ingestion.catalog import objects
from q2c_demo.api_standin.exchange import BadRequest, Exchange, Reply

_OBJECTS = {s.object for s in objects("psa")}
MAX_PER_PAGE = 2000
_PATH = re.compile(r"^/v2/(\w+)/?$")


def unauthorized(why: str) -> object:
    return {
        "error": "invalid_token",
        "error_description": "The access token provided is expired, revoked, malformed or invalid for other reasons.",
    }


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)


def handle(exchange: Exchange) -> Reply:
    match = _PATH.match(exchange.path)
    if exchange.method != "GET" or not match or match[1] not in _OBJECTS:
        return Reply(404, {"error": "not_found", "error_description": "The resource you requested could not be found"})
    name = match[1]
    try:
        page = exchange.int_arg("page", 1)
        per_page = exchange.int_arg("per_page", 100, high=MAX_PER_PAGE)
        since = exchange.arg("updated_since")
        bound = _instant(since) if since else None
    except (ValueError, BadRequest) as exc:
        return Reply(422, {"message": str(exc)})
    records = [r.data for r in exchange.dataset.records("psa", name)]
    if bound is not None:
        records = [r for r in records if _instant(r["updated_at"]) >= bound]
    total_pages = max(1, -(-len(records) // per_page))
    chunk = records[(page - 1) * per_page : page * per_page]

    def link(n: int) -> str:
        params = {"page": n, "per_page": per_page, **({"updated_since": since} if since else {})}
        return f"{exchange.base_url}/v2/{name}?{urlencode(params)}"

    return Reply(
        200,
        {
            name: chunk,
            "per_page": per_page,
            "total_pages": total_pages,
            "total_entries": len(records),
            "next_page": page + 1 if page < total_pages else None,
            "previous_page": page - 1 if page > 1 else None,
            "page": page,
            "links": {
                "first": link(1),
                "next": link(page + 1) if page < total_pages else None,
                "previous": link(page - 1) if page > 1 else None,
                "last": link(total_pages),
            },
        },
        records=len(chunk),
    )
