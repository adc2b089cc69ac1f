"""When reviews open and when they warn: by class interval, by event, and once overdue.

Each cause opens one review (the table's unique key on customer, trigger and cause), so the
daily job can run any number of times for a date and opens nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from dbschema.credit_analysis_tables import credit_class_history
from dbschema.credit_application_tables import credit_agreements, credit_reviews
from dbschema.queries import customers as customer_queries
from domain.credit import class_policy as policy_rules
from domain.credit import credit_agreements as agreement_rules
from domain.credit import reviews as rules
from domain.money import Money
from services.credit import class_policy
from services.credit.reviews import OVERDUE_WARNING, open_reviews, open_values
from services.uow import UnitOfWork
from services.warnings.signals import raise_warning

BATCH = 1000  #: customers per batch of the scheduled walk: bounded memory on large tenants
#: platform default: a scheduled review opens two weeks before it is due, so it can be done
#: on time; an event looks back a week, so a missed nightly run loses nothing.
SCHEDULE_LEAD_DAYS = 14
EVENT_LOOKBACK_DAYS = 7
OVERDUE_LEVEL = "LIGHT"  #: an overdue review is a process signal, like a stale dossier

#: New open orders with the customer's standard limit in force, for the large-order rule.
_NEW_ORDERS = sa.text("""
SELECT o.id, o.customer_id, o.amount_minor, o.currency, l.amount_minor AS limit_minor,
       l.currency AS limit_currency
  FROM sales_orders o
  LEFT JOIN LATERAL (
       SELECT amount_minor, currency FROM credit_limits l
        WHERE l.customer_id = o.customer_id AND l.kind = 'STANDARD' AND l.scope = 'CUSTOMER'
          AND l.valid_from <= :as_of AND (l.valid_to IS NULL OR l.valid_to >= :as_of)
        ORDER BY l.seq DESC LIMIT 1) l ON true
 WHERE o.ordered_on BETWEEN :since AND :as_of AND o.status IN ('OPEN', 'SHIPPED')
""")


@dataclass(frozen=True)
class ReviewSweep:
    """What one run of the review sweep did."""

    scheduled: int
    by_event: int
    warned: int


async def schedule_due(uow: UnitOfWork, as_of: date) -> int:
    """Open a SCHEDULED review for every classed customer whose class interval (the class
    policy) from its last review falls due within the lead time."""
    policy = await class_policy.load(uow.conn)
    horizon = as_of + timedelta(days=SCHEDULE_LEAD_DAYS)
    opened = 0
    last_id = None
    while batch := await customer_queries.active_after(uow.conn, last_id, BATCH):
        last_id = batch[-1].id
        rows = []
        for c in batch:
            if not c.rating_class:
                continue
            months = policy_rules.review_interval_months(policy, c.rating_class)
            due = rules.next_scheduled(c.last_reviewed_on or c.created_at.date(), months)
            if due <= horizon:
                trigger = rules.ReviewTrigger.SCHEDULED
                rows.append(open_values(uow, c.id, trigger, due.isoformat(), due))
        opened += await open_reviews(uow, rows)
    return opened


async def open_event_reviews(uow: UnitOfWork, as_of: date) -> int:
    """Open a review per recent downgrade, per agreement about to end and per large order."""
    since = as_of - timedelta(days=EVENT_LOOKBACK_DAYS)
    due = as_of + timedelta(days=rules.EVENT_REVIEW_DAYS)
    rows: list[dict[str, Any]] = []
    downgrades = await uow.conn.execute(
        sa.select(credit_class_history.c.id, credit_class_history.c.customer_id).where(
            credit_class_history.c.direction == "DOWNGRADE",
            sa.cast(credit_class_history.c.created_at, sa.Date).between(since, as_of),
        )
    )
    trigger = rules.ReviewTrigger.CLASS_DOWNGRADE
    rows += [open_values(uow, r.customer_id, trigger, str(r.id), due) for r in downgrades]
    lead = as_of + timedelta(days=agreement_rules.DEFAULT_REVIEW_LEAD_DAYS)
    ending = await uow.conn.execute(
        sa.select(
            credit_agreements.c.id, credit_agreements.c.customer_id, credit_agreements.c.valid_to
        ).where(
            credit_agreements.c.status == "ACTIVE",
            credit_agreements.c.valid_to.between(as_of, lead),
        )
    )
    trigger = rules.ReviewTrigger.AGREEMENT_EXPIRY
    rows += [open_values(uow, r.customer_id, trigger, str(r.id), r.valid_to) for r in ending]
    trigger = rules.ReviewTrigger.LARGE_ORDER
    for o in await uow.conn.execute(_NEW_ORDERS, {"as_of": as_of, "since": since}):
        limit = None
        if o.limit_minor is not None:
            limit = Money(int(o.limit_minor), o.limit_currency.strip())
        order = Money(int(o.amount_minor), o.currency.strip())
        if rules.large_order(order, limit, rules.DEFAULT_LARGE_ORDER_SHARE):
            rows.append(open_values(uow, o.customer_id, trigger, str(o.id), due))
    return await open_reviews(uow, rows)


async def warn_overdue(uow: UnitOfWork, as_of: date) -> int:
    """Raise a warning for each open review past its due date, once per review."""
    rows = list(
        await uow.conn.execute(
            credit_reviews.update()
            .where(
                credit_reviews.c.status == "OPEN",
                credit_reviews.c.warned_on.is_(None),
                credit_reviews.c.due_on < as_of,
            )
            .values(warned_on=as_of)
            .returning(credit_reviews)
        )
    )
    for r in rows:
        evidence = {
            "reviewId": str(r.id),
            "trigger": r.trigger,
            "dueOn": r.due_on.isoformat(),
            "daysOverdue": (as_of - r.due_on).days,
            "asOf": as_of.isoformat(),
        }
        await raise_warning(uow, r.customer_id, OVERDUE_WARNING, OVERDUE_LEVEL, evidence)
    return len(rows)


async def sweep_reviews(uow: UnitOfWork, as_of: date) -> ReviewSweep:
    """The daily review sweep: scheduled, event-driven, then the overdue warnings."""
    scheduled = await schedule_due(uow, as_of)
    by_event = await open_event_reviews(uow, as_of)
    return ReviewSweep(scheduled, by_event, await warn_overdue(uow, as_of))
