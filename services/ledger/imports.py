"""Bulk import of invoices and payments: idempotent by external id, valid rows post.

Every row is checked first; rows with errors come back by index with field, code and message,
the others post in one set-wise insert. Replaying a batch posts nothing new and returns the
same ids; an external id seen before with other content is refused per row.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.ledger_tables import invoices, payments
from dbschema.queries.ledger_imports import bulk_insert_invoices
from dbschema.tables import customers
from domain import texts
from domain.dates import check_date, parse_date
from domain.errors import DomainError
from domain.terms import due_date as final_due_date
from services.configuration.terms import terms_for
from services.ledger import import_targets
from services.ledger.import_allocation import post_payments
from services.ledger.invoices import max_document, positive_money
from services.ledger.payments import METHODS
from services.ledger.records import ImportOutcome, RowOutcome, RowStatus
from services.uow import UnitOfWork

MAX_ROWS = 5000  #: one call carries at most this many rows


@dataclass(frozen=True)
class ImportRow:
    """One row as received: strings for money and dates (ISO), so a bad value is that row's
    error rather than the whole batch's."""

    external_id: str
    customer_code: str
    amount: str
    currency: str
    issue_date: date | str | None = None
    due_date: date | str | None = None
    number: str | None = None
    order_ref: str | None = None
    received_on: date | str | None = None
    method: str = "BANK_TRANSFER"
    reference: str | None = None
    invoice: str | None = None  # a payment's invoice (number or id) to allocate to first


def _date(value: date | str | None, field: str, errors: list[DomainError]) -> date | None:
    """An ISO date in the platform's range, None when blank; a malformed or out-of-range one
    is recorded against the row."""
    try:
        if value is None or isinstance(value, date):
            return check_date(value, field)
        text = value.strip()
        return parse_date(text, field) if text else None
    except DomainError as exc:
        errors.append(exc)
        return None


#: Every text column of an import row, with the input field naming it and its limit.
ROW_TEXTS = (
    ("external_id", "externalId", texts.REFERENCE),
    ("customer_code", "customerCode", texts.CODE),
    ("amount", "amount", texts.AMOUNT),
    ("currency", "currency", texts.CURRENCY),
    ("number", "number", texts.REFERENCE),
    ("order_ref", "orderRef", texts.REFERENCE),
    ("method", "method", texts.CODE),
    ("reference", "reference", texts.REFERENCE),
    ("invoice", "invoice", texts.REFERENCE),
)


#: The same, as (attribute, most characters): the check every row passes first.
_ROW_MAX_CHARS = tuple((attr, limit.max_chars) for attr, _, limit in ROW_TEXTS)


def _too_long(index: int, row: ImportRow) -> RowOutcome | None:
    """The row's refusal when any of its texts exceeds its limit (before anything else reads
    them: an overlong external id is not even looked up)."""
    for attr, most in _ROW_MAX_CHARS:
        value = getattr(row, attr)
        if isinstance(value, str) and len(value) > most:
            break
    else:
        return None
    errors: list[DomainError] = []
    for attr, field, limit in ROW_TEXTS:
        value = getattr(row, attr)
        if isinstance(value, str):
            texts.collect_text(value, limit, field, errors)
    return _refused(index, *errors) if errors else None


def row_fingerprint(*parts: object) -> str:
    """A stable hash of a row's content: cheap enough for 5,000 rows a call."""
    text = "\x1f".join(["" if p is None else p if type(p) is str else str(p) for p in parts])
    return hashlib.sha256(text.encode()).hexdigest()


def _refused(index: int, *errors: DomainError) -> RowOutcome:
    return RowOutcome(index, RowStatus.ERROR, errors=errors)


#: What an import reads of the customers its rows name (not their whole records).
_CUSTOMER_COLUMNS = (
    customers.c.code,
    customers.c.id,
    customers.c.status,
    customers.c.payment_terms_code,
    customers.c.rating_class,
    customers.c.salesperson,
)


async def _customers(uow: UnitOfWork, codes: set[str]) -> dict[str, Any]:
    # `= ANY(array)`: one parameter, where IN renders (and SQLAlchemy compiles) one per code
    rows = await uow.conn.execute(
        sa.select(*_CUSTOMER_COLUMNS).where(customers.c.code == sa.func.any(sa.bindparam("codes"))),
        {"codes": list(codes)},
    )
    return {r.code: r for r in rows.all()}


async def _existing(uow: UnitOfWork, table: sa.Table, external_ids: set[str]) -> dict[str, Any]:
    """Documents already posted under these external ids: (id, external_id, fingerprint)."""
    if not external_ids:
        return {}
    result = await uow.conn.execute(
        sa.select(table.c.id, table.c.external_id, table.c.fingerprint).where(
            table.c.external_id == sa.func.any(sa.bindparam("external_ids"))
        ),
        {"external_ids": list(external_ids)},
    )
    return {r.external_id: r for r in result.all()}


