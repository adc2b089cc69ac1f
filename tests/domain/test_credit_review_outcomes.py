"""A review outcome changes what its kind names and nothing else: a value for another kind's
field would be silently ignored, so it is refused (but old snapshots still replay)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.credit import reviews as rev
from domain.errors import ValidationFailed
from domain.money import Money


def _refused(given: rev.OutcomeIn) -> list[tuple[str | None, str]]:
    with pytest.raises(ValidationFailed) as exc:
        rev.check_outcome(given, "C")
    return [(e.field, e.code) for e in exc.value.errors]


def test_keep_with_a_class_is_refused_not_ignored() -> None:
    assert _refused(rev.OutcomeIn("KEEP", None, rating_class="B")) == [
        ("ratingClass", "INVALID_INPUT")
    ]


def test_each_outcome_refuses_the_fields_of_the_others() -> None:
    given = rev.OutcomeIn(
        "HOLD", "two cheques bounced", "D", Money(100, "CNY"), date(2026, 12, 31), "NET30"
    )
    assert _refused(given) == [
        ("ratingClass", "INVALID_INPUT"),
        ("limit", "INVALID_INPUT"),
        ("limitValidTo", "INVALID_INPUT"),
        ("paymentTermsCode", "INVALID_INPUT"),
    ]
    limit = rev.OutcomeIn("CHANGE_LIMIT", "grew", None, Money(100, "CNY"), date(2026, 12, 31))
    assert rev.check_outcome(limit, "C").limit == Money(100, "CNY")


def test_a_snapshot_stored_before_the_rule_still_replays() -> None:
    snapshot = {"outcome": "KEEP", "reason": None, "ratingClass": "B", "currentClass": "C"}
    assert rev.replay_review(snapshot)["outcome"] == "KEEP"


def test_a_large_order_is_measured_in_the_limits_currency_with_its_increases() -> None:
    from decimal import Decimal

    from domain.credit.limits import LimitKind, LimitRecord, LimitScope, in_force
    from domain.credit.rates import ExchangeRate, RateBook

    today = date(2026, 12, 2)
    standard = LimitRecord(
        "s",
        1,
        LimitScope.CUSTOMER,
        LimitKind.STANDARD,
        Money(5_000_000, "SEK"),
        date(2026, 1, 1),
        None,
    )
    increase = LimitRecord(
        "t", 2, LimitScope.CUSTOMER, LimitKind.TEMPORARY, Money(1_000_000, "CNY"),
        date(2026, 12, 1), date(2026, 12, 31),
    )  # fmt: skip
    rate = ExchangeRate("r", "CNY", "SEK", Decimal("1.45"), date(2026, 11, 1))
    book = RateBook.of(today, [rate])
    limit = rev.measured_limit(in_force([standard, increase], today), book)
    assert limit == Money(6_450_000, "SEK")
    share = Decimal("0.5")
    assert rev.large_order(Money(2_300_000, "CNY"), limit, share, book)  # 3,335,000 SEK
    assert not rev.large_order(Money(2_200_000, "CNY"), limit, share, book)  # 3,190,000 SEK
    assert not rev.large_order(Money(9_000_000, "USD"), limit, share, book)  # no rate
    lapsed = LimitRecord(
        "l", 3, LimitScope.CUSTOMER, LimitKind.STANDARD, Money(5_000_000, "SEK"),
        date(2025, 1, 1), date(2025, 12, 31),
    )  # fmt: skip
    assert rev.measured_limit(in_force([lapsed], today), book) is None  # the check asks anyway
