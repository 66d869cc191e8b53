"""The modelled firm as one in-memory graph: customers, engagements, people, documents.

Every record of every source system hangs off this graph as a :class:`Rec` (or, for time
entries, a column in :class:`~.timesheets.TimeEntries`); the writers only format it.
Builder methods are shared by the baseline and by the discrepancy injections, so an
injected customer or engagement is made exactly like a regular one.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

import numpy as np

from .ids import Counter, SalesforceIds, StripeIds
from .records import Rec
from .reference import (
    CURRENCIES,
    ENTITIES,
    ENTITY_WEIGHTS,
    LEGAL_SUFFIXES,
    NAME_FIRST,
    NAME_SECOND,
    ROLES,
    TAX_ID_TYPES,
    Entity,
    Role,
)

if TYPE_CHECKING:
    from .invoicing import Invoice
    from .timesheets import TimeEntries

EPOCH = date(1970, 1, 1)
PROJECT_KINDS = ("Transformation", "Strategy Review", "Data Platform", "Operating Model", "Cost Program",
                 "ERP Rollout")


def at(d: date, hour: int = 0, minute: int = 0) -> datetime:
    return datetime.combine(d, time(hour, minute))


def day_index(d: date) -> int:
    return (d - EPOCH).days


def from_day_index(i: int) -> date:
    return EPOCH + timedelta(days=int(i))


def add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    y = d.year + m // 12
    m = m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def month_end(d: date) -> date:
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def round_minor(value: Decimal) -> int:
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def money(value: Decimal, exponent: int = 2) -> Decimal:
    """Round a major-unit amount to what a currency can carry (two places as text)."""
    step = Decimal(1).scaleb(-exponent)
    return value.quantize(step, rounding=ROUND_HALF_UP).quantize(Decimal("0.01"))


@dataclass
class User:
    idx: int
    id: int
    first: str
    last: str
    role: Role
    cost: Decimal
    rec: Rec

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass
class Customer:
    idx: int
    entity: Entity
    currency: str
    country: str
    name: str
    tax_id: str
    account: Rec
    erp: Rec | None
    billing: Rec | None
    client: Rec
    invoice_prefix: str
    engagements: list[Engagement] = field(default_factory=list)
    invoice_seq: int = 0

    @property
    def account_id(self) -> str:
        return self.account.data["Id"]

    @property
    def erp_id(self) -> int | None:
        return self.erp.data["id"] if self.erp is not None else None

    @property
    def cus_id(self) -> str | None:
        return self.billing.data["id"] if self.billing is not None else None

    @property
    def client_id(self) -> int:
        return self.client.data["id"]


@dataclass
class RatePeriod:
    role: Role
    start: date
    end: date | None
    unit: Decimal  # major units
    line: Rec


@dataclass
class Engagement:
    idx: int
    code: str
    customer: Customer
    fixed_fee: bool
    currency: str
    start: date
    end: date
    close_date: date
    opp: Rec
    project: Rec | None
    job: Rec | None
    project_id: int
    team: list[int]
    rates: dict[str, list[RatePeriod]] = field(default_factory=dict)
    fee: Decimal | None = None
    invoices: list[Invoice] = field(default_factory=list)
    nte_fixed: bool = False  # an injection owns Not_To_Exceed__c / Amount

    @property
    def opp_id(self) -> str:
        return self.opp.data["Id"]

    def rate_on(self, role_name: str, d: date) -> RatePeriod | None:
        for period in self.rates.get(role_name, []):
            if period.start <= d and (period.end is None or d <= period.end):
                return period
        return None


class World:
    def __init__(self, seed: int, start: date, as_of: date, customers: int) -> None:
        self.seed = seed
        self.start = start
        self.as_of = as_of
        self.n_customers = customers
        self.ss = np.random.SeedSequence(seed)
        self.rng = self.stream("world")
        self.sf = SalesforceIds()
        self.stripe = StripeIds(self.stream("stripe-ids"))
        self.erp_customer_ids = Counter(1001)
        self.erp_job_ids = Counter(50001)
        self.erp_txn_ids = Counter(300001)
        self.erp_line_ids = Counter(1)
        self.psa_client_ids = Counter(11000001)
        self.psa_project_ids = Counter(21000001)
        self.psa_user_ids = Counter(3100001)
        self.psa_assignment_ids = Counter(41000001)
        self.psa_expense_ids = Counter(61000001)
        self.erp_tranid = Counter(10001)
        self.products: dict[str, Rec] = {}
        self.users: list[User] = []
        self.customers: list[Customer] = []
        self.engagements: list[Engagement] = []
        self.assignments: dict[tuple[int, int], Rec] = {}  # (engagement idx, user idx)
        self.expenses: list[Rec] = []
        self.erp_customers: list[Rec] = []  # every ERP customer record, duplicates included
        self.billing_customers: list[Rec] = []
        self.invoices: list[Invoice] = []
        self.invoice_refs: list[tuple[str, str | None]] = []  # what time entries / expenses point at
        self.orphan_opportunities: list[Rec] = []  # open/lost pipeline, no engagement
        self.time: TimeEntries | None = None
        self.claimed: set[tuple[str, object]] = set()
        self.ground_truth: list[tuple[str, str, str, str, str]] = []
        self.near_misses: list[tuple[str, str, str, str]] = []
        self._name_counter = 0

    # -- randomness -------------------------------------------------------------------------
    def stream(self, purpose: str) -> np.random.Generator:
        """An independent generator per purpose, so adding draws in one place never shifts another."""
        key = [ord(c) for c in purpose]
        return np.random.default_rng(np.random.SeedSequence([self.ss.entropy, *key]))

    # -- bookkeeping ------------------------------------------------------------------------
    def claim(self, kind: str, key: object) -> bool:
        if (kind, key) in self.claimed:
            return False
        self.claimed.add((kind, key))
        return True

    def is_claimed(self, kind: str, key: object) -> bool:
        return (kind, key) in self.claimed

    def finding(self, rule: str, subject_type: str, subject_id: object, note: str, attribute: str = "") -> None:
        self.ground_truth.append((rule, subject_type, str(subject_id), attribute, note))

    def near_miss(self, rule: str, subject_type: str, subject_id: object, note: str) -> None:
        self.near_misses.append((rule, subject_type, str(subject_id), note))

    # -- time -------------------------------------------------------------------------------
    @property
    def batch_times(self) -> list[datetime]:
        """One full batch three nights before the as-of, then three nightly incrementals."""
        return [at(self.as_of - timedelta(days=n), 2) for n in (3, 2, 1, 0)]

    @property
    def cutoff(self) -> datetime:
        """Nothing may happen after the newest extraction."""
        return at(self.as_of, 1, 30)

    def clamp(self, ts: datetime) -> datetime:
        return min(ts, self.cutoff)

    # -- builders ---------------------------------------------------------------------------
    def build_products(self) -> None:
        for role in ROLES:
            rec = Rec({"Id": self.sf.new("01t"), "Name": role.name, "ProductCode": role.code,
                       "Family": "Professional Services", "IsActive": True},
                      at(self.start - timedelta(days=900), 9), "LastModifiedDate")
            self.products[role.name] = rec

    def new_company_name(self, country: str, rng: np.random.Generator) -> str:
        n = self._name_counter
        self._name_counter += 1
        first = NAME_FIRST[n % len(NAME_FIRST)]
        second = NAME_SECOND[(n // len(NAME_FIRST)) % len(NAME_SECOND)]
        extra = n // (len(NAME_FIRST) * len(NAME_SECOND))
        base = f"{first} {second}" + (f" {extra + 1}" if extra else "")
        suffixes = LEGAL_SUFFIXES[country]
        return f"{base} {suffixes[int(rng.integers(len(suffixes)))]}"

    def tax_id_for(self, country: str, rng: np.random.Generator) -> str:
        digits = "".join(str(d) for d in rng.integers(0, 10, size=13))
        if country == "US":
            return f"{digits[:2]}-{digits[2:9]}"
        if country == "CA":
            return f"{digits[:9]}RT0001"
        if country == "JP":
            return f"T{digits}"
        if country == "NL":
            return f"NL{digits[:9]}B01"
        if country == "FR":
            return f"FR{digits[:11]}"
        if country == "AT":
            return f"ATU{digits[:8]}"
        return f"{country}{digits[:9]}"

    def add_customer(self, rng: np.random.Generator, entity: Entity | None = None, created: date | None = None,
                     with_erp: bool = True, with_billing: bool = True) -> Customer:
        if entity is None:
            entity = ENTITIES[int(rng.choice(len(ENTITIES), p=ENTITY_WEIGHTS))]
        country = entity.client_countries[int(rng.integers(len(entity.client_countries)))]
        name = self.new_company_name(country, rng)
        tax_id = self.tax_id_for(country, rng)
        idx = len(self.customers)
        created = created or self.start - timedelta(days=int(rng.integers(30, 700)))
        created_ts = at(created, 10, int(rng.integers(0, 60)))
        account = Rec({
            "Id": self.sf.new("001"), "Name": name, "AccountNumber": f"ACC-{idx + 1:06d}", "ParentId": None,
            "MasterRecordId": None, "Type": "Customer - Direct", "BillingCountryCode": country,
            "CurrencyIsoCode": entity.currency, "Tax_Id__c": tax_id, "Legal_Entity__c": entity.legal_name,
            "ERP_Customer_Id__c": None, "IsDeleted": False, "CreatedDate": created_ts,
        }, created_ts, "LastModifiedDate")
        client = Rec({"id": self.psa_client_ids.new(), "name": name, "is_active": True,
                      "currency": entity.currency, "created_at": created_ts + timedelta(days=1)},
                     created_ts + timedelta(days=1), "updated_at")
        customer = Customer(idx, entity, entity.currency, country, name, tax_id, account, None, None, client,
                            invoice_prefix=f"{0x1A2B3C + idx * 7919 & 0xFFFFFF:06X}")
        if with_erp:
            self.add_erp_customer(customer, created_ts + timedelta(hours=2))
            account.data["ERP_Customer_Id__c"] = str(customer.erp_id)
        if with_billing:
            self.add_billing_customer(customer, created_ts + timedelta(hours=3))
        self.customers.append(customer)
        return customer

    def add_erp_customer(self, customer: Customer, created: datetime, external_id: str | None = None) -> Rec:
        rec = Rec({
            "id": self.erp_customer_ids.new(), "entityid": customer.name, "companyname": customer.name,
            "externalid": external_id or customer.account_id, "currency": CURRENCIES[customer.currency].erp_id,
            "subsidiary": customer.entity.erp_id, "vatregnumber": customer.tax_id, "billcountry": customer.country,
            "isinactive": False, "datecreated": created,
        }, created, "lastmodifieddate")
        self.erp_customers.append(rec)
        if customer.erp is None:
            customer.erp = rec
        return rec

    def add_billing_customer(self, customer: Customer, created: datetime) -> Rec:
        slug = "".join(c for c in customer.name.lower() if c.isalnum())[:16] or "customer"
        rec = Rec({
            "id": self.stripe.new("cus", 14), "object": "customer", "name": customer.name,
            "email": f"ap@{slug}.example", "currency": customer.currency,
            "address": {"country": customer.country, "line1": f"{10 + customer.idx % 90} Market Street",
                        "city": "Springfield", "postal_code": f"{10000 + customer.idx * 37 % 89999}"},
            "tax_ids": [(_tax_type(customer.country), customer.tax_id)],
            "metadata": {"crm_account_id": customer.account_id,
                         **({"erp_customer_id": str(customer.erp_id)} if customer.erp is not None else {})},
            "created": created, "livemode": False, "deleted": None,
        }, created)
        self.billing_customers.append(rec)
        if customer.billing is None:
            customer.billing = rec
        return rec

    def add_engagement(self, customer: Customer, rng: np.random.Generator, *, fixed_fee: bool, start: date,
                       end: date, close_date: date | None = None, team: list[int] | None = None,
                       rate_change: date | None = None, with_project: bool = True, with_job: bool = True,
                       project_active: bool = True) -> Engagement:
        idx = len(self.engagements)
        code = f"PRJ-{start.year % 100:02d}{idx + 1:05d}"
        close_date = close_date or start - timedelta(days=int(rng.integers(5, 30)))
        currency = customer.currency
        cur = CURRENCIES[currency]
        if team is None:
            team = self.pick_team(rng)
        name = f"{customer.name.split(' ')[0]} {PROJECT_KINDS[idx % len(PROJECT_KINDS)]}"
        close_ts = at(close_date, 16, int(rng.integers(0, 60)))
        opp = Rec({
            "Id": self.sf.new("006"), "AccountId": customer.account_id, "Name": f"{name} {start.year}",
            "StageName": "Closed Won", "IsClosed": True, "IsWon": True, "CloseDate": close_date, "Amount": None,
            "CurrencyIsoCode": currency, "Type": ("New Business", "Renewal")[idx % 4 == 3],
            "Billing_Type__c": "Fixed Fee" if fixed_fee else "Time and Materials", "Not_To_Exceed__c": None,
            "PSA_Project_Code__c": code, "IsDeleted": False,
        }, close_ts - timedelta(days=20), "LastModifiedDate")
        opp.change(close_ts)
        project_id = self.psa_project_ids.new()
        eng = Engagement(idx, code, customer, fixed_fee, currency, start, end, close_date, opp, None, None,
                         project_id, team)
        discount = Decimal(int(rng.integers(0, 7))) * Decimal("2.5")
        if fixed_fee:
            days = (end - start).days
            eng.fee = money(Decimal(int(rng.integers(8, 40)) * 5000) * cur.per_usd * Decimal(max(days, 30)) / 180,
                            cur.exponent)
            opp.set(Amount=eng.fee)
        else:
            roles = sorted({self.users[u].role.name for u in team}, key=lambda r: [x.name for x in ROLES].index(r))
            amount = Decimal(0)
            for role_name in roles:
                role = next(r for r in ROLES if r.name == role_name)
                list_price = money(role.usd_rate * cur.per_usd, cur.exponent)
                unit = money(list_price * (100 - discount) / 100, cur.exponent)
                periods = [(start, None, unit)]
                if rate_change is not None:
                    raised = money(unit * Decimal("1.04"), cur.exponent)
                    periods = [(start, rate_change - timedelta(days=1), unit), (rate_change, None, raised)]
                for p_start, p_end, p_unit in periods:
                    hours = Decimal(int(rng.integers(10, 60)) * 10)
                    line = Rec({
                        "Id": self.sf.new("00k"), "OpportunityId": opp.data["Id"],
                        "Product2Id": self.products[role.name].data["Id"], "ProductCode": role.code,
                        "Quantity": hours, "UnitPrice": p_unit, "ListPrice": list_price, "Discount": discount,
                        "TotalPrice": money(hours * p_unit), "ServiceDate": p_start, "Rate_End_Date__c": None,
                        "IsDeleted": False,
                    }, close_ts - timedelta(days=1) if p_start == start else at(p_start - timedelta(days=10), 11),
                        "LastModifiedDate")
                    if p_end is not None:
                        line.change(at(p_start - timedelta(days=10), 11), Rate_End_Date__c=p_end)
                    eng.rates.setdefault(role.name, []).append(RatePeriod(role, p_start, p_end, p_unit, line))
                    amount += money(hours * p_unit)
            opp.set(Amount=amount)
        created = close_ts + timedelta(hours=20)
        if with_project:
            eng.project = Rec({
                "id": project_id, "client": customer.client_id, "name": name, "code": code,
                "is_active": project_active, "is_billable": True, "is_fixed_fee": fixed_fee,
                "bill_by": "none" if fixed_fee else "People", "hourly_rate": None, "fee": eng.fee,
                "starts_on": start, "ends_on": end, "created_at": created,
            }, created, "updated_at")
            for u in team:
                self.assign(eng, u, created)
        if with_job:
            job_created = created + timedelta(hours=3)
            eng.job = Rec({
                "id": self.erp_job_ids.new(), "entityid": code, "companyname": name,
                "customer": customer.erp_id, "externalid": code, "jobbillingtype": "FF" if fixed_fee else "TM",
                "startdate": start, "enddate": end, "isinactive": False,
            }, job_created, "lastmodifieddate")
        customer.engagements.append(eng)
        self.engagements.append(eng)
        return eng

    def assign(self, eng: Engagement, user_idx: int, created: datetime) -> Rec:
        key = (eng.idx, user_idx)
        if key not in self.assignments:
            user = self.users[user_idx]
            periods = eng.rates.get(user.role.name, [])
            rate = periods[-1].unit if periods else None
            self.assignments[key] = Rec({
                "id": self.psa_assignment_ids.new(), "project": eng.idx, "user": user_idx, "is_active": True,
                "use_default_rates": False, "hourly_rate": rate, "budget": None, "created_at": created,
            }, created, "updated_at")
        return self.assignments[key]

    def pick_team(self, rng: np.random.Generator) -> list[int]:
        by_role = getattr(self, "_users_by_role", None)
        if by_role is None:
            lists: dict[str, list[int]] = {}
            for u in self.users:
                lists.setdefault(u.role.name, []).append(u.idx)
            by_role = self._users_by_role = {k: np.array(v) for k, v in lists.items()}
        lead_pool = np.concatenate([by_role["Senior Consultant"], by_role["Partner"]])
        team = [int(rng.choice(lead_pool))]
        for _ in range(int(rng.integers(1, 4))):
            pool = by_role[("Consultant", "Analyst", "Consultant", "Senior Consultant")[int(rng.integers(4))]]
            pick = int(rng.choice(pool))
            if pick not in team:
                team.append(pick)
        return team

    def build_users(self, count: int) -> None:
        from .reference import FIRST_NAMES, LAST_NAMES
        rng = self.stream("users")
        shares = np.array([r.share for r in ROLES])
        counts = np.maximum(2, np.round(shares * count).astype(int))
        for role, n in zip(ROLES, counts):
            for _ in range(int(n)):
                idx = len(self.users)
                first = FIRST_NAMES[int(rng.integers(len(FIRST_NAMES)))]
                last = LAST_NAMES[int(rng.integers(len(LAST_NAMES)))]
                uid = self.psa_user_ids.new()
                created = at(self.start - timedelta(days=int(rng.integers(60, 1500))), 8)
                slug = f"{first}.{last}".lower().replace("'", "")
                rec = Rec({"id": uid, "first_name": first, "last_name": last,
                           "email": f"{slug}.{uid % 10000}@q2advisory.example", "is_active": True,
                           "default_hourly_rate": role.usd_rate, "cost_rate": role.usd_cost,
                           "roles": [role.name], "created_at": created}, created, "updated_at")
                self.users.append(User(idx, uid, first, last, role, role.usd_cost, rec))

    def next_invoice_number(self, customer: Customer) -> str:
        customer.invoice_seq += 1
        return f"{customer.invoice_prefix}-{customer.invoice_seq:04d}"


def _tax_type(country: str) -> str:
    return TAX_ID_TYPES[country]