def _settled_by_external_id(
    index: int, ext: str, digest: str, seen: set[str], existing: dict[str, Any]
) -> RowOutcome | None:
    """The row's outcome when the external id alone decides it (missing, repeated in the
    batch, posted before with this content or with other content), else None."""
    if not ext:
        return _refused(index, DomainError("REQUIRED", "externalId is required", "externalId"))
    if ext in seen:
        return _refused(
            index, DomainError("DUPLICATE_NUMBER", "externalId repeats in the batch", "externalId")
        )
    seen.add(ext)
    if ext not in existing:
        return None
    if existing[ext].fingerprint == digest:
        return RowOutcome(index, RowStatus.REPLAYED, existing[ext].id)
    return _refused(
        index,
        DomainError(
            "IDEMPOTENCY_MISMATCH",
            "externalId was imported before with other content",
            "externalId",
        ),
    )


def _posted(
    index: int, values: dict[str, Any], inserted: dict[str, UUID], found: dict[str, Any]
) -> RowOutcome | None:
    """A pending row after the set-wise insert: created, or posted meanwhile by a concurrent
    import with the same content (replayed); None when the insert skipped it otherwise."""
    ext = values["external_id"]
    if ext in inserted:
        return RowOutcome(index, RowStatus.CREATED, inserted[ext])
    if ext in found and found[ext].fingerprint == values["fingerprint"]:
        return RowOutcome(index, RowStatus.REPLAYED, found[ext].id)
    return None


def _customer(known: dict[str, Any], code: str, errors: list[DomainError]) -> Any:
    """The customer a row names by code; an unknown code is the row's NOT_FOUND."""
    customer = known.get(code)
    if customer is None:
        errors.append(DomainError("NOT_FOUND", f"no customer with code {code!r}", "customerCode"))
    return customer


def _check_size(rows: list[ImportRow]) -> None:
    if not rows:
        raise DomainError("REQUIRED", "no rows", "rows")
    if len(rows) > MAX_ROWS:
        raise DomainError("TOO_MANY", f"at most {MAX_ROWS} rows a call", "rows")


def _invoice_content(row: ImportRow) -> str:
    return row_fingerprint(
        "invoice",
        row.number,
        row.customer_code,
        row.amount,
        row.currency,
        row.issue_date,
        row.due_date,
        row.order_ref,
    )


async def import_invoices(uow: UnitOfWork, rows: list[ImportRow]) -> ImportOutcome:
    """Post the valid invoices of a batch; report the others by index."""
    _check_size(rows)
    known = await _customers(uow, {r.customer_code for r in rows})
    existing = await _existing(uow, invoices, {r.external_id for r in rows})
    taken_numbers = set(
        (
            await uow.conn.execute(
                sa.select(invoices.c.number).where(
                    invoices.c.number == sa.func.any(sa.bindparam("numbers"))
                ),
                {"numbers": list({r.number for r in rows if r.number})},
            )
        ).scalars()
    )
    results: list[RowOutcome | None] = []
    pending: list[tuple[int, dict[str, Any]]] = []
    seen_ext: set[str] = set()
    seen_numbers: set[str] = set()
    terms_cache: dict[Any, Any] = {}
    due_dates: dict[tuple[Any, date], date] = {}  # a batch has a few terms and a few dates
    maximum = await max_document(uow)
    for index, row in enumerate(rows):
        if (refused := _too_long(index, row)) is not None:
            results.append(refused)
            continue
        ext = (row.external_id or "").strip()
        digest = _invoice_content(row)
        settled = _settled_by_external_id(index, ext, digest, seen_ext, existing)
        if settled is not None:
            results.append(settled)
            continue
        errors: list[DomainError] = []
        number = (row.number or "").strip()
        if not number:
            errors.append(DomainError("REQUIRED", "number is required", "number"))
        elif number in taken_numbers or number in seen_numbers:
            errors.append(DomainError("DUPLICATE_NUMBER", "invoice number already used", "number"))
        seen_numbers.add(number)
        customer = _customer(known, row.customer_code, errors)
        if customer is not None and customer.status != "ACTIVE":
            errors.append(DomainError("CUSTOMER_ARCHIVED", "customer is archived", "customerCode"))
        money = positive_money(row, "amount", errors, maximum)
        issue_date = _date(row.issue_date, "issueDate", errors)
        due_date = _date(row.due_date, "dueDate", errors)
        if issue_date is None and not any(e.field == "issueDate" for e in errors):
            errors.append(DomainError("REQUIRED", "issueDate is required", "issueDate"))
        elif issue_date is not None and due_date is not None and due_date < issue_date:
            errors.append(
                DomainError("DUE_BEFORE_ISSUE", "due date is before the issue date", "dueDate")
            )
        if errors:
            results.append(_refused(index, *errors))
            continue
        assert customer is not None and issue_date is not None and money is not None
        due = due_date
        if due is None:
            key = (customer.payment_terms_code, customer.rating_class)
            if (key, issue_date) not in due_dates:
                if key not in terms_cache:
                    terms_cache[key] = await terms_for(uow, *key)
                due_dates[key, issue_date] = final_due_date(terms_cache[key], issue_date)
            due = due_dates[key, issue_date]
        results.append(None)
        pending.append(
            (
                index,
                {
                    "number": number,
                    "external_id": ext,
                    "customer_id": customer.id,
                    "order_ref": row.order_ref,
                    "issue_date": issue_date,
                    "due_date": due,
                    "currency": money.currency,
                    "amount_minor": money.minor,
                    "open_minor": money.minor,
                    "salesperson": customer.salesperson,
                    "fingerprint": digest,
                },
            )
        )
    if pending:
        inserted = await bulk_insert_invoices(
            uow.conn, uow.tenant_id, uow.actor.subject, [values for _, values in pending]
        )
        late = [values for _, values in pending if values["external_id"] not in inserted]
        # skipped rows: a concurrent import posted the same row, or took the number meanwhile
        found = await _existing(uow, invoices, {v["external_id"] for v in late})
        taken = DomainError(
            "DUPLICATE_NUMBER", "invoice number or externalId taken meanwhile", "number"
        )
        for index, values in pending:
            results[index] = _posted(index, values, inserted, found) or _refused(index, taken)
    return ImportOutcome(tuple(r for r in results if r is not None))


