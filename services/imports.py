"""Bulk import of invoices and payments: idempotent by external id, valid rows post.

Every row is checked first; rows with errors come back by index with field, code and message,
the others post in one set-wise insert. Replaying a batch posts nothing new and returns the
same ids; an external id seen before with other content is refused per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from dbschema.ledger_tables import invoices, payments
from dbschema.queries.events import record_event
from dbschema.tables import customers
from domain.errors import DomainError
from domain.money import Money
from domain.terms import schedule
from services.idempotency import fingerprint
from services.payments import METHODS, TOPIC_PAYMENT, allocate_locked
from services.terms import terms_for
from services.uow import UnitOfWork

MAX_ROWS = 5000  #: one call carries at most this many rows


@dataclass(frozen=True)
class ImportRow:
    """One row as received: strings for money, dates already parsed by the caller."""

    external_id: str
    customer_code: str
    amount: str
    currency: str
    issue_date: date | None = None
    due_date: date | None = None
    number: str | None = None
    order_ref: str | None = None
    received_on: date | None = None
    method: str = "BANK_TRANSFER"
    reference: str | None = None


@dataclass
class RowResult:
    """What happened to one row: CREATED, REPLAYED or ERROR (with the errors)."""

    index: int
    status: str
    id: UUID | None = None
    errors: list[DomainError] = field(default_factory=list)


async def _customers(uow: UnitOfWork, codes: set[str]) -> dict[str, dict[str, Any]]:
    rows = await uow.conn.execute(sa.select(customers).where(customers.c.code.in_(codes)))
    return {r.code: dict(r._mapping) for r in rows}


def _check_size(rows: list[ImportRow]) -> None:
    if not rows:
        raise DomainError("REQUIRED", "no rows", "rows")
    if len(rows) > MAX_ROWS:
        raise DomainError("TOO_MANY", f"at most {MAX_ROWS} rows a call", "rows")


def _invoice_content(row: ImportRow) -> dict[str, Any]:
    return {
        "number": row.number,
        "customer": row.customer_code,
        "amount": row.amount,
        "currency": row.currency,
        "issue": row.issue_date,
        "due": row.due_date,
        "order": row.order_ref,
    }


async def import_invoices(uow: UnitOfWork, rows: list[ImportRow]) -> list[RowResult]:
    """Post the valid invoices of a batch; report the others by index."""
    _check_size(rows)
    known = await _customers(uow, {r.customer_code for r in rows})
    existing = {
        r.external_id: r
        for r in (
            await uow.conn.execute(
                sa.select(invoices.c.id, invoices.c.external_id, invoices.c.fingerprint).where(
                    invoices.c.external_id.in_({r.external_id for r in rows})
                )
            )
        ).all()
    }
    taken_numbers = set(
        (
            await uow.conn.execute(
                sa.select(invoices.c.number).where(
                    invoices.c.number.in_({r.number for r in rows if r.number})
                )
            )
        ).scalars()
    )
    results: list[RowResult] = []
    pending: list[tuple[RowResult, dict[str, Any]]] = []
    seen_ext: set[str] = set()
    seen_numbers: set[str] = set()
    terms_cache: dict[Any, Any] = {}
    for index, row in enumerate(rows):
        result = RowResult(index, "ERROR")
        results.append(result)
        errors = result.errors
        ext = (row.external_id or "").strip()
        digest = fingerprint(_invoice_content(row))
        if not ext:
            errors.append(DomainError("REQUIRED", "externalId is required", "externalId"))
        elif ext in seen_ext:
            errors.append(
                DomainError("DUPLICATE_NUMBER", "externalId repeats in the batch", "externalId")
            )
            continue
        elif ext in existing:
            if existing[ext].fingerprint == digest:
                result.status, result.id = "REPLAYED", existing[ext].id
            else:
                errors.append(
                    DomainError(
                        "IDEMPOTENCY_MISMATCH",
                        "externalId was imported before with other content",
                        "externalId",
                    )
                )
            continue
        seen_ext.add(ext)
        number = (row.number or "").strip()
        if not number:
            errors.append(DomainError("REQUIRED", "number is required", "number"))
        elif number in taken_numbers or number in seen_numbers:
            errors.append(DomainError("DUPLICATE_NUMBER", "invoice number already used", "number"))
        seen_numbers.add(number)
        customer = known.get(row.customer_code)
        if customer is None:
            errors.append(
                DomainError(
                    "NOT_FOUND", f"no customer with code {row.customer_code!r}", "customerCode"
                )
            )
        elif customer["status"] != "ACTIVE":
            errors.append(DomainError("CUSTOMER_ARCHIVED", "customer is archived", "customerCode"))
        try:
            money = Money.parse(row.amount, row.currency, "amount")
            if money.minor <= 0:
                errors.append(
                    DomainError("AMOUNT_NOT_POSITIVE", "must be greater than zero", "amount.amount")
                )
        except DomainError as exc:
            errors.append(exc)
        if row.issue_date is None:
            errors.append(DomainError("REQUIRED", "issueDate is required", "issueDate"))
        elif row.due_date is not None and row.due_date < row.issue_date:
            errors.append(
                DomainError("DUE_BEFORE_ISSUE", "due date is before the issue date", "dueDate")
            )
        if errors:
            continue
        assert customer is not None and row.issue_date is not None
        due = row.due_date
        if due is None:
            key = (customer.get("payment_terms_code"), customer.get("rating_class"))
            if key not in terms_cache:
                terms_cache[key] = await terms_for(uow.conn, customer)
            due = schedule(terms_cache[key], row.issue_date, money.minor)[-1][0]
        pending.append(
            (
                result,
                {
                    "tenant_id": uow.tenant_id,
                    "number": number,
                    "external_id": ext,
                    "customer_id": customer["id"],
                    "order_ref": row.order_ref,
                    "issue_date": row.issue_date,
                    "due_date": due,
                    "currency": money.currency,
                    "amount_minor": money.minor,
                    "open_minor": money.minor,
                    "salesperson": customer.get("salesperson"),
                    "fingerprint": digest,
                    "created_by": uow.actor.subject,
                },
            )
        )
    if pending:
        inserted = {
            r.external_id: r.id
            for r in (
                await uow.conn.execute(
                    insert(invoices)
                    .values([values for _, values in pending])
                    .on_conflict_do_nothing(index_elements=["tenant_id", "external_id"])
                    .returning(invoices.c.id, invoices.c.external_id)
                )
            ).all()
        }
        for result, values in pending:
            if values["external_id"] in inserted:
                result.status, result.id = "CREATED", inserted[values["external_id"]]
            else:  # a concurrent import of the same batch posted it first
                result.status = "REPLAYED"
                result.id = await uow.conn.scalar(
                    sa.select(invoices.c.id).where(invoices.c.external_id == values["external_id"])
                )
    return results


async def import_payments(uow: UnitOfWork, rows: list[ImportRow]) -> list[RowResult]:
    """Post the valid payments of a batch, each allocated oldest-due-first."""
    _check_size(rows)
    known = await _customers(uow, {r.customer_code for r in rows})
    existing = {
        r.external_id: r
        for r in (
            await uow.conn.execute(
                sa.select(payments.c.id, payments.c.external_id, payments.c.fingerprint).where(
                    payments.c.external_id.in_({r.external_id for r in rows})
                )
            )
        ).all()
    }
    results: list[RowResult] = []
    seen: set[str] = set()
    for index, row in enumerate(rows):
        result = RowResult(index, "ERROR")
        results.append(result)
        errors = result.errors
        ext = (row.external_id or "").strip()
        content = {
            "customer": row.customer_code,
            "received": row.received_on,
            "amount": row.amount,
            "currency": row.currency,
            "method": row.method,
            "reference": row.reference,
        }
        digest = fingerprint(content)
        if not ext:
            errors.append(DomainError("REQUIRED", "externalId is required", "externalId"))
            continue
        if ext in seen:
            errors.append(
                DomainError("DUPLICATE_NUMBER", "externalId repeats in the batch", "externalId")
            )
            continue
        seen.add(ext)
        if ext in existing:
            if existing[ext].fingerprint == digest:
                result.status, result.id = "REPLAYED", existing[ext].id
            else:
                errors.append(
                    DomainError(
                        "IDEMPOTENCY_MISMATCH",
                        "externalId was imported before with other content",
                        "externalId",
                    )
                )
            continue
        customer = known.get(row.customer_code)
        if customer is None:
            errors.append(
                DomainError(
                    "NOT_FOUND", f"no customer with code {row.customer_code!r}", "customerCode"
                )
            )
        if row.received_on is None:
            errors.append(DomainError("REQUIRED", "receivedOn is required", "receivedOn"))
        if row.method not in METHODS:
            errors.append(DomainError("INVALID_INPUT", f"method is one of {METHODS}", "method"))
        try:
            money = Money.parse(row.amount, row.currency, "amount")
            if money.minor <= 0:
                errors.append(
                    DomainError("AMOUNT_NOT_POSITIVE", "must be greater than zero", "amount.amount")
                )
        except DomainError as exc:
            errors.append(exc)
        if errors:
            continue
        assert customer is not None and row.received_on is not None
        payment_id = await uow.conn.scalar(
            insert(payments)
            .values(
                tenant_id=uow.tenant_id,
                external_id=ext,
                customer_id=customer["id"],
                received_on=row.received_on,
                currency=money.currency,
                amount_minor=money.minor,
                unallocated_minor=money.minor,
                method=row.method,
                reference=row.reference,
                fingerprint=digest,
                created_by=uow.actor.subject,
            )
            .on_conflict_do_nothing(index_elements=["tenant_id", "external_id"])
            .returning(payments.c.id)
        )
        if payment_id is None:
            result.status = "REPLAYED"
            result.id = await uow.conn.scalar(
                sa.select(payments.c.id).where(payments.c.external_id == ext)
            )
            continue
        locked = (
            await uow.conn.execute(
                sa.select(payments).where(payments.c.id == payment_id).with_for_update()
            )
        ).one()
        await allocate_locked(uow, dict(locked._mapping), "AUTO", [], row.received_on)
        await record_event(
            uow.conn,
            uow.tenant_id,
            TOPIC_PAYMENT,
            {
                "paymentId": str(payment_id),
                "customerId": str(customer["id"]),
                "amount": money.to_decimal_string(),
                "currency": money.currency,
                "receivedOn": row.received_on.isoformat(),
            },
        )
        result.status, result.id = "CREATED", payment_id
    return results
