"""Credit reviews: recorded with a checklist and an outcome applied like a manual change.

A DOWNGRADE goes through `classes.set_class` (source REVIEW), an UPGRADE files an override
request that a second credit manager approves (`overrides.change_by_hand`), CHANGE_LIMIT files
a limit through `limits.set_limit` (basis REVIEW, so the approval matrix applies), CHANGE_TERMS
through `set_credit_terms`, HOLD through `holds.set_hold`. The open reviews of the customer
are completed by it, and the outcome is logged as a REVIEW decision that replays.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from dbschema.credit_application_tables import credit_reviews
from dbschema.queries import customers as customer_queries
from dbschema.queries.events import record_event, record_events
from domain.audit import AuditAction
from domain.credit import reviews as rules
from domain.credit.bounds import date_error
from domain.errors import DomainError, NotFound
from services.configuration import payment_terms
from services.credit import holds, limits, overrides
from services.credit.decisions import record_decision, register_replayer
from services.credit.trail import audited
from services.customers import credit_files
from services.customers.master_data import set_credit_terms
from services.inputs import MoneyIn
from services.read_session import ReadSession, by_ids
from services.uow import UnitOfWork
from services.warnings import signals

TOPIC_OPENED = "credit.review_opened"
TOPIC_COMPLETED = "credit.review_completed"
#: An open review past its due date raises this warning; recording the review settles it.
OVERDUE_WARNING = "CREDIT_REVIEW_OVERDUE"
#: One review per customer and cause (the table's unique key).
CAUSE = ("tenant_id", "customer_id", "trigger", "source_ref")
MAX_HOLD_REASON = 500  #: what a credit hold's reason holds (services/credit/holds.py)

register_replayer("REVIEW", rules.replay_review)


@dataclass(frozen=True)
class ReviewView:
    """A review, open or done."""

    id: UUID
    customer_id: UUID
    trigger: str
    source_ref: str
    status: str
    due_on: date
    reviewed_on: date | None
    checklist: rules.Checklist | None
    outcome: str | None
    outcome_detail: dict[str, Any] | None
    reason: str | None
    decided_by: str | None
    warned_on: date | None


def view_of(row: Any) -> ReviewView:
    """A review from its stored row."""
    check = row.checklist
    return ReviewView(
        row.id,
        row.customer_id,
        row.trigger,
        row.source_ref,
        row.status,
        row.due_on,
        row.reviewed_on,
        None
        if check is None
        else rules.Checklist(
            bool(check.get("statementsUpdated")),
            bool(check.get("bureauRefreshed")),
            bool(check.get("visitDone")),
            bool(check.get("agreementValid")),
        ),
        row.outcome,
        row.outcome_detail,
        row.reason,
        row.decided_by,
        row.warned_on,
    )


def open_values(
    uow: UnitOfWork, customer_id: UUID, trigger: rules.ReviewTrigger, source: str, due_on: date
) -> dict[str, Any]:
    """The row of a newly opened review."""
    return {
        "tenant_id": uow.tenant_id,
        "customer_id": customer_id,
        "trigger": trigger.value,
        "source_ref": source,
        "due_on": due_on,
        "created_by": uow.actor.subject,
    }


async def open_reviews(uow: UnitOfWork, rows: Sequence[dict[str, Any]]) -> int:
    """Open reviews, each once per cause (a rerun inserts nothing); publishes the new ones."""
    if not rows:
        return 0
    stored = list(
        await uow.conn.execute(
            insert(credit_reviews)
            .values(list(rows))
            .on_conflict_do_nothing(index_elements=list(CAUSE))
            .returning(credit_reviews.c.id, credit_reviews.c.customer_id, credit_reviews.c.trigger)
        )
    )
    payloads = [
        {"reviewId": str(r.id), "customerId": str(r.customer_id), "trigger": r.trigger}
        for r in stored
    ]
    await record_events(uow.conn, uow.tenant_id, TOPIC_OPENED, payloads)
    return len(stored)


async def _apply(
    uow: UnitOfWork, customer_id: UUID, c: rules.CheckedOutcome, on: date, today: date
) -> dict[str, str | None]:
    """Apply the outcome as a manual change would; what it filed (a limit request, or an
    upgrade's override request awaiting a second credit manager)."""
    if c.rating_class is not None:
        _, asked = await overrides.change_by_hand(
            uow, customer_id, c.rating_class, c.reason, "REVIEW", today
        )
        return {"classOverrideId": None if asked is None else str(asked.id)}
    if c.limit is not None:
        money = MoneyIn(c.limit.to_decimal_string(), c.limit.currency)
        request = await limits.set_limit(
            uow, customer_id, money, on, c.limit_valid_to, basis="REVIEW", note=c.reason, today=on
        )
        return {"limitRequestId": str(request.id)}
    if c.payment_terms_code is not None:
        await set_credit_terms(uow, customer_id, None, payment_terms_code=c.payment_terms_code)
    elif c.outcome == rules.ReviewOutcome.HOLD:
        await holds.set_hold(uow, customer_id, True, c.reason[:MAX_HOLD_REASON])
    return {}


async def record(
    uow: UnitOfWork,
    customer_id: UUID,
    reviewed_on: date,
    checklist: rules.Checklist,
    given: rules.OutcomeIn,
    today: date,
) -> ReviewView:
    """Record a review: the file is marked reviewed, the outcome applied, the customer's open
    reviews completed (or a MANUAL one recorded), the decision logged and published."""
    problem = date_error(reviewed_on, "reviewedOn")
    if problem:
        raise problem
    found = await customer_queries.by_ids(uow.conn, [customer_id])
    if not found:
        raise NotFound("customerId", "customer")
    current = found[0].rating_class
    checked = rules.check_outcome(given, current)
    code = checked.payment_terms_code
    if code is not None and not await payment_terms.exists(uow, code):
        raise DomainError("NOT_FOUND", f"no payment terms {code!r}", "paymentTermsCode")
    await credit_files.record_review(uow, customer_id, reviewed_on, today)
    filed = await _apply(uow, customer_id, checked, reviewed_on, today)
    detail = {**checked.to_json(), "limitRequestId": None, **filed}
    done = {
        "status": "DONE",
        "reviewed_on": reviewed_on,
        "checklist": checklist.to_json(),
        "outcome": checked.outcome.value,
        "outcome_detail": detail,
        "reason": checked.reason or None,
        "decided_by": uow.actor.subject,
        "updated_at": sa.func.now(),
    }
    rows = list(
        await uow.conn.execute(
            credit_reviews.update()
            .where(credit_reviews.c.customer_id == customer_id, credit_reviews.c.status == "OPEN")
            .values(**done, version=credit_reviews.c.version + 1)
            .returning(credit_reviews)
        )
    )
    if not rows:
        manual = open_values(
            uow, customer_id, rules.ReviewTrigger.MANUAL, uuid.uuid4().hex, reviewed_on
        )
        rows = [
            (
                await uow.conn.execute(
                    credit_reviews.insert().values(**manual, **done).returning(credit_reviews)
                )
            ).one()
        ]
    review = view_of(rows[0])
    await signals.settle(uow, customer_id, OVERDUE_WARNING, "credit review recorded")
    snapshot = {
        **rules.outcome_snapshot(given, current),
        "checklist": checklist.to_json(),
        "reviewedOn": reviewed_on.isoformat(),
    }
    decision_id = await record_decision(
        uow, "REVIEW", review.id, snapshot, checked.to_json(), {}, customer_id=customer_id
    )
    for row in rows:
        await audited(
            uow,
            "CreditReview",
            row.id,
            customer_id,
            AuditAction.COMPLETE_CREDIT_REVIEW,
            {"outcome": {"before": None, "after": detail}, "checklist": checklist.to_json()},
        )
    await record_event(
        uow.conn,
        uow.tenant_id,
        TOPIC_COMPLETED,
        {
            "reviewId": str(review.id),
            "customerId": str(customer_id),
            "outcome": checked.outcome.value,
            "decisionId": str(decision_id),
        },
    )
    return review


async def for_customer(
    session: ReadSession, customer_ids: Sequence[UUID]
) -> dict[UUID, list[ReviewView]]:
    """Each customer's reviews, the latest due first (a loader's batch)."""

    async def run(conn: Any) -> dict[UUID, list[ReviewView]]:
        rows = await conn.execute(
            sa.select(credit_reviews)
            .where(credit_reviews.c.customer_id.in_(list(customer_ids)))
            .order_by(credit_reviews.c.due_on.desc(), credit_reviews.c.created_at.desc())
        )
        out: dict[UUID, list[ReviewView]] = {i: [] for i in customer_ids}
        for r in rows:
            out[r.customer_id].append(view_of(r))
        return out

    result: dict[UUID, list[ReviewView]] = await session.run(run)
    return result


async def reviews_by_ids(session: ReadSession, ids: list[UUID]) -> list[ReviewView | None]:
    """Reviews in the order asked (for `node`), None where the tenant has none."""
    return await by_ids(session, sa.select(credit_reviews), credit_reviews.c.id, ids, view_of)
