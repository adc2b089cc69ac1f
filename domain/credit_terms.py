"""A customer's credit terms: its rating class, agreed payment terms and late-interest rate.

Each term can be set, reset to the practice's default (None) or left as it is (KEEP), so a
change says exactly which terms it touches.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum, StrEnum

from domain.credit.bounds import clean_text
from domain.errors import DomainError, ValidationFailed
from domain.interest import parse_daily_rate


class RatingClass(StrEnum):
    """The source practice's credit classes; an unrated customer trades on B terms."""

    A = "A"  #: generous terms
    B = "B"  #: standard terms
    C = "C"  #: short terms, tracked closely
    D = "D"  #: cash before delivery


class Keep(Enum):
    """A term the change leaves as it is (None would reset it to the default)."""

    KEEP = "KEEP"


KEEP = Keep.KEEP


@dataclass(frozen=True, slots=True)
class CreditTermsChange:
    """A checked change of credit terms: each term a new value, None (default) or KEEP."""

    rating_class: RatingClass | Keep | None = KEEP
    payment_terms_code: str | Keep | None = KEEP
    late_interest_daily_rate: Decimal | Keep | None = KEEP

    def changed(self) -> dict[str, RatingClass | str | Decimal | None]:
        """The terms this change sets or resets, by name."""
        terms = {
            "rating_class": self.rating_class,
            "payment_terms_code": self.payment_terms_code,
            "late_interest_daily_rate": self.late_interest_daily_rate,
        }
        return {name: value for name, value in terms.items() if not isinstance(value, Keep)}


def _rating_class(raw: str | None, errors: list[DomainError]) -> RatingClass | None:
    text = (raw or "").strip().upper()
    if not text:
        return None
    if text not in RatingClass.__members__:
        errors.append(DomainError("INVALID_INPUT", "A, B, C or D", "ratingClass"))
        return None
    return RatingClass(text)


def credit_terms_change(
    rating_class: str | Keep | None = KEEP,
    payment_terms_code: str | Keep | None = KEEP,
    late_interest_daily_rate: str | Keep | None = KEEP,
) -> CreditTermsChange:
    """Check a change of terms as the client wrote it; every problem at once.

    A blank class or terms code means the default; a terms code is kept upper-case.
    """
    errors: list[DomainError] = []
    rating: RatingClass | Keep | None = KEEP
    if not isinstance(rating_class, Keep):
        rating = _rating_class(rating_class, errors)
    code: str | Keep | None = KEEP
    if not isinstance(payment_terms_code, Keep):
        code = (payment_terms_code or "").strip().upper() or None
    rate: Decimal | Keep | None = KEEP
    if late_interest_daily_rate is None:
        rate = None
    elif not isinstance(late_interest_daily_rate, Keep):
        try:
            rate = parse_daily_rate(late_interest_daily_rate, "lateInterestDailyRate")
        except DomainError as exc:
            errors.append(exc)
    change = CreditTermsChange(rating, code, rate)
    if all(
        isinstance(v, Keep) for v in (rating_class, payment_terms_code, late_interest_daily_rate)
    ):
        errors.append(DomainError("REQUIRED", "nothing to change", None))
    if errors:
        raise ValidationFailed(errors)
    return change


def hand_terms_change(
    rating_class: str | Keep | None,
    payment_terms_code: str | Keep | None,
    late_interest_daily_rate: str | Keep | None,
    reason: str | None,
    max_reason: int,
) -> str | None:
    """Terms and a class set by hand: every input problem at once, and the trimmed reason.

    A class set by hand needs a reason (the class history keeps it) and cannot be reset to
    none: a class moves only to another class, through the four-eyes rule."""
    errors: list[DomainError] = []
    try:
        credit_terms_change(rating_class, payment_terms_code, late_interest_daily_rate)
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    setting_class = not isinstance(rating_class, Keep)
    if not isinstance(rating_class, Keep) and not (rating_class or "").strip():
        errors.append(
            DomainError(
                "INVALID_INPUT",
                "a class cannot be reset by hand; choose A, B, C or D",
                "ratingClass",
            )
        )
    text = clean_text(reason, "reason", max_reason, errors, required=setting_class)
    if errors:
        raise ValidationFailed(errors)
    return text
