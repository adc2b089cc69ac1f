"""Credit agreements: drawn up, signed (which supersedes the customer's earlier one), ended.

The agreement is the written record of what the customer accepted; the limit and terms in
force stay with the limit and terms services (an application's approval sets those). The
expiry sweep ends each lapsed agreement once; the review sweep opens a review before one ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.credit_application_tables import credit_agreements
from dbschema.queries import customers as customer_queries
from dbschema.queries.events import record_event
from domain.audit import AuditAction
from domain.credit import credit_agreements as rules
from domain.credit.bounds import clean_text
from domain.errors import DomainError, NotFound
from domain.money import Money
from services.configuration import payment_terms
from services.credit.trail import audited
from services.read_session import ReadSession
from services.uow import UnitOfWork

TOPIC = "credit.agreement_changed"


@dataclass(frozen=True)
class AgreementView:
    """An agreement as stored."""

    id: UUID
    customer_id: UUID
    number: str | None
    status: str
    limit: Money
    terms_code: str
    late_interest_daily_rate: Decimal
    guarantees: tuple[rules.Guarantee, ...]
    dispute_venue: str
    venue_name: str
    signed_on: date | None
    valid_from: date
    valid_to: date
    document_ref: str | None
    application_id: UUID | None


@dataclass(frozen=True)
class AgreementIn:
    """A new agreement as the API sends it (the limit parsed by the service)."""

    customer_id: UUID
    limit_amount: str
    limit_currency: str
    payment_terms_code: str | None
    late_interest_daily_rate: str | None
    guarantees: Sequence[rules.GuaranteeIn]
    dispute_venue: str
    venue_name: str | None
    valid_from: date
    valid_to: date | None = None
    signed_on: date | None = None
    number: str | None = None
    document_ref: str | None = None
    application_id: UUID | None = None


def view_of(row: Any) -> AgreementView:
    """An agreement from its stored row."""
    return AgreementView(
        row.id,
        row.customer_id,
        row.number,
        row.status,
        Money(int(row.limit_minor), row.currency.strip()),
        row.terms_code,
        Decimal(row.late_interest_daily_rate).normalize(),
        tuple(rules.Guarantee.from_json(g) for g in row.guarantees),
        row.dispute_venue,
        row.venue_name,
        row.signed_on,
        row.valid_from,
        row.valid_to,
        row.document_ref,
        row.application_id,
    )


async def _supersede(uow: UnitOfWork, customer_id: UUID, keep: UUID) -> None:
    await uow.conn.execute(
        credit_agreements.update()
        .where(
            credit_agreements.c.customer_id == customer_id,
            credit_agreements.c.status == "ACTIVE",
            credit_agreements.c.id != keep,
        )
        .values(status="SUPERSEDED", updated_at=sa.func.now())
    )


async def _publish(uow: UnitOfWork, row: Any, change: str) -> None:
    await record_event(
        uow.conn,
        uow.tenant_id,
        TOPIC,
        {
            "change": change,
            "agreementId": str(row.id),
            "customerId": str(row.customer_id),
            "validTo": row.valid_to.isoformat(),
        },
    )


async def create(uow: UnitOfWork, data: AgreementIn, today: date) -> AgreementView:
    """Draw up an agreement (signed at once when a signing date is given)."""
    limit = Money.parse(data.limit_amount, data.limit_currency, "limit")
    terms = rules.check_agreement(
        number=data.number,
        limit=limit,
        terms_code=data.payment_terms_code,
        rate=data.late_interest_daily_rate,
        guarantees=list(data.guarantees),
        venue=data.dispute_venue,
        venue_name=data.venue_name,
        signed_on=data.signed_on,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        document_ref=data.document_ref,
        today=today,
    )
    if not await customer_queries.by_ids(uow.conn, [data.customer_id]):
        raise NotFound("customerId", "customer")
    if not await payment_terms.exists(uow, terms.terms_code):
        raise DomainError("NOT_FOUND", f"no payment terms {terms.terms_code!r}", "paymentTermsCode")
    status = "DRAFT" if terms.signed_on is None else "ACTIVE"
    row = (
        await uow.conn.execute(
            credit_agreements.insert()
            .values(
                tenant_id=uow.tenant_id,
                customer_id=data.customer_id,
                number=terms.number,
                status=status,
                currency=limit.currency,
                limit_minor=limit.minor,
                terms_code=terms.terms_code,
                late_interest_daily_rate=terms.late_interest_daily_rate,
                guarantees=[g.to_json() for g in terms.guarantees],
                dispute_venue=terms.venue.value,
                venue_name=terms.venue_name,
                signed_on=terms.signed_on,
                valid_from=terms.valid_from,
                valid_to=terms.valid_to,
                document_ref=terms.document_ref,
                application_id=data.application_id,
                created_by=uow.actor.subject,
            )
            .returning(credit_agreements)
        )
    ).one()
    if status == "ACTIVE":
        await _supersede(uow, data.customer_id, row.id)
    await audited(
        uow,
        "CreditAgreement",
        row.id,
        data.customer_id,
        AuditAction.CREATE_CREDIT_AGREEMENT,
        {"status": {"before": None, "after": status}},
    )
    await _publish(uow, row, "CREATED" if status == "DRAFT" else "SIGNED")
    return view_of(row)


async def sign(
    uow: UnitOfWork, agreement_id: UUID, signed_on: date, document_ref: str | None, today: date
) -> AgreementView:
    """Record a draft as signed: it is in force, and the customer's earlier one superseded."""
    row = (
        await uow.conn.execute(
            sa.select(credit_agreements)
            .where(credit_agreements.c.id == agreement_id)
            .with_for_update()
        )
    ).first()
    if row is None:
        raise NotFound("id", "credit agreement")
    rules.check_signature(signed_on, today, rules.AgreementStatus(row.status))
    errors: list[DomainError] = []
    ref = clean_text(document_ref, "documentRef", rules.MAX_DOCUMENT_REF, errors, False)
    if errors:
        raise errors[0]
    stored = (
        await uow.conn.execute(
            credit_agreements.update()
            .where(credit_agreements.c.id == agreement_id)
            .values(
                status="ACTIVE",
                signed_on=signed_on,
                document_ref=ref or row.document_ref,
                updated_at=sa.func.now(),
                version=credit_agreements.c.version + 1,
            )
            .returning(credit_agreements)
        )
    ).one()
    await _supersede(uow, row.customer_id, row.id)
    await audited(
        uow,
        "CreditAgreement",
        row.id,
        row.customer_id,
        AuditAction.SIGN_CREDIT_AGREEMENT,
        {"status": {"before": row.status, "after": "ACTIVE"}},
    )
    await _publish(uow, stored, "SIGNED")
    return view_of(stored)


