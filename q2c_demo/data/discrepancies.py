"""The catalogue's discrepancies, one small function per rule, each recording its ground truth.

Every function injects ``count(...)`` cases (at least two per clause, so a tiny generation
still covers every clause) plus near-misses a correct rule must not flag. A case touches
subjects nobody else touched (see ``World.claim``) so that it fires exactly the rules it
records, and picks its numbers so the clean baseline around it stays clean.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import islice

import numpy as np

from .invoicing import Invoice, add_credit, add_payment, new_invoice
from .reference import CURRENCIES, ENTITIES, ROLES
from .timesheets import APPROVED, NEVER, SUBMITTED, TASK_INTERNAL, UNSUBMITTED, add_expense, epoch
from .world import Customer, Engagement, World, at, day_index, from_day_index, round_minor

MIN_PER_CLAUSE = 2


def count(world: World, rate: float, clauses: int = 1) -> int:
    return max(MIN_PER_CLAUSE * clauses, round(rate * world.n_customers))


def clause_plan(world: World, rate: float, clauses: list[str]) -> list[str]:
    n = count(world, rate, len(clauses))
    return [clauses[i % len(clauses)] for i in range(n)]


# -- selection helpers ----------------------------------------------------------------------

def _rng(world: World, rule: str) -> np.random.Generator:
    return world.stream("inject-" + rule)


def _shuffled(rng: np.random.Generator, items: list):
    """Items in random order, lazily: a few cheap random draws first, then a full permutation."""
    seen = set()
    if len(items) > 64:
        for i in rng.integers(0, len(items), size=64).tolist():
            if i not in seen:
                seen.add(i)
                yield items[i]
    for i in rng.permutation(len(items)).tolist():
        if i not in seen:
            yield items[i]


def _entry_claims(world: World) -> np.ndarray:
    te = world.time
    claims = getattr(world, "_entry_claims", None)
    if claims is None or len(claims) < len(te):
        new = np.zeros(len(te), np.bool_)
        if claims is not None:
            new[:len(claims)] = claims
        claims = new
        world._entry_claims = claims
    return claims


def take_entries(world: World, rng: np.random.Generator, n: int, mask: np.ndarray) -> list[int]:
    """Unclaimed time-entry rows matching ``mask`` on unclaimed engagements, at most one per engagement."""
    claims = _entry_claims(world)
    eng_free = np.array([not world.is_claimed("eng", e.idx) for e in world.engagements], np.bool_)
    engs = world.time["eng"]
    if len(mask) < len(engs):  # rows appended since the mask was computed are never candidates
        mask = np.concatenate([mask, np.zeros(len(engs) - len(mask), np.bool_)])
    rows = np.nonzero(mask & ~claims[:len(mask)] & eng_free[engs])[0]
    picked, seen = [], set()
    if len(rows) == 0:
        return []
    # Random draws with replacement, deduplicated in order: cheap on a million rows.
    draws = rows[rng.integers(0, len(rows), size=min(len(rows) * 4, n * 40 + 200))]
    if len(rows) <= n * 10:
        draws = rng.permutation(rows)
    for r in draws.tolist():
        e = int(world.time["eng"][r])
        if e in seen:
            continue
        seen.add(e)
        picked.append(r)
        if len(picked) == n:
            break
    for r in picked:
        claims[r] = True
    return sorted(picked)


def tm_mask(world: World) -> np.ndarray:
    fixed = np.array([e.fixed_fee for e in world.engagements], np.bool_)
    te = world.time
    return ~fixed[te["eng"]] & te["billable"]


def ages(world: World) -> np.ndarray:
    return day_index(world.as_of) - world.time["day"]


def take_customers(world: World, rng: np.random.Generator, n: int, pred=None) -> list[Customer]:
    """Untouched customers; without a predicate, new ones are signed up when the book runs out."""
    out = []
    for c in _shuffled(rng, world.customers):
        if len(out) == n:
            break
        if (not world.is_claimed("customer", c.idx) and c.erp is not None and c.billing is not None
                and (pred is None or pred(c))):
            world.claim("customer", c.idx)
            out.append(c)
    while pred is None and len(out) < n:
        c = world.add_customer(rng, created=world.as_of - timedelta(days=200))
        world.claim("customer", c.idx)
        out.append(c)
    return out


def take_engagement(world: World, rng: np.random.Generator, pred) -> Engagement | None:
    for e in _shuffled(rng, world.engagements):
        if not world.is_claimed("eng", e.idx) and not world.is_claimed("docs", e.customer.idx) and pred(e):
            world.claim("eng", e.idx)
            return e
    return None


def take_invoices(world: World, rng: np.random.Generator, n: int, pred) -> list[Invoice]:
    out = []
    for inv in _shuffled(rng, world.invoices):
        if len(out) == n:
            break
        if (inv.billing_present and inv.erp is not None and not world.is_claimed("invoice", inv.id)
                and not world.is_claimed("eng", inv.engagement.idx)
                and not world.is_claimed("docs", inv.customer.idx) and pred(inv)):
            world.claim("invoice", inv.id)
            out.append(inv)
    return out


def is_open_unpaid(inv: Invoice) -> bool:
    return (inv.finalized is not None and inv.void_ts is None and inv.uncollectible_ts is None
            and not inv.payments and not inv.credits)


def is_fully_paid(world: World, inv: Invoice) -> bool:
    return (inv.finalized is not None and inv.void_ts is None and not inv.credits and len(inv.payments) == 1
            and inv.payments[0].fraction is None and inv.payments[0].charge_id is not None
            and inv.payments[0].erp_id is not None
            and (world.as_of - inv.payments[0].ts.date()).days > 5)


def take_open_invoices(world: World, rng: np.random.Generator, n: int) -> list[Invoice]:
    """Open, unpaid, uncredited invoices; ad-hoc ones are raised when the month-end runs are too few."""
    # Finalised three weeks ago or more: injected payments and credits come after it (from D-20 on).
    out = take_invoices(world, rng, n, lambda i: is_open_unpaid(i) and i.currency != "JPY"
                        and i.finalized < at(world.as_of - timedelta(days=21), 0))
    while len(out) < n:
        eng = host_engagement(world, rng)
        out.append(adhoc_invoice(world, eng, world.as_of - timedelta(days=20)))
        world.claim("invoice", out[-1].id)
    return out


def host_engagement(world: World, rng: np.random.Generator, pred=lambda e: True) -> Engagement:
    """A T&M engagement to raise an extra one-line invoice on (shared: such invoices are independent)."""
    for e in _shuffled(rng, world.engagements):
        if (not e.fixed_fee and e.currency != "JPY" and e.project is not None and e.job is not None
                and e.start < world.as_of - timedelta(days=30) and not world.is_claimed("eng", e.idx)
                and not world.is_claimed("docs", e.customer.idx) and pred(e)):
            return e
    raise RuntimeError("no engagement left to host an injected invoice; raise MIN_CUSTOMERS")


def adhoc_invoice(world: World, eng: Engagement, day: date, *, with_erp: bool = True, finalized: bool = True,
                  hour: int = 1) -> Invoice:
    """A one-line invoice without a role (an advisory retainer): outside every per-role rule."""
    exp = CURRENCIES[eng.currency].exponent
    unit = int((Decimal(4000) * CURRENCIES[eng.currency].per_usd).scaleb(exp))
    ts = at(day, hour)
    return new_invoice(world, eng, [(None, "Advisory retainer", Decimal(1), unit, day, day, "Retainer")],
                       ts - timedelta(minutes=10), ts if finalized else None, day, day, "adhoc", with_erp=with_erp)


def add_entry(world: World, eng: Engagement, user_idx: int, day: date, *, status: int = APPROVED,
              billable: bool = True, rate: int | None | str = "contract", hours_q: int = 24) -> int:
    """Append one time entry (never billed) and return its row."""
    user = world.users[user_idx]
    if rate == "contract":
        period = eng.rate_on(user.role.name, day)
        rate = int(period.unit.scaleb(CURRENCIES[eng.currency].exponent)) if period else None
    created = world.clamp(at(day, 18))
    sub = world.clamp(created + timedelta(days=1)) if status >= SUBMITTED else None
    appr = world.clamp(created + timedelta(days=2)) if status == APPROVED else None
    world.assign(eng, user_idx, world.clamp(at(eng.start, 9)))
    row = world.time.append(eng=eng.idx, user=user_idx, day=day_index(day), hq=hours_q, billable=billable,
                            rate=-1 if rate is None or not billable else rate, status=status, created=epoch(created),
                            sub_ts=epoch(sub) if sub else NEVER, appr_ts=epoch(appr) if appr else NEVER,
                            task=0 if billable else TASK_INTERNAL)
    _entry_claims(world)[row] = True
    return row


def entry_id(world: World, row: int) -> int:
    return int(world.time["id"][row])


def fresh_customer(world: World, rng: np.random.Generator, *, with_erp: bool = True, with_billing: bool = True,
                   close_days_ago: int = 40, with_project: bool = True, with_job: bool = True) -> Customer:
    """A new account with one won fixed-fee engagement and no documents yet (added after billing)."""
    c = world.add_customer(rng, created=world.as_of - timedelta(days=close_days_ago + 30), with_erp=with_erp,
                           with_billing=with_billing)
    world.claim("customer", c.idx)
    close = world.as_of - timedelta(days=close_days_ago)
    eng = world.add_engagement(c, rng, fixed_fee=True, start=close + timedelta(days=5),
                               end=close + timedelta(days=120), close_date=close, with_project=with_project,
                               with_job=with_job)
    world.claim("eng", eng.idx)
    return c


def fresh_engagement(world: World, rng: np.random.Generator, *, fixed_fee: bool, close_days_ago: int,
                     with_project: bool = True, with_job: bool = True, project_active: bool = True) -> Engagement:
    customer = take_customers(world, rng, 1)[0]
    close = world.as_of - timedelta(days=close_days_ago)
    eng = world.add_engagement(customer, rng, fixed_fee=fixed_fee, start=close + timedelta(days=3),
                               end=world.as_of + timedelta(days=90), close_date=close, with_project=with_project,
                               with_job=with_job, project_active=project_active)
    world.claim("eng", eng.idx)
    return eng


def _other_currency(code: str) -> str:
    return {"USD": "EUR", "EUR": "GBP", "GBP": "USD"}.get(code, "USD")


# == before billing: what never reaches an invoice ============================================

def inject_before_billing(world: World, rate: float) -> None:
    unb_01(world, rate)
    unb_03(world, rate)
    unb_04(world, rate)


def unb_01(world: World, rate: float) -> None:
    """Approved billable T&M time, no invoice, older than 30 days (one case per aging bucket)."""
    rng, te = _rng(world, "UNB-01"), world.time
    base = tm_mask(world) & (te["status"] == APPROVED)
    age = ages(world)
    buckets = [(age > 30) & (age <= 60), (age > 60) & (age <= 90), age > 90]
    plan = clause_plan(world, rate, ["31-60", "61-90", "90+"])
    for i, (bucket, fallback_age) in enumerate((("31-60", 45), ("61-90", 75), ("90+", 91))):
        n = plan.count(bucket)
        rows = take_entries(world, rng, n, base & buckets[i])
        day = world.as_of - timedelta(days=fallback_age)
        host = _tm_engagement_on(world, day)
        while len(rows) < n and host is not None:  # short histories: log the old time explicitly
            rows.append(add_entry(world, host, host.team[0], day))
        for row in rows:
            te["skip_bill"][row] = True
            world.finding("UNB-01", "psa_time_entry", entry_id(world, row), f"approved, never invoiced ({bucket})")
    for row in take_entries(world, rng, 2, base & (age == 31)):
        te["skip_bill"][row] = True
        world.finding("UNB-01", "psa_time_entry", entry_id(world, row), "approved, never invoiced, 31 days old")
    for row in take_entries(world, rng, 2, base & (age == 30)):
        te["skip_bill"][row] = True
        world.near_miss("UNB-01", "psa_time_entry", entry_id(world, row), "uninvoiced but exactly 30 days old")


def unb_03(world: World, rate: float) -> None:
    """Billable time still unsubmitted or submitted more than 14 days after its date."""
    rng, te = _rng(world, "UNB-03"), world.time
    age = ages(world)
    base = tm_mask(world) & (te["status"] == APPROVED)
    plan = clause_plan(world, rate, ["unsubmitted", "submitted"])
    rows = take_entries(world, rng, 2, base & (age == 15)) + take_entries(
        world, rng, len(plan), base & (age > 15) & (age < 80))
    for k, row in enumerate(rows):
        status = (UNSUBMITTED, SUBMITTED)[k % 2]
        te["status"][row] = status
        te["appr_ts"][row] = NEVER
        if status == UNSUBMITTED:
            te["sub_ts"][row] = NEVER
        te["skip_bill"][row] = True
        world.finding("UNB-03", "psa_time_entry", entry_id(world, row),
                      f"still {('unsubmitted', 'submitted')[k % 2]} {int(age[row])} days after its date")
    for row in take_entries(world, rng, 2, base & (age == 14)):
        te["status"][row] = SUBMITTED
        te["appr_ts"][row] = NEVER
        te["skip_bill"][row] = True
        world.near_miss("UNB-03", "psa_time_entry", entry_id(world, row), "submitted, exactly 14 days old")
    nonbill = ~te["billable"] & (te["status"] == APPROVED) & (age > 20) & (age < 80)
    for row in take_entries(world, rng, 2, nonbill):
        te["status"][row] = UNSUBMITTED
        te["sub_ts"][row] = NEVER
        te["appr_ts"][row] = NEVER
        world.near_miss("UNB-03", "psa_time_entry", entry_id(world, row), "unsubmitted but not billable")


def unb_04(world: World, rate: float) -> None:
    """Approved billable expense not invoiced, older than 30 days."""
    rng = _rng(world, "UNB-04")
    pool = [r for r in world.expenses if r.data["billable"] and r.final()["approval_status"] == "approved"
            and not world.is_claimed("eng", r.data["engagement"])]
    old = [r for r in pool if (world.as_of - r.data["spent_date"]).days > 31]
    for r in list(islice(_shuffled(rng, old), count(world, rate))):
        r.set(skip_bill=True)
        world.claim("expense", r.data["id"])
        world.finding("UNB-04", "psa_expense", r.data["id"], "approved billable expense never invoiced")
    for days in (30, 30):
        eng = _active_tm_engagement(world, rng, world.as_of - timedelta(days=days))
        if eng is not None:
            rec = add_expense(world, eng, eng.team[0], world.as_of - timedelta(days=days), Decimal("123.45"), 0,
                              billable=True)
            rec.set(skip_bill=True)
            world.claim("expense", rec.data["id"])
            world.near_miss("UNB-04", "psa_expense", rec.data["id"], "uninvoiced, exactly 30 days old")


def _tm_engagement_on(world: World, day: date) -> Engagement | None:
    """Any T&M engagement running on ``day`` (old time on it touches no other rule)."""
    running = [e for e in world.engagements if not e.fixed_fee and e.project is not None and e.start <= day <= e.end
               and not world.is_claimed("docs", e.customer.idx)]
    free = [e for e in running if not world.is_claimed("eng", e.idx)]
    return (free or running or [None])[0]


def _active_tm_engagement(world: World, rng: np.random.Generator, day: date) -> Engagement | None:
    for e in _shuffled(rng, world.engagements):
        if (not e.fixed_fee and e.project is not None and e.start <= day <= e.end and day < world.as_of
                and not world.is_claimed("eng", e.idx) and not world.is_claimed("docs", e.customer.idx)):
            return e
    return None


# == after billing =============================================================================

def inject_after_billing(world: World, rate: float) -> None:
    for fn in (acc_01, acc_02, acc_03, acc_04, acc_05, acc_06, rate_04, rate_05, book_01, book_02,
               rate_01, rate_03, unb_02, rate_02, unb_05,
               inv_01, inv_02, inv_03, inv_04, inv_05, inv_06, inv_07, inv_08, inv_09):
        fn(world, rate)


# -- ACC --------------------------------------------------------------------------------------

def acc_01(world: World, rate: float) -> None:
    """Live account with a won deal closed > G days ago and no ERP customer at all."""
    rng = _rng(world, "ACC-01")
    for _ in range(count(world, rate)):
        c = fresh_customer(world, rng, with_erp=False)
        world.finding("ACC-01", "crm_account", c.account_id, "won deal, no ERP customer (job exists, customer purged)")
    c = fresh_customer(world, rng, with_erp=False, with_billing=False, close_days_ago=2, with_job=False)
    world.near_miss("ACC-01", "crm_account", c.account_id, "deal closed exactly G days ago")
    world.near_miss("ACC-02", "crm_account", c.account_id, "deal closed exactly G days ago")
    world.near_miss("BOOK-02", "crm_opportunity", c.engagements[0].opp_id, "deal closed exactly G days ago")
    c = fresh_customer(world, rng)
    c.erp.change(at(world.as_of - timedelta(days=20), 9), isinactive=True)
    world.near_miss("ACC-01", "crm_account", c.account_id, "ERP customer exists but is inactive")
    world.near_miss("ACC-05", "erp_customer", c.erp_id, "inactive, no open invoices, no time")
    c = fresh_customer(world, rng, with_erp=False, with_billing=False)
    master = fresh_customer(world, rng)
    c.account.change(at(world.as_of - timedelta(days=15), 11), MasterRecordId=master.account_id, IsDeleted=True)
    world.near_miss("ACC-01", "crm_account", c.account_id, "merged account without downstream customers")
    world.near_miss("ACC-02", "crm_account", c.account_id, "merged account without downstream customers")


def acc_02(world: World, rate: float) -> None:
    """The same for billing: no live billing customer for the account."""
    rng = _rng(world, "ACC-02")
    for k, _ in enumerate(range(count(world, rate, 2))):
        if k % 2 == 0:
            c = fresh_customer(world, rng, with_billing=False)
            note = "won deal, no billing customer"
        else:
            c = fresh_customer(world, rng)
            c.billing.change(at(world.as_of - timedelta(days=12), 8), deleted=True)
            note = "won deal, its only billing customer is deleted"
        world.finding("ACC-02", "crm_account", c.account_id, note)


def _name_variant(name: str, k: int) -> str:
    import unicodedata
    words = name.split(" ")
    if k == 0:
        return " ".join(words[:-1]).upper()  # legal suffix dropped, upper case
    if k == 1:
        return " ".join(words[:-1]) + ", " + words[-1].rstrip(".")  # comma before the suffix
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    return plain.replace(" ", "  ", 1)  # accents stripped, doubled space


def acc_03(world: World, rate: float) -> None:
    """Account and its ERP / billing customer disagree on one attribute."""
    rng = _rng(world, "ACC-03")
    attrs = ["name", "currency", "country", "tax_id", "legal_entity"]
    plan = clause_plan(world, rate, attrs)
    customers = take_customers(world, rng, len(plan), lambda c: c.currency != "JPY")
    when = at(world.as_of - timedelta(days=30), 9)
    for k, (attr, c) in enumerate(zip(plan, customers)):
        side = "erp" if (k // len(attrs)) % 2 == 0 or attr == "legal_entity" else "billing"
        erp, bill = c.erp, c.billing
        if attr == "name":
            other = world.new_company_name(c.country, rng)
            if side == "erp":
                erp.set(companyname=other, entityid=other)
            else:
                bill.set(name=other)
        elif attr == "currency":
            other = _other_currency(c.currency)
            if side == "erp":
                erp.set(currency=CURRENCIES[other].erp_id)
            else:
                bill.set(currency=other)
        elif attr == "country":
            if side == "erp":
                erp.set(billcountry="CH")
            else:
                bill.set(address={**bill.data["address"], "country": "CH"})
        elif attr == "tax_id":
            changed = c.tax_id[:-1] + ("7" if c.tax_id[-1] != "7" else "3")
            if side == "erp":
                erp.set(vatregnumber=changed)
            else:
                bill.set(tax_ids=[(bill.data["tax_ids"][0][0], changed)])
        else:
            other = next(e for e in ENTITIES if e.erp_id != c.entity.erp_id)
            c.account.change(when, Legal_Entity__c=other.legal_name)
        world.finding("ACC-03", "crm_account", c.account_id, f"{attr} differs in {side}", attribute=attr)
    for k, c in enumerate(take_customers(world, rng, 3, lambda c: c.country not in ("JP",))):
        variant = _name_variant(c.name, k)
        if k == 2:
            c.billing.set(name=variant)
        else:
            c.erp.set(companyname=variant, entityid=variant)
        c.billing.set(currency=c.currency.lower())
        world.near_miss("ACC-03", "crm_account", c.account_id, f"name written as {variant!r}")
    accented = [c for c in world.customers if any(ch in c.name for ch in "üäé") and not
                world.is_claimed("customer", c.idx) and c.erp is not None and c.billing is not None][:1]
    for c in list(accented):
        world.claim("customer", c.idx)
        c.billing.set(name=_name_variant(c.name, 2))
        world.near_miss("ACC-03", "crm_account", c.account_id, "billing name without accents")
    for c in take_customers(world, rng, 1):
        c.account.set(Legal_Entity__c=c.entity.legal_name.upper().replace(".", "").replace(" ", "  "))
        world.near_miss("ACC-03", "crm_account", c.account_id, "legal entity differs in case/punctuation only")


def acc_04(world: World, rate: float) -> None:
    """Cross-system keys conflict (four ways)."""
    rng = _rng(world, "ACC-04")
    plan = clause_plan(world, rate, ["pointer", "two_erp", "two_billing", "billing_erp_pointer"])
    for clause in plan:
        c = fresh_customer(world, rng)
        if clause == "pointer":
            other = take_customers(world, rng, 1)[0]
            c.account.set(ERP_Customer_Id__c=str(other.erp_id))
            note = "ERP_Customer_Id__c points at another account's ERP customer"
        elif clause == "two_erp":
            world.add_erp_customer(c, c.erp.created + timedelta(days=3))
            note = "two live ERP customers carry this account id"
        elif clause == "two_billing":
            world.add_billing_customer(c, c.billing.data["created"] + timedelta(days=3))
            note = "two live billing customers carry this account id"
        else:
            other = take_customers(world, rng, 1)[0]
            c.billing.set(metadata={**c.billing.data["metadata"], "erp_customer_id": str(other.erp_id)})
            note = "billing customer names another account's ERP customer"
        world.finding("ACC-04", "crm_account", c.account_id, note)
    c = fresh_customer(world, rng)
    dup = world.add_billing_customer(c, c.billing.data["created"] + timedelta(days=3))
    dup.set(deleted=True)
    world.near_miss("ACC-04", "crm_account", c.account_id, "duplicate billing customer is deleted")
    c = fresh_customer(world, rng)
    dup = world.add_erp_customer(c, c.erp.created + timedelta(days=3))
    dup.set(isinactive=True)
    world.near_miss("ACC-04", "crm_account", c.account_id, "duplicate ERP customer is inactive")
    world.near_miss("ACC-05", "erp_customer", dup.data["id"], "inactive duplicate without invoices or jobs")
    for c in take_customers(world, rng, 2, lambda c: any(i.erp is not None for e in c.engagements for i in e.invoices)):
        _claim_documents(world, c)
        c.account.set(ERP_Customer_Id__c=None)
        c.billing.set(metadata={"crm_account_id": c.account_id})
        world.near_miss("ACC-04", "crm_account", c.account_id, "pointers empty; linked by externalid only")
        for inv in (i for e in c.engagements for i in e.invoices if i.erp is not None and i.billing_present):
            world.near_miss("INV-09", "billing_invoice", inv.id, "entity found through externalid mapping only")


def _open_erp_invoices(c: Customer) -> list[Invoice]:
    return [i for e in c.engagements for i in e.invoices if i.erp is not None and i.erp.void_ts is None
            and i.finalized is not None and not i.payments and not i.credits and i.void_ts is None]


def _claim_documents(world: World, c: Customer) -> None:
    """Keep every other injection away from this customer's engagements and documents."""
    world.claim("docs", c.idx)
    for e in c.engagements:
        world.claim("eng", e.idx)
        for inv in e.invoices:
            world.claim("invoice", inv.id)


