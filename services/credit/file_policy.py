"""Setting the tenant's credit-file completeness policy and review interval (read by the
dossier, the credit check and the review job from `tenants.settings`)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from dbschema.tables import tenants
from domain.audit import AuditAction
from domain.credit import file_policy as rules
from services.credit.trail import audited
from services.customers.credit_files import Policy, policy_from, policy_on
from services.read_session import ReadSession
from services.uow import UnitOfWork


async def update(
    uow: UnitOfWork, items: Sequence[rules.ItemIn] | None, review_interval_days: int | None
) -> Policy:
    """Replace the checklist and/or the interval (None keeps it); audited before and after."""
    checked = None if items is None else rules.check_items(items)
    interval = None if review_interval_days is None else rules.check_interval(review_interval_days)
    row = (
        await uow.conn.execute(sa.select(tenants.c.id, tenants.c.settings).with_for_update())
    ).one()
    settings = dict(row.settings or {})
    before = {k: settings.get(k) for k in ("creditFilePolicy", "reviewIntervalDays")}
    if checked is not None:
        settings["creditFilePolicy"] = [
            {"key": i.key, "maxAgeDays": i.max_age_days} for i in checked
        ]
    if interval is not None:
        settings["reviewIntervalDays"] = interval
    diff = {
        k: {"before": v, "after": settings.get(k)}
        for k, v in before.items()
        if v != settings.get(k)
    }
    if diff:
        await uow.conn.execute(
            tenants.update().where(tenants.c.id == row.id).values(settings=settings)
        )
        await audited(uow, "Tenant", row.id, None, AuditAction.UPDATE_CREDIT_FILE_POLICY, diff)
    return policy_from(settings)


async def read(session: ReadSession) -> Policy:
    """The policy in force (the practice's defaults where the tenant set nothing)."""
    return await session.run(policy_on)
