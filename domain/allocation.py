"""Allocating cash to open invoices: oldest due first, or explicitly line by line, never
beyond what an invoice still owes nor what a payment has left."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from domain.errors import DomainError, NotFound, ValidationFailed
from domain.money import Money


@dataclass(frozen=True)
class Receivable:
    """An open item that cash can be applied to."""

    id: UUID
    due_date: date
    issue_date: date
    open_minor: int


def allocate_oldest_first(amount_minor: int, items: Sequence[Receivable]) -> list[tuple[UUID, int]]:
    """Apply cash to the oldest due items first (ties: issue date, then id)."""
    remaining = amount_minor
    plan: list[tuple[UUID, int]] = []
    for item in sorted(items, key=lambda i: (i.due_date, i.issue_date, i.id)):
        if remaining <= 0:
            break
        if item.open_minor <= 0:
            continue
        take = min(item.open_minor, remaining)
        plan.append((item.id, take))
        remaining -= take
    return plan


def allocate_batch_oldest_first(
    payments: Sequence[tuple[UUID, Hashable, int]],
    items: Mapping[Hashable, Sequence[Receivable]],
) -> list[tuple[UUID, UUID, int]]:
    """A batch of payments `(id, key, amount)` in batch order, each applied oldest due first
    to what the earlier ones left of the open items of its key (customer and currency):
    `(payment id, invoice id, amount)` lines. importPayments does this set-wise in SQL
    (dbschema.queries.import_plan.plan_oldest_first); this is the rule it is tested against."""
    open_now = {key: list(found) for key, found in items.items()}
    lines: list[tuple[UUID, UUID, int]] = []
    for payment_id, key, amount in payments:
        current = open_now.get(key, [])
        plan = allocate_oldest_first(amount, current)
        taken = dict(plan)
        open_now[key] = [replace(i, open_minor=i.open_minor - taken.get(i.id, 0)) for i in current]
        lines.extend((payment_id, invoice_id, part) for invoice_id, part in plan)
    return lines


def allocate_named_first(
    payments: Sequence[tuple[UUID, UUID | None, int]], open_minor: Mapping[UUID, int]
) -> tuple[list[tuple[UUID, UUID, int]], dict[UUID, int]]:
    """A batch of payments `(id, named invoice or None, amount)`: each that names an invoice
    takes from it first, in batch order, at most what is still open there. Returns the
    `(payment id, invoice id, amount)` lines and what each payment has left, which then goes
    oldest due first (importPayments with an invoice reference per row)."""
    still_open = dict(open_minor)
    lines: list[tuple[UUID, UUID, int]] = []
    left: dict[UUID, int] = {}
    for payment_id, invoice_id, amount in payments:
        take = min(amount, still_open.get(invoice_id, 0)) if invoice_id is not None else 0
        if take > 0 and invoice_id is not None:
            lines.append((payment_id, invoice_id, take))
            still_open[invoice_id] -= take
        left[payment_id] = amount - take
    return lines, left


@dataclass(frozen=True)
class Target:
    """An invoice an explicit line names, as it stands under lock."""

    id: UUID
    customer_id: UUID
    currency: str
    open_minor: int


def _positive_minor(amount: str, currency: str, field: str) -> int:
    money = Money.parse(amount, currency, field)
    if money.minor <= 0:
        raise DomainError("AMOUNT_NOT_POSITIVE", "must be greater than zero", f"{field}.amount")
    return money.minor


def parse_lines(
    lines: Sequence[tuple[UUID, str]], currency: str, field: str = "lines"
) -> list[tuple[UUID, int]]:
    """Explicit lines' amounts in the payment's currency, each above zero; every bad line is
    reported at once (`lines.N.amount`), before any invoice is locked."""
    errors: list[DomainError] = []
    wanted: list[tuple[UUID, int]] = []
    for n, (invoice_id, amount) in enumerate(lines):
        try:
            wanted.append((invoice_id, _positive_minor(amount, currency, f"{field}.{n}")))
        except DomainError as exc:
            errors.append(exc)
    if errors:
        raise ValidationFailed(errors)
    return wanted


def check_explicit(
    wanted: Sequence[tuple[UUID, int]],
    targets: Mapping[UUID, Target],
    customer_id: UUID,
    currency: str,
    available_minor: int,
    field: str = "lines",
) -> list[tuple[UUID, int]]:
    """The lines as they will post, or every refusal at once: an invoice of another customer
    (or none) is not found, other currencies do not mix, and no line may take an invoice (even
    through several lines) beyond its open amount nor the lines together beyond the payment."""
    errors: list[DomainError] = []
    remaining = {i: t.open_minor for i, t in targets.items()}
    for n, (invoice_id, amount) in enumerate(wanted):
        target = targets.get(invoice_id)
        if target is None or target.customer_id != customer_id:
            errors.append(NotFound(f"{field}.{n}.invoiceId", "invoice"))
        elif target.currency != currency:
            errors.append(
                DomainError(
                    "CURRENCY_MISMATCH",
                    f"invoice is in {target.currency}, payment in {currency}",
                    f"{field}.{n}.invoiceId",
                )
            )
        elif amount > remaining[invoice_id]:
            errors.append(
                DomainError(
                    "EXCEEDS_OPEN_AMOUNT",
                    "more than the invoice's open amount",
                    f"{field}.{n}.amount",
                )
            )
        else:
            remaining[invoice_id] -= amount
    if sum(a for _, a in wanted) > available_minor:
        errors.append(
            DomainError("EXCEEDS_PAYMENT", "more than the payment's unallocated amount", field)
        )
    if errors:
        raise ValidationFailed(errors)
    return list(wanted)
