"""When reviews open and when they warn: by class interval, by event, and once overdue.

Each cause opens one review (the table's unique key on customer, trigger and cause), so the
daily job can run any number of times for a date and opens nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.credit_analysis_tables import credit_class_history
from dbschema.credit_application_tables import credit_reviews
from dbschema.queries import customers as customer_queries
from domain.credit import class_policy as policy_rules
from domain.credit import credit_agreements as agreement_rules
from domain.credit import reviews as rules
from domain.credit.limits import LimitRecord, in_force
from domain.money import Money
from services.credit import agreements, class_policy, rates
from services.credit.limit_history import limit_record
from services.credit.reviews import OVERDUE_WARNING, open_reviews, open_values
from services.uow import UnitOfWork
from services.warnings.signals import raise_warning

BATCH = 1000  #: customers per batch of the scheduled walk: bounded memory on large tenants
#: platform default: a scheduled review opens two weeks before it is due, so it can be done
#: on time; an event looks back a week, so a missed nightly run loses nothing.
SCHEDULE_LEAD_DAYS = 14
EVENT_LOOKBACK_DAYS = 7
OVERDUE_LEVEL = "LIGHT"  #: an overdue review is a process signal, like a stale dossier

#: New open orders, for the large-order rule.
_NEW_ORDERS = sa.text("""
SELECT o.id, o.customer_id, o.amount_minor, o.currency FROM sales_orders o
 WHERE o.ordered_on BETWEEN :since AND :as_of AND o.status IN ('OPEN', 'SHIPPED')
""")
#: Those customers' own limit records started by the date: the domain picks what is in force
#: (domain.credit.limits.in_force, the check's rule), so the sweep measures the same limit.
_LIMITS = sa.text("""
SELECT l.customer_id, l.id, l.seq, l.scope, l.kind, l.amount_minor, l.currency,
       l.valid_from, l.valid_to
  FROM credit_limits l
 WHERE l.customer_id = ANY(CAST(:customers AS uuid[])) AND l.scope = 'CUSTOMER'
   AND l.valid_from <= :as_of
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
    lead_days = agreement_rules.DEFAULT_REVIEW_LEAD_DAYS
    ending = await agreements.ending_soon(uow, as_of, lead_days)
    trigger = rules.ReviewTrigger.AGREEMENT_EXPIRY
    rows += [open_values(uow, r.customer_id, trigger, str(r.id), r.valid_to) for r in ending]
    trigger = rules.ReviewTrigger.LARGE_ORDER
    rows += [open_values(uow, c, trigger, str(o), due) for c, o in await _large_orders(uow, as_of)]
    return await open_reviews(uow, rows)


async def _large_orders(uow: UnitOfWork, as_of: date) -> list[tuple[UUID, UUID]]:
    """(customer, order) for each recent order above the large-order share of the customer's
    limit in force: standard plus running increases, the order converted by the rate book."""
    since = as_of - timedelta(days=EVENT_LOOKBACK_DAYS)
    orders = list(await uow.conn.execute(_NEW_ORDERS, {"as_of": as_of, "since": since}))
    if not orders:
        return []
    records: dict[UUID, list[LimitRecord]] = {}
    params = {"customers": sorted({o.customer_id for o in orders}), "as_of": as_of}
    for r in await uow.conn.execute(_LIMITS, params):
        records.setdefault(r.customer_id, []).append(limit_record(r))
    currencies = {o.currency.strip() for o in orders}
    currencies |= {x.amount.currency for rs in records.values() for x in rs}
    base = (await class_policy.load(uow.conn)).base_currency
    book = await rates.book_for(uow.conn, currencies, as_of, base)
    limits = {c: rules.measured_limit(in_force(rs, as_of), book) for c, rs in records.items()}
    share = rules.DEFAULT_LARGE_ORDER_SHARE
    return [
        (o.customer_id, o.id)
        for o in orders
        if rules.large_order(
            Money(int(o.amount_minor), o.currency.strip()), limits.get(o.customer_id), share, book
        )
    ]


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
