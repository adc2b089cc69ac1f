"""checkCredit's input rules: the order's amount, its reference and a reservation's lifetime.

Pure, so they are tested alone; the service applies them before it takes a lock or reads.
Every fault comes back at once, so a form can show them all.
"""

from __future__ import annotations

from decimal import Decimal

from domain.credit.bounds import clean_text
from domain.errors import DomainError, ValidationFailed
from domain.money import Money, document_amount_error, read_amount

#: A reservation holds headroom at least a second and at most a day: longer holds starve
#: other orders of headroom nobody is using.
MIN_TTL_SECONDS = 1
MAX_TTL_SECONDS = 86_400
MAX_REF = 100  #: an order reference's length, as the order itself takes it
#: The check takes amount and currency as two flat fields: errors name each as written.
_FLAT = {"amount.amount": "amount", "amount.currency": "currency"}
_TTL_MESSAGE = f"between {MIN_TTL_SECONDS} and {MAX_TTL_SECONDS} seconds"


def _amount(amount: str, currency: str, errors: list[DomainError]) -> Money | None:
    """The order's amount: above zero and within the ceiling every job can carry; with an
    unknown currency the decimal is still read on its own, so all its faults come back."""
    found: list[DomainError] = []
    value = read_amount(amount, currency, "amount", found)
    money, number = (value, Decimal(value.minor)) if isinstance(value, Money) else (None, value)
    if number is not None and number <= 0:
        found.append(DomainError("AMOUNT_NOT_POSITIVE", "must be above zero", "amount"))
    elif money is not None and (too_large := document_amount_error(money, "amount")):
        found.append(too_large)
    if found:
        errors += [DomainError(e.code, e.message, _FLAT.get(e.field or "", e.field)) for e in found]
    return money


def check_request(
    amount: str, currency: str, order_ref: str | None, reserve: bool, ttl_seconds: int
) -> tuple[Money, str | None]:
    """The check's amount and trimmed order reference, or ValidationFailed with every fault
    (amount, currency, orderRef, ttlSeconds, in that order) so the caller fixes all at once."""
    errors: list[DomainError] = []
    money = _amount(amount, currency, errors)
    ref = clean_text(order_ref, "orderRef", MAX_REF, errors, required=reserve)
    if not MIN_TTL_SECONDS <= ttl_seconds <= MAX_TTL_SECONDS:
        errors.append(DomainError("INVALID_TTL", _TTL_MESSAGE, "ttlSeconds"))
    if errors:
        raise ValidationFailed(errors)
    assert money is not None  # every path that leaves it None recorded an error
    return money, ref
