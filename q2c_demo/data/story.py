"""Finishing touches that make the nightly batches tell a story without breaking consistency."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_CEILING, Decimal

from .invoicing import billed_subtotal
from .reference import CURRENCIES
from .world import World, at


def finish(world: World) -> None:
    _set_caps(world)
    _rename_accounts(world)


def _set_caps(world: World) -> None:
    """Not-to-exceed caps with headroom over what was billed (BOOK-01 stays quiet unless injected)."""
    rng = world.stream("caps")
    for eng in world.engagements:
        if eng.nte_fixed or eng.fixed_fee or rng.random() < 0.4:
            continue
        exp = CURRENCIES[eng.currency].exponent
        billed = Decimal(billed_subtotal(eng)).scaleb(-exp)
        cap = max(billed * Decimal(str(round(1.15 + rng.random() * 0.5, 2))), eng.opp.get("Amount"))
        eng.opp.set(Not_To_Exceed__c=cap.quantize(Decimal("1000"), rounding=ROUND_CEILING))


def _rename_accounts(world: World) -> None:
    """A few untouched accounts are renamed in the CRM; ERP and billing follow a night later."""
    candidates = [c for c in world.customers if not world.is_claimed("customer", c.idx)
                  and c.erp is not None and c.billing is not None][:: 23][:4]
    for n, c in enumerate(candidates):
        world.claim("customer", c.idx)
        new_name = c.name.replace(c.name.split(" ")[0], "Nova" if n % 2 else "Apex", 1)
        when = at(world.as_of - timedelta(days=2), 15)
        c.account.change(when, Name=new_name)
        c.client.change(when + timedelta(hours=2), name=new_name)
        c.erp.change(at(world.as_of - timedelta(days=1), 9), companyname=new_name, entityid=new_name)
        c.billing.change(at(world.as_of - timedelta(days=1), 10), name=new_name)
        world.near_miss("ACC-03", "crm_account", c.account_id, "renamed in CRM; ERP and billing renamed a night later")