def acc_05(world: World, rate: float) -> None:
    """Inactive ERP customer with open invoices, or with approved time in the last 30 days."""
    rng = _rng(world, "ACC-05")
    te = world.time
    recent = te["day"] >= day_index(world.as_of) - 25
    approved_recent_engs = set(te["eng"][recent & (te["status"] == APPROVED)].tolist())
    plan = clause_plan(world, rate, ["open_invoice", "recent_time"])
    for clause in plan:
        if clause == "open_invoice":
            picked = take_customers(world, rng, 1, lambda c: bool(_open_erp_invoices(c)))
        else:
            picked = take_customers(world, rng, 1, lambda c: not _open_erp_invoices(c) and any(
                e.idx in approved_recent_engs and e.job is not None for e in c.engagements))
        for c in picked:
            _claim_documents(world, c)
            c.erp.change(at(world.as_of - timedelta(days=6), 10), isinactive=True)
            world.finding("ACC-05", "erp_customer", c.erp_id, f"inactive ERP customer with {clause.replace('_', ' ')}")


def acc_06(world: World, rate: float) -> None:
    """Open receivables / invoices whose customer maps to no live account (account merged away)."""
    rng = _rng(world, "ACC-06")
    for c in take_customers(world, rng, count(world, rate), lambda c: bool(_open_erp_invoices(c))):
        _claim_documents(world, c)
        master = take_customers(world, rng, 1)[0]
        when = at(world.as_of - timedelta(days=9), 13)
        c.account.change(when, MasterRecordId=master.account_id, IsDeleted=True)
        for e in c.engagements:
            e.opp.change(when, AccountId=master.account_id)
        world.finding("ACC-06", "erp_customer", c.erp_id, "open receivables; CRM account merged away")
        world.finding("ACC-06", "billing_customer", c.cus_id, "has invoices; CRM account merged away")
    c = fresh_customer(world, rng)
    master = fresh_customer(world, rng)
    c.account.change(at(world.as_of - timedelta(days=9), 13), MasterRecordId=master.account_id, IsDeleted=True)
    world.near_miss("ACC-06", "erp_customer", c.erp_id, "merged account, no receivables")
    world.near_miss("ACC-06", "billing_customer", c.cus_id, "merged account, no invoices")


