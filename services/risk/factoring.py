"""Factoring agreements, debtor limits, and assigning invoices to a factor in batches.

Assignment is all or nothing: every offered invoice is checked set-wise (one statement for
5,000) and any refusal comes back per invoice with its reasons, nothing written; otherwise the
batch, its assignments and their funding entries are written in three statements, and for
disclosed factoring one notice of assignment (债权转让通知书) per debtor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from dbschema.queries import customers as customer_queries
from dbschema.queries import risk_factoring as q
from dbschema.queries.events import record_event
from dbschema.risk_factoring_tables import (
    factored_invoices,
    factoring_agreements,
    factoring_batches,
    factoring_debtor_limits,
)
from domain import texts
from domain.audit import AuditAction
from domain.dates import check_date
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.money import Money
from domain.risk.factoring import MAX_BATCH, AgreementInput, AgreementTerms, check_agreement
from domain.risk.transfer import NAME_MAX, attempt, check_text
from services import audit
from services.idempotency import Operation, run_once
from services.inputs import MoneyIn
from services.read_session import ReadSession
from services.uow import UnitOfWork

ACCOUNT_MAX = texts.ACCOUNT_NUMBER.max_chars  #: a bank account number as printed


@dataclass(frozen=True, slots=True)
class Remittance:
    """Where debtors pay the factor (printed on notices and statements)."""

    bank: str | None = None
    account_name: str | None = None
    account_number: str | None = None


@dataclass(frozen=True, slots=True)
class AgreementIn:
    """An agreement as the API received it."""

    terms: AgreementInput
    remittance: Remittance = field(default_factory=Remittance)


@dataclass(frozen=True, slots=True)
class AgreementRecord:
    """A stored agreement."""

    id: UUID
    terms: AgreementTerms
    remittance: Remittance
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DebtorLimitRecord:
    """A factor's limit on one debtor."""

    agreement_id: UUID
    customer_id: UUID
    limit_minor: int
    currency: str
    approved: bool


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why one offered invoice cannot be assigned."""

    index: int
    invoice_id: UUID
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BatchStep:
    """A batch assigned, and whether an idempotency key replayed it."""

    batch_id: UUID
    replayed: bool = False


ASSIGN_INVOICES = Operation("ASSIGN_INVOICES", BatchStep)


def agreement_of(row: Any) -> AgreementRecord:
    """An agreement record from its row."""
    terms = AgreementTerms(
        factor=row.factor,
        reference=row.reference,
        recourse=row.recourse,
        disclosed=row.disclosed,
        currencies=tuple(c.strip() for c in row.currencies),
        advance_percent=Decimal(row.advance_percent),
        commission_percent=Decimal(row.commission_percent),
        interest_percent=Decimal(row.interest_percent),
        max_terms_days=row.max_terms_days,
        allowed_classes=tuple(c.strip() for c in row.allowed_classes),
        recourse_days=row.recourse_days,
        starts_on=row.starts_on,
    )
    r = row.remittance or {}
    remittance = Remittance(r.get("bank"), r.get("accountName"), r.get("accountNumber"))
    return AgreementRecord(row.id, terms, remittance, row.created_at)


def _remittance(data: Remittance, errors: list[DomainError]) -> dict[str, str | None]:
    return {
        "bank": attempt(errors, check_text, data.bank, "remittance.bank", NAME_MAX),
        "accountName": attempt(
            errors, check_text, data.account_name, "remittance.accountName", NAME_MAX
        ),
        "accountNumber": attempt(
            errors, check_text, data.account_number, "remittance.accountNumber", ACCOUNT_MAX
        ),
    }


async def create_agreement(uow: UnitOfWork, data: AgreementIn) -> AgreementRecord:
    """Record a factoring agreement (C and D customers only with recourse, seed 002)."""
    errors: list[DomainError] = []
    remittance = _remittance(data.remittance, errors)
    try:
        terms = check_agreement(data.terms)
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    a = factoring_agreements.c
    if await uow.conn.scalar(sa.select(a.id).where(a.reference == terms.reference)):
        raise DomainError(
            "DUPLICATE_NUMBER", "an agreement with this reference exists", "reference"
        )
    row = (
        await uow.conn.execute(
            factoring_agreements.insert()
            .values(
                tenant_id=uow.tenant_id,
                factor=terms.factor,
                reference=terms.reference,
                recourse=terms.recourse,
                disclosed=terms.disclosed,
                currencies=list(terms.currencies),
                advance_percent=terms.advance_percent,
                commission_percent=terms.commission_percent,
                interest_percent=terms.interest_percent,
                max_terms_days=terms.max_terms_days,
                allowed_classes=list(terms.allowed_classes),
                recourse_days=terms.recourse_days,
                starts_on=terms.starts_on,
                remittance=remittance,
                created_by=uow.actor.subject,
            )
            .returning(factoring_agreements)
        )
    ).one()
    await audit.record(
        uow,
        AuditAction.CREATE_FACTORING_AGREEMENT,
        "FactoringAgreement",
        row.id,
        None,
        {"reference": {"before": None, "after": terms.reference}},
    )
    return agreement_of(row)


async def agreement_row(uow: UnitOfWork, agreement_id: UUID, field: str = "agreementId") -> Any:
    """An agreement row, or NOT_FOUND."""
    row = (
        await uow.conn.execute(
            sa.select(factoring_agreements).where(factoring_agreements.c.id == agreement_id)
        )
    ).first()
    if row is None:
        raise NotFound(field, "factoring agreement")
    return row


async def set_debtor_limit(
    uow: UnitOfWork, agreement_id: UUID, customer_id: UUID, limit: MoneyIn, approved: bool
) -> DebtorLimitRecord:
    """Set (or change) a factor's limit on a debtor; a non-recourse factor approves each."""
    errors: list[DomainError] = []
    agreement = None
    try:
        agreement = await agreement_row(uow, agreement_id)
    except DomainError as exc:
        errors.append(exc)
    if not await customer_queries.by_ids(uow.conn, [customer_id]):
        errors.append(NotFound("customerId", "customer"))
    money = attempt(errors, Money.parse, limit.amount, limit.currency, "limit")
    if errors:
        raise ValidationFailed(errors)
    assert agreement is not None and money is not None
    if money.minor < 0:
        raise DomainError("NEGATIVE_AMOUNT", "must not be negative", "limit.amount")
    if money.currency not in [c.strip() for c in agreement.currencies]:
        raise DomainError("CURRENCY_NOT_ALLOWED", "a currency of the agreement", "limit.currency")
    stmt = insert(factoring_debtor_limits).values(
        tenant_id=uow.tenant_id,
        agreement_id=agreement_id,
        customer_id=customer_id,
        limit_minor=money.minor,
        approved=approved,
        updated_by=uow.actor.subject,
    )
    await uow.conn.execute(
        stmt.on_conflict_do_update(
            index_elements=["tenant_id", "agreement_id", "customer_id"],
            set_={
                "limit_minor": money.minor,
                "approved": approved,
                "updated_by": uow.actor.subject,
                "updated_at": sa.func.now(),
            },
        )
    )
    await audit.record(
        uow,
        AuditAction.SET_FACTORING_DEBTOR_LIMIT,
        "FactoringAgreement",
        agreement_id,
        customer_id,
        {"limitMinor": {"after": money.minor}, "approved": {"after": approved}},
    )
    return DebtorLimitRecord(agreement_id, customer_id, money.minor, money.currency, approved)


