"""Periodic credit-file review: raise a LIGHT warning per stale or incomplete dossier."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from dbschema.tables import customers
from domain.credit_file import review_findings
from services.customers.credit_files import facts_for, tenant_policy
from services.uow import UnitOfWork
from services.warnings.signals import raise_warning

BATCH = 500  #: customers graded per query batch: bounded memory on large tenants
REVIEW_WARNING_LEVEL = "LIGHT"  #: an out-of-date dossier is a light signal, not a risk event


async def review_credit_files(uow: UnitOfWork, as_of: date) -> dict[str, int]:
    """Grade every active customer; open warnings are not duplicated (partial unique index)."""
    policy, interval = await tenant_policy(uow.conn)
    reviewed = raised = 0
    last_id = None
    while True:
        query = (
            sa.select(customers)
            .where(customers.c.status == "ACTIVE")
            .order_by(customers.c.id)
            .limit(BATCH)
        )
        if last_id is not None:
            query = query.where(customers.c.id > last_id)
        batch = [dict(r._mapping) for r in await uow.conn.execute(query)]
        if not batch:
            break
        last_id = batch[-1]["id"]
        facts = await facts_for(uow.conn, batch)
        for customer in batch:
            reviewed += 1
            for finding in review_findings(
                facts[customer["id"]],
                policy,
                customer["last_reviewed_on"],
                customer["created_at"].date(),
                interval,
                as_of,
            ):
                row = await raise_warning(
                    uow.conn,
                    uow.tenant_id,
                    customer,
                    finding.kind,
                    REVIEW_WARNING_LEVEL,
                    {**finding.evidence, "asOf": as_of.isoformat()},
                )
                raised += row is not None
    return {"reviewed": reviewed, "raised": raised}