# -- RATE -------------------------------------------------------------------------------------

def rate_01(world: World, rate: float) -> None:
    """Approved billable T&M time whose billable rate differs from the contracted rate."""
    rng, te = _rng(world, "RATE-01"), world.time
    base = tm_mask(world) & (te["status"] == APPROVED) & (te["inv"] >= 0) & (te["rate"] > 0)
    for row in take_entries(world, rng, count(world, rate), base):
        te["rate"][row] = round_minor(Decimal(int(te["rate"][row])) * Decimal("1.08"))
        world.finding("RATE-01", "psa_time_entry", entry_id(world, row), "billable rate 8% above contract")
    for row in take_entries(world, rng, 2, base & (te["rate"] >= 10000)):
        te["rate"][row] = round_minor(Decimal(int(te["rate"][row])) * Decimal("1.003"))
        world.near_miss("RATE-01", "psa_time_entry", entry_id(world, row), "rate 0.3% off contract (within tolerance)")
    changes = {(e.idx, day_index(p.start)) for e in world.engagements for ps in e.rates.values() for p in ps[1:]}
    rows = [r for r in np.nonzero(base)[0][:: 7].tolist() if (int(te["eng"][r]), int(te["day"][r])) in changes][:3]
    for r in rows:
        world.near_miss("RATE-01", "psa_time_entry", entry_id(world, r), "first day of a properly dated rate change")