async def expire_agreements(uow: UnitOfWork, as_of: date) -> int:
    """End every agreement in force whose last day is before `as_of` (once: it is EXPIRED
    afterwards, so the sweep is idempotent per date and across dates)."""
    rows = list(
        await uow.conn.execute(
            credit_agreements.update()
            .where(credit_agreements.c.status == "ACTIVE", credit_agreements.c.valid_to < as_of)
            .values(status="EXPIRED", updated_at=sa.func.now())
            .returning(credit_agreements)
        )
    )
    for row in rows:
        await audited(
            uow,
            "CreditAgreement",
            row.id,
            row.customer_id,
            AuditAction.EXPIRE_CREDIT_AGREEMENT,
            {"status": {"before": "ACTIVE", "after": "EXPIRED"}},
        )
        await _publish(uow, row, "EXPIRED")
    return len(rows)


async def by_ids(session: ReadSession, ids: Sequence[UUID]) -> list[AgreementView | None]:
    """Agreements by id in the given order (None where absent)."""

    async def run(conn: Any) -> list[AgreementView | None]:
        rows = {
            r.id: view_of(r)
            for r in await conn.execute(
                sa.select(credit_agreements).where(credit_agreements.c.id.in_(list(ids)))
            )
        }
        return [rows.get(i) for i in ids]

    result: list[AgreementView | None] = await session.run(run)
    return result


async def for_customer(session: ReadSession, customer_id: UUID) -> list[AgreementView]:
    """A customer's agreements, the latest ending first."""

    async def run(conn: Any) -> list[AgreementView]:
        rows = await conn.execute(
            sa.select(credit_agreements)
            .where(credit_agreements.c.customer_id == customer_id)
            .order_by(credit_agreements.c.valid_to.desc(), credit_agreements.c.created_at.desc())
        )
        return [view_of(r) for r in rows]

    result: list[AgreementView] = await session.run(run)
    return result
