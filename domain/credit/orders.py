"""Sales-order rules: what a registration, change, shipment or cancellation must carry, what a
replay must repeat, and which orders may be cancelled.

Pure, so they are tested alone; the service applies them before it takes a lock or writes.
Input faults come back all at once, each on the input path the client wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain.credit.bounds import clean_text, date_error
from domain.credit.exposure import OrderStatus
from domain.errors import DomainError, ValidationFailed
from domain.money import Money, document_amount_error, read_amount

#: An order reference is an external system's id (a database CHECK mirrors it).
MAX_REF = 100
MAX_REASON = 500  #: a cancellation reason's length (a database CHECK mirrors it)


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """A registration as the client sent it, normalised: the trimmed reference, the parsed
    amount, and the order date only when one was sent (None: the day it is registered)."""

    ref: str
    amount: Money
    ordered_on: date | None

    def content(self, customer_id: str) -> dict[str, Any]:
        """What a replay must repeat, fingerprinted: equal money written otherwise ("300000",
        "300000.00") is the same content. The date is not in it: a retry without one claims
        none, and a retry naming one is compared with the order's own (`same_date`)."""
        return {
            "ref": self.ref,
            "customer": customer_id,
            "amount": self.amount.minor,
            "currency": self.amount.currency,
        }

    def same_date(self, ordered_on: date) -> bool:
        """Whether this request agrees with a registered order's date (it does when it names
        none, so a retry after midnight still replays the order dated the day before)."""
        return self.ordered_on is None or self.ordered_on == ordered_on


def order_ref(value: str, errors: list[DomainError]) -> str:
    """The trimmed reference; blank or over-long ones are refused."""
    return clean_text(value, "orderRef", MAX_REF, errors, required=True) or ""


def order_amount(amount: str, currency: str, errors: list[DomainError]) -> Money | None:
    """An order's amount: above zero and within the document ceiling (the database holds no
    more); with an unknown currency the decimal is still read, so all its faults come back."""
    value = read_amount(amount, currency, "amount", errors)
    if isinstance(value, Money):
        if value.minor <= 0:
            errors.append(DomainError("AMOUNT_NOT_POSITIVE", "must be above zero", "amount.amount"))
            return None
        if too_large := document_amount_error(value, "amount.amount"):
            errors.append(too_large)
            return None
        return value
    if isinstance(value, Decimal) and value <= 0:
        errors.append(DomainError("AMOUNT_NOT_POSITIVE", "must be above zero", "amount.amount"))
    return None


def _business_date(value: date | None, field: str, today: date, errors: list[DomainError]) -> None:
    if (bad := date_error(value, field)) is not None:
        errors.append(bad)
    elif value is not None and value > today:
        errors.append(DomainError("FUTURE_DATE", "cannot be in the future", field))


def order_request(
    ref: str, amount: str, currency: str, ordered_on: date | None, today: date
) -> OrderRequest:
    """A registration's reference, amount and date, or ValidationFailed with every fault
    (orderRef, amount, orderedOn, in that order)."""
    errors: list[DomainError] = []
    clean_ref = order_ref(ref, errors)
    money = order_amount(amount, currency, errors)
    _business_date(ordered_on, "orderedOn", today, errors)
    if errors:
        raise ValidationFailed(errors)
    assert money is not None  # every path that leaves it None recorded an error
    return OrderRequest(clean_ref, money, ordered_on)


def change_request(ref: str, amount: str, currency: str) -> tuple[str, Money]:
    """A change's reference and new amount (the same rules as a registration's)."""
    errors: list[DomainError] = []
    clean_ref = order_ref(ref, errors)
    money = order_amount(amount, currency, errors)
    if errors:
        raise ValidationFailed(errors)
    assert money is not None
    return clean_ref, money


def ship_request(ref: str, shipped_on: date, today: date) -> str:
    """A shipment's reference; its date is plausible and not in the future."""
    errors: list[DomainError] = []
    clean_ref = order_ref(ref, errors)
    _business_date(shipped_on, "shippedOn", today, errors)
    if errors:
        raise ValidationFailed(errors)
    return clean_ref


def cancel_request(ref: str, reason: str) -> tuple[str, str]:
    """A cancellation's reference and its (required) reason."""
    errors: list[DomainError] = []
    clean_ref = order_ref(ref, errors)
    text = clean_text(reason, "reason", MAX_REASON, errors, required=True)
    if errors:
        raise ValidationFailed(errors)
    assert text is not None
    return clean_ref, text


def cancel_refusal(status: OrderStatus, shipped: bool, invoiced_minor: int) -> DomainError | None:
    """Why an order cannot be cancelled, else None. Only an order neither shipped nor invoiced,
    not even in part, is withdrawn: delivered goods are owed until invoiced, and an invoiced
    part is a real receivable, so such an order is closed by invoicing (then a credit note) or
    by changing it down to what is invoiced. A cancelled order is None (cancelling is
    idempotent)."""
    if status is OrderStatus.CANCELLED:
        return None
    if status is OrderStatus.INVOICED:
        message = "an invoiced order is credited, not cancelled"
    elif shipped or status is OrderStatus.SHIPPED:
        message = "a shipped order is invoiced, not cancelled"
    elif invoiced_minor > 0:
        message = "a partly invoiced order is changed down to what is invoiced, not cancelled"
    else:
        return None
    return DomainError("INVALID_STATUS", message, "orderRef")
