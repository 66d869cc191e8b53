"""CRM: Salesforce REST ``queryAll`` (SOQL), paged through ``nextRecordsUrl``.

``queryAll`` rather than ``query`` so soft-deleted records arrive with ``IsDeleted = true``,
as the Bulk API export of the extract contract has them. JSON values are turned into the
Bulk CSV text: ``true``/``false``, ISO datetimes with milliseconds and ``Z``, exact decimals.
Incremental on ``SystemModstamp`` (``Product2`` in the contract has only ``LastModifiedDate``).
"""

from __future__ import annotations

import re
from decimal import Decimal

from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.paginators import JSONLinkPaginator

from ingestion.api import jsontext
from ingestion.api.batch_writer import ObjectRows
from ingestion.api.config import ApiConfig
from ingestion.api.cursors import SystemState
from ingestion.api.stamps import iso_mark
from ingestion.sources.crm.objects import OBJECTS
from ingestion.sources.spec import ObjectSpec

API_VERSION = "v60.0"
QUERY_PATH = f"/services/data/{API_VERSION}/queryAll"
_REST_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})\+0000$")


def stamp_field(spec: ObjectSpec) -> str:
    sources = {f.source for f in spec.fields}
    return "SystemModstamp" if "SystemModstamp" in sources else "LastModifiedDate"


def soql(spec: ObjectSpec, mark: str | None) -> str:
    query = f"SELECT {', '.join(f.source for f in spec.fields)} FROM {spec.object}"
    if mark:
        query += f" WHERE {stamp_field(spec)} >= {mark}Z"
    return query + " ORDER BY Id"


def bulk_text(value: object) -> str:
    """A REST JSON value as the Bulk API CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return jsontext.decimal_text(value)
    if isinstance(value, str):
        match = _REST_DATETIME.match(value)
        return f"{match.group(1)}Z" if match else value
    return str(value)


def extract(client: RESTClient, config: ApiConfig, state: SystemState, full: bool) -> list[ObjectRows]:
    out = []
    for spec in OBJECTS:
        cursor = state.cursor(spec.object)
        stamp = stamp_field(spec)
        pages = client.paginate(
            QUERY_PATH,
            params={"q": soql(spec, None if full else cursor.mark)},
            headers={"Sforce-Query-Options": f"batchSize={config.page_size}"},
            paginator=JSONLinkPaginator(next_url_path="nextRecordsUrl"),
            data_selector="records",
        )
        records = (
            (r["Id"], iso_mark(r.get(stamp)), [bulk_text(r.get(f.source)) for f in spec.fields])
            for page in pages
            for r in page
        )
        out.append(ObjectRows(spec, cursor.keep_changed(records)))
    return out
