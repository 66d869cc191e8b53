"""Time entries (vectorised, one numpy column per field) and expenses of the modelled firm."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from .records import Rec
from .reference import CURRENCIES, EXPENSE_CATEGORIES, ROLES
from .world import World, at, day_index, from_day_index

NEVER = np.int64(2**62)  # sentinel timestamp: the event has not happened
UNSUBMITTED, SUBMITTED, APPROVED = 0, 1, 2
STATUS_NAMES = ("unsubmitted", "submitted", "approved")
ROLE_INDEX = {r.name: i for i, r in enumerate(ROLES)}
TASK_CONSULTING, TASK_INTERNAL = 0, 3
RECENT_DAYS = 10  # time younger than this may still await approval (UNB-03 allows 14)

_COLUMNS = {
    "id": np.int64, "eng": np.int32, "user": np.int32, "day": np.int32, "hq": np.int32, "billable": np.bool_,
    "rate": np.int64, "status": np.int8, "created": np.int64, "sub_ts": np.int64, "appr_ts": np.int64,
    "inv": np.int32, "billed_ts": np.int64, "is_billed": np.bool_, "ua_active": np.bool_, "task": np.int8,
    "skip_bill": np.bool_,
}


def epoch(ts) -> int:
    return int((ts - at(date(1970, 1, 1))).total_seconds())


class TimeEntries:
    """Columns: ``hq`` hours in quarter hours; ``rate`` billable rate in minor units (-1 = null);
    ``inv`` index into ``World.invoice_refs`` (-1 = none); ``*_ts`` epoch seconds (NEVER = not yet)."""

    def __init__(self, cols: dict[str, np.ndarray]) -> None:
        self.cols = cols
        self._pending: list[dict] = []  # appended rows, concatenated on the next column read
        self._next_id = int(cols["id"].max()) + 1 if len(cols["id"]) else 1

    def __len__(self) -> int:
        return len(self.cols["id"]) + len(self._pending)

    def __getitem__(self, name: str) -> np.ndarray:
        if self._pending:
            extra = {k: np.array([row[k] for row in self._pending], dtype=dt) for k, dt in _COLUMNS.items()}
            self.cols = {k: np.concatenate([self.cols[k], extra[k]]) for k in _COLUMNS}
            self._pending = []
        return self.cols[name]

    def append(self, **values) -> int:
        """Add one entry (an injected case); returns its row index."""
        row = {"id": self._next_id, "rate": -1, "status": APPROVED, "sub_ts": NEVER, "appr_ts": NEVER, "inv": -1,
               "billed_ts": NEVER, "is_billed": False, "ua_active": True, "task": TASK_CONSULTING,
               "skip_bill": True, "billable": True}
        row.update(values)
        self._next_id += 1
        self._pending.append(row)
        return len(self) - 1


def month_number(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def rate_table(world: World) -> tuple[np.ndarray, int]:
    """Contracted rate in minor units by (engagement, role, month); rate changes fall on month starts."""
    base = int(month_number(np.array([day_index(world.start) - 62]))[0])
    n_months = int(month_number(np.array([day_index(world.as_of) + 62]))[0]) - base + 1
    table = np.zeros((len(world.engagements), len(ROLES), n_months), dtype=np.int64)
    for eng in world.engagements:
        exp = CURRENCIES[eng.currency].exponent
        for role_name, periods in eng.rates.items():
            for p in periods:
                m0 = int(month_number(np.array([day_index(p.start)]))[0]) - base
                m1 = n_months - 1 if p.end is None else int(month_number(np.array([day_index(p.end)]))[0]) - base
                table[eng.idx, ROLE_INDEX[role_name], max(m0, 0):m1 + 1] = int(p.unit.scaleb(exp))
    return table, base


def generate_time_entries(world: World) -> TimeEntries:
    rng = world.stream("time-entries")
    last_day = day_index(world.as_of) - 1
    pairs = [(e.idx, u, day_index(e.start), min(day_index(e.end), last_day))
             for e in world.engagements if e.project is not None for u in e.team]
    p_eng = np.array([p[0] for p in pairs], dtype=np.int32)
    p_user = np.array([p[1] for p in pairs], dtype=np.int32)
    p_start = np.array([p[2] for p in pairs], dtype=np.int64)
    p_len = np.maximum(np.array([p[3] for p in pairs], dtype=np.int64) - p_start + 1, 0)
    total = int(p_len.sum())
    which = np.repeat(np.arange(len(pairs)), p_len)
    offset = np.arange(total) - np.repeat(np.cumsum(p_len) - p_len, p_len)
    day = p_start[which] + offset
    user_role = np.array([ROLE_INDEX[u.role.name] for u in world.users], dtype=np.int32)
    role = user_role[p_user[which]]
    keep = ((day + 3) % 7 < 5) & (rng.random(total) < np.where(role == 0, 0.3, 0.8))
    which, day, role = which[keep], day[keep], role[keep]
    eng = p_eng[which]
    user = p_user[which]
    order = np.lexsort((user, eng, day))
    eng, user, day, role = eng[order], user[order], day[order], role[order]
    n = len(day)

    max_opts = max(len(r.hours) for r in ROLES)
    hours_table = np.zeros((len(ROLES), max_opts), dtype=np.int32)
    n_opts = np.array([len(r.hours) for r in ROLES])
    for i, r in enumerate(ROLES):
        hours_table[i, :len(r.hours)] = [int(h * 4) for h in r.hours]
    hq = hours_table[role, (rng.random(n) * n_opts[role]).astype(np.int64)]

    fixed = np.array([e.fixed_fee for e in world.engagements], dtype=np.bool_)[eng]
    billable = fixed | (rng.random(n) >= 0.04)
    table, base = rate_table(world)
    rate = np.where(billable & ~fixed, table[eng, role, month_number(day) - base], -1)
    task = np.where(billable, np.where(rng.random(n) < 0.15, 2, np.where(rng.random(n) < 0.2, 1, 0)),
                    TASK_INTERNAL).astype(np.int8)

    age = day_index(world.as_of) - day
    draw = rng.random(n)
    status = np.where((age > RECENT_DAYS) | (draw < 0.5), APPROVED, np.where(draw < 0.8, SUBMITTED, UNSUBMITTED))
    created = day * 86400 + 17 * 3600 + rng.integers(0, 7200, n)
    cutoff = epoch(world.cutoff)
    sub_ts = np.minimum(created + rng.integers(1, 4, n) * 86400, cutoff)
    appr_ts = np.minimum(sub_ts + rng.integers(1, 4, n) * 86400, cutoff)
    sub_ts = np.where(status >= SUBMITTED, sub_ts, NEVER)
    appr_ts = np.where(status == APPROVED, appr_ts, NEVER)
    cols = {
        "id": np.arange(n, dtype=np.int64) + 2_400_000_001, "eng": eng, "user": user,
        "day": day.astype(np.int32), "hq": hq, "billable": billable, "rate": rate.astype(np.int64),
        "status": status.astype(np.int8), "created": created.astype(np.int64), "sub_ts": sub_ts.astype(np.int64),
        "appr_ts": appr_ts.astype(np.int64), "inv": np.full(n, -1, np.int32), "billed_ts": np.full(n, NEVER),
        "is_billed": np.zeros(n, np.bool_), "ua_active": np.ones(n, np.bool_), "task": task,
        "skip_bill": np.zeros(n, np.bool_),
    }
    return TimeEntries({k: v.astype(_COLUMNS[k]) for k, v in cols.items()})


def add_expense(world: World, eng, user_idx: int, spent: date, cost: Decimal, category: int, *,
                billable: bool, status: str = "approved", created=None) -> Rec:
    created = created or world.clamp(at(spent, 19, 30))
    rec = Rec({
        "id": world.psa_expense_ids.new(), "spent_date": spent, "total_cost": cost, "units": None,
        "notes": f"{EXPENSE_CATEGORIES[category][1]} for {eng.project.data['name'] if eng.project else eng.code}",
        "billable": billable, "is_billed": False, "is_locked": False, "approval_status": "unsubmitted",
        "user": user_idx, "engagement": eng.idx, "expense_category": category, "invoice": None,
        "created_at": created, "skip_bill": False,
    }, created, "updated_at")
    if status in ("submitted", "approved"):
        rec.change(world.clamp(created + timedelta(days=1)), approval_status="submitted")
    if status == "approved":
        rec.change(world.clamp(created + timedelta(days=2)), approval_status="approved", is_locked=True)
    world.expenses.append(rec)
    return rec


def generate_expenses(world: World) -> None:
    rng = world.stream("expenses")
    last = world.as_of - timedelta(days=1)
    for eng in world.engagements:
        if eng.project is None:
            continue
        cur = CURRENCIES[eng.currency]
        d = eng.start
        while d <= min(eng.end, last):
            for _ in range(int(rng.integers(0, 3))):
                spent = d + timedelta(days=int(rng.integers(0, 28)))
                if spent > min(eng.end, last) or spent.weekday() >= 5:
                    continue
                cost = (Decimal(int(rng.integers(4000, 90000))) / 100 * cur.per_usd).quantize(
                    Decimal(1).scaleb(-cur.exponent))
                age = (world.as_of - spent).days
                status = "approved" if age > RECENT_DAYS or rng.random() < 0.5 else "submitted"
                add_expense(world, eng, eng.team[int(rng.integers(len(eng.team)))], spent, cost,
                            int(rng.integers(len(EXPENSE_CATEGORIES))), billable=not eng.fixed_fee, status=status)
            d += timedelta(days=28)
    world.expenses.sort(key=lambda r: r.data["id"])


def spent_date(entries: TimeEntries, row: int) -> date:
    return from_day_index(int(entries["day"][row]))
