"""A whole engagement across the four systems, consistent unless a scenario breaks it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tests.scenarios.extract_builder import World

OLD_CLOSE = date(2025, 6, 15)


@dataclass
class Engagement:
    n: int
    code: str
    currency: str
    account_id: str
    opportunity_id: str
    erp_customer_id: int
    job_id: int
    billing_customer_id: str
    client: dict[str, Any]
    project: dict[str, Any]


class Products:
    """Product2 rows are shared: one per role name."""

    def __init__(self, world: World):
        self.world = world
        self.ids: dict[str, tuple[str, str]] = {}

    def get(self, role: str) -> tuple[str, str]:
        if role not in self.ids:
            code = "".join(w[:4] for w in role.upper().split())
            self.ids[role] = (self.world.product(len(self.ids) + 1, role, code), code)
        return self.ids[role]


def engagement(
    w: World,
    products: Products,
    n: int,
    *,
    currency: str = "USD",
    rates: list[tuple[str, str, date, date | None]] = (),
    fixed_fee: bool = False,
    psa_fixed_fee: bool | None = None,
    erp_fixed_fee: bool | None = None,
    client_currency: str | None = None,
    starts: date | None = date(2025, 1, 1),
    ends: date | None = None,
    project_active: bool = True,
    billable: bool = True,
    amount: str = "500000.00",
    nte: str | None = None,
) -> Engagement:
    """rates: (role name, unit price, effective from, effective to inclusive)."""
    code = f"ENG-{n}"
    acc = w.account(n, f"Client {n}", currency=currency, erp_id=3000 + n)
    opp = w.opportunity(n, acc, code, close=OLD_CLOSE, currency=currency, fixed_fee=fixed_fee, amount=amount, nte=nte)
    for i, (role, price, start, end) in enumerate(rates):
        pid, pcode = products.get(role)
        w.rate_line(n * 100 + i, opp, pid, pcode, price, start, end)
    w.erp_customer(
        3000 + n,
        f"Client {n}",
        acc,
        currency=currency if currency in ("USD", "EUR", "GBP", "JPY", "BHD", "AUD") else "USD",
    )
    w.job(
        4000 + n,
        3000 + n,
        code,
        fixed_fee=fixed_fee if erp_fixed_fee is None else erp_fixed_fee,
        start=starts,
        end=ends,
    )
    cus = w.billing_customer(f"cus_eng{n:05d}", f"Client {n}", crm=acc, erp=str(3000 + n), currency=currency.lower())
    client = w.client(2000 + n, f"Client {n}", client_currency or currency)
    project = w.project(
        1000 + n,
        client,
        code,
        fixed_fee=fixed_fee if psa_fixed_fee is None else psa_fixed_fee,
        starts=starts,
        ends=ends,
        active=project_active,
        billable=billable,
    )
    return Engagement(n, code, currency, acc, opp, 3000 + n, 4000 + n, cus, client, project)
