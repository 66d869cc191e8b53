"""Salesforce REST API stand-in: ``GET /services/data/vXX.X/query`` and ``/queryAll`` with a
SOQL ``q``, result pages of ``Sforce-Query-Options: batchSize`` records followed through
``nextRecordsUrl``. Understands the SOQL the connector sends: a field list, one object, an
optional ``WHERE <field> >|>=|<|<=|= <datetime>`` and ``ORDER BY <field>``. ``query`` leaves
soft-deleted records out, ``queryAll`` includes them.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from decimal import Decimal, InvalidOperation

from ingestion.catalog import objects
from q2c_demo.api_standin.exchange import BadRequest, Exchange, Reply

_SPECS = {s.object: s for s in objects("crm")}
BOOLEAN_FIELDS = {"IsDeleted", "IsClosed", "IsWon", "IsActive"}
NUMBER_FIELDS = {"Amount", "Not_To_Exceed__c", "Quantity", "UnitPrice", "ListPrice", "Discount", "TotalPrice"}
DATETIME_FIELDS = {"CreatedDate", "LastModifiedDate", "SystemModstamp"}
DEFAULT_BATCH = 2000

_PATH = re.compile(r"^/services/data/v\d+\.\d+/(query|queryAll)(?:/([0-9a-f]+)-(\d+))?/?$")
_SOQL = re.compile(
    r"^\s*SELECT\s+(?P<fields>.+?)\s+FROM\s+(?P<object>\w+)"
    r"(?:\s+WHERE\s+(?P<field>\w+)\s*(?P<op>>=|<=|>|<|=)\s*(?P<value>\S+))?"
    r"(?:\s+ORDER\s+BY\s+(?P<order>\w+)(?:\s+ASC)?)?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_OPS = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "=": lambda a, b: a == b,
}


def unauthorized(why: str) -> object:
    return [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]


def _error(code: str, message: str, status: int = 400) -> Reply:
    return Reply(status, [{"message": message, "errorCode": code}])


def _datetime(text: str) -> datetime:
    value = text.strip().replace("+0000", "Z").replace("+00:00", "Z")
    if not value.endswith("Z"):
        raise ValueError(text)
    return datetime.fromisoformat(value[:-1])


def rest_value(name: str, text: str | None) -> object:
    """The Bulk CSV text of a field as the REST API's JSON writes it."""
    if text is None or text == "":
        return None
    if name in BOOLEAN_FIELDS and text in ("true", "false"):
        return text == "true"
    if name in NUMBER_FIELDS:
        try:
            return Decimal(text)
        except InvalidOperation:
            return text
    if name in DATETIME_FIELDS and text.endswith("Z"):
        return text[:-1] + "+0000"
    return text


def _run_query(exchange: Exchange, soql: str, include_deleted: bool) -> list[dict]:
    match = _SOQL.match(soql)
    if not match:
        raise BadRequest(f"unexpected token in query: {soql[:80]}")
    spec = _SPECS.get(match["object"])
    if spec is None:
        raise BadRequest(f"sObject type '{match['object']}' is not supported")
    known = {f.source for f in spec.fields}
    fields = [f.strip() for f in match["fields"].split(",")]
    unknown = [f for f in [*fields, match["field"], match["order"]] if f and f not in known]
    if unknown:
        raise BadRequest(f"No such column '{unknown[0]}' on entity '{spec.object}'")
    records = [r.data for r in exchange.dataset.records("crm", spec.object)]
    if not include_deleted and "IsDeleted" in known:
        records = [r for r in records if r.get("IsDeleted") != "true"]
    if match["field"]:
        try:
            bound = _datetime(match["value"])
        except ValueError:
            raise BadRequest(f"value of filter criterion for field '{match['field']}' must be a datetime") from None
        test = _OPS[match["op"]]
        records = [r for r in records if r.get(match["field"]) and test(_datetime(r[match["field"]]), bound)]
    if match["order"]:
        records.sort(key=lambda r: r.get(match["order"]) or "")
    return [
        {
            "attributes": {"type": spec.object, "url": f"/services/data/v60.0/sobjects/{spec.object}/{r['Id']}"},
            **{f: rest_value(f, r.get(f)) for f in fields},
        }
        for r in records
    ]


def _page(exchange: Exchange, version_path: str, locator: str, offset: int) -> Reply:
    results, batch = exchange.state["locators"].get(locator, (None, 0))
    if results is None:
        return _error("INVALID_QUERY_LOCATOR", "invalid query locator")
    page = results[offset : offset + batch]
    end = offset + len(page)
    body: dict[str, object] = {"totalSize": len(results), "done": end >= len(results), "records": page}
    if end < len(results):
        body["nextRecordsUrl"] = f"{version_path}/query/{locator}-{end}"
    else:
        exchange.state["locators"].pop(locator, None)
    return Reply(200, body, records=len(page))


def handle(exchange: Exchange) -> Reply:
    match = _PATH.match(exchange.path)
    if exchange.method != "GET" or not match:
        return _error("NOT_FOUND", "The requested resource does not exist", 404)
    version_path = exchange.path.split("/query")[0]
    exchange.state.setdefault("locators", {})
    if match[2]:
        return _page(exchange, version_path, match[2], int(match[3]))
    soql = exchange.arg("q")
    if not soql:
        return _error("MALFORMED_QUERY", "missing q")
    options = exchange.headers.get("Sforce-Query-Options") or ""
    batch = DEFAULT_BATCH
    if m := re.search(r"batchSize=(\d+)", options):
        batch = max(1, min(int(m[1]), DEFAULT_BATCH))
    try:
        results = _run_query(exchange, soql, include_deleted=match[1] == "queryAll")
    except BadRequest as exc:
        return _error("MALFORMED_QUERY", str(exc))
    locator = uuid.uuid4().hex[:15]
    exchange.state["locators"][locator] = (results, batch)
    return _page(exchange, version_path, locator, 0)
