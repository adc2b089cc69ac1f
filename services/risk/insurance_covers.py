"""Buyer covers and the insurer's required actions: decisions kept in order, applied to
deliveries from their effective date only; a cut or cancellation raises a SEVERE warning and
every change of the limit is published as `risk.cover_changed`; under a policy that requires
cover, a cut also puts the customer on credit hold (new credit blocked until it is lifted)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.queries import customers as customer_queries
from dbschema.queries.events import record_event
from dbschema.risk_insurance_tables import (
    buyer_covers,
    cover_decisions,
    insurance_policies,
    insurer_actions,
)
from domain.audit import AuditAction
from domain.dates import check_date
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.money import Money
from domain.risk.insurance_covers import CoverStatus, blocks_credit, check_decision, is_cut
from domain.risk.transfer import TEXT_MAX, attempt, check_text
from services import audit
from services.credit import holds
from services.inputs import MoneyIn
from services.risk.insurance import (
    ActionRecord,
    CoverRecord,
    action_of,
    cover_of,
    money_or_error,
)
from services.uow import UnitOfWork
from services.warnings import triggers
from services.warnings.signals import raise_warning

TOPIC_COVER = "risk.cover_changed"
COVER_CUT = "INSURANCE_COVER_CUT"  #: the warning a cut or cancelled cover raises


async def request_cover(
    uow: UnitOfWork,
    policy_id: UUID,
    customer_id: UUID,
    amount: MoneyIn,
    effective_on: date,
    note: str | None,
) -> CoverRecord:
    """Ask the insurer for a cover on a customer (again, after a cancellation or refusal)."""
    errors: list[DomainError] = []
    policy = (
        await uow.conn.execute(
            sa.select(insurance_policies).where(insurance_policies.c.id == policy_id)
        )
    ).first()
    if policy is None:
        errors.append(NotFound("policyId", "insurance policy"))
    if not await customer_queries.by_ids(uow.conn, [customer_id]):
        errors.append(NotFound("customerId", "customer"))
    money = money_or_error(amount, "amount", errors)
    attempt(errors, check_date, effective_on, "effectiveOn")
    note = attempt(errors, check_text, note, "note", TEXT_MAX)
    if errors:
        raise ValidationFailed(errors)
    assert policy is not None and money is not None
    currency = policy.currency.strip()
    if money.currency != currency:
        raise DomainError("CURRENCY_MISMATCH", f"covers are in {currency}", "amount.currency")
    c = buyer_covers.c
    cover = (
        await uow.conn.execute(
            sa.select(buyer_covers)
            .where(c.policy_id == policy_id, c.customer_id == customer_id)
            .with_for_update()
        )
    ).first()
    if cover is None:
        check_decision(None, 0, None, CoverStatus.REQUESTED, money.minor, effective_on)
        cover = (
            await uow.conn.execute(
                buyer_covers.insert()
                .values(
                    tenant_id=uow.tenant_id,
                    policy_id=policy_id,
                    customer_id=customer_id,
                    status=CoverStatus.REQUESTED.value,
                    requested_minor=money.minor,
                    effective_on=effective_on,
                    created_by=uow.actor.subject,
                )
                .returning(buyer_covers)
            )
        ).one()
        await _append(uow, cover.id, CoverStatus.REQUESTED, money.minor, effective_on, note)
        await _audit(uow, cover, None, CoverStatus.REQUESTED, money.minor)
        return cover_of(cover, currency)
    return await _decide(
        uow, cover, currency, CoverStatus.REQUESTED, money.minor, effective_on, note, None
    )


async def decide_cover(
    uow: UnitOfWork,
    cover_id: UUID,
    status: str,
    amount: MoneyIn | None,
    effective_on: date,
    note: str | None,
    version: int | None,
) -> CoverRecord:
    """The insurer's decision on a cover: granted, reduced, cancelled or refused."""
    if status not in CoverStatus.__members__ or status == CoverStatus.REQUESTED.value:
        raise DomainError("INVALID_STATUS", "GRANTED, REDUCED, CANCELLED or REFUSED", "status")
    row = (
        await uow.conn.execute(
            sa.select(
                buyer_covers, insurance_policies.c.currency, insurance_policies.c.cover_required
            )
            .join(
                insurance_policies,
                sa.and_(
                    insurance_policies.c.tenant_id == buyer_covers.c.tenant_id,
                    insurance_policies.c.id == buyer_covers.c.policy_id,
                ),
            )
            .where(buyer_covers.c.id == cover_id)
            .with_for_update(of=buyer_covers)
        )
    ).first()
    if row is None:
        raise NotFound("id", "buyer cover")
    kind = CoverStatus(status)
    minor = 0
    if kind in (CoverStatus.GRANTED, CoverStatus.REDUCED):
        if amount is None:
            raise DomainError("REQUIRED", "the amount granted", "amount")
        money = Money.parse(amount.amount, amount.currency, "amount")
        if money.currency != row.currency.strip():
            raise DomainError(
                "CURRENCY_MISMATCH", f"covers are in {row.currency}", "amount.currency"
            )
        minor = money.minor
    note = check_text(note, "note", TEXT_MAX)
    return await _decide(
        uow, row, row.currency, kind, minor, effective_on, note, version, row.cover_required
    )


