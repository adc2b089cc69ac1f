"""The check's converted figures name their rate; a missing rate of an open item or a group
limit sends the order to review instead of refusing it; old snapshots replay as recorded."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.check import CHECK_RULES_VERSION, CheckInput, GroupLimit, Outcome, Reason, decide
from domain.credit.exposure import ExposureFacts, ExposurePart, breakdown, standing
from domain.credit.limits import LimitKind, LimitRecord, LimitScope
from domain.credit.rates import ExchangeRate, RateBook, apply_rate
from domain.credit.replay import differences
from domain.errors import DomainError
from domain.money import Money
from tests.domain.check_cases import DAY, check_case

#: 1 EUR = 8 CNY, entered three days before the check
EUR_CNY = ExchangeRate("r-eur", "EUR", "CNY", Decimal("8"), DAY - timedelta(days=3))


def limit(
    minor: int,
    currency: str = "CNY",
    scope: LimitScope = LimitScope.CUSTOMER,
    kind: LimitKind = LimitKind.STANDARD,
    seq: int = 1,
) -> LimitRecord:
    return LimitRecord(
        f"l{seq}", seq, scope, kind, Money(minor, currency), date(2026, 1, 1),
        None if kind == LimitKind.STANDARD else DAY + timedelta(days=30),
    )  # fmt: skip


def check_input(**changes: object) -> CheckInput:
    return check_case(
        **{
            "amount": Money(10_000, "EUR"),
            "limits": (limit(1_000_000),),
            "exposure": ExposureFacts(receivables=(Money(500_000, "CNY"),)),
            "rates": (EUR_CNY,),
            **changes,
        }
    )


def group_input(member_exposure: tuple[Money, ...], **changes: object) -> CheckInput:
    """c1 (own limit 10,000.00 CNY) in a group with a 20,000.00 CNY group limit on `parent`."""
    group = GroupLimit("parent", (limit(2_000_000, scope=LimitScope.GROUP, seq=2),))
    return check_input(
        amount=Money(10_000, "CNY"),
        group_members=("c1", "c2", "parent"),
        group_limits=(group,),
        group_exposure=ExposureFacts(receivables=(Money(500_000, "CNY"), *member_exposure)),
        **changes,
    )


# defect 1: every converted figure says which rate and date it used


def test_available_names_the_rate_that_converted_the_headroom() -> None:
    # given: 5,000.00 CNY headroom and an order in EUR
    out = decide(check_input())
    # then: available (625.00 EUR) says it came from that headroom at EUR/CNY 8 of 27 June
    assert out.available == Money(62_500, "EUR")
    conversion = out.available_conversion
    assert conversion is not None
    assert (conversion.source, conversion.amount) == (Money(500_000, "CNY"), out.available)
    assert conversion.rate == EUR_CNY and conversion.inverse is True
    # and the utilisation after the order names the rate that put the order in CNY
    after = out.utilisation_conversion
    assert after is not None and after.rate == EUR_CNY and after.inverse is False
    assert (after.source, after.amount) == (Money(10_000, "EUR"), Money(80_000, "CNY"))
    assert out.utilisation_after == Decimal("0.5800")


def test_a_prepayment_over_the_limit_names_the_rate_of_the_headroom() -> None:
    # when: the EUR order is above the 625.00 EUR the headroom gives
    out = decide(check_input(amount=Money(100_000, "EUR")))
    # then: the excess is prepaid, through the same rate and date
    assert out.outcome == Outcome.PREPAYMENT_REQUIRED
    assert out.prepayment == Money(100_000 - 62_500, "EUR")
    assert out.prepayment_conversion is not None
    assert out.prepayment_conversion == out.available_conversion
    assert out.prepayment_conversion.rate == EUR_CNY
    # a class prepayment converts nothing: it is the whole amount
    prepaid = decide(check_input(rating_class="D"))
    assert prepaid.prepayment == Money(10_000, "EUR") and prepaid.prepayment_conversion is None


def test_the_log_records_each_conversion_with_its_rate_and_date() -> None:
    recorded = decide(check_input(amount=Money(100_000, "EUR"))).to_json()
    assert recorded["rulesVersion"] == CHECK_RULES_VERSION == 4
    assert recorded["availableConversion"] == {
        "source": {"minor": 500_000, "currency": "CNY"},
        "amount": {"minor": 62_500, "currency": "EUR"},
        "rateId": "r-eur",
        "rate": "8",
        "rateDate": "2026-06-27",
        "inverse": True,
    }
    assert recorded["utilisationAfterConversion"]["rateDate"] == "2026-06-27"
    # a same-currency figure is labelled too, with no rate
    same = decide(check_input(amount=Money(10_000, "CNY"))).to_json()
    assert same["availableConversion"]["rateId"] is None


def test_a_group_cap_names_its_own_rate() -> None:
    # given: a USD group limit binding below the customer's CNY headroom
    usd_cny = ExchangeRate("r-usd", "USD", "CNY", Decimal("7"), DAY - timedelta(days=1))
    group = GroupLimit("parent", (limit(10_000, "USD", LimitScope.GROUP, seq=2),))
    out = decide(
        check_input(
            amount=Money(100_000, "CNY"),
            group_members=("c1", "parent"),
            group_limits=(group,),
            group_exposure=ExposureFacts(),
            rates=(EUR_CNY, usd_cny),
        )
    )
    # then: 100.00 USD of group headroom is 700.03 CNY available at USD/CNY 7 (the largest
    # amount that rounds back to within 100.00 USD)
    assert out.available == Money(70_003, "CNY")
    assert out.available_conversion is not None and out.available_conversion.rate == usd_cny
    assert out.prepayment_conversion == out.available_conversion
    assert [f.reason for f in out.findings] == [Reason.OVER_GROUP_LIMIT]


@given(
    headroom=st.integers(min_value=-(10**9), max_value=10**12),
    rate=st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("500"), places=4),
    inverse_pair=st.booleans(),
)
def test_available_is_the_largest_amount_its_labelled_rate_keeps_within_the_headroom(
    headroom: int, rate: Decimal, inverse_pair: bool
) -> None:
    stored = (
        ExchangeRate("x", "CNY", "EUR", rate, DAY)
        if inverse_pair
        else ExchangeRate("x", "EUR", "CNY", rate, DAY)
    )
    book = RateBook.of(DAY, [stored])
    conversion = book.within(Money(headroom, "CNY"), "EUR")
    assert conversion is not None and conversion.source == Money(headroom, "CNY")
    got = conversion.amount.minor
    if headroom <= 0:
        assert got == 0 and conversion.rate is None
        return
    # the headroom (CNY) is converted into EUR: a stored CNY/EUR rate is used as it is
    assert conversion.rate == stored and conversion.inverse == (not inverse_pair)
    assert apply_rate(got, "EUR", "CNY", rate, inverse_pair) <= headroom
    assert apply_rate(got + 1, "EUR", "CNY", rate, inverse_pair) > headroom
    assert book.largest_within(Money(headroom, "CNY"), "EUR") == conversion.amount


# defect 3: a missing rate of an open item or a group limit is a review, not a refusal


def test_a_group_members_item_without_a_rate_sends_the_order_to_review() -> None:
    # given: a member's 100.00 USD invoice and no USD/CNY rate
    out = decide(group_input((Money(10_000, "USD"),)))
    # then: an answer, REVIEW_REQUIRED, naming the missing pair
    assert out.outcome == Outcome.REVIEW_REQUIRED
    [finding] = out.findings
    assert finding.reason == Reason.NO_EXCHANGE_RATE and finding.pair == "USD/CNY"
    assert "USD/CNY" in finding.detail and "2026-06-30" in finding.detail
    assert "100.00 USD" in finding.detail
    # the group's standing shows what it could convert and lists what it could not
    [(anchor, group)] = out.groups
    assert anchor == "parent" and group.exposure.total == Money(500_000, "CNY")
    [left] = group.exposure.unconverted
    assert (left.part, left.source, left.target) == (
        ExposurePart.RECEIVABLES,
        Money(10_000, "USD"),
        "CNY",
    )
    # nothing is held or asked in advance on an answer a person gives
    assert out.reserve is None and out.prepayment is None
    # with a figure left out, what is available is unknown (version 4; 5,000.00 CNY before)
    assert out.available is None
    assert decide(group_input((Money(10_000, "USD"),), rules_version=3)).available == Money(
        500_000, "CNY"
    )


def test_an_own_item_without_a_rate_sends_the_order_to_review_and_counts_no_headroom() -> None:
    out = decide(
        check_input(
            amount=Money(10_000, "CNY"),
            exposure=ExposureFacts(
                receivables=(Money(500_000, "CNY"),), orders=(Money(3_000, "JPY"),)
            ),
        )
    )
    assert out.outcome == Outcome.REVIEW_REQUIRED
    assert [(f.reason, f.pair) for f in out.findings] == [(Reason.NO_EXCHANGE_RATE, "JPY/CNY")]
    assert out.standing is not None
    [left] = out.standing.exposure.unconverted
    assert left.part == ExposurePart.ORDERS and left.pair == "JPY/CNY"
    # headroom that cannot be known is not offered: unknown available, nothing reserved
    assert out.available is None and out.available_conversion is None
    assert out.reserve is None


def test_the_order_against_a_group_limit_without_a_rate_is_a_review() -> None:
    # given: a CNY customer and order, a USD group limit, no CNY/USD rate
    group = GroupLimit("parent", (limit(10_000, "USD", LimitScope.GROUP, seq=2),))
    out = decide(
        check_input(
            amount=Money(10_000, "CNY"),
            group_members=("c1", "parent"),
            group_limits=(group,),
            group_exposure=ExposureFacts(),
        )
    )
    assert out.outcome == Outcome.REVIEW_REQUIRED
    assert [(f.reason, f.pair) for f in out.findings] == [(Reason.NO_EXCHANGE_RATE, "CNY/USD")]
    assert out.available is None  # unknown: the group's headroom in CNY is


def test_missing_rates_are_one_reason_per_pair_strictest_first() -> None:
    out = decide(
        group_input(
            (Money(10_000, "USD"), Money(20_000, "USD"), Money(1, "JPY")),
            hold_reason="fraud",
        )
    )
    assert out.outcome == Outcome.BLOCKED
    assert [(f.reason, f.pair) for f in out.findings] == [
        (Reason.CREDIT_HOLD, None),
        (Reason.NO_EXCHANGE_RATE, "JPY/CNY"),
        (Reason.NO_EXCHANGE_RATE, "USD/CNY"),
    ]


def test_an_order_its_class_prepays_needs_no_rate_for_exposure() -> None:
    out = decide(group_input((Money(10_000, "USD"),), rating_class="D"))
    assert out.outcome == Outcome.PREPAYMENT_REQUIRED
    assert [f.reason for f in out.findings] == [Reason.CLASS_PREPAYMENT]


def test_an_increase_without_a_rate_is_left_out_of_the_limit_and_listed() -> None:
    increase = limit(100_000, "USD", kind=LimitKind.TEMPORARY, seq=3)
    out = decide(check_input(amount=Money(10_000, "CNY"), limits=(limit(1_000_000), increase)))
    assert out.outcome == Outcome.REVIEW_REQUIRED
    assert out.standing is not None and out.standing.limit == Money(1_000_000, "CNY")
    [left] = out.standing.unconverted
    assert left.part == ExposurePart.INCREASES and left.source == Money(100_000, "USD")


def test_the_orders_own_currency_without_a_rate_to_the_customers_limit_is_refused() -> None:
    # the amount the client wrote cannot be compared with the limit at all: its field
    with pytest.raises(DomainError) as refused:
        decide(check_input(rates=()))
    assert (refused.value.code, refused.value.field) == ("NO_EXCHANGE_RATE", "currency")
    assert "EUR/CNY" in refused.value.message


def test_breakdown_and_standing_list_what_they_cannot_convert() -> None:
    facts = ExposureFacts(
        receivables=(Money(100, "CNY"), Money(5, "USD")),
        orders=(Money(7, "USD"),),
        reservations=(Money(9, "CNY"),),
    )
    book = RateBook(DAY)
    b = breakdown(facts, "CNY", book)
    assert b.total == Money(109, "CNY")
    assert [(u.part, u.source) for u in b.unconverted] == [
        (ExposurePart.RECEIVABLES, Money(5, "USD")),
        (ExposurePart.ORDERS, Money(7, "USD")),
    ]
    s = standing(Money(1_000, "CNY"), [], facts, book)
    assert s.headroom == Money(891, "CNY") and len(s.unconverted) == 2


def test_a_missing_rate_review_replays_equal() -> None:
    inp = group_input((Money(10_000, "USD"),))
    out = decide(inp)
    again = decide(CheckInput.from_json(inp.to_json()))
    assert differences(out.to_json(), again.to_json()) == []
    recorded = out.to_json()
    assert recorded["reasons"][0]["pair"] == "USD/CNY"
    assert recorded["groups"][0]["standing"]["unconverted"] == [
        {
            "part": "RECEIVABLES",
            "source": {"minor": 10_000, "currency": "USD"},
            "target": "CNY",
        }
    ]


# the decision log: old and new stored decisions replay equal


def test_a_version_2_decision_replays_equal_and_without_the_new_labels() -> None:
    # given: a EUR check logged under rules version 2, as the log holds it
    inp = check_input(amount=Money(100_000, "EUR"), rules_version=2)
    snapshot = inp.to_json()
    assert snapshot["rulesVersion"] == 2
    recorded = decide(inp).to_json()
    for key in ("availableConversion", "utilisationAfterConversion"):
        assert key not in recorded
    # when it is replayed from its snapshot, then it is equal
    replayed = decide(CheckInput.from_json(snapshot)).to_json()
    assert differences(recorded, replayed) == []
    # and a version-3 decision with its labels replays equal too
    now = check_input(amount=Money(100_000, "EUR"))
    assert (
        differences(decide(now).to_json(), decide(CheckInput.from_json(now.to_json())).to_json())
        == []
    )