def _offered(invoice_ids: list[UUID]) -> None:
    if not invoice_ids:
        raise DomainError("REQUIRED", "offer at least one invoice", "invoiceIds")
    if len(invoice_ids) > MAX_BATCH:
        raise DomainError("TOO_MANY", f"at most {MAX_BATCH} invoices a call", "invoiceIds")
    seen: set[UUID] = set()
    for n, invoice_id in enumerate(invoice_ids):
        if invoice_id in seen:
            raise DomainError("INVALID_INPUT", "an invoice is offered twice", f"invoiceIds.{n}")
        seen.add(invoice_id)


async def _refusals(
    conn: Any, agreement_id: UUID, invoice_ids: list[UUID], on: date
) -> list[Refusal]:
    rows = await q.eligibility(conn, agreement_id, invoice_ids, on)
    return [
        Refusal(int(r.ord) - 1, r.id, ("NOT_FOUND",) if r.missing else tuple(r.reasons))
        for r in rows
        if r.missing or r.reasons
    ]


async def eligibility(
    session: ReadSession, agreement_id: UUID, invoice_ids: list[UUID], on: date
) -> list[Refusal]:
    """Why each offered invoice could not be assigned on `on` (only those refused)."""
    _offered(invoice_ids)
    return await session.run(lambda conn: _refusals(conn, agreement_id, invoice_ids, on))


