"""ERP: NetSuite SuiteQL over REST, ``POST /services/rest/query/v1/suiteql`` with
``limit``/``offset`` until ``hasMore`` is false.

SuiteQL returns every value as text in the account's formats (``T``/``F``, ``M/D/YYYY``),
and leaves out the columns that are empty: those become empty CSV fields. Incremental on
``lastmodifieddate``; tables that do not carry it in the extract contract are filtered on
the change stamp NetSuite keeps for them (``transactionline.linelastmodifieddate``,
``lastmodifieddate`` otherwise), which is selected for the filter but not written.
"""

from __future__ import annotations

from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.paginators import OffsetPaginator

from ingestion.api.batch_writer import ObjectRows
from ingestion.api.config import ApiConfig
from ingestion.api.cursors import SystemState
from ingestion.api.stamps import netsuite_mark
from ingestion.sources.erp.objects import OBJECTS
from ingestion.sources.spec import ObjectSpec

QUERY_PATH = "/services/rest/query/v1/suiteql"


def stamp_column(spec: ObjectSpec) -> str:
    return "linelastmodifieddate" if spec.table == "transactionline" else "lastmodifieddate"


def suiteql(spec: ObjectSpec, mark: str | None) -> str:
    columns = [f.source for f in spec.fields]
    stamp = stamp_column(spec)
    if stamp not in columns:
        columns.append(stamp)
    query = f"SELECT {', '.join(columns)} FROM {spec.table}"
    if mark:
        query += f" WHERE {stamp} >= TO_TIMESTAMP('{mark.replace('T', ' ')}', 'YYYY-MM-DD HH24:MI:SS')"
    return query + f" ORDER BY {', '.join(spec.primary_key)}"


def extract(client: RESTClient, config: ApiConfig, state: SystemState, full: bool) -> list[ObjectRows]:
    out = []
    for spec in OBJECTS:
        cursor = state.cursor(spec.object)
        stamp = stamp_column(spec)
        pages = client.paginate(
            QUERY_PATH,
            method="POST",
            json={"q": suiteql(spec, None if full else cursor.mark)},
            headers={"Prefer": "transient"},
            paginator=OffsetPaginator(limit=config.page_size, total_path=None, has_more_path="hasMore"),
            data_selector="items",
        )
        records = (
            (
                "|".join(str(item.get(k, "")) for k in spec.primary_key),
                netsuite_mark(item.get(stamp)),
                [_text(item.get(f.source)) for f in spec.fields],
            )
            for page in pages
            for item in page
        )
        out.append(ObjectRows(spec, cursor.keep_changed(records)))
    return out


def _text(value: object) -> str:
    return "" if value is None else str(value)
