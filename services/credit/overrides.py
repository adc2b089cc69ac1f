"""Manual overrides of a customer's class by a credit manager, always with a reason.

A downgrade takes effect at once. An upgrade (and a first class better than D) waits for a
second credit manager, never the requester (four eyes). While an applied override holds (until
its end date, by default the class's review interval), scores are recorded but do not move the
class.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.credit_analysis_tables import class_overrides
from dbschema.queries import audit
from dbschema.tables import customers
from domain.audit import AuditAction
from domain.credit.classes import (
    Direction,
    RatingClass,
    check_second_approver,
    direction,
    parse_class,
)
from domain.credit.dates import check_date, months_before
from domain.errors import DomainError, NotFound, ValidationFailed
from services.credit.classes import ClassChange, set_class
from services.uow import UnitOfWork

MAX_TEXT = 2000
#: Review interval per class in months (A 12, B 6, C 3, D 1, the source practice's schedule);
#: an override holds until the next review. Part B's class policy replaces this after merging.
REVIEW_INTERVAL_MONTHS = {"A": 12, "B": 6, "C": 3, "D": 1}
ENTITY = "ClassOverride"


@dataclass(frozen=True)
class Override:
    """A request to override a class, and what became of it."""

    id: UUID
    customer_id: UUID
    from_class: str | None
    to_class: str
    direction: str
    reason: str
    status: str
    valid_until: date | None
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None


@dataclass(frozen=True)
class OverrideOutcome:
    """The override, and the class change when it was applied."""

    override: Override
    class_change: ClassChange | None


def override_of(row: Any) -> Override:
    """A row as the service's result."""
    m = row._mapping if hasattr(row, "_mapping") else row
    return Override(
        id=m["id"],
        customer_id=m["customer_id"],
        from_class=(m["from_class"] or "").strip() or None,
        to_class=m["to_class"].strip(),
        direction=m["direction"],
        reason=m["reason"],
        status=m["status"],
        valid_until=m["valid_until"],
        requested_by=m["requested_by"],
        requested_at=m["requested_at"],
        decided_by=m["decided_by"],
        decided_at=m["decided_at"],
        decision_note=m["decision_note"],
    )