_MESSAGES = {
    "NOT_FOUND": "no such invoice",
    "INVOICE_SETTLED": "the invoice is paid",
    "INVOICE_DISPUTED": "the customer disputes the invoice",
    "INVOICE_OVERDUE": "the invoice is overdue",
    "ALREADY_ASSIGNED": "the invoice is assigned to a factor already",
    "CURRENCY_NOT_ALLOWED": "the agreement does not take this currency",
    "TERMS_TOO_LONG": "its terms are longer than the agreement takes",
    "CLASS_NOT_ALLOWED": "the customer's class is not taken (C/D only with recourse)",
    "DEBTOR_NOT_APPROVED": "the factor has not approved this debtor",
    "DEBTOR_LIMIT_EXCEEDED": "the factor's limit on this debtor would be passed",
}


async def assign(
    uow: UnitOfWork, agreement_id: UUID, invoice_ids: list[UUID], assigned_on: date, key: str
) -> BatchStep:
    """Assign invoices to the factor, all or none, once per idempotency key."""
    content = {
        "agreement": str(agreement_id),
        "on": assigned_on,
        "ids": [str(i) for i in invoice_ids],
    }

    async def work() -> BatchStep:
        return BatchStep(await _assign(uow, agreement_id, invoice_ids, assigned_on))

    step, replayed = await run_once(uow, ASSIGN_INVOICES, key, content, work)
    return replace(step, replayed=replayed)


async def _assign(uow: UnitOfWork, agreement_id: UUID, invoice_ids: list[UUID], on: date) -> UUID:
    check_date(on, "assignedOn")
    _offered(invoice_ids)
    agreement = agreement_of(await agreement_row(uow, agreement_id))
    if on < agreement.terms.starts_on:
        raise DomainError("BEFORE_AGREEMENT", "the agreement starts later", "assignedOn")
    await uow.conn.execute(q.LOCK_SQL, {"ids": invoice_ids})
    refused = await _refusals(uow.conn, agreement_id, invoice_ids, on)
    if refused:
        raise ValidationFailed(
            [
                DomainError(reason, _MESSAGES[reason], f"invoiceIds.{r.index}")
                for r in refused
                for reason in r.reasons
            ]
        )
    batch_id = uuid4()
    totals = {
        r.currency: int(r.amount)
        for r in await uow.conn.execute(q.TOTALS_SQL, {"ids": invoice_ids})
    }
    await uow.conn.execute(
        factoring_batches.insert().values(
            tenant_id=uow.tenant_id,
            id=batch_id,
            agreement_id=agreement_id,
            assigned_on=on,
            invoice_count=len(invoice_ids),
            currency_totals={k: Money(v, k).to_decimal_string() for k, v in sorted(totals.items())},
            created_by=uow.actor.subject,
        )
    )
    await q.assign(
        uow.conn,
        agreement_id=agreement_id,
        batch_id=batch_id,
        invoice_ids=invoice_ids,
        on=on,
        advance_percent=agreement.terms.advance_percent,
        commission_percent=agreement.terms.commission_percent,
        actor=uow.actor.subject,
    )
    if agreement.terms.disclosed:
        factor = {
            "name": agreement.terms.factor,
            "reference": agreement.terms.reference,
            "remittance": {
                "bank": agreement.remittance.bank,
                "accountName": agreement.remittance.account_name,
                "accountNumber": agreement.remittance.account_number,
            },
        }
        await q.notices(uow.conn, batch_id, json.dumps(factor), uow.actor.subject)
    await record_event(
        uow.conn,
        uow.tenant_id,
        "risk.invoices_assigned",
        {
            "batchId": str(batch_id),
            "agreementId": str(agreement_id),
            "assignedOn": on.isoformat(),
            "invoices": len(invoice_ids),
            "totals": {k: Money(v, k).to_decimal_string() for k, v in sorted(totals.items())},
        },
    )
    return batch_id


async def active_assignment(uow: UnitOfWork, invoice_id: UUID, field: str = "invoiceId") -> Any:
    """The invoice's active assignment (locked) with its agreement's terms, or NOT_ASSIGNED."""
    f, g = factored_invoices, factoring_agreements
    row = (
        await uow.conn.execute(
            sa.select(f, g.c.recourse, g.c.disclosed, g.c.interest_percent, g.c.recourse_days)
            .join(g, sa.and_(g.c.tenant_id == f.c.tenant_id, g.c.id == f.c.agreement_id))
            .where(f.c.invoice_id == invoice_id, f.c.status == "ACTIVE")
            .with_for_update(of=f)
        )
    ).first()
    if row is None:
        raise DomainError("NOT_ASSIGNED", "the invoice is not assigned to a factor", field)
    return row
