"""Credit reviews: when one falls due, what the reviewer checked, and what they decided.

Seed 003 §5: customers are reviewed periodically (by class: A yearly, D monthly) and when
something happens (a downgrade, an agreement about to end, an unusually large order). The
outcome is applied through the same services as a manual change, so a review is never a side
door around the approval rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from domain.credit.bounds import clean_text, date_error
from domain.credit.classes import RatingClass, parse_class
from domain.credit.dates import months_before
from domain.credit.limits import LimitInForce
from domain.credit.rates import RateBook
from domain.errors import DomainError, ValidationFailed
from domain.money import Money


class ReviewTrigger(StrEnum):
    """Why a review was opened."""

    SCHEDULED = "SCHEDULED"
    CLASS_DOWNGRADE = "CLASS_DOWNGRADE"
    AGREEMENT_EXPIRY = "AGREEMENT_EXPIRY"
    LARGE_ORDER = "LARGE_ORDER"
    MANUAL = "MANUAL"


class ReviewStatus(StrEnum):
    """An open review awaits a reviewer; a done one carries its outcome."""

    OPEN = "OPEN"
    DONE = "DONE"


class ReviewOutcome(StrEnum):
    """What a review decided (applied through the class, limit, terms and hold services)."""

    KEEP = "KEEP"
    UPGRADE = "UPGRADE"
    DOWNGRADE = "DOWNGRADE"
    CHANGE_LIMIT = "CHANGE_LIMIT"
    CHANGE_TERMS = "CHANGE_TERMS"
    HOLD = "HOLD"


#: The classes best to worst: an upgrade moves towards A.
_RANK = {RatingClass.A: 0, RatingClass.B: 1, RatingClass.C: 2, RatingClass.D: 3}
#: platform default: an order above half the customer's limit is large enough to call for a
#: review (seed 003 §5.2 names 大额订单 without a figure).
DEFAULT_LARGE_ORDER_SHARE = Decimal("0.5")
#: platform default: an event-driven review is due within 14 days of its event.
EVENT_REVIEW_DAYS = 14
MAX_REASON = 2000  #: a review's reasoning (a database CHECK mirrors it)


@dataclass(frozen=True)
class Checklist:
    """The four things a reviewer confirms (seed 003 §5.1): each is yes or no."""

    statements_updated: bool = False
    bureau_refreshed: bool = False
    visit_done: bool = False
    agreement_valid: bool = False

    def to_json(self) -> dict[str, bool]:
        """As stored and audited."""
        return {
            "statementsUpdated": self.statements_updated,
            "bureauRefreshed": self.bureau_refreshed,
            "visitDone": self.visit_done,
            "agreementValid": self.agreement_valid,
        }

    def missing(self) -> tuple[str, ...]:
        """The items not confirmed (shown beside the outcome, never blocking it)."""
        return tuple(k for k, v in self.to_json().items() if not v)


@dataclass(frozen=True)
class OutcomeIn:
    """An outcome as the API received it (the limit already parsed)."""

    outcome: str
    reason: str | None
    rating_class: str | None = None
    limit: Money | None = None
    limit_valid_to: date | None = None
    payment_terms_code: str | None = None


@dataclass(frozen=True)
class CheckedOutcome:
    """An outcome ready to apply: only the parts its kind uses are set."""

    outcome: ReviewOutcome
    reason: str
    rating_class: RatingClass | None = None
    limit: Money | None = None
    limit_valid_to: date | None = None
    payment_terms_code: str | None = None

    def to_json(self) -> dict[str, Any]:
        """As stored with the review (money as minor units and currency)."""
        return {
            "outcome": self.outcome.value,
            "ratingClass": self.rating_class.value if self.rating_class else None,
            "limit": None
            if self.limit is None
            else {"minor": self.limit.minor, "currency": self.limit.currency},
            "limitValidTo": self.limit_valid_to.isoformat() if self.limit_valid_to else None,
            "paymentTermsCode": self.payment_terms_code,
        }


def _parse_outcome(raw: str, errors: list[DomainError]) -> ReviewOutcome | None:
    try:
        return ReviewOutcome(raw)
    except ValueError:
        errors.append(DomainError("INVALID_KIND", "an unknown review outcome", "outcome"))
        return None


def _class_move(
    outcome: ReviewOutcome, raw: str | None, current: str | None, errors: list[DomainError]
) -> RatingClass | None:
    if not raw:
        errors.append(
            DomainError("REQUIRED", f"{outcome.value} names the new class", "ratingClass")
        )
        return None
    try:
        new = parse_class(raw, "ratingClass")
    except DomainError as exc:
        errors.append(exc)
        return None
    if current:
        old = _RANK[RatingClass(current)]
        better = _RANK[new] < old
        if (outcome == ReviewOutcome.UPGRADE) != better or _RANK[new] == old:
            word = "better" if outcome == ReviewOutcome.UPGRADE else "worse"
            errors.append(
                DomainError("INVALID_CLASS_MOVE", f"the new class must be {word}", "ratingClass")
            )
    return new


#: What each outcome changes: a value given for another outcome's field would be ignored,
#: and a reviewer who wrote it believes it took effect, so it is refused instead.
_FIELDS = {
    "ratingClass": (ReviewOutcome.UPGRADE, ReviewOutcome.DOWNGRADE),
    "limit": (ReviewOutcome.CHANGE_LIMIT,),
    "limitValidTo": (ReviewOutcome.CHANGE_LIMIT,),
    "paymentTermsCode": (ReviewOutcome.CHANGE_TERMS,),
}


def _stray(given: OutcomeIn, outcome: ReviewOutcome) -> list[DomainError]:
    """The fields given that this outcome does not use."""
    values = {
        "ratingClass": given.rating_class,
        "limit": given.limit,
        "limitValidTo": given.limit_valid_to,
        "paymentTermsCode": given.payment_terms_code,
    }
    return [
        DomainError("INVALID_INPUT", f"{outcome.value} does not change it; leave it out", field)
        for field, value in values.items()
        if value not in (None, "") and outcome not in _FIELDS[field]
    ]


def check_outcome(
    given: OutcomeIn, current_class: str | None, *, refuse_stray: bool = True
) -> CheckedOutcome:
    """Every problem of a review's outcome at once (ValidationFailed): each kind names what
    it changes (CHANGE_LIMIT a limit, CHANGE_TERMS a terms code, a class move a class) and
    nothing else (`refuse_stray`: off only to replay decisions stored before that rule)."""
    errors: list[DomainError] = []
    outcome = _parse_outcome(given.outcome, errors)
    if outcome is not None and refuse_stray:
        errors += _stray(given, outcome)
    required = outcome not in (None, ReviewOutcome.KEEP)
    reason = clean_text(given.reason, "reason", MAX_REASON, errors, required=required)
    if outcome is None:
        raise ValidationFailed(errors)
    new_class = limit = terms = valid_to = None
    if outcome in (ReviewOutcome.UPGRADE, ReviewOutcome.DOWNGRADE):
        new_class = _class_move(outcome, given.rating_class, current_class, errors)
    elif outcome == ReviewOutcome.CHANGE_LIMIT:
        if given.limit is None:
            errors.append(DomainError("REQUIRED", "CHANGE_LIMIT names the new limit", "limit"))
        elif given.limit.minor < 0:
            errors.append(DomainError("NEGATIVE_AMOUNT", "a limit of zero or more", "limit.amount"))
        limit = given.limit
        valid_to = given.limit_valid_to
        problem = date_error(valid_to, "limitValidTo")
        if problem:
            errors.append(problem)
    elif outcome == ReviewOutcome.CHANGE_TERMS:
        terms = (given.payment_terms_code or "").strip().upper() or None
        if terms is None:
            errors.append(
                DomainError("REQUIRED", "CHANGE_TERMS names the terms", "paymentTermsCode")
            )
    if errors:
        raise ValidationFailed(errors)
    return CheckedOutcome(outcome, reason or "", new_class, limit, valid_to, terms)


def next_scheduled(last_review: date, interval_months: int) -> date:
    """When the periodic review after `last_review` falls due (the class's interval)."""
    return months_before(last_review, -interval_months)


def overdue(due_on: date, as_of: date) -> bool:
    """An open review is overdue the day after its due date."""
    return due_on < as_of


def large_order(
    order: Money, limit: Money | None, share: Decimal, book: RateBook | None = None
) -> bool:
    """Whether a new order calls for a review: above `share` of the limit, the order converted
    into the limit's currency by the book. Without a limit, or without a rate to convert, there
    is nothing to measure it by (the credit check already refuses credit then), so no review."""
    if limit is None:
        return False
    if order.currency != limit.currency:
        if book is None:
            return False
        try:
            order = book.convert(order, limit.currency).amount
        except DomainError:
            return False
    return Decimal(order.minor) > Decimal(limit.minor) * share


def measured_limit(force: LimitInForce, book: RateBook) -> Money | None:
    """The limit a large order is measured by: the standard limit in force (not expired) plus
    its running temporary increases, in the standard's currency; None without one."""
    if force.standard is None or force.expired:
        return None
    total = force.standard.amount.minor
    for increase in force.increases:
        try:
            total += book.convert(increase.amount, force.standard.amount.currency).amount.minor
        except DomainError:
            continue  # an increase without a rate is not counted: the smaller limit is safer
    return Money(total, force.standard.amount.currency)


def outcome_snapshot(given: OutcomeIn, current_class: str | None) -> dict[str, Any]:
    """A review's input as the decision log stores it (money as minor units and currency)."""
    return {
        "currentClass": current_class,
        "outcome": given.outcome,
        "reason": given.reason,
        "ratingClass": given.rating_class,
        "limit": None
        if given.limit is None
        else {"minor": given.limit.minor, "currency": given.limit.currency},
        "limitValidTo": given.limit_valid_to.isoformat() if given.limit_valid_to else None,
        "paymentTermsCode": given.payment_terms_code,
    }


def replay_review(snapshot: Any) -> dict[str, Any]:
    """The outcome a stored review snapshot leads to (what `replayCreditDecision` recomputes)."""
    limit = snapshot.get("limit")
    given = OutcomeIn(
        snapshot["outcome"],
        snapshot.get("reason"),
        snapshot.get("ratingClass"),
        None if limit is None else Money(int(limit["minor"]), str(limit["currency"])),
        date.fromisoformat(snapshot["limitValidTo"]) if snapshot.get("limitValidTo") else None,
        snapshot.get("paymentTermsCode"),
    )
    return check_outcome(given, snapshot.get("currentClass"), refuse_stray=False).to_json()