def _text(value: str | None, field: str, errors: list[DomainError], required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        errors.append(DomainError("REQUIRED", "an override needs a reason", field))
    if len(text) > MAX_TEXT:
        errors.append(DomainError("TOO_LONG", f"at most {MAX_TEXT} characters", field))
    return text


def needs_second_approver(way: Direction, to: RatingClass) -> bool:
    """Upgrades wait for four eyes; so does a first class, unless it is D."""
    return way == Direction.UPGRADE or (way == Direction.INITIAL and to != RatingClass.D)


def default_end(decided_on: date, rating: str) -> date:
    """An override holds until the class's next review."""
    return months_before(decided_on, -REVIEW_INTERVAL_MONTHS[rating])


async def _audit(uow: UnitOfWork, o: Override, verb: AuditAction, changes: dict[str, Any]) -> None:
    await audit.record(
        uow.conn,
        tenant_id=uow.tenant_id,
        entity_type=ENTITY,
        entity_id=o.id,
        customer_id=o.customer_id,
        action=verb,
        actor=uow.actor.subject,
        request_id=uow.actor.request_id,
        changes=changes,
    )


async def _apply(uow: UnitOfWork, o: Override, today: date) -> OverrideOutcome:
    end = o.valid_until or default_end(today, o.to_class)
    row = (
        await uow.conn.execute(
            class_overrides.update()
            .where(class_overrides.c.id == o.id)
            .values(
                status="APPLIED",
                valid_until=end,
                decided_by=uow.actor.subject,
                decided_at=sa.func.now(),
            )
            .returning(class_overrides)
        )
    ).one()
    applied = override_of(row)
    change = await set_class(
        uow, o.customer_id, o.to_class, f"override: {o.reason}", "OVERRIDE", override_id=o.id
    )
    return OverrideOutcome(applied, change)


async def request_override(
    uow: UnitOfWork,
    customer_id: UUID,
    new_class: str,
    reason: str,
    valid_until: date | None,
    today: date,
) -> OverrideOutcome:
    """Ask for a class; a downgrade applies now, an upgrade waits for a second manager."""
    errors: list[DomainError] = []
    text = _text(reason, "reason", errors, required=True)
    rating: RatingClass | None = None
    try:
        rating = parse_class(new_class, "ratingClass")
    except DomainError as exc:
        errors.append(exc)
    if valid_until is not None:
        try:
            check_date(valid_until, "validUntil")
            if valid_until < today:
                errors.append(DomainError("INVALID_DATE", "the end lies in the past", "validUntil"))
        except DomainError as exc:
            errors.append(exc)
    if errors or rating is None:
        raise ValidationFailed(errors)
    row = (
        await uow.conn.execute(
            sa.select(customers.c.rating_class)
            .where(customers.c.id == customer_id)
            .with_for_update()
        )
    ).first()
    if row is None:
        raise NotFound("customerId", "customer")
    before = (row.rating_class or "").strip() or None
    way = direction(RatingClass(before) if before else None, rating)
    if way == Direction.UNCHANGED:
        raise DomainError("SAME_CLASS", f"the customer is class {before} already", "ratingClass")
    pending = await uow.conn.scalar(
        sa.select(class_overrides.c.id).where(
            class_overrides.c.customer_id == customer_id, class_overrides.c.status == "PENDING"
        )
    )
    if pending is not None:
        raise DomainError(
            "OVERRIDE_PENDING", "an override of this customer awaits approval", "customerId"
        )
    created = (
        await uow.conn.execute(
            class_overrides.insert()
            .values(
                tenant_id=uow.tenant_id,
                customer_id=customer_id,
                from_class=before,
                to_class=rating.value,
                direction=way.value,
                reason=text,
                status="PENDING",
                valid_until=valid_until,
                requested_by=uow.actor.subject,
            )
            .returning(class_overrides)
        )
    ).one()
    o = override_of(created)
    await _audit(
        uow,
        o,
        AuditAction.REQUEST_CLASS_OVERRIDE,
        {
            "ratingClass": {"before": before, "after": o.to_class},
            "reason": {"before": None, "after": text},
        },
    )
    if needs_second_approver(way, rating):
        return OverrideOutcome(o, None)
    return await _apply(uow, o, today)


async def decide_override(
    uow: UnitOfWork, override_id: UUID, approve: bool, note: str | None, today: date
) -> OverrideOutcome:
    """Approve (a second credit manager, not the requester) or reject a pending upgrade."""
    errors: list[DomainError] = []
    text = _text(note, "note", errors, required=False) or None
    if errors:
        raise ValidationFailed(errors)
    row = (
        await uow.conn.execute(
            sa.select(class_overrides).where(class_overrides.c.id == override_id).with_for_update()
        )
    ).first()
    if row is None:
        raise NotFound("id", "class override")
    o = override_of(row)
    if o.status != "PENDING":
        raise DomainError("INVALID_STATUS", f"the override is {o.status.lower()}", "id")
    check_second_approver(o.requested_by, uow.actor.subject)
    current = await uow.conn.scalar(
        sa.select(customers.c.rating_class).where(customers.c.id == o.customer_id).with_for_update()
    )
    if approve and ((current or "").strip() or None) != o.from_class:
        raise DomainError(
            "CLASS_CHANGED", "the class changed since the request; request again", "id"
        )
    await uow.conn.execute(
        class_overrides.update().where(class_overrides.c.id == o.id).values(decision_note=text)
    )
    verdict = "APPLIED" if approve else "REJECTED"
    await _audit(
        uow,
        o,
        AuditAction.DECIDE_CLASS_OVERRIDE,
        {"status": {"before": "PENDING", "after": verdict}},
    )
    if approve:
        return await _apply(uow, o, today)
    rejected = (
        await uow.conn.execute(
            class_overrides.update()
            .where(class_overrides.c.id == o.id)
            .values(status="REJECTED", decided_by=uow.actor.subject, decided_at=sa.func.now())
            .returning(class_overrides)
        )
    ).one()
    return OverrideOutcome(override_of(rejected), None)


async def change_by_hand(
    uow: UnitOfWork, customer_id: UUID, new_class: str, reason: str, source: str, today: date
) -> tuple[ClassChange | None, Override | None]:
    """A class a person chose outside an override (a review, an application decision): a
    downgrade applies at once, an upgrade (or a first class better than D) becomes an override
    request that a second credit manager approves, never its requester (four eyes)."""
    rating = parse_class(new_class, "ratingClass")
    current = await uow.conn.scalar(
        sa.select(customers.c.rating_class).where(customers.c.id == customer_id)
    )
    before = (current or "").strip() or None
    if needs_second_approver(direction(RatingClass(before) if before else None, rating), rating):
        asked = await request_override(
            uow, customer_id, rating.value, f"{source.lower()}: {reason}"[:MAX_TEXT], None, today
        )
        return None, asked.override
    return await set_class(uow, customer_id, rating, reason, source), None
