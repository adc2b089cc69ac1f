"""A customer's credit terms set by hand: agreed terms at once, the class by four eyes.

The class set here goes through `overrides.change_by_hand`, like a review's or an
application's: a downgrade applies at once (with its history, CLASS decision and event), an
upgrade, or a first class better than D, waits as an override for a second credit manager.
Writing the class straight into the customer row would let one person upgrade a customer
past the four-eyes rule and leave no decision to replay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.credit_terms import KEEP, Keep, hand_terms_change
from services.credit.classes import ClassChange
from services.credit.overrides import MAX_TEXT, Override, change_by_hand
from services.customers import master_data
from services.customers.records import CustomerRecord
from services.uow import UnitOfWork

SOURCE = "MANUAL"  #: the class history's source for a class chosen with the credit terms


@dataclass(frozen=True, slots=True)
class TermsOutcome:
    """The customer as stored, the class change applied, or the upgrade awaiting approval."""

    customer: CustomerRecord
    class_change: ClassChange | None
    override: Override | None


async def set_terms(
    uow: UnitOfWork,
    customer_id: UUID,
    version: int,
    today: date,
    *,
    rating_class: str | Keep | None = KEEP,
    payment_terms_code: str | Keep | None = KEEP,
    late_interest_daily_rate: str | Keep | None = KEEP,
    reason: str | None = None,
) -> TermsOutcome:
    """Set the agreed terms and rate (None resets, KEEP keeps); move the class by four eyes."""
    text = hand_terms_change(
        rating_class, payment_terms_code, late_interest_daily_rate, reason, MAX_TEXT
    )
    record = await master_data.locked(uow, customer_id, version)
    if not (isinstance(payment_terms_code, Keep) and isinstance(late_interest_daily_rate, Keep)):
        record = await master_data.set_credit_terms(
            uow,
            customer_id,
            None,  # checked above, under the row lock this transaction holds
            payment_terms_code=payment_terms_code,
            late_interest_daily_rate=late_interest_daily_rate,
        )
    if isinstance(rating_class, Keep) or rating_class is None or text is None:
        return TermsOutcome(record, None, None)
    change, override = await change_by_hand(uow, customer_id, rating_class, text, SOURCE, today)
    if change is not None and change.changed:
        record = await master_data.locked(uow, customer_id, None)
    return TermsOutcome(record, change, override)
