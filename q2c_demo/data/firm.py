"""The clean baseline firm: consultants, customers, engagements and their pipeline."""

from __future__ import annotations

from datetime import date, timedelta

from .records import Rec
from .world import World, add_months, at

MIN_CUSTOMERS = 40  # below this, not every rule clause finds enough untouched subjects


def build_firm(world: World) -> None:
    world.build_products()
    world.build_users(max(12, round(world.n_customers * 1.6)))
    rng = world.stream("customers")
    window = (world.as_of - world.start).days
    for n in range(world.n_customers):
        customer = world.add_customer(rng)
        n_eng = 1 + int(rng.random() < 0.4) + int(rng.random() < 0.1)
        for k in range(n_eng):
            start = world.start + timedelta(days=int(rng.random() * 0.75 * window))
            if n == 0 and k == 0:
                start = world.start  # someone has worked since the first day (old-time cases need it)
            start = min(start, world.as_of - timedelta(days=35))
            duration = max(45, int(rng.uniform(0.25, 0.9) * window))
            end = start + timedelta(days=duration)
            fixed_fee = bool(rng.random() < 0.3) and not (n == 0 and k == 0)
            rate_change = None
            if not fixed_fee and (rng.random() < 0.35 or (n == 0 and k == 0)):
                first = add_months(date(start.year, start.month, 1), 1)
                if first < start + timedelta(days=15):
                    first = add_months(first, 1)
                last = min(end, world.as_of) - timedelta(days=20)
                if first <= last:
                    months = (last.year - first.year) * 12 + last.month - first.month
                    rate_change = add_months(first, int(rng.integers(0, months + 1)))
            world.add_engagement(customer, rng, fixed_fee=fixed_fee, start=start, end=end, rate_change=rate_change)
        if rng.random() < 0.3:
            add_pipeline_opportunity(world, customer, rng, won_lost="open")
        if rng.random() < 0.15:
            add_pipeline_opportunity(world, customer, rng, won_lost="lost")
    # A few accounts sit under a parent account (no rule looks at hierarchy).
    for child, parent in zip(world.customers[3::17], world.customers[1::17]):
        if child is not parent:
            child.account.data["ParentId"] = parent.account_id


def add_pipeline_opportunity(world: World, customer, rng, won_lost: str) -> Rec:
    close = world.as_of + timedelta(days=int(rng.integers(10, 90))) if won_lost == "open" else \
        world.as_of - timedelta(days=int(rng.integers(10, 200)))
    created = at(min(close, world.as_of) - timedelta(days=40), 12)
    rec = Rec({
        "Id": world.sf.new("006"), "AccountId": customer.account_id, "Name": f"{customer.name.split(' ')[0]} Phase 2",
        "StageName": "Proposal/Price Quote" if won_lost == "open" else "Closed Lost",
        "IsClosed": won_lost != "open", "IsWon": False, "CloseDate": close,
        "Amount": None, "CurrencyIsoCode": customer.currency, "Type": "New Business",
        "Billing_Type__c": "Time and Materials", "Not_To_Exceed__c": None, "PSA_Project_Code__c": None,
        "IsDeleted": False,
    }, created, "LastModifiedDate")
    from decimal import Decimal
    rec.data["Amount"] = Decimal(int(rng.integers(20, 200)) * 1000)
    world.orphan_opportunities.append(rec)
    return rec
