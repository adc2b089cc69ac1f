"""Guarantors and guarantees: recorded, checked, released; every input error reported at once.

A guarantee names a guarantor (a customer on file or an external party with its own small
credit file) and the customer whose debts it secures. Calling it and the guarantor's payments
live in guarantee_calls; the daily clock in guarantee_sweep.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.ledger_tables import invoices
from dbschema.queries.events import record_event
from dbschema.risk_security_tables import guarantee_invoices, guarantees, guarantors
from dbschema.tables import customers
from domain.audit import AuditAction
from domain.dates import check_date
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.money import Money
from domain.risk import guarantees as rules
from services import audit
from services.inputs import MoneyIn
from services.risk.guarantee_reads import GuaranteeView, GuarantorView, guarantee, guarantor
from services.uow import UnitOfWork

NAME_MAX = 200  #: a guarantor's name
REFERENCE_MAX = 100  #: a guarantee contract's number
NOTE_MAX = 2000  #: why a guarantee was released
NAMED_MAX = 1000  #: invoices one guarantee may name


@dataclass(frozen=True)
class GuarantorIn:
    """A guarantor as the API received it: a customer on file, or an external party."""

    kind: str
    name: str | None = None
    customer_id: UUID | None = None
    identity_number: str | None = None
    relationship: str | None = None
    net_worth: MoneyIn | None = None
    rating: str | None = None
    documents: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class GuaranteeIn:
    """A guarantee as the API received it."""

    reference: str
    guarantor_id: UUID
    customer_id: UUID
    kind: str
    scope: str
    amount: MoneyIn
    valid_from: date
    valid_to: date
    period_months: int | None = None
    invoice_ids: list[UUID] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)


def _text(value: str | None, name: str, limit: int, errors: list[DomainError]) -> str | None:
    text = (value or "").strip() or None
    if text is not None and len(text) > limit:
        errors.append(DomainError("TOO_LONG", f"at most {limit} characters", name))
    return text


def _enum(kind: Any, value: str, name: str, errors: list[DomainError]) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(kind)
        errors.append(DomainError("INVALID_KIND", f"one of {allowed}", name))
        return None


def _money(value: MoneyIn, name: str, errors: list[DomainError], positive: bool) -> Money | None:
    try:
        money = Money.parse(value.amount, value.currency, name)
    except DomainError as exc:
        errors.append(exc)
        return None
    if money.minor < 0 or (positive and money.minor == 0):
        errors.append(DomainError("AMOUNT_NOT_POSITIVE", "must be above zero", f"{name}.amount"))
    return money


def _date(value: date, name: str, errors: list[DomainError]) -> None:
    try:
        check_date(value, name)
    except DomainError as exc:
        errors.append(exc)


def _documents(items: list[str], errors: list[DomainError]) -> list[str]:
    if len(items) > 50:
        errors.append(DomainError("TOO_MANY", "at most 50 documents", "documents"))
    kept = [d.strip() for d in items if d.strip()]
    if any(len(d) > 500 for d in kept):
        errors.append(DomainError("TOO_LONG", "a document reference of 500 characters at most",
                                  "documents"))  # fmt: skip
    return kept


async def _customer_name(uow: UnitOfWork, customer_id: UUID) -> str | None:
    return await uow.conn.scalar(
        sa.select(customers.c.legal_name).where(customers.c.id == customer_id)
    )


async def create_guarantor(uow: UnitOfWork, data: GuarantorIn) -> GuarantorView:
    """Record a guarantor; one on file takes its name from the customer record."""
    errors: list[DomainError] = []
    kind = _enum(rules.GuarantorKind, data.kind, "kind", errors)
    name = _text(data.name, "name", NAME_MAX, errors)
    identity = _text(data.identity_number, "identityNumber", 64, errors)
    relationship = _text(data.relationship, "relationship", NAME_MAX, errors)
    rating = _text(data.rating, "rating", 20, errors)
    worth = _money(data.net_worth, "netWorth", errors, False) if data.net_worth else None
    documents = _documents(data.documents, errors)
    if data.customer_id is not None:
        on_file = await _customer_name(uow, data.customer_id)
        if on_file is None:
            errors.append(NotFound("customerId", "customer"))
        name = name or on_file
    if name is None and not any(e.field == "customerId" for e in errors):
        errors.append(DomainError("REQUIRED", "a name, or a customer on file", "name"))
    if errors:
        raise ValidationFailed(errors)
    guarantor_id: UUID = await uow.conn.scalar(
        guarantors.insert()
        .values(
            tenant_id=uow.tenant_id,
            kind=kind,
            customer_id=data.customer_id,
            name=name,
            identity_number=identity,
            relationship=relationship,
            net_worth_minor=worth.minor if worth else None,
            net_worth_currency=worth.currency if worth else None,
            rating=rating,
            documents=documents,
            created_by=uow.actor.subject,
        )
        .returning(guarantors.c.id)
    )
    await audit.record(
        uow, AuditAction.CREATE_GUARANTOR, "guarantor", guarantor_id, data.customer_id,
        {"name": [None, name], "kind": [None, str(kind)]},
    )  # fmt: skip
    found = await guarantor(uow.conn, guarantor_id, uow.actor.roles)
    assert found is not None
    return found


async def _named(
    uow: UnitOfWork, ids: list[UUID], customer_id: UUID, errors: list[DomainError]
) -> list[UUID]:
    """The named invoices, each the covered customer's own."""
    unique = list(dict.fromkeys(ids))
    if len(unique) > NAMED_MAX:
        errors.append(DomainError("TOO_MANY", f"at most {NAMED_MAX} invoices", "invoiceIds"))
        return []
    rows = await uow.conn.execute(
        sa.select(invoices.c.id, invoices.c.customer_id).where(invoices.c.id.in_(unique))
    )
    owner = {r.id: r.customer_id for r in rows}
    first = {invoice_id: i for i, invoice_id in reversed(list(enumerate(ids)))}
    for invoice_id in unique:
        i = first[invoice_id]  # its place in the input, not in the list without repeats
        if invoice_id not in owner:
            errors.append(NotFound(f"invoiceIds.{i}", "invoice"))
        elif owner[invoice_id] != customer_id:
            errors.append(DomainError(
                "INVOICE_OTHER_CUSTOMER", "the invoice is another customer's",
                f"invoiceIds.{i}",
            ))  # fmt: skip
    return unique


