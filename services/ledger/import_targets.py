"""Imported payments that name an invoice (by number or id): the reference checked per row,
the payment allocated to that invoice first and the rest oldest due first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from dbschema.queries import import_targets as queries
from domain.allocation import allocate_named_first
from domain.errors import DomainError
from domain.money import Money
from services.uow import UnitOfWork

#: the row field an invoice reference is reported under
FIELD = "invoice"


@dataclass(frozen=True, slots=True)
class NamedInvoice:
    """An invoice a row may name: whose it is and in which currency."""

    id: UUID
    customer_id: UUID
    currency: str


def _as_uuid(ref: str) -> UUID | None:
    try:
        return UUID(ref)
    except ValueError:
        return None


async def resolve(uow: UnitOfWork, refs: set[str]) -> dict[str, NamedInvoice]:
    """The invoices the batch's references name, by reference (one statement)."""
    cleaned = {r.strip() for r in refs if r and r.strip()}
    if not cleaned:
        return {}
    ids = [u for u in (_as_uuid(r) for r in cleaned) if u is not None]
    rows = await queries.find_invoices(uow.conn, sorted(cleaned), ids)
    by_number = {r.number: r for r in rows}
    by_id = {str(r.id): r for r in rows}
    found: dict[str, NamedInvoice] = {}
    for ref in cleaned:
        row = by_number.get(ref) or by_id.get(str(_as_uuid(ref)))
        if row is not None:
            found[ref] = NamedInvoice(row.id, row.customer_id, row.currency.strip())
    return found


def check(
    named: dict[str, NamedInvoice],
    ref: str | None,
    customer: Any,
    money: Money | None,
    errors: list[DomainError],
) -> UUID | None:
    """The row's named invoice id; None without a reference. An unknown reference, another
    customer's invoice or another currency is the row's error."""
    if ref is None or not ref.strip():
        return None
    invoice = named.get(ref.strip())
    if invoice is None:
        errors.append(DomainError("NOT_FOUND", "no invoice with this number or id", FIELD))
        return None
    if customer is not None and invoice.customer_id != customer.id:
        errors.append(
            DomainError("INVOICE_OF_ANOTHER_CUSTOMER", "the invoice is another customer's", FIELD)
        )
    elif money is not None and invoice.currency != money.currency:
        errors.append(DomainError("CURRENCY_MISMATCH", "the invoice is in another currency", FIELD))
    return invoice.id


async def allocate_named(
    uow: UnitOfWork, posted: list[dict[str, Any]]
) -> tuple[list[tuple[UUID, UUID, int]], dict[UUID, int]]:
    """Lock the batch's open invoices and give each payment that names one its share of it
    first (domain.allocation.allocate_named_first): the lines and each payment's remainder."""
    named = [p["named_invoice_id"] for p in posted if p.get("named_invoice_id")]
    open_minor = await queries.lock_named_open(uow.conn, [p["customer_id"] for p in posted], named)
    return allocate_named_first(
        [(p["id"], p.get("named_invoice_id"), p["amount_minor"]) for p in posted], open_minor
    )