async def import_payments(uow: UnitOfWork, rows: list[ImportRow]) -> ImportOutcome:
    """Post the valid payments of a batch, each allocated to the invoice it names first (if it
    names one), then oldest due first."""
    _check_size(rows)
    known = await _customers(uow, {r.customer_code for r in rows})
    named = await import_targets.resolve(uow, {r.invoice for r in rows if r.invoice})
    existing = await _existing(uow, payments, {r.external_id for r in rows})
    results: list[RowOutcome | None] = []
    pending: list[tuple[int, dict[str, Any]]] = []
    seen: set[str] = set()
    maximum = await max_document(uow)
    for index, row in enumerate(rows):
        if (refused := _too_long(index, row)) is not None:
            results.append(refused)
            continue
        ext = (row.external_id or "").strip()
        digest = row_fingerprint(
            "payment",
            row.customer_code,
            row.received_on,
            row.amount,
            row.currency,
            row.method,
            row.reference,
            *((row.invoice,) if row.invoice else ()),  # rows without one hash as before
        )
        settled = _settled_by_external_id(index, ext, digest, seen, existing)
        if settled is not None:
            results.append(settled)
            continue
        errors: list[DomainError] = []
        customer = _customer(known, row.customer_code, errors)
        received_on = _date(row.received_on, "receivedOn", errors)
        if received_on is None and not any(e.field == "receivedOn" for e in errors):
            errors.append(DomainError("REQUIRED", "receivedOn is required", "receivedOn"))
        if row.method not in METHODS:
            errors.append(DomainError("INVALID_INPUT", f"method is one of {METHODS}", "method"))
        money = positive_money(row, "amount", errors, maximum)
        named_id = import_targets.check(named, row.invoice, customer, money, errors)
        if errors:
            results.append(_refused(index, *errors))
            continue
        assert customer is not None and received_on is not None and money is not None
        results.append(None)
        pending.append(
            (
                index,
                {
                    "external_id": ext,
                    "customer_id": customer.id,
                    "received_on": received_on,
                    "currency": money.currency,
                    "amount_minor": money.minor,
                    "method": row.method,
                    "reference": row.reference,
                    "fingerprint": digest,
                    "named_invoice_id": named_id,
                },
            )
        )
    if pending:
        inserted = await post_payments(uow, [values for _, values in pending])
        late = [values for _, values in pending if values["external_id"] not in inserted]
        # skipped rows: a concurrent import posted the same external id meanwhile
        found = await _existing(uow, payments, {v["external_id"] for v in late})
        taken = DomainError("IDEMPOTENCY_MISMATCH", "externalId taken meanwhile", "externalId")
        for index, values in pending:
            results[index] = _posted(index, values, inserted, found) or _refused(index, taken)
    return ImportOutcome(tuple(r for r in results if r is not None))
