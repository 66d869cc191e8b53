"""PSA: Harvest API v2 list endpoints, ``Authorization: Bearer`` plus ``Harvest-Account-Id``,
pages followed through ``links.next``, incremental with ``updated_since``. Records are kept
exactly as the endpoints return them (the JSONL extract contract)."""

from __future__ import annotations

from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.paginators import JSONLinkPaginator

from ingestion.api.batch_writer import ObjectRows
from ingestion.api.config import ApiConfig
from ingestion.api.cursors import SystemState
from ingestion.api.stamps import iso_mark
from ingestion.sources.psa.objects import OBJECTS


def extract(client: RESTClient, config: ApiConfig, state: SystemState, full: bool) -> list[ObjectRows]:
    out = []
    for spec in OBJECTS:
        cursor = state.cursor(spec.object)
        params: dict[str, object] = {"per_page": config.page_size}
        if not full and cursor.mark:
            params["updated_since"] = f"{cursor.mark}Z"
        pages = client.paginate(
            f"/v2/{spec.object}",
            params=params,
            paginator=JSONLinkPaginator(next_url_path="links.next"),
            data_selector=spec.object,
        )
        records = ((str(r["id"]), iso_mark(r.get("updated_at")), r) for page in pages for r in page)
        out.append(ObjectRows(spec, cursor.keep_changed(records)))
    return out
