"""The loyalty ladder (Christopher, Payne & Ballantyne 1991, *Relationship Marketing*):
prospect, first-time buyer, repeat buyer, client, member, advocate, partner.

Rules, highest rung first (a customer stands on the highest rung whose rule holds):

- partner: an advocate who is a loyalty member and in the VIP or key tier of the pyramid;
- advocate: has made at least one converted referral (``referrals > 0``);
- member: at least two purchases and enrolled in the loyalty programme (a ledger entry);
- client: at least ``client_purchases`` purchases and status active or new (buys regularly);
- repeat buyer: at least two purchases;
- first-time buyer: one purchase;
- prospect: on file without a purchase. The value table holds buyers only, so prospects are
  counted in the snapshot's metadata rather than given a row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir

if TYPE_CHECKING:
    from valuecrm.config import AnalysisConfig


def loyalty_stage(table: ir.Table, config: AnalysisConfig | None = None) -> ir.Table:
    """``table`` plus ``loyalty_stage``.

    Needs ``n_purchases``, ``status``, ``tier``, ``loyalty_member`` and ``referrals``.
    """
    from valuecrm.config import AnalysisConfig

    cfg = (config or AnalysisConfig()).validated()
    t = table
    member = t.loyalty_member.fill_null(False)
    advocate = t.referrals.fill_null(0) > 0
    stage = ibis.cases(
        (advocate & member & t.tier.isin(["VIP", "key"]), "partner"),
        (advocate, "advocate"),
        ((t.n_purchases >= 2) & member, "member"),
        ((t.n_purchases >= cfg.client_purchases) & t.status.isin(["active", "new"]), "client"),
        (t.n_purchases >= 2, "repeat buyer"),
        (t.n_purchases == 1, "first-time buyer"),
        else_="prospect",
    )
    return t.mutate(loyalty_stage=stage)