async def create_guarantee(uow: UnitOfWork, data: GuaranteeIn) -> GuaranteeView:
    """Record a guarantee (ACTIVE) after checking every field; nothing is written on a refusal."""
    errors: list[DomainError] = []
    reference = _text(data.reference, "reference", REFERENCE_MAX, errors)
    if reference is None:
        errors.append(DomainError("REQUIRED", "the contract's reference", "reference"))
    kind = _enum(rules.GuaranteeKind, data.kind, "kind", errors)
    scope = _enum(rules.Scope, data.scope, "scope", errors)
    amount = _money(data.amount, "amount", errors, True)
    _date(data.valid_from, "validFrom", errors)
    _date(data.valid_to, "validTo", errors)
    if data.valid_to < data.valid_from:
        errors.append(DomainError("ENDS_BEFORE_START", "validity ends before it starts", "validTo"))
    months = data.period_months
    if months is not None and not 1 <= months <= rules.MAX_PERIOD_MONTHS:
        errors.append(DomainError(
            "INVALID_INPUT", f"a period of 1 to {rules.MAX_PERIOD_MONTHS} months", "periodMonths"
        ))  # fmt: skip
    documents = _documents(data.documents, errors)
    if await _customer_name(uow, data.customer_id) is None:
        errors.append(NotFound("customerId", "customer"))
    if await guarantor(uow.conn, data.guarantor_id, frozenset()) is None:
        errors.append(NotFound("guarantorId", "guarantor"))
    named: list[UUID] = []
    if scope == rules.Scope.NAMED_INVOICES:
        if not data.invoice_ids:
            errors.append(DomainError("REQUIRED", "name the invoices covered", "invoiceIds"))
        named = await _named(uow, data.invoice_ids, data.customer_id, errors)
    elif data.invoice_ids:
        errors.append(DomainError(
            "INVALID_INPUT", "invoices are named only with scope NAMED_INVOICES", "invoiceIds"
        ))  # fmt: skip
    if reference and await uow.conn.scalar(
        sa.select(guarantees.c.id).where(guarantees.c.reference == reference)
    ):
        errors.append(DomainError("DUPLICATE_REFERENCE", "a guarantee has it", "reference"))
    if errors:
        raise ValidationFailed(errors)
    assert amount is not None
    guarantee_id: UUID = await uow.conn.scalar(
        guarantees.insert()
        .values(
            tenant_id=uow.tenant_id,
            reference=reference,
            guarantor_id=data.guarantor_id,
            customer_id=data.customer_id,
            kind=kind,
            scope=scope,
            amount_minor=amount.minor,
            currency=amount.currency,
            valid_from=data.valid_from,
            valid_to=data.valid_to,
            period_months=months,
            documents=documents,
            created_by=uow.actor.subject,
        )
        .returning(guarantees.c.id)
    )
    if named:
        await uow.conn.execute(
            guarantee_invoices.insert(),
            [{"tenant_id": uow.tenant_id, "guarantee_id": guarantee_id, "invoice_id": i}
             for i in named],
        )  # fmt: skip
    await audit.record(
        uow, AuditAction.CREATE_GUARANTEE, "guarantee", guarantee_id, data.customer_id,
        {"reference": [None, reference], "kind": [None, str(kind)],
         "amount": [None, f"{amount.minor} {amount.currency}"]},
    )  # fmt: skip
    return await changed(uow, guarantee_id, "ACTIVE")