def rate_03(world: World, rate: float) -> None:
    """Approved billable T&M time with a null or zero rate, or with no contracted rate in effect."""
    rng, te = _rng(world, "RATE-03"), world.time
    base = tm_mask(world) & (te["status"] == APPROVED) & (te["inv"] >= 0)
    plan = clause_plan(world, rate, ["null", "zero", "no_rate"])
    for row in take_entries(world, rng, plan.count("null"), base):
        te["rate"][row] = -1
        world.finding("RATE-03", "psa_time_entry", entry_id(world, row), "billable rate is null")
    for row in take_entries(world, rng, plan.count("zero"), base):
        te["rate"][row] = 0
        world.finding("RATE-03", "psa_time_entry", entry_id(world, row), "billable rate is zero")
    day = world.as_of - timedelta(days=12)
    made = 0
    for e in _shuffled(rng, world.engagements):
        if made == plan.count("no_rate"):
            break
        if (e.fixed_fee or e.project is None or not (e.start <= day <= e.end) or world.is_claimed("eng", e.idx)
                or world.is_claimed("docs", e.customer.idx)):
            continue
        missing = [r for r in ROLES if r.name not in e.rates]
        users = [u for u in world.users if missing and u.role.name == missing[0].name]
        if not users:
            continue
        world.claim("eng", e.idx)
        role_rate = int((missing[0].usd_rate * CURRENCIES[e.currency].per_usd).scaleb(CURRENCIES[e.currency].exponent))
        row = add_entry(world, e, users[0].idx, day, rate=role_rate)
        world.finding("RATE-03", "psa_time_entry", entry_id(world, row),
                      f"{missing[0].name} has no contracted rate on this engagement")
        made += 1
    fixed = np.array([e.fixed_fee for e in world.engagements], np.bool_)[te["eng"]]
    for row in take_entries(world, rng, 2, fixed & te["billable"] & (te["status"] == APPROVED)):
        world.near_miss("RATE-03", "psa_time_entry", entry_id(world, row), "fixed-fee time has no hourly rate")
    for row in take_entries(world, rng, 2, tm_mask(world) & (te["status"] == SUBMITTED) & (te["inv"] < 0)):
        te["rate"][row] = -1
        world.near_miss("RATE-03", "psa_time_entry", entry_id(world, row), "null rate but not yet approved")


