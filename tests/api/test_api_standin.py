"""The stand-ins speak each API's own protocol: auth, pagination and incremental filters,
checked with plain HTTP requests."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from q2c_demo.api_standin import StandinDataset, StandinServers


@pytest.fixture(scope="module")
def servers(demo_source: Path):
    with StandinServers(StandinDataset.from_landing(demo_source)) as running:
        yield running


def _get(servers: StandinServers, system: str, path: str, **kwargs) -> requests.Response:
    headers = {"Authorization": f"Bearer {servers.token(system)}", **kwargs.pop("headers", {})}
    return requests.get(servers.base_url(system) + path, headers=headers, timeout=10, **kwargs)


def test_every_api_refuses_a_missing_or_wrong_token(servers: StandinServers) -> None:
    paths = {
        "crm": "/services/data/v60.0/query?q=SELECT+Id+FROM+Account",
        "psa": "/v2/clients",
        "erp": "/services/rest/query/v1/suiteql",
        "billing": "/v1/customers",
    }
    for system, path in paths.items():
        assert requests.get(servers.base_url(system) + path, timeout=10).status_code == 401
        wrong = {"Authorization": "Bearer nope"}
        assert requests.get(servers.base_url(system) + path, headers=wrong, timeout=10).status_code == 401
    # Harvest also needs the account id
    assert _get(servers, "psa", "/v2/clients").status_code == 401


def test_salesforce_query_pages_and_query_all_includes_deleted(servers: StandinServers) -> None:
    soql = "SELECT Id, IsDeleted, SystemModstamp FROM Account"
    live = _get(servers, "crm", "/services/data/v60.0/query", params={"q": soql}).json()
    seen, page = (
        [],
        _get(
            servers,
            "crm",
            "/services/data/v60.0/queryAll",
            params={"q": soql},
            headers={"Sforce-Query-Options": "batchSize=25"},
        ).json(),
    )
    while True:
        seen += page["records"]
        if page["done"]:
            break
        page = _get(servers, "crm", page["nextRecordsUrl"]).json()
    deleted = [r for r in seen if r["IsDeleted"] is True]
    assert len(seen) == servers.dataset.count("crm", "Account") == live["totalSize"] + len(deleted)
    assert deleted and all(r["SystemModstamp"].endswith(".000+0000") for r in seen)
    newest = max(r["SystemModstamp"] for r in seen).replace(".000+0000", "Z")
    since = _get(
        servers, "crm", "/services/data/v60.0/queryAll", params={"q": f"{soql} WHERE SystemModstamp >= {newest}"}
    ).json()
    assert 1 <= since["totalSize"] < len(seen)
    bad = _get(servers, "crm", "/services/data/v60.0/query", params={"q": "SELECT Nope FROM Account"})
    assert bad.status_code == 400 and bad.json()[0]["errorCode"] == "MALFORMED_QUERY"


def test_harvest_follows_links_next_and_filters_updated_since(servers: StandinServers) -> None:
    account = {"Harvest-Account-Id": servers.systems["psa"].account_id}
    body = _get(servers, "psa", "/v2/time_entries", params={"per_page": 1000}, headers=account).json()
    total, entries = body["total_entries"], list(body["time_entries"])
    while body["links"]["next"]:
        body = requests.get(
            body["links"]["next"], headers={"Authorization": f"Bearer {servers.token('psa')}", **account}, timeout=10
        ).json()
        entries += body["time_entries"]
    assert body["total_pages"] > 1 and len(entries) == total == servers.dataset.count("psa", "time_entries")
    newest = max(e["updated_at"] for e in entries)
    recent = _get(servers, "psa", "/v2/time_entries", params={"updated_since": newest}, headers=account).json()
    assert recent["time_entries"] and all(e["updated_at"] >= newest for e in recent["time_entries"])


def test_netsuite_suiteql_pages_with_has_more_and_omits_empty_columns(servers: StandinServers) -> None:
    url = servers.base_url("erp") + "/services/rest/query/v1/suiteql"
    auth = {"Authorization": f"Bearer {servers.token('erp')}"}
    query = {"q": "SELECT id, job, memo FROM transaction ORDER BY id"}
    assert requests.post(url, json=query, headers=auth, timeout=10).status_code == 400  # Prefer: transient
    headers = {**auth, "Prefer": "transient"}
    items, offset = [], 0
    while True:
        body = requests.post(
            url, params={"limit": 100, "offset": offset}, json=query, headers=headers, timeout=10
        ).json()
        items += body["items"]
        if not body["hasMore"]:
            break
        offset += 100
    assert len(items) == servers.dataset.count("erp", "transaction") > 100
    assert [int(i["id"]) for i in items] == sorted(int(i["id"]) for i in items)
    assert any("job" not in i for i in items)  # payments have no job: the column is left out


def test_stripe_lists_newest_first_with_starting_after_and_serves_events(servers: StandinServers) -> None:
    first = _get(servers, "billing", "/v1/invoices", params={"limit": 5}).json()
    second = _get(
        servers, "billing", "/v1/invoices", params={"limit": 5, "starting_after": first["data"][-1]["id"]}
    ).json()
    page = first["data"] + second["data"]
    assert first["has_more"] and len({i["id"] for i in page}) == 10
    assert [i["created"] for i in page] == sorted((i["created"] for i in page), reverse=True)
    one = _get(servers, "billing", f"/v1/invoices/{page[0]['id']}").json()
    assert one["id"] == page[0]["id"] and one["lines"]["data"]
    assert _get(servers, "billing", "/v1/invoices/in_missing").status_code == 404
    events = _get(servers, "billing", "/v1/events", params={"types[]": "invoice.updated", "limit": 100}).json()
    assert events["data"] and {e["type"] for e in events["data"]} == {"invoice.updated"}
    newest = max(e["created"] for e in events["data"])
    later = _get(servers, "billing", "/v1/events", params={"created[gt]": newest}).json()
    assert later["data"] == []