async def _decide(
    uow: UnitOfWork,
    cover: Any,
    currency: str,
    status: CoverStatus,
    minor: int,
    effective_on: date,
    note: str | None,
    version: int | None,
    cover_required: bool = False,
) -> CoverRecord:
    if version is not None and version != cover.version:
        raise DomainError("STALE_VERSION", "the cover changed since you read it", "version")
    check_decision(
        CoverStatus(cover.status),
        cover.limit_minor,
        cover.effective_on,
        status,
        minor,
        effective_on,
    )
    limit = cover.limit_minor
    if status in (CoverStatus.GRANTED, CoverStatus.REDUCED):
        limit = minor
    elif status in (CoverStatus.CANCELLED, CoverStatus.REFUSED):
        limit = 0
    values: dict[str, Any] = {
        "status": status.value,
        "limit_minor": limit,
        "effective_on": effective_on,
        "version": buyer_covers.c.version + 1,
    }
    if status is CoverStatus.REQUESTED:
        values["requested_minor"] = minor
    updated = (
        await uow.conn.execute(
            buyer_covers.update()
            .where(buyer_covers.c.id == cover.id)
            .values(**values)
            .returning(buyer_covers)
        )
    ).one()
    await _append(uow, cover.id, status, minor, effective_on, note)
    await _audit(uow, updated, cover.status, status, minor)
    if status is not CoverStatus.REQUESTED:
        before = cover.limit_minor
        payload = {
            "coverId": str(cover.id),
            "policyId": str(cover.policy_id),
            "customerId": str(cover.customer_id),
            "status": status.value,
            "limitBefore": Money(before, currency.strip()).to_decimal_string(),
            "limit": Money(limit, currency.strip()).to_decimal_string(),
            "currency": currency.strip(),
            "effectiveOn": effective_on.isoformat(),
        }
        await record_event(uow.conn, uow.tenant_id, TOPIC_COVER, payload)
        if is_cut(before, limit):
            await raise_warning(uow, cover.customer_id, COVER_CUT, "SEVERE", payload)
            # and the customer's warning rules run at once, not at night (contagion, responses)
            await triggers.cover_cancelled(
                uow, cover.customer_id, cover.id, min(effective_on, await triggers.today(uow))
            )
        if blocks_credit(cover_required, before, limit):
            reason = (
                f"insurance cover {status.value.lower()} to {payload['limit']} "
                f"{payload['currency']} from {payload['effectiveOn']}: the policy requires cover"
            )
            await holds.set_hold(uow, cover.customer_id, True, reason, source="WARNING")
    return cover_of(updated, currency)


async def _append(
    uow: UnitOfWork,
    cover_id: UUID,
    status: CoverStatus,
    minor: int,
    effective_on: date,
    note: str | None,
) -> None:
    await uow.conn.execute(
        cover_decisions.insert().values(
            tenant_id=uow.tenant_id,
            cover_id=cover_id,
            status=status.value,
            amount_minor=minor,
            effective_on=effective_on,
            note=note,
            created_by=uow.actor.subject,
        )
    )


async def _audit(
    uow: UnitOfWork, cover: Any, before: str | None, status: CoverStatus, minor: int
) -> None:
    await audit.record(
        uow,
        AuditAction.DECIDE_BUYER_COVER,
        "BuyerCover",
        cover.id,
        cover.customer_id,
        {"status": {"before": before, "after": status.value}, "amountMinor": {"after": minor}},
    )


async def add_action(
    uow: UnitOfWork, policy_id: UUID, customer_id: UUID, description: str, due_on: date
) -> ActionRecord:
    """Record what the insurer requires about a customer by a date (the daily job warns)."""
    errors: list[DomainError] = []
    if not (
        await uow.conn.execute(
            sa.select(insurance_policies.c.id).where(insurance_policies.c.id == policy_id)
        )
    ).first():
        errors.append(NotFound("policyId", "insurance policy"))
    if not await customer_queries.by_ids(uow.conn, [customer_id]):
        errors.append(NotFound("customerId", "customer"))
    text = attempt(errors, check_text, description, "description", TEXT_MAX, True)
    attempt(errors, check_date, due_on, "dueOn")
    if errors:
        raise ValidationFailed(errors)
    row = (
        await uow.conn.execute(
            insurer_actions.insert()
            .values(
                tenant_id=uow.tenant_id,
                policy_id=policy_id,
                customer_id=customer_id,
                description=text,
                due_on=due_on,
                created_by=uow.actor.subject,
            )
            .returning(insurer_actions)
        )
    ).one()
    return action_of(row)


async def complete_action(uow: UnitOfWork, action_id: UUID, completed_on: date) -> ActionRecord:
    """Mark a required action done (once)."""
    check_date(completed_on, "completedOn")
    row = (
        await uow.conn.execute(
            insurer_actions.update()
            .where(insurer_actions.c.id == action_id, insurer_actions.c.completed_on.is_(None))
            .values(completed_on=completed_on, completed_by=uow.actor.subject)
            .returning(insurer_actions)
        )
    ).first()
    if row is None:
        exists = await uow.conn.scalar(
            sa.select(insurer_actions.c.id).where(insurer_actions.c.id == action_id)
        )
        if exists is None:
            raise NotFound("id", "insurer action")
        raise DomainError("INVALID_STATUS", "the action is done already", "id")
    return action_of(row)