def rate_02(world: World, rate: float) -> None:
    """Invoice line unit price differs from the contracted rate on the line's period start."""
    rng = _rng(world, "RATE-02")

    def role_lines(inv: Invoice) -> bool:
        return inv.kind in ("tm", "reissue") and inv.void_ts is None and any(ln.role for ln in inv.lines)

    invs = take_invoices(world, rng, count(world, rate) + 2, role_lines)
    for k, inv in enumerate(invs):
        line = next(ln for ln in inv.lines if ln.role)
        if k < len(invs) - 2:
            line.unit_minor = round_minor(Decimal(line.unit_minor) * Decimal("1.10"))
            world.finding("RATE-02", "billing_invoice_line", line.id, "unit price 10% above contract")
        else:
            line.unit_minor = round_minor(Decimal(line.unit_minor) * Decimal("1.003"))
            world.near_miss("RATE-02", "billing_invoice_line", line.id, "unit price 0.3% off (within tolerance)")
    firsts = {(e.idx, p.start) for e in world.engagements for ps in e.rates.values() for p in ps[1:]}
    for inv in world.invoices[:: 3]:
        for ln in inv.lines:
            if ln.role and (inv.engagement.idx, ln.period_start) in firsts and inv.void_ts is None:
                world.near_miss("RATE-02", "billing_invoice_line", ln.id, "first month of a raised rate")


