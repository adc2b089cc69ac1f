"""Credit terms: a change names exactly the terms it touches, checked all at once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit_terms import (
    KEEP,
    CreditTermsChange,
    RatingClass,
    credit_terms_change,
    hand_terms_change,
)
from domain.errors import ValidationFailed


def test_a_change_keeps_what_it_does_not_name() -> None:
    change = credit_terms_change(rating_class=" c ")
    assert change == CreditTermsChange(rating_class=RatingClass.C)
    assert change.changed() == {"rating_class": RatingClass.C}


def test_null_and_blank_reset_to_the_default() -> None:
    change = credit_terms_change(rating_class="", payment_terms_code=None)
    assert change.changed() == {"rating_class": None, "payment_terms_code": None}
    assert credit_terms_change(late_interest_daily_rate=None).changed() == {
        "late_interest_daily_rate": None
    }


def test_terms_code_is_upper_case_and_rate_a_decimal() -> None:
    change = credit_terms_change(payment_terms_code=" net45 ", late_interest_daily_rate="0.0003")
    assert change.payment_terms_code == "NET45"
    assert change.late_interest_daily_rate == Decimal("0.0003")
    assert change.rating_class is KEEP


def test_every_problem_at_once() -> None:
    with pytest.raises(ValidationFailed) as refused:
        credit_terms_change(rating_class="E", late_interest_daily_rate="0.5")
    assert [(e.code, e.field) for e in refused.value.errors] == [
        ("INVALID_INPUT", "ratingClass"),
        ("INVALID_INPUT", "lateInterestDailyRate"),
    ]


def test_a_change_of_nothing_is_refused() -> None:
    with pytest.raises(ValidationFailed) as refused:
        credit_terms_change()
    assert [(e.code, e.field) for e in refused.value.errors] == [("REQUIRED", None)]


@given(st.text(max_size=3))
def test_a_class_is_accepted_only_as_one_of_a_to_d(raw: str) -> None:
    try:
        rating = credit_terms_change(rating_class=raw).rating_class
    except ValidationFailed:
        assert raw.strip().upper() not in {"A", "B", "C", "D", ""}
    else:
        assert rating == (raw.strip().upper() or None)


def test_a_class_by_hand_needs_a_reason_and_cannot_be_reset() -> None:
    assert hand_terms_change("C", KEEP, KEEP, " bounced cheque ", 2000) == "bounced cheque"
    assert hand_terms_change(KEEP, "NET30", KEEP, None, 2000) is None
    with pytest.raises(ValidationFailed) as exc:
        hand_terms_change(None, KEEP, "abc", None, 2000)
    assert [(e.field, e.code) for e in exc.value.errors] == [
        ("lateInterestDailyRate", "INVALID_AMOUNT"),
        ("ratingClass", "INVALID_INPUT"),
        ("reason", "REQUIRED"),
    ]
