"""Periodic credit-file review: raise a LIGHT warning per stale or incomplete dossier."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dbschema.queries import customers as q
from domain.credit_file import review_findings
from domain.dates import check_date
from services.customers.credit_files import facts_for, tenant_policy
from services.customers.records import customers_of
from services.uow import UnitOfWork
from services.warnings.signals import raise_warning

BATCH = 500  #: customers graded per query batch: bounded memory on large tenants
REVIEW_WARNING_LEVEL = "LIGHT"  #: an out-of-date dossier is a light signal, not a risk event


@dataclass(frozen=True, slots=True)
class ReviewTally:
    """What a review run did: customers graded and warnings newly raised."""

    reviewed: int
    raised: int


async def review_credit_files(uow: UnitOfWork, as_of: date) -> ReviewTally:
    """Grade every active customer; open warnings are not duplicated (partial unique index)."""
    check_date(as_of, "asOf")
    policy = await tenant_policy(uow)
    reviewed = raised = 0
    last_id = None
    while batch := customers_of(await q.active_after(uow.conn, last_id, BATCH)):
        last_id = batch[-1].id
        facts = await facts_for(uow, [c.id for c in batch])
        for customer in batch:
            reviewed += 1
            for finding in review_findings(
                facts[customer.id],
                policy.items,
                customer.last_reviewed_on,
                customer.created_at.date(),
                policy.review_interval_days,
                as_of,
            ):
                warning = await raise_warning(
                    uow,
                    customer.id,
                    finding.kind,
                    REVIEW_WARNING_LEVEL,
                    {**finding.evidence, "asOf": as_of.isoformat()},
                )
                raised += warning is not None
    return ReviewTally(reviewed, raised)