def rate_04(world: World, rate: float) -> None:
    """Engagement currency differs from the PSA client's or from one of its invoices'."""
    rng = _rng(world, "RATE-04")
    plan = clause_plan(world, rate, ["client", "invoice"])
    for clause in plan:
        if clause == "client":
            picked = take_customers(world, rng, 1, lambda c: len(c.engagements) == 1 and c.currency != "JPY"
                                    and not world.is_claimed("eng", c.engagements[0].idx))
            for c in picked:
                eng = c.engagements[0]
                world.claim("docs", c.idx)
                world.claim("eng", eng.idx)
                c.client.change(at(world.as_of - timedelta(days=60), 9), currency=_other_currency(c.currency))
                world.finding("RATE-04", "psa_project", eng.project_id, "PSA client currency differs from the deal's")
        else:
            eng = take_engagement(world, rng, lambda e: not e.fixed_fee and e.currency != "JPY" and any(
                i.billing_present and i.erp is not None and not i.credits and i.void_ts is None for i in e.invoices))
            if eng is None:
                continue
            inv = next(i for i in eng.invoices if i.billing_present and i.erp is not None and not i.credits
                       and i.void_ts is None)
            world.claim("invoice", inv.id)
            other = _other_currency(eng.currency)
            inv.currency = other
            inv.erp.currency_id = CURRENCIES[other].erp_id
            world.finding("RATE-04", "psa_project", eng.project_id, f"invoice {inv.id} billed in {other}")
    e = next(e for e in world.engagements if e.project is not None and e.invoices)
    world.near_miss("RATE-04", "psa_project", e.project_id, "billing writes the same currency in lower case")


def rate_05(world: World, rate: float) -> None:
    """Billable time outside the project dates, on an inactive project, or on an inactive assignment."""
    rng, te = _rng(world, "RATE-05"), world.time
    plan = clause_plan(world, rate, ["outside", "inactive_project", "inactive_assignment"])
    for clause in plan:
        if clause == "outside":
            eng = take_engagement(world, rng, lambda e: e.project is not None and len(set(
                te["day"][(te["eng"] == e.idx) & te["billable"]].tolist())) >= 2)
            rows = np.nonzero((te["eng"] == eng.idx) & te["billable"])[0]
            days = sorted(set(te["day"][rows].tolist()))
            cut = days[-2]
            eng.project.change(at(world.as_of - timedelta(days=1), 8), ends_on=from_day_index(cut))
            for r in rows.tolist():
                if te["day"][r] > cut:
                    world.finding("RATE-05", "psa_time_entry", entry_id(world, r), "dated after the project's end")
                elif te["day"][r] == cut:
                    world.near_miss("RATE-05", "psa_time_entry", entry_id(world, r), "dated on the project's last day")
        elif clause == "inactive_project":
            eng = fresh_engagement(world, rng, fixed_fee=False, close_days_ago=30, project_active=False)
            for d in (20, 19):
                row = add_entry(world, eng, eng.team[0], world.as_of - timedelta(days=d))
                world.finding("RATE-05", "psa_time_entry", entry_id(world, row), "logged on an inactive project")
        else:
            for row in take_entries(world, rng, 1, te["billable"] & (te["status"] == APPROVED) & (te["inv"] >= 0)):
                te["ua_active"][row] = False
                world.finding("RATE-05", "psa_time_entry", entry_id(world, row), "entry records an inactive assignment")
    for row in take_entries(world, rng, 2, ~te["billable"] & (te["status"] == APPROVED)):
        te["ua_active"][row] = False
        world.near_miss("RATE-05", "psa_time_entry", entry_id(world, row), "inactive assignment but not billable")


# -- UNB --------------------------------------------------------------------------------------

def _recent_uninvoiced_rows(world: World, rng: np.random.Generator, n: int) -> list[int]:
    te = world.time
    age = ages(world)
    mask = tm_mask(world) & (te["status"] == APPROVED) & (te["inv"] < 0) & ~te["skip_bill"] & (age > 10) & (age <= 25)
    rows = take_entries(world, rng, n, mask)
    while len(rows) < n:
        eng = _active_tm_engagement(world, rng, world.as_of - timedelta(days=12))
        rows.append(add_entry(world, eng, eng.team[0], world.as_of - timedelta(days=12)))
    return rows


def _draft_or_void_ref(world: World, rng: np.random.Generator, kind: str) -> int:
    if kind == "draft":
        drafts = [i for i in world.invoices if i.finalized is None and i.billing_present]
        if not drafts:
            eng = host_engagement(world, rng)
            drafts = [adhoc_invoice(world, eng, world.as_of - timedelta(days=3), with_erp=False, finalized=False)]
        return drafts[0].ref_idx
    return next(i for i in world.invoices if i.void_ts is not None and i.billing_present).ref_idx


def unb_02(world: World, rate: float) -> None:
    """Billed flag without an invoice, or pointing at an unknown, draft or void invoice (time and expenses)."""
    rng, te = _rng(world, "UNB-02"), world.time
    plan = clause_plan(world, rate, ["no_invoice", "unknown", "draft", "void"])
    phantom = len(world.invoice_refs)
    world.invoice_refs.append((world.stripe.new("in"), "DELETED-0001"))
    rows = _recent_uninvoiced_rows(world, rng, len(plan))
    for clause, row in zip(plan, rows):
        te["is_billed"][row] = True
        te["billed_ts"][row] = min(int(te["created"][row]) + 3 * 86400, epoch(world.cutoff))
        if clause == "unknown":
            te["inv"][row] = phantom
        elif clause in ("draft", "void"):
            te["inv"][row] = _draft_or_void_ref(world, rng, clause)
        world.finding("UNB-02", "psa_time_entry", entry_id(world, row), f"is_billed with {clause.replace('_', ' ')}")
    for clause in plan[:4] if len(plan) >= 4 else plan:
        eng = _active_tm_engagement(world, rng, world.as_of - timedelta(days=12))
        rec = add_expense(world, eng, eng.team[0], world.as_of - timedelta(days=12), Decimal("210.00"), 1,
                          billable=True)
        rec.set(skip_bill=True)
        ref = {"no_invoice": None, "unknown": phantom}.get(clause) if clause in ("no_invoice", "unknown") else \
            _draft_or_void_ref(world, rng, clause)
        rec.change(world.clamp(at(world.as_of - timedelta(days=5), 9)), is_billed=True, invoice=ref)
        world.finding("UNB-02", "psa_expense", rec.data["id"], f"is_billed with {clause.replace('_', ' ')}")


