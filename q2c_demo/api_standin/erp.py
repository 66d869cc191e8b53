"""NetSuite SuiteQL REST stand-in: ``POST /services/rest/query/v1/suiteql?limit=&offset=`` with
``Prefer: transient`` and a ``{"q": ...}`` body. Understands ``SELECT <columns> FROM <table>``
with an optional ``WHERE <column> >= TO_TIMESTAMP('YYYY-MM-DD HH24:MI:SS', ...)`` and
``ORDER BY``. Like SuiteQL, values are text in the account's formats and empty columns are
left out of each item.

Change stamps the extract contract does not list (``transactionline.linelastmodifieddate``,
``lastmodifieddate`` of the other tables) come from when the record's current version
appeared (``Record.changed_at``).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from urllib.parse import urlencode

from ingestion.catalog import objects
from q2c_demo.api_standin.dataset import Record
from q2c_demo.api_standin.exchange import BadRequest, Exchange, Reply

_SPECS = {s.table: s for s in objects("erp")}
MAX_LIMIT = 1000
PATH = "/services/rest/query/v1/suiteql"
_QUERY = re.compile(
    r"^\s*SELECT\s+(?P<columns>.+?)\s+FROM\s+(?P<table>\w+)"
    r"(?:\s+WHERE\s+(?P<column>\w+)\s*>=\s*TO_TIMESTAMP\(\s*'(?P<ts>[^']+)'\s*,\s*'YYYY-MM-DD HH24:MI:SS'\s*\))?"
    r"(?:\s+ORDER\s+BY\s+(?P<order>[\w\s,]+?))?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_NS_DATETIME = "%m/%d/%Y %I:%M %p"


def unauthorized(why: str) -> object:
    return {
        "type": "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2",
        "title": "Unauthorized",
        "status": 401,
        "o:errorDetails": [{"detail": "Invalid login attempt.", "o:errorCode": "INVALID_LOGIN"}],
    }


def _error(status: int, detail: str, code: str = "INVALID_PARAMETER") -> Reply:
    return Reply(
        status, {"title": "Bad Request", "status": status, "o:errorDetails": [{"detail": detail, "o:errorCode": code}]}
    )


def ns_datetime(ts: datetime) -> str:
    hour = ts.hour % 12 or 12
    return f"{ts.month}/{ts.day}/{ts.year} {hour}:{ts.minute:02d} {'am' if ts.hour < 12 else 'pm'}"


def _row(record: Record) -> dict[str, str]:
    row = dict(record.data)
    stamp = ns_datetime(record.changed_at)
    row.setdefault("lastmodifieddate", stamp)
    row.setdefault("linelastmodifieddate", stamp)
    return row


def _parse_ns(text: str) -> datetime:
    return datetime.strptime(text.strip().upper(), _NS_DATETIME)


def _select(exchange: Exchange, query: str) -> list[dict]:
    match = _QUERY.match(query)
    if not match:
        raise BadRequest(f"Invalid search query: {query[:80]}")
    spec = _SPECS.get(match["table"].lower())
    if spec is None:
        raise BadRequest(f"Record '{match['table']}' was not found.")
    known = {f.source for f in spec.fields} | {"lastmodifieddate"}
    if spec.table == "transactionline":
        known.add("linelastmodifieddate")
    columns = [c.strip().lower() for c in match["columns"].split(",")]
    order = [c.strip().lower() for c in (match["order"] or "").split(",") if c.strip()]
    unknown = [c for c in [*columns, *order, *([match["column"].lower()] if match["column"] else [])] if c not in known]
    if unknown:
        raise BadRequest(f"Field '{unknown[0]}' for record '{spec.table}' was not found.")
    rows = [_row(r) for r in exchange.dataset.records("erp", spec.object)]
    if match["column"]:
        bound = datetime.strptime(match["ts"], "%Y-%m-%d %H:%M:%S")
        column = match["column"].lower()
        rows = [r for r in rows if r.get(column) and _parse_ns(r[column]) >= bound]
    if order:
        rows.sort(key=lambda r: tuple(_sortable(r.get(c) or "") for c in order))
    return [{"links": [], **{c: r[c] for c in columns if r.get(c) not in (None, "")}} for r in rows]


def _sortable(text: str) -> tuple:
    return (0, int(text), "") if text.isdigit() else (1, 0, text)


def handle(exchange: Exchange) -> Reply:
    if exchange.path.rstrip("/") != PATH or exchange.method != "POST":
        return _error(404, "The record type does not exist.", "NONEXISTENT_ID")
    if (exchange.headers.get("Prefer") or "").lower() != "transient":
        return _error(400, "The 'Prefer: transient' header is required for SuiteQL queries.")
    try:
        limit = exchange.int_arg("limit", MAX_LIMIT, high=MAX_LIMIT)
        offset = exchange.int_arg("offset", 0, low=0)
        query = json.loads(exchange.body or b"{}").get("q")
        if not query:
            raise BadRequest("The request body must contain a 'q' query.")
        rows = _select(exchange, query)
    except (BadRequest, ValueError) as exc:
        return _error(400, str(exc))
    items = rows[offset : offset + limit]
    has_more = offset + len(items) < len(rows)
    links = [{"rel": "self", "href": f"{exchange.base_url}{PATH}?{urlencode({'limit': limit, 'offset': offset})}"}]
    if has_more:
        links.append(
            {
                "rel": "next",
                "href": f"{exchange.base_url}{PATH}?{urlencode({'limit': limit, 'offset': offset + limit})}",
            }
        )
    return Reply(
        200,
        {
            "links": links,
            "count": len(items),
            "hasMore": has_more,
            "items": items,
            "offset": offset,
            "totalResults": len(rows),
        },
        records=len(items),
    )
