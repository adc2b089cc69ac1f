"""Credit agreements: drawn up, signed (which supersedes the customer's earlier one), ended.

The agreement is the written record of what the customer accepted; the limit and terms in
force stay with the limit and terms services (an application's approval sets those). The
stored status says signed (ACTIVE) or ended; whether a signed one is in force is read as of a
day (domain rules.status_on), since it binds only from its first day and until a later-starting
one takes over. The sweep records each replacement and lapse once; the review sweep opens a
review before one ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
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
    """An agreement as stored, its status as of the day read (signed is not yet in force)."""

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


@dataclass(frozen=True)
class Ending:
    """An agreement in force that ends soon, with no signed successor: its review is due."""

    id: UUID
    customer_id: UUID
    valid_to: date


def view_of(row: Any, as_of: date, replaced: date | None = None) -> AgreementView:
    """An agreement from its stored row, its status as of `as_of` (`replaced`: the day a
    later-starting signed one takes over, if any)."""
    recorded = rules.AgreementStatus(row.status)
    return AgreementView(
        row.id,
        row.customer_id,
        row.number,
        rules.status_on(recorded, row.valid_from, row.valid_to, replaced, as_of).value,
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


_later = credit_agreements.alias("later")


def _later_signed() -> list[sa.ColumnElement[bool]]:
    """The customer's other signed agreements that start after this one (correlated)."""
    a, o = credit_agreements.c, _later.c
    return [
        o.tenant_id == a.tenant_id,
        o.customer_id == a.customer_id,
        o.status == "ACTIVE",
        o.id != a.id,
        o.valid_from > a.valid_from,
    ]


def _replaced_from() -> sa.ScalarSelect[Any]:
    """rules.replaced_from in SQL: the first start of a later signed one within this one's
    validity (null when none), so reads and the sweep agree on the day it takes over."""
    inside = _later.c.valid_from <= credit_agreements.c.valid_to
    return (
        sa.select(sa.func.min(_later.c.valid_from))
        .where(*_later_signed(), inside)
        .scalar_subquery()
    )


async def _supersede(
    uow: UnitOfWork, customer_id: UUID, keep: UUID, new_from: date, today: date
) -> None:
    """Supersede the customer's other signed agreements, except the one in force today when
    the new one starts later: that one runs until the new one starts (rules.keeps_running)."""
    others = await uow.conn.execute(
        sa.select(
            credit_agreements.c.id, credit_agreements.c.valid_from, credit_agreements.c.valid_to
        )
        .where(
            credit_agreements.c.customer_id == customer_id,
            credit_agreements.c.status == "ACTIVE",
            credit_agreements.c.id != keep,
        )
        .with_for_update()
    )
    ended = [
        o.id for o in others if not rules.keeps_running(o.valid_from, o.valid_to, new_from, today)
    ]
    if ended:
        await uow.conn.execute(
            credit_agreements.update()
            .where(credit_agreements.c.id.in_(ended))
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
        await _supersede(uow, data.customer_id, row.id, terms.valid_from, today)
    await audited(
        uow,
        "CreditAgreement",
        row.id,
        data.customer_id,
        AuditAction.CREATE_CREDIT_AGREEMENT,
        {"status": {"before": None, "after": status}},
    )
    await _publish(uow, row, "CREATED" if status == "DRAFT" else "SIGNED")
    return view_of(row, today)


async def sign(
    uow: UnitOfWork, agreement_id: UUID, signed_on: date, document_ref: str | None, today: date
) -> AgreementView:
    """Record a draft as signed: in force from its first day, when it supersedes the
    customer's earlier one (at once if that day has come)."""
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
    await _supersede(uow, row.customer_id, row.id, row.valid_from, today)
    await audited(
        uow,
        "CreditAgreement",
        row.id,
        row.customer_id,
        AuditAction.SIGN_CREDIT_AGREEMENT,
        {"status": {"before": row.status, "after": "ACTIVE"}},
    )
    await _publish(uow, stored, "SIGNED")
    return view_of(stored, today)


async def _end(uow: UnitOfWork, ended: sa.ColumnElement[bool], status: str) -> int:
    """Record each signed agreement matching `ended` as `status`, audited and announced."""
    rows = list(
        await uow.conn.execute(
            credit_agreements.update()
            .where(credit_agreements.c.status == "ACTIVE", ended)
            .values(status=status, updated_at=sa.func.now())
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
            {"status": {"before": "ACTIVE", "after": status}},
        )
        await _publish(uow, row, status)
    return len(rows)


async def expire_agreements(uow: UnitOfWork, as_of: date) -> int:
    """Record as SUPERSEDED each signed agreement whose successor has started by `as_of`,
    then as EXPIRED each whose last day is before it; the number expired. Once each: the
    status is final afterwards, so the sweep is idempotent per date and across dates."""
    await _end(uow, _replaced_from() <= as_of, "SUPERSEDED")
    return await _end(uow, credit_agreements.c.valid_to < as_of, "EXPIRED")


async def ending_soon(uow: UnitOfWork, as_of: date, lead_days: int) -> list[Ending]:
    """Agreements in force on `as_of` that end within the lead time with no later-starting
    signed one to follow (rules.expiring in SQL), for the review sweep."""
    a = credit_agreements.c
    rows = await uow.conn.execute(
        sa.select(a.id, a.customer_id, a.valid_to).where(
            a.status == "ACTIVE",
            a.valid_from <= as_of,
            a.valid_to.between(as_of, as_of + timedelta(days=lead_days)),
            ~sa.exists().where(*_later_signed()),
        )
    )
    return [Ending(r.id, r.customer_id, r.valid_to) for r in rows]


def _read(*where: sa.ColumnElement[bool]) -> sa.Select[Any]:
    """Agreements with the day a successor takes over, for their status as of a day."""
    return sa.select(credit_agreements, _replaced_from().label("replaced_from")).where(*where)


async def by_ids(
    session: ReadSession, ids: Sequence[UUID], as_of: date
) -> list[AgreementView | None]:
    """Agreements by id in the given order (None where absent), their status as of `as_of`."""

    async def run(conn: Any) -> list[AgreementView | None]:
        rows = {
            r.id: view_of(r, as_of, r.replaced_from)
            for r in await conn.execute(_read(credit_agreements.c.id.in_(list(ids))))
        }
        return [rows.get(i) for i in ids]

    result: list[AgreementView | None] = await session.run(run)
    return result


async def for_customer(session: ReadSession, customer_id: UUID, as_of: date) -> list[AgreementView]:
    """A customer's agreements, the latest ending first, their status as of `as_of`."""

    async def run(conn: Any) -> list[AgreementView]:
        rows = await conn.execute(
            _read(credit_agreements.c.customer_id == customer_id).order_by(
                credit_agreements.c.valid_to.desc(), credit_agreements.c.created_at.desc()
            )
        )
        return [view_of(r, as_of, r.replaced_from) for r in rows]

    result: list[AgreementView] = await session.run(run)
    return result