def unb_05(world: World, rate: float) -> None:
    """Invoice line hours differ from the hours of the time entries billed on it."""
    rng = _rng(world, "UNB-05")
    invs = take_invoices(world, rng, count(world, rate) + 2,
                         lambda i: i.kind in ("tm", "reissue") and i.void_ts is None and any(ln.role for ln in i.lines))
    for k, inv in enumerate(invs):
        line = next(ln for ln in inv.lines if ln.role)
        if k < len(invs) - 2:
            line.qty += Decimal("1.5")
            world.finding("UNB-05", "billing_invoice_line", line.id, "1.5 h more than the billed time entries")
        else:
            line.qty += Decimal("0.01")
            world.near_miss("UNB-05", "billing_invoice_line", line.id, "0.01 h off (not more than 0.01)")


# -- INV --------------------------------------------------------------------------------------

def inv_01(world: World, rate: float) -> None:
    """Finalised billing invoice with no ERP invoice after the grace period."""
    rng = _rng(world, "INV-01")
    for inv in take_invoices(world, rng, count(world, rate), lambda i: is_fully_paid(world, i)
                             and (world.as_of - i.finalized.date()).days > 10):
        for p in inv.payments:
            p.erp_id = None
        inv.erp = None
        world.finding("INV-01", "billing_invoice", inv.id, "finalised, never reached the ERP")
    for days in (1, 2):
        eng = host_engagement(world, rng)
        inv = adhoc_invoice(world, eng, world.as_of - timedelta(days=days), with_erp=False)
        world.near_miss("INV-01", "billing_invoice", inv.id, f"finalised {days} day(s) before as-of, within grace")
    for inv in [i for i in world.invoices if i.finalized is None and i.billing_present][:2]:
        world.near_miss("INV-01", "billing_invoice", inv.id, "draft, not finalised")


def inv_02(world: World, rate: float) -> None:
    """Non-voided ERP invoice that matches no billing invoice."""
    rng = _rng(world, "INV-02")
    for k in range(count(world, rate) + 1):
        eng = host_engagement(world, rng, lambda e: e.customer.erp is not None)
        inv = adhoc_invoice(world, eng, world.as_of - timedelta(days=20))
        inv.billing_present = False
        world.claim("invoice", inv.id)
        if k == count(world, rate):
            inv.erp.void_ts = at(world.as_of - timedelta(days=4), 10)
            world.near_miss("INV-02", "erp_transaction", inv.erp.id, "ERP-only invoice, voided")
            continue
        if k % 2:
            add_payment(world, inv, at(world.as_of - timedelta(days=8), 11), in_billing=False)
        world.finding("INV-02", "erp_transaction", inv.erp.id, "ERP invoice keyed in by hand, not in billing")


def inv_03(world: World, rate: float) -> None:
    """Matched pair whose totals differ beyond tolerance, or whose currencies differ."""
    rng = _rng(world, "INV-03")
    plan = clause_plan(world, rate, ["total", "currency"])
    for clause, inv in zip(plan, take_open_invoices(world, rng, len(plan))):
        if clause == "total":
            inv.lines[0].erp_amount_delta = max(round_minor(Decimal(inv.total) * Decimal("0.05")), 200)
        else:
            inv.erp.currency_id = CURRENCIES[_other_currency(inv.currency)].erp_id
        world.finding("INV-03", "billing_invoice", inv.id, f"{clause} differs in the ERP")
    for k, inv in enumerate(take_open_invoices(world, rng, 2)):
        inv.lines[0].erp_amount_delta = 1 if k == 0 else round_minor(Decimal(inv.total) * Decimal("0.004"))
        world.near_miss("INV-03", "billing_invoice", inv.id, "ERP total off within tolerance")


def inv_04(world: World, rate: float) -> None:
    """Paid in billing but open in the ERP past the grace period; or paid in the ERP, open in billing."""
    rng = _rng(world, "INV-04")
    plan = clause_plan(world, rate, ["billing_paid", "erp_paid"])
    paid = take_invoices(world, rng, plan.count("billing_paid"), lambda i: is_fully_paid(world, i))
    for inv in paid:
        inv.payments[0].erp_id = None
        world.finding("INV-04", "billing_invoice", inv.id, "paid in billing, still open in the ERP")
    for inv in take_open_invoices(world, rng, plan.count("erp_paid")):
        add_payment(world, inv, at(world.as_of - timedelta(days=10), 15), in_billing=False)
        world.finding("INV-04", "billing_invoice", inv.id, "paid in full in the ERP, open in billing")
    for days in (1, 2):
        inv = take_open_invoices(world, rng, 1)[0]
        add_payment(world, inv, at(world.as_of - timedelta(days=days), 14), in_erp=False)
        world.near_miss("INV-04", "billing_invoice", inv.id, f"paid {days} day(s) before as-of, ERP within grace")


def inv_05(world: World, rate: float) -> None:
    """Void or uncollectible in billing while the ERP invoice is still open."""
    rng = _rng(world, "INV-05")
    plan = clause_plan(world, rate, ["void", "uncollectible"])
    for clause, inv in zip(plan, take_open_invoices(world, rng, len(plan))):
        if clause == "void" and inv.kind != "adhoc":
            # A voided invoice must not carry billed time (UNB-02): void a fresh retainer instead.
            eng = host_engagement(world, rng)
            inv = adhoc_invoice(world, eng, world.as_of - timedelta(days=20))
            world.claim("invoice", inv.id)
        when = at(world.as_of - timedelta(days=8), 12)
        if clause == "void":
            inv.void_ts = when
        else:
            inv.uncollectible_ts = when
        world.finding("INV-05", "billing_invoice", inv.id, f"{clause} in billing, open in the ERP")
    for inv in [i for i in world.invoices if i.kind == "tm" and i.void_ts is not None][:2]:
        world.near_miss("INV-05", "billing_invoice", inv.id, "void in billing and voided in the ERP")
    for inv in take_open_invoices(world, rng, 1):
        inv.uncollectible_ts = at(world.as_of - timedelta(days=8), 12)
        add_credit(world, inv, at(world.as_of - timedelta(days=7), 12), Decimal(1), in_billing=False,
                   reason="write_off")
        world.near_miss("INV-05", "billing_invoice", inv.id, "uncollectible; ERP written off by credit memo")


