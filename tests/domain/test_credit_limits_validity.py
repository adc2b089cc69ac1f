"""Limits by validity dates (a back-dated limit never displaces a valid one) and the limit
request's refusals: a past end, the amount ceiling, every error at once."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.check import CheckInput, Outcome, decide
from domain.credit.class_policy import effective
from domain.credit.exposure import ExposureFacts
from domain.credit.limits import LimitKind, LimitRecord, LimitScope, in_force, validate_request
from domain.errors import DomainError, ValidationFailed
from domain.money import MAX_DOCUMENT_MINOR, Money

DAY = date(2026, 6, 30)


def standard(seq: int, minor: int, start: date, end: date | None = None) -> LimitRecord:
    return LimitRecord(
        f"l{seq}", seq, LimitScope.CUSTOMER, LimitKind.STANDARD, Money(minor, "CNY"), start, end
    )


def codes(error: ValidationFailed) -> list[tuple[str | None, str]]:
    return sorted((e.field, e.code) for e in error.errors)


# item 1 (a): the limit in force is chosen by its validity dates


def test_a_back_dated_limit_does_not_knock_out_the_open_ended_one() -> None:
    # given an open-ended 50,000 limit, then a 10,000 one approved later for January 2020
    history = [
        standard(1, 5_000_000, date(2025, 1, 1)),
        standard(2, 1_000_000, date(2020, 1, 1), date(2020, 1, 31)),
    ]
    # when / then: today the open-ended one is in force, not expired
    force = in_force(history, DAY)
    assert force.standard is not None and force.standard.seq == 1
    assert not force.expired
    # and in January 2020 the back-dated one was (the open-ended one had not started)
    january = in_force(history, date(2020, 1, 15))
    assert january.standard is not None and january.standard.seq == 2


def test_a_lapsed_limit_is_expired_only_when_no_other_is_valid() -> None:
    history = [
        standard(1, 100, date(2025, 1, 1), date(2026, 3, 31)),
        standard(2, 200, date(2020, 1, 1), date(2020, 1, 31)),
    ]
    force = in_force(history, DAY)
    # both ended: the one that ended last is reported, expired
    assert force.standard is not None and force.standard.seq == 1 and force.expired
    # among valid limits the newest still wins
    both = [standard(1, 100, date(2025, 1, 1)), standard(2, 200, date(2026, 1, 1), DAY)]
    assert in_force(both, DAY).standard.seq == 2  # type: ignore[union-attr]
    assert in_force(both, DAY + timedelta(days=1)).standard.seq == 1  # type: ignore[union-attr]


@given(
    st.lists(
        st.tuples(
            st.integers(-400, 0), st.one_of(st.none(), st.integers(-400, 400)), st.booleans()
        ),
        min_size=1,
        max_size=8,
    )
)
def test_expired_only_when_no_started_standard_limit_covers_the_day(
    spans: list[tuple[int, int | None, bool]],
) -> None:
    history = [
        standard(n, 100, DAY + timedelta(days=a), None if b is None else DAY + timedelta(days=b))
        for n, (a, b, _) in enumerate(spans, start=1)
        if b is None or b >= a
    ]
    covering = [r for r in history if r.valid_to is None or r.valid_to >= DAY]
    force = in_force(history, DAY)
    assert force.expired == (bool(history) and not covering)
    if covering:
        assert force.standard == max(covering, key=lambda r: r.seq)


def test_the_check_answers_from_the_valid_limit_not_the_back_dated_one() -> None:
    # given the reviewer's case: 55,000 exposure, a 50,000 open-ended and a 10,000 back-dated
    inp = CheckInput(
        as_of=DAY,
        customer_id="c1",
        customer_status="ACTIVE",
        rating_class="B",
        hold_reason=None,
        amount=Money(100_000, "CNY"),
        order_ref=None,
        reserve=False,
        policy=effective({}),
        limits=(
            standard(1, 5_000_000, date(2025, 1, 1)),
            standard(2, 1_000_000, date(2020, 1, 1), date(2020, 1, 31)),
        ),
        exposure=ExposureFacts(receivables=(Money(1_500_000, "CNY"),)),
    )
    # when
    out = decide(inp)
    # then: no LIMIT_EXPIRED, and the headroom is the 50,000 limit's
    assert out.outcome == Outcome.APPROVED and out.findings == ()
    assert out.limit_id == "l1"
    assert out.standing is not None and out.standing.headroom == Money(3_500_000, "CNY")


# item 1 (b): a request that has already ended is refused


def test_a_limit_ending_before_today_is_refused_on_valid_to() -> None:
    with pytest.raises(ValidationFailed) as refused:
        validate_request(
            Money(1_000_000, "CNY"),
            LimitKind.STANDARD,
            date(2020, 1, 1),
            date(2020, 1, 31),
            None,
            today=DAY,
        )
    assert codes(refused.value) == [("validTo", "INVALID_PERIOD")]
    # ending today, or open-ended from the past, is fine
    for end in (DAY, None):
        assert (
            validate_request(
                Money(1, "CNY"), LimitKind.STANDARD, date(2020, 1, 1), end, " n ", today=DAY
            )
            == "n"
        )


def test_an_implausible_end_is_an_invalid_date_not_also_a_past_one() -> None:
    with pytest.raises(ValidationFailed) as refused:
        validate_request(
            Money(1, "CNY"), LimitKind.STANDARD, date(1899, 1, 1), date(1899, 6, 1), None, today=DAY
        )
    assert codes(refused.value) == [("validFrom", "INVALID_DATE"), ("validTo", "INVALID_DATE")]


# item 2: every input error together


def test_an_amount_that_did_not_parse_does_not_hide_the_period() -> None:
    unparsed = DomainError("UNKNOWN_CURRENCY", "not a currency", "amount.currency")
    with pytest.raises(ValidationFailed) as refused:
        validate_request(
            None,
            LimitKind.STANDARD,
            date(2026, 2, 1),
            date(2026, 1, 1),
            None,
            today=DAY,
            found=[unparsed],
        )
    assert codes(refused.value) == [
        ("amount.currency", "UNKNOWN_CURRENCY"),
        ("validTo", "INVALID_PERIOD"),
    ]


def test_an_amount_in_an_unknown_currency_is_still_checked_for_its_sign() -> None:
    unparsed = DomainError("UNKNOWN_CURRENCY", "not a currency", "amount.currency")
    with pytest.raises(ValidationFailed) as refused:
        validate_request(
            Decimal("-1"), LimitKind.TEMPORARY, DAY, None, None, today=DAY, found=[unparsed]
        )
    assert codes(refused.value) == [
        ("amount.amount", "NEGATIVE_AMOUNT"),
        ("amount.currency", "UNKNOWN_CURRENCY"),
        ("validTo", "REQUIRED"),
    ]


# item 3: the ceiling a document has


def test_a_limit_above_the_document_ceiling_is_too_large() -> None:
    ceiling = Money(MAX_DOCUMENT_MINOR, "CNY")
    assert validate_request(ceiling, LimitKind.STANDARD, DAY, None, None, today=DAY) is None
    with pytest.raises(ValidationFailed) as refused:
        validate_request(
            Money(10**16, "CNY"), LimitKind.STANDARD, DAY, None, None, today=DAY
        )  # 10^14 CNY
    assert codes(refused.value) == [("amount.amount", "AMOUNT_TOO_LARGE")]
    assert "10000000000000.00 CNY" in refused.value.errors[0].message
