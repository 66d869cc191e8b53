"""Billing documents and their ERP twins: invoices, payments, credit notes, voids.

An :class:`Invoice` holds the billing invoice's lines and its life events (finalised, paid,
credited, voided); every derived amount (subtotal, tax, totals, paid, remaining, the ERP
twin's lines and balances, charge and payment amounts) is computed from them on demand,
so an injection that changes a line keeps every other document consistent, and an
injection that wants an inconsistency sets an explicit override.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

import numpy as np

from .reference import CURRENCIES, ROLES
from .timesheets import APPROVED, NEVER, epoch, month_number
from .world import Customer, Engagement, World, at, day_index, month_end, round_minor


@dataclass
class Line:
    id: str
    role: str | None
    description: str
    qty: Decimal
    unit_minor: int
    period_start: date
    period_end: date
    erp_line_id: int
    erp_item: str
    amount_override: int | None = None  # billing-only display amount (INV-08 injection)
    erp_amount_delta: int = 0  # ERP line differs from billing (INV-03 / INV-08 injections)

    @property
    def amount(self) -> int:
        key = (self.qty, self.unit_minor)
        if getattr(self, "_key", None) != key:  # lines are edited by injections; cache per value
            self._key, self._amount = key, round_minor(self.qty * self.unit_minor)
        return self._amount


@dataclass
class Payment:
    ts: datetime
    fraction: Decimal | None  # None = pays whatever is due
    charge_id: str | None  # None = received only in the ERP
    erp_id: int | None  # None = never recorded in the ERP
    erp_ts: datetime | None = None
    erp_amount_delta: int = 0
    erp_tranid: str = ""


@dataclass
class Credit:
    ts: datetime
    fraction: Decimal
    cn_id: str | None  # None = ERP-only write-off memo
    erp_id: int | None
    reason: str = "order_change"
    voided_at: datetime | None = None
    erp_ts: datetime | None = None
    erp_amount_delta: int = 0
    erp_tranid: str = ""


@dataclass
class ErpTwin:
    id: int
    tranid: str
    created: datetime
    entity: int | None
    currency_id: int
    job_id: int | None
    external_id: str
    mainline_id: int
    tax_line_id: int
    void_ts: datetime | None = None
    total_delta: int = 0  # foreigntotal off the sum of its lines (INV-08)


@dataclass
class Invoice:
    id: str
    number: str | None
    engagement: Engagement
    customer: Customer
    cus_id: str
    currency: str
    tax_rate: Decimal
    lines: list[Line]
    created: datetime
    finalized: datetime | None
    period_start: date
    period_end: date
    erp: ErpTwin | None
    billing_present: bool = True
    payments: list[Payment] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    void_ts: datetime | None = None
    uncollectible_ts: datetime | None = None
    ref_idx: int = -1
    overrides: dict[str, int] = field(default_factory=dict)  # billing fields forced (INV-08)
    kind: str = "tm"  # tm, milestone, reissue, adhoc

    # -- amounts ------------------------------------------------------------------------------
    @property
    def exponent(self) -> int:
        return CURRENCIES[self.currency].exponent

    _frozen: tuple[int, int] | None = None

    def freeze(self) -> None:
        """Fix the amounts once every injection is done (writers ask for them many times)."""
        self._frozen = None
        self._frozen = (self.subtotal, self.tax)

    @property
    def subtotal(self) -> int:
        if self._frozen is not None:
            return self._frozen[0]
        return sum(line.amount for line in self.lines)

    @property
    def tax(self) -> int:
        if self._frozen is not None:
            return self._frozen[1]
        return round_minor(self.subtotal * self.tax_rate)

    @property
    def total(self) -> int:
        return self.subtotal + self.tax

    def credit_amount(self, c: Credit) -> int:
        return round_minor(self.total * c.fraction)

    def payment_amount(self, p: Payment) -> int:
        if p.fraction is not None:
            return round_minor(self.total * p.fraction)
        fixed = sum(self.payment_amount(q) for q in self.payments if q is not p and q.fraction is not None
                    and q.charge_id is not None)
        credited = sum(self.credit_amount(c) for c in self.credits if c.cn_id is not None and c.voided_at is None)
        return self.total - credited - fixed

    @property
    def paid_ts(self) -> datetime | None:
        """When the billing invoice became paid in full, if it did."""
        due = self.total - sum(self.credit_amount(c) for c in self.credits if c.cn_id and c.voided_at is None)
        paid = 0
        for p in sorted((p for p in self.payments if p.charge_id), key=lambda p: p.ts):
            paid += self.payment_amount(p)
            if paid >= due:
                return p.ts
        return None

    # -- states at a point in time ------------------------------------------------------------
    def billing_events(self) -> list[datetime]:
        ev = [self.created]
        ev += [t for t in (self.finalized, self.void_ts, self.uncollectible_ts) if t]
        ev += [p.ts for p in self.payments if p.charge_id]
        ev += [c.ts for c in self.credits if c.cn_id]
        return ev

    def billing_state(self, t: datetime) -> dict | None:
        if not self.billing_present or self.created > t:
            return None
        finalized = self.finalized if self.finalized and self.finalized <= t else None
        credited = sum(self.credit_amount(c) for c in self.credits if c.cn_id and c.ts <= t
                       and not (c.voided_at and c.voided_at <= t))
        pays = [p for p in self.payments if p.charge_id and p.ts <= t]
        amount_paid = sum(self.payment_amount(p) for p in pays)
        amount_due = self.total - credited
        remaining = amount_due - amount_paid
        paid_at = self.paid_ts if finalized and remaining <= 0 else None
        if paid_at is not None and paid_at > t:
            paid_at = None
        if finalized is None:
            status = "draft"
        elif self.void_ts and self.void_ts <= t:
            status = "void"
        elif self.uncollectible_ts and self.uncollectible_ts <= t:
            status = "uncollectible"
        elif remaining <= 0:
            status = "paid"
        else:
            status = "open"
        state = {
            "status": status, "subtotal": self.subtotal, "tax": self.tax, "total": self.total,
            "amount_due": amount_due, "amount_paid": amount_paid, "amount_remaining": max(remaining, 0),
            "finalized_at": finalized, "paid_at": paid_at if status == "paid" else None,
            "voided_at": self.void_ts if status == "void" else None,
            "marked_uncollectible_at": self.uncollectible_ts if status == "uncollectible" else None,
        }
        state.update(self.overrides)
        return state

    def erp_payments(self) -> list[Payment]:
        return [p for p in self.payments if p.erp_id is not None]

    def erp_credits(self) -> list[Credit]:
        return [c for c in self.credits if c.erp_id is not None]

    def erp_payment_amount(self, p: Payment) -> int:
        return self.payment_amount(p) + p.erp_amount_delta

    def erp_credit_amount(self, c: Credit) -> int:
        return self.credit_amount(c) + c.erp_amount_delta

    def erp_events(self) -> list[datetime]:
        if self.erp is None:
            return []
        ev = [self.erp.created] + ([self.erp.void_ts] if self.erp.void_ts else [])
        ev += [p.erp_ts for p in self.erp_payments()] + [c.erp_ts for c in self.erp_credits()]
        return ev

    def erp_line_amounts(self) -> list[int]:
        return [line.amount + line.erp_amount_delta for line in self.lines]

    def erp_total(self) -> int:
        return sum(self.erp_line_amounts()) + self.tax + self.erp.total_delta

    def erp_state(self, t: datetime) -> dict | None:
        if self.erp is None or self.erp.created > t:
            return None
        voided = bool(self.erp.void_ts and self.erp.void_ts <= t)
        total = self.erp_total()
        paid = sum(self.erp_payment_amount(p) for p in self.erp_payments() if p.erp_ts <= t)
        credited = sum(self.erp_credit_amount(c) for c in self.erp_credits() if c.erp_ts <= t)
        unpaid = 0 if voided else total - paid - credited
        status = "V" if voided else ("B" if unpaid <= 0 else "A")
        modified = max([e for e in self.erp_events() if e <= t])
        return {"status": status, "total": total, "paid": 0 if voided else paid, "unpaid": max(unpaid, 0),
                "voided": voided, "modified": modified}


# -- building ---------------------------------------------------------------------------------

def new_invoice(world: World, eng: Engagement, lines: list[tuple], created: datetime, finalized: datetime | None,
                period_start: date, period_end: date, kind: str, *, with_erp: bool = True,
                customer: Customer | None = None) -> Invoice:
    """``lines``: (role or None, description, qty, unit_minor, period_start, period_end, erp_item)."""
    customer = customer or eng.customer
    inv_lines = [Line(world.stripe.new("il"), role, desc, qty, unit, ps, pe, world.erp_line_ids.new(), item)
                 for role, desc, qty, unit, ps, pe, item in lines]
    inv = Invoice(world.stripe.new("in"), world.next_invoice_number(customer) if finalized else None, eng, customer,
                  customer.cus_id, eng.currency, customer.entity.tax_rate, inv_lines, created, finalized,
                  period_start, period_end, None, kind=kind)
    if with_erp and finalized is not None:
        inv.erp = ErpTwin(world.erp_txn_ids.new(), f"INV{world.erp_tranid.new()}",
                          world.clamp(finalized + timedelta(hours=1)), customer.erp_id,
                          CURRENCIES[eng.currency].erp_id, eng.job.data["id"] if eng.job else None, inv.id,
                          world.erp_line_ids.new(), world.erp_line_ids.new())
    inv.ref_idx = len(world.invoice_refs)
    world.invoice_refs.append((inv.id, inv.number))
    world.invoices.append(inv)
    eng.invoices.append(inv)
    return inv


def add_payment(world: World, inv: Invoice, ts: datetime, fraction: Decimal | None = None, *,
                in_billing: bool = True, in_erp: bool = True) -> Payment:
    p = Payment(ts, fraction, world.stripe.new("ch") if in_billing else None,
                world.erp_txn_ids.new() if in_erp else None, world.clamp(ts + timedelta(hours=2)),
                erp_tranid=f"PYMT{world.erp_tranid.new()}")
    inv.payments.append(p)
    return p


def add_credit(world: World, inv: Invoice, ts: datetime, fraction: Decimal, *, in_billing: bool = True,
               in_erp: bool = True, reason: str = "order_change") -> Credit:
    c = Credit(ts, fraction, world.stripe.new("cn") if in_billing else None,
               world.erp_txn_ids.new() if in_erp else None, reason, erp_ts=world.clamp(ts + timedelta(hours=3)),
               erp_tranid=f"CM{world.erp_tranid.new()}")
    inv.credits.append(c)
    return c


def build_billing(world: World) -> None:
    rng = world.stream("billing")
    _bill_time_and_materials(world, rng)
    _bill_milestones(world, rng)
    _void_and_reissue(world, rng)
    _settle(world, rng)


def _month_key(d: date) -> int:
    return d.year * 12 + d.month - 1


def _bill_time_and_materials(world: World, rng: np.random.Generator) -> None:
    te = world.time
    as_of_day = day_index(world.as_of)
    fixed = np.array([e.fixed_fee for e in world.engagements], dtype=np.bool_)
    months = month_number(te["day"])
    next_month_first = (months + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    billable = (te["billable"] & ~fixed[te["eng"]] & (te["status"] == APPROVED) & ~te["skip_bill"]
                & (next_month_first <= as_of_day))
    rows = np.nonzero(billable)[0]
    role_of_user = np.array([[r.name for r in ROLES].index(u.role.name) for u in world.users], dtype=np.int64)
    key = (te["eng"][rows].astype(np.int64) * 100_000 + months[rows]) * 8 + role_of_user[te["user"][rows]]
    uniq, inverse = np.unique(key, return_inverse=True)
    hq_sum = np.bincount(inverse, weights=te["hq"][rows]).astype(np.int64)
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for k, h in zip(uniq.tolist(), hq_sum.tolist()):
        groups.setdefault((k // 8 // 100_000, k // 8 % 100_000), []).append((k % 8, h))

    expense_groups: dict[tuple[int, int], list] = {}
    for rec in world.expenses:
        d = rec.final()
        eng = world.engagements[d["engagement"]]
        if not d["billable"] or eng.fixed_fee or d["approval_status"] != "approved" or d["skip_bill"]:
            continue
        mk = _month_key(d["spent_date"])
        first_next = date((mk + 1) // 12, (mk + 1) % 12 + 1, 1)
        if first_next <= world.as_of:
            expense_groups.setdefault((eng.idx, mk), []).append(rec)

    epoch_month_offset = 1970 * 12
    invoice_of_key: dict[tuple[int, int], Invoice] = {}
    all_keys = sorted(set(groups) | {(e, mk - epoch_month_offset) for e, mk in expense_groups})
    for eng_idx, month in all_keys:
        eng = world.engagements[eng_idx]
        m_first = date(1970 + month // 12, month % 12 + 1, 1)
        m_last = month_end(m_first)
        ps, pe = max(m_first, eng.start), min(m_last, eng.end)
        exp = CURRENCIES[eng.currency].exponent
        lines = []
        for role_i, hq in groups.get((eng_idx, month), []):
            role = ROLES[role_i]
            unit = int(eng.rate_on(role.name, ps).unit.scaleb(exp))
            lines.append((role.name, f"{role.name} — {m_first:%B %Y}", Decimal(hq) / 4, unit, ps, pe, role.name))
        exp_recs = expense_groups.get((eng_idx, month + epoch_month_offset), [])
        if exp_recs:
            cost = sum(int(r.final()["total_cost"].scaleb(exp)) for r in exp_recs)
            lines.append((None, f"Expenses — {m_first:%B %Y}", Decimal(1), cost, ps, pe, "Expenses"))
        finalized = at(m_last + timedelta(days=1), 0, 30)
        inv = new_invoice(world, eng, lines, finalized - timedelta(minutes=20), finalized, ps, pe, "tm")
        invoice_of_key[(eng_idx, month)] = inv
        for r in exp_recs:
            _bill_expense(r, inv, finalized)

    if len(rows):
        inv_of_row = _vector_invoice_lookup(te, rows, months, invoice_of_key)
        te["inv"][rows] = inv_of_row
        te["is_billed"][rows] = True
        fin_by_ref = np.full(len(world.invoice_refs), NEVER, dtype=np.int64)
        for inv in world.invoices:
            if inv.finalized is not None:
                fin_by_ref[inv.ref_idx] = epoch(inv.finalized)
        te["billed_ts"][rows] = fin_by_ref[inv_of_row]


def _vector_invoice_lookup(te, rows, months, invoice_of_key) -> np.ndarray:
    keys = te["eng"][rows].astype(np.int64) * 100_000 + months[rows]
    uniq, inverse = np.unique(keys, return_inverse=True)
    refs = np.array([invoice_of_key[(int(k // 100_000), int(k % 100_000))].ref_idx for k in uniq], dtype=np.int32)
    return refs[inverse]


def _bill_expense(rec, inv: Invoice, when: datetime) -> None:
    rec.change(when, is_billed=True, is_locked=True, invoice=inv.ref_idx)


def _bill_milestones(world: World, rng: np.random.Generator) -> None:
    last = world.as_of - timedelta(days=1)
    for eng in world.engagements:
        if not eng.fixed_fee or eng.project is None:
            continue
        exp = CURRENCIES[eng.currency].exponent
        fee = int(eng.fee.scaleb(exp))
        dur = (eng.end - eng.start).days
        plan = [(eng.start + timedelta(days=7), Decimal("0.3")), (eng.start + timedelta(days=dur // 2), Decimal("0.3")),
                (eng.end + timedelta(days=3), Decimal("0.4"))]
        billed = 0
        for n, (when, frac) in enumerate(plan, start=1):
            amount = fee - billed if n == len(plan) else round_minor(fee * frac)
            line = [(None, f"Milestone {n} of {len(plan)} — {eng.project.data['name']}", Decimal(1), amount,
                     when, when, "Milestone")]
            if when <= last:
                ts = at(when, 9)
                new_invoice(world, eng, line, ts - timedelta(minutes=15), ts, when, when, "milestone")
                billed += amount
            else:
                if rng.random() < 0.5 and eng.start < world.as_of:
                    ts = at(world.as_of - timedelta(days=2), 10)
                    new_invoice(world, eng, line, ts, None, when, when, "milestone")
                break


def _void_and_reissue(world: World, rng: np.random.Generator) -> None:
    """A few T&M invoices are voided and reissued; billed time moves to the replacement."""
    candidates = [inv for inv in world.invoices if inv.kind == "tm"
                  and inv.finalized + timedelta(days=10) < world.cutoff]
    count = max(2, round(len(candidates) * 0.02))
    picks = sorted(rng.choice(len(candidates), size=min(count, len(candidates)), replace=False).tolist())
    te = world.time
    expenses_on: dict[int, list] = {}
    for rec in world.expenses:
        ref = rec.final()["invoice"]
        if ref is not None:
            expenses_on.setdefault(ref, []).append(rec)
    for i in picks:
        old = candidates[i]
        old.void_ts = at(old.finalized.date() + timedelta(days=int(rng.integers(2, 7))), 15)
        old.erp.void_ts = world.clamp(old.void_ts + timedelta(hours=1))
        lines = [(ln.role, ln.description, ln.qty, ln.unit_minor, ln.period_start, ln.period_end, ln.erp_item)
                 for ln in old.lines]
        new = new_invoice(world, old.engagement, lines, old.void_ts + timedelta(minutes=30),
                          old.void_ts + timedelta(hours=1), old.period_start, old.period_end, "reissue")
        moved = te["inv"] == old.ref_idx
        te["inv"][moved] = new.ref_idx
        te["billed_ts"][moved] = epoch(new.finalized)
        for rec in expenses_on.get(old.ref_idx, []):
            rec.set(invoice=new.ref_idx)


def _settle(world: World, rng: np.random.Generator) -> None:
    """Payments and credit notes, identical in billing and the ERP in the baseline."""
    for inv in world.invoices:
        if inv.finalized is None or inv.void_ts is not None:
            continue
        age = (world.as_of - inv.finalized.date()).days
        credit_ts = None
        if rng.random() < 0.04 and age > 6:
            credit_ts = at(inv.finalized.date() + timedelta(days=int(rng.integers(1, 4))), 11)
            add_credit(world, inv, credit_ts, Decimal("0.1"))
        r = rng.random()
        if age <= 4:
            continue
        pay_day = inv.finalized.date() + timedelta(days=int(rng.integers(4, min(age, 45))))
        if credit_ts is not None and pay_day <= credit_ts.date():
            pay_day = credit_ts.date() + timedelta(days=1)
        pay_ts = at(pay_day, 14, int(rng.integers(0, 60)))
        if pay_ts > world.cutoff:
            continue
        full_share = 0.93 if age > 45 else 0.55
        if r < full_share:
            add_payment(world, inv, pay_ts)
        elif r < full_share + 0.05:
            add_payment(world, inv, pay_ts, Decimal(int(rng.integers(30, 71))) / 100)


def billed_subtotal(eng: Engagement) -> int:
    """BOOK-01's cumulative billed: subtotal of finalised, non-void invoices (minor units)."""
    return sum(inv.subtotal for inv in eng.invoices if inv.billing_present and inv.finalized is not None
               and inv.void_ts is None)
