"""What a generation produced: batches, row counts, final-state totals, the ground truth files."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np

from .reference import CURRENCIES
from .world import World


@dataclass
class GenerationSummary:
    batches: dict[str, list[str]]  # system → batch ids, oldest first
    rows: dict[tuple[str, str, str], int]  # (system, batch id, object) → data rows
    as_of: date
    totals: dict[str, object] = field(default_factory=dict)
    ground_truth_rows: int = 0
    near_miss_rows: int = 0


def _fmt(values: dict[str, Decimal]) -> dict[str, str]:
    return {k: str(values[k]) for k in sorted(values)}


def final_totals(world: World) -> dict[str, object]:
    """Sums over every record of the final state (all batches applied, latest wins), no filters.

    Invoices of every status count (drafts and voids included) so a loader can check it landed
    everything; amounts in major units of each document's currency.
    """
    at = world.batch_times[-1]
    billing, erp, credit, expense = (defaultdict(Decimal) for _ in range(4))
    for inv in world.invoices:
        exp = inv.exponent
        if inv.billing_present and inv.billing_state(at) is not None:
            billing[inv.currency] += Decimal(inv.billing_state(at)["total"]).scaleb(-exp)
            for c in inv.credits:
                if c.cn_id and c.ts <= at:
                    credit[inv.currency] += Decimal(inv.credit_amount(c)).scaleb(-exp)
        if inv.erp is not None and inv.erp_state(at) is not None:
            erp[CURRENCY_BY_ERP_ID[inv.erp.currency_id]] += Decimal(inv.erp_total()).scaleb(-exp).quantize(
                Decimal("0.01"))
    for rec in world.expenses:
        s = rec.at(at)
        if s is not None:
            expense[world.engagements[s["engagement"]].customer.client.final()["currency"]] += s["total_cost"]
    te = world.time
    hours = Decimal(int(te["hq"].sum())) / 4
    amounts = defaultdict(Decimal)
    has_rate = te["rate"] >= 0
    cur_of_eng = np.array([world.engagements[i].customer.client.final()["currency"]
                           for i in range(len(world.engagements))])
    prod = te["hq"][has_rate].astype(np.int64) * te["rate"][has_rate]  # quarter-hours × minor units
    engs = te["eng"][has_rate]
    for code in sorted(set(cur_of_eng.tolist())):
        in_cur = cur_of_eng[engs] == code
        amounts[code] = (Decimal(int(prod[in_cur].sum())) / 4).scaleb(-CURRENCIES[code].exponent)
    return {
        "billing_invoice_total_by_currency": _fmt(billing),
        "erp_invoice_total_by_currency": _fmt(erp),
        "time_entry_hours": str(hours),
        "time_entry_count": len(te),
        "time_entry_billable_amount_by_currency": _fmt({k: v for k, v in amounts.items() if v}),
        "expense_total_by_currency": _fmt(expense),
        "credit_note_total_by_currency": _fmt(credit),
    }


CURRENCY_BY_ERP_ID = {c.erp_id: c.code for c in CURRENCIES.values()}


def write_ground_truth(world: World, folder: Path, totals: dict[str, object]) -> tuple[int, int]:
    folder.mkdir(parents=True, exist_ok=True)
    # One row per rule and subject (and attribute), as the rules report them.
    gt_by_key: dict[tuple, tuple] = {}
    for row in world.ground_truth:
        gt_by_key.setdefault(row[:4], row)
    gt = [gt_by_key[k] for k in sorted(gt_by_key)]
    with (folder / "ground_truth.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["rule_id", "subject_type", "subject_id", "attribute", "note"])
        w.writerows(gt)
    nm_by_key: dict[tuple, tuple] = {}
    for row in world.near_misses:
        if row[:3] not in {k[:3] for k in gt_by_key}:  # a subject flagged for the rule is no near-miss
            nm_by_key.setdefault(row[:3], row)
    nm = [nm_by_key[k] for k in sorted(nm_by_key)]
    with (folder / "near_misses.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["rule_id", "subject_type", "subject_id", "note"])
        w.writerows(nm)
    (folder / "totals.json").write_text(json.dumps(totals, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return len(gt), len(nm)