async def changed(uow: UnitOfWork, guarantee_id: UUID, status: str) -> GuaranteeView:
    """Publish a guarantee's new status and return it as it now stands."""
    view = await guarantee(uow.conn, guarantee_id)
    assert view is not None
    await record_event(uow.conn, uow.tenant_id, "risk.guarantee_changed", {
        "guaranteeId": str(guarantee_id), "customerId": str(view.customer_id), "status": status,
    })  # fmt: skip
    return view


async def locked(uow: UnitOfWork, guarantee_id: UUID, version: int | None) -> Any:
    """The guarantee's row under lock (NOT_FOUND; STALE_VERSION when `version` differs)."""
    row = (
        await uow.conn.execute(
            sa.select(guarantees).where(guarantees.c.id == guarantee_id).with_for_update()
        )
    ).one_or_none()
    if row is None:
        raise NotFound("id", "guarantee")
    if version is not None and row.version != version:
        raise DomainError("STALE_VERSION", "the guarantee changed since you read it", "version")
    return row


async def set_status(
    uow: UnitOfWork, row: Any, target: rules.Status, on: date, note: str | None
) -> None:
    """Move the guarantee (INVALID_STATUS when the machine does not allow it)."""
    rules.move(rules.Status(row.status), target)
    await uow.conn.execute(
        guarantees.update()
        .where(guarantees.c.id == row.id)
        .values(status=target, status_on=on, status_note=note, version=row.version + 1)
    )


async def release_guarantee(
    uow: UnitOfWork, guarantee_id: UUID, on: date, note: str | None, version: int | None = None
) -> GuaranteeView:
    """Release a guarantee (the customer's credit is restored, or the debt is settled)."""
    errors: list[DomainError] = []
    text = _text(note, "note", NOTE_MAX, errors)
    _date(on, "releasedOn", errors)
    if errors:
        raise ValidationFailed(errors)
    row = await locked(uow, guarantee_id, version)
    await set_status(uow, row, rules.Status.RELEASED, on, text)
    await audit.record(
        uow, AuditAction.RELEASE_GUARANTEE, "guarantee", guarantee_id, row.customer_id,
        {"status": [row.status, "RELEASED"]},
    )  # fmt: skip
    return await changed(uow, guarantee_id, "RELEASED")