def inv_06(world: World, rate: float) -> None:
    """A partial payment that the two systems disagree on."""
    rng = _rng(world, "INV-06")
    plan = clause_plan(world, rate, ["billing_only", "erp_only", "both_differ"])
    when = at(world.as_of - timedelta(days=9), 16)
    for clause, inv in zip(plan, take_open_invoices(world, rng, len(plan))):
        if clause == "billing_only":
            add_payment(world, inv, when, Decimal("0.4"), in_erp=False)
        elif clause == "erp_only":
            add_payment(world, inv, when, Decimal("0.4"), in_billing=False)
        else:
            p = add_payment(world, inv, when, Decimal("0.4"))
            p.erp_amount_delta = -round_minor(Decimal(inv.total) * Decimal("0.1"))
        world.finding("INV-06", "billing_invoice", inv.id, f"partial payment: {clause.replace('_', ' ')}")
    for inv in take_open_invoices(world, rng, 1):
        p = add_payment(world, inv, when, Decimal("0.4"))
        p.erp_amount_delta = -1
        world.near_miss("INV-06", "billing_invoice", inv.id, "partial payments differ by one cent")


def inv_07(world: World, rate: float) -> None:
    """Issued credit note without an ERP credit memo, or with a different amount."""
    rng = _rng(world, "INV-07")
    plan = clause_plan(world, rate, ["missing", "amount"])
    when = at(world.as_of - timedelta(days=11), 10)
    for clause, inv in zip(plan, take_open_invoices(world, rng, len(plan))):
        c = add_credit(world, inv, when, Decimal("0.1"), in_erp=(clause == "amount"))
        if clause == "amount":
            c.erp_amount_delta = max(round_minor(Decimal(inv.credit_amount(c)) * Decimal("0.2")), 100)
        world.finding("INV-07", "billing_credit_note", c.cn_id, f"credit memo {clause} in the ERP")
    invs = take_open_invoices(world, rng, 2)
    c = add_credit(world, invs[0], when, Decimal("0.1"), in_erp=False)
    c.voided_at = when + timedelta(days=2)
    world.near_miss("INV-07", "billing_credit_note", c.cn_id, "voided credit note, no ERP memo needed")
    c = add_credit(world, invs[1], when, Decimal("0.1"))
    c.erp_amount_delta = 1
    world.near_miss("INV-07", "billing_credit_note", c.cn_id, "ERP memo one cent off")


def inv_08(world: World, rate: float) -> None:
    """A document that does not add up inside its own system."""
    rng = _rng(world, "INV-08")
    plan = clause_plan(world, rate, ["tax", "lines", "remaining", "erp_lines"])
    for clause in plan:
        if clause == "remaining":
            inv = take_invoices(world, rng, 1, lambda i: is_fully_paid(world, i))[0]
            inv.overrides["amount_remaining"] = 700
        else:
            inv = take_open_invoices(world, rng, 1)[0]
            if clause == "tax":
                inv.overrides["tax"] = inv.tax + 500
            elif clause == "lines":
                inv.lines[0].amount_override = inv.lines[0].amount + 1000
            else:
                inv.lines[0].erp_amount_delta = 1000
                inv.erp.total_delta = -1000
        subject = ("erp_transaction", inv.erp.id) if clause == "erp_lines" else ("billing_invoice", inv.id)
        world.finding("INV-08", *subject, f"{clause.replace('_', ' ')} do not add up")
    a, b = take_open_invoices(world, rng, 2)
    a.overrides["tax"] = a.tax + 1
    world.near_miss("INV-08", "billing_invoice", a.id, "tax off by one minor unit")
    b.lines[0].erp_amount_delta = 1
    b.erp.total_delta = -1
    world.near_miss("INV-08", "erp_transaction", b.erp.id, "ERP lines off by 0.01")


def inv_09(world: World, rate: float) -> None:
    """Matched ERP invoice booked to another ERP customer than the account's."""
    rng = _rng(world, "INV-09")
    for inv in take_invoices(world, rng, count(world, rate), lambda i: is_fully_paid(world, i)):
        # Invoices taken here are fully paid, so moving one to another ERP customer adds no receivable there.
        others = [c for c in world.customers if c is not inv.customer and c.erp is not None]
        same = [c for c in others if c.currency == inv.currency]
        other = (same or others)[int(rng.integers(len(same or others)))]
        inv.erp.entity = other.erp_id
        world.finding("INV-09", "billing_invoice", inv.id, f"ERP invoice booked to customer {other.erp_id}")


# -- BOOK -------------------------------------------------------------------------------------

def book_01(world: World, rate: float) -> None:
    """Billed beyond the not-to-exceed cap (T&M) or the contract amount (fixed fee)."""
    from .invoicing import billed_subtotal
    rng = _rng(world, "BOOK-01")
    plan = clause_plan(world, rate, ["nte", "fixed_fee"])
    for clause in plan + ["near"]:
        ff = clause == "fixed_fee"
        eng = take_engagement(world, rng, lambda e, ff=ff: e.fixed_fee == ff and billed_subtotal(e) > 0)
        if eng is None:
            continue
        eng.nte_fixed = True
        billed = Decimal(billed_subtotal(eng)).scaleb(-CURRENCIES[eng.currency].exponent)
        if clause == "near":
            eng.opp.set(Not_To_Exceed__c=(billed / Decimal("1.003")).quantize(Decimal("0.01")))
            world.near_miss("BOOK-01", "crm_opportunity", eng.opp_id, "billed 0.3% over the cap (within tolerance)")
            continue
        cap = (billed * Decimal("0.85")).quantize(Decimal("0.01"))
        eng.opp.set(**({"Amount": cap} if ff else {"Not_To_Exceed__c": cap}))
        world.finding("BOOK-01", "crm_opportunity", eng.opp_id, f"billed {billed} over a cap of {cap}")


def book_02(world: World, rate: float) -> None:
    """Won deal closed > G days ago without a PSA project or without an ERP job."""
    rng = _rng(world, "BOOK-02")
    plan = clause_plan(world, rate, ["no_project", "no_job"])
    for clause in plan:
        eng = fresh_engagement(world, rng, fixed_fee=True, close_days_ago=10, with_project=clause != "no_project",
                               with_job=clause != "no_job")
        world.finding("BOOK-02", "crm_opportunity", eng.opp_id, clause.replace("_", " "))
    eng = fresh_engagement(world, rng, fixed_fee=True, close_days_ago=2, with_project=False, with_job=False)
    world.near_miss("BOOK-02", "crm_opportunity", eng.opp_id, "closed exactly G days ago, nothing set up yet")
