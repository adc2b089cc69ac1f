"""Credit-insurance policies: recorded once, read by the clock, claims and declarations; the
records the insurance services hand back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

import sqlalchemy as sa

from dbschema.risk_insurance_tables import insurance_policies
from domain.audit import AuditAction
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.money import Money
from domain.risk.insurance_policy import PolicyInput, PolicyTerms, check_policy
from domain.risk.transfer import attempt
from services import audit
from services.inputs import MoneyIn
from services.uow import UnitOfWork

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PolicyIn:
    """A policy as the API received it: money as decimal strings with their currency."""

    insurer: str
    policy_number: str
    starts_on: date
    ends_on: date
    max_liability: MoneyIn
    premium_rate_percent: str
    indemnity_percent: str | None = None
    deductible: MoneyIn | None = None
    deductible_kind: str | None = None
    max_credit_days: int | None = None
    notification_days: int | None = None
    max_extension_days: int | None = None
    claim_filing_days: int | None = None
    recovery_share_percent: str | None = None
    cover_required: bool = False


@dataclass(frozen=True, slots=True)
class PolicyRecord:
    """A stored policy."""

    id: UUID
    terms: PolicyTerms
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CoverRecord:
    """A buyer cover as it stands now (its decisions are read separately)."""

    id: UUID
    policy_id: UUID
    customer_id: UUID
    currency: str
    status: str
    requested_minor: int
    limit_minor: int
    effective_on: date
    version: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ActionRecord:
    """Something the insurer requires of us about a customer, by a date."""

    id: UUID
    policy_id: UUID
    customer_id: UUID
    description: str
    due_on: date
    completed_on: date | None


def terms_of(row: Any) -> PolicyTerms:
    """Policy terms from a stored row."""
    from domain.risk.insurance_policy import DeductibleKind

    return PolicyTerms(
        insurer=row.insurer,
        policy_number=row.policy_number,
        currency=row.currency.strip(),
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        indemnity_percent=Decimal(row.indemnity_percent),
        max_liability_minor=row.max_liability_minor,
        deductible_minor=row.deductible_minor,
        deductible_kind=DeductibleKind(row.deductible_kind),
        max_credit_days=row.max_credit_days,
        notification_days=row.notification_days,
        max_extension_days=row.max_extension_days,
        claim_filing_days=row.claim_filing_days,
        premium_rate_percent=Decimal(row.premium_rate_percent),
        recovery_share_percent=Decimal(row.recovery_share_percent),
        cover_required=row.cover_required,
    )


def policy_of(row: Any) -> PolicyRecord:
    """A policy record from its row."""
    return PolicyRecord(row.id, terms_of(row), row.created_at)


def cover_of(row: Any, currency: str) -> CoverRecord:
    """A cover record from its row and its policy's currency."""
    return CoverRecord(
        row.id,
        row.policy_id,
        row.customer_id,
        currency.strip(),
        row.status,
        row.requested_minor,
        row.limit_minor,
        row.effective_on,
        row.version,
        row.created_at,
    )


def money_or_error(value: MoneyIn, field: str, errors: list[DomainError]) -> Money | None:
    return attempt(errors, Money.parse, value.amount, value.currency, field)


async def create_policy(uow: UnitOfWork, data: PolicyIn) -> PolicyRecord:
    """Record a policy; its period may not overlap another policy of its currency (so each
    delivery falls under one policy at most)."""
    errors: list[DomainError] = []
    liability = money_or_error(data.max_liability, "maxLiability", errors)
    deductible = money_or_error(data.deductible, "deductible", errors) if data.deductible else None
    if liability and deductible and deductible.currency != liability.currency:
        errors.append(
            DomainError("CURRENCY_MISMATCH", "in the policy's currency", "deductible.currency")
        )
    currency = liability.currency if liability else "CNY"
    given = {
        k: v
        for k, v in {
            "indemnity_percent": data.indemnity_percent,
            "deductible_kind": data.deductible_kind,
            "max_credit_days": data.max_credit_days,
            "notification_days": data.notification_days,
            "max_extension_days": data.max_extension_days,
            "claim_filing_days": data.claim_filing_days,
        }.items()
        if v is not None
    }
    try:
        terms = check_policy(
            PolicyInput(
                insurer=data.insurer,
                policy_number=data.policy_number,
                currency=currency,
                starts_on=data.starts_on,
                ends_on=data.ends_on,
                max_liability_minor=liability.minor if liability else 1,
                premium_rate_percent=data.premium_rate_percent,
                deductible_minor=deductible.minor if deductible else 0,
                recovery_share_percent=data.recovery_share_percent,
                cover_required=data.cover_required,
                **given,  # type: ignore[arg-type]
            )
        )
    except ValidationFailed as exc:
        errors.extend(exc.errors)
        terms = None
    if errors or terms is None:
        raise ValidationFailed(errors)
    p = insurance_policies.c
    if await uow.conn.scalar(sa.select(p.id).where(p.policy_number == terms.policy_number)):
        raise DomainError("DUPLICATE_NUMBER", "a policy with this number exists", "policyNumber")
    overlap = await uow.conn.scalar(
        sa.select(p.policy_number).where(
            p.currency == terms.currency, p.starts_on <= terms.ends_on, p.ends_on >= terms.starts_on
        )
    )
    if overlap:
        raise DomainError(
            "POLICY_OVERLAP", f"policy {overlap} already covers part of this period", "startsOn"
        )
    row = (
        await uow.conn.execute(
            insurance_policies.insert()
            .values(
                tenant_id=uow.tenant_id,
                insurer=terms.insurer,
                policy_number=terms.policy_number,
                currency=terms.currency,
                starts_on=terms.starts_on,
                ends_on=terms.ends_on,
                indemnity_percent=terms.indemnity_percent,
                max_liability_minor=terms.max_liability_minor,
                deductible_minor=terms.deductible_minor,
                deductible_kind=terms.deductible_kind.value,
                max_credit_days=terms.max_credit_days,
                notification_days=terms.notification_days,
                max_extension_days=terms.max_extension_days,
                claim_filing_days=terms.claim_filing_days,
                premium_rate_percent=terms.premium_rate_percent,
                recovery_share_percent=terms.recovery_share_percent,
                cover_required=terms.cover_required,
                created_by=uow.actor.subject,
            )
            .returning(insurance_policies)
        )
    ).one()
    await audit.record(
        uow,
        AuditAction.CREATE_INSURANCE_POLICY,
        "InsurancePolicy",
        row.id,
        None,
        {"policyNumber": {"before": None, "after": terms.policy_number}},
    )
    return policy_of(row)


async def locked_policy(uow: UnitOfWork, policy_id: UUID, field: str = "policyId") -> Any:
    """A policy row (shared lock: its terms cannot change under a claim), or NOT_FOUND."""
    row = (
        await uow.conn.execute(
            sa.select(insurance_policies)
            .where(insurance_policies.c.id == policy_id)
            .with_for_update(read=True)
        )
    ).first()
    if row is None:
        raise NotFound(field, "insurance policy")
    return row


def action_of(row: Any) -> ActionRecord:
    """An action record from its row."""
    return ActionRecord(
        row.id, row.policy_id, row.customer_id, row.description, row.due_on, row.completed_on
    )
