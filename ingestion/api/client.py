"""A dlt ``RESTClient`` per system, on the retrying, exact-decimal :class:`ApiSession`."""

from __future__ import annotations

from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.auth import BearerTokenAuth

from ingestion.api.config import ApiConfig
from ingestion.api.transport import ApiSession


def make_client(config: ApiConfig, session: ApiSession | None = None) -> RESTClient:
    session = session or ApiSession(config)
    headers = {"Harvest-Account-Id": config.account_id} if config.system == "psa" else None
    return RESTClient(base_url=config.base_url, headers=headers, auth=BearerTokenAuth(config.token), session=session)
