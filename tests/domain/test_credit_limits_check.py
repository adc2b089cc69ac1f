"""The credit check as a pure function: answers, reasons, prepayment, reservation, replay."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from domain.credit.check import CHECK_RULES_VERSION, CheckInput, GroupLimit, Outcome, Reason, decide
from domain.credit.exposure import (
    ExposureFacts,
    OrderState,
    OrderStatus,
    consume,
    live_reservations,
    open_receivables,
    sum_by_currency,
)
from domain.credit.limits import LimitKind, LimitRecord, LimitScope
from domain.credit.rates import ExchangeRate
from domain.credit.replay import differences
from domain.money import Money
from tests.domain.check_cases import DAY, check_case


def limit(minor: int, currency: str = "CNY", end: date | None = None, seq: int = 1) -> LimitRecord:
    return LimitRecord(
        f"l{seq}", seq, LimitScope.CUSTOMER, LimitKind.STANDARD, Money(minor, currency),
        date(2026, 1, 1), end,
    )  # fmt: skip


def check_input(**changes: object) -> CheckInput:
    return check_case(
        **{
            "amount": Money(10_000, "CNY"),
            "limits": (limit(100_000),),
            "exposure": ExposureFacts(receivables=(Money(50_000, "CNY"),)),
            **changes,
        }
    )


def reasons(inp: CheckInput) -> list[str]:
    return [f.reason.value for f in decide(inp).findings]


def test_within_headroom_is_approved_and_reserves_the_amount() -> None:
    out = decide(check_input())
    assert out.outcome == Outcome.APPROVED
    assert out.reserve == Money(10_000, "CNY") and out.prepayment is None
    assert out.standing is not None and out.standing.headroom == Money(50_000, "CNY")
    assert out.utilisation_after == Decimal("0.6000")


def test_above_headroom_the_excess_is_prepaid_and_the_rest_reserved() -> None:
    out = decide(check_input(amount=Money(80_000, "CNY")))
    assert out.outcome == Outcome.PREPAYMENT_REQUIRED
    assert (out.prepayment, out.reserve) == (Money(30_000, "CNY"), Money(50_000, "CNY"))
    assert reasons(check_input(amount=Money(80_000, "CNY"))) == ["OVER_LIMIT"]


def test_each_reason_gives_its_answer() -> None:
    assert reasons(check_input(rating_class="D")) == ["CLASS_PREPAYMENT"]
    assert decide(check_input(rating_class="D")).reserve is None
    assert decide(check_input(hold_reason="fraud")).outcome == Outcome.BLOCKED
    assert decide(check_input(customer_status="ARCHIVED")).outcome == Outcome.BLOCKED
    late = ExposureFacts(receivables=(Money(1, "CNY"),), max_days_overdue=91)
    assert reasons(check_input(exposure=late)) == ["OVERDUE_BLOCK"]
    assert reasons(check_input(exposure=replace(late, max_days_overdue=31))) == ["OVERDUE_REVIEW"]
    assert reasons(check_input(limits=())) == ["NO_LIMIT"]
    assert reasons(check_input(limits=(limit(100_000, end=DAY - timedelta(days=1)),))) == [
        "LIMIT_EXPIRED"
    ]
    assert reasons(check_input(dossier_missing=("CREDIT_REPORT",))) == ["DOSSIER_INCOMPLETE"]
    assert reasons(check_input(rating_class=None)) == ["NOT_RATED"]
    # C is tracked closely: an order taking use above 80% goes to review
    assert reasons(check_input(rating_class="C", amount=Money(40_000, "CNY"))) == ["CLOSE_TRACKING"]
    assert reasons(check_input(rating_class="C")) == []


def test_the_strictest_reason_wins_but_all_are_listed() -> None:
    out = decide(check_input(hold_reason="legal", limits=(), rating_class="C"))
    assert out.outcome == Outcome.BLOCKED
    assert {f.reason for f in out.findings} == {Reason.CREDIT_HOLD, Reason.NO_LIMIT}
    assert out.reserve is None


def test_reasons_come_strictest_first() -> None:
    """The reason that decided the answer leads: C's close tracking (review) before the
    excess over the limit (prepayment), and a version-1 check keeps the order found."""
    inp = check_input(rating_class="C", amount=Money(80_000, "CNY"))
    out = decide(inp)
    assert out.outcome == Outcome.REVIEW_REQUIRED
    assert [f.reason for f in out.findings] == [Reason.CLOSE_TRACKING, Reason.OVER_LIMIT]
    before = decide(replace(inp, rules_version=1))
    assert [f.reason for f in before.findings] == [Reason.OVER_LIMIT, Reason.CLOSE_TRACKING]


def test_an_order_its_class_prepays_in_full_needs_no_limit() -> None:
    """Class D is cash before delivery: with no limit, or a lapsed one, the order is prepaid,
    not sent to a person for review."""
    for limits in ((), (limit(100_000, end=DAY - timedelta(days=1)),)):
        out = decide(check_input(rating_class="D", limits=limits))
        assert out.outcome == Outcome.PREPAYMENT_REQUIRED
        assert [f.reason for f in out.findings] == [Reason.CLASS_PREPAYMENT]
        assert (out.prepayment, out.reserve) == (Money(10_000, "CNY"), None)
    held = decide(check_input(rating_class="D", limits=(), hold_reason="legal"))
    assert held.outcome == Outcome.BLOCKED


def test_a_check_replays_under_the_rules_it_was_made_with() -> None:
    """A snapshot logged before rules version 2 (no `rulesVersion`) replays as it was decided."""
    inp = check_input(rating_class="D", limits=())
    assert inp.to_json()["rulesVersion"] == CHECK_RULES_VERSION
    before = {k: v for k, v in inp.to_json().items() if k != "rulesVersion"}
    replayed = decide(CheckInput.from_json(before))
    assert replayed.outcome == Outcome.REVIEW_REQUIRED
    assert [f.reason for f in replayed.findings] == [Reason.CLASS_PREPAYMENT, Reason.NO_LIMIT]
    assert replayed.to_json()["rulesVersion"] == 1
    now = decide(CheckInput.from_json(inp.to_json()))
    assert differences(decide(inp).to_json(), now.to_json()) == []


def test_a_group_limit_caps_a_member_below_its_own_headroom() -> None:
    group = GroupLimit("parent", (replace(limit(200_000), scope=LimitScope.GROUP),))
    out = decide(
        check_input(
            group_members=("c1", "c2"),
            group_limits=(group,),
            group_exposure=ExposureFacts(receivables=(Money(195_000, "CNY"),)),
        )
    )
    assert out.outcome == Outcome.PREPAYMENT_REQUIRED
    assert [f.reason for f in out.findings] == [Reason.OVER_GROUP_LIMIT]
    assert out.reserve == Money(5_000, "CNY")


def test_foreign_exposure_meets_the_limit_only_through_a_rate() -> None:
    usd = ExposureFacts(receivables=(Money(1_000, "USD"),))
    rate = ExchangeRate("r9", "USD", "CNY", Decimal("7.2"), DAY - timedelta(days=3))
    out = decide(check_input(exposure=usd, rates=(rate,), amount=Money(500, "USD")))
    assert out.standing is not None
    [converted] = out.standing.exposure.receivables
    assert converted.amount == Money(7_200, "CNY") and converted.rate == rate
    assert out.outcome == Outcome.APPROVED and out.reserve == Money(500, "USD")


@given(
    amount=st.integers(min_value=1, max_value=10**9),
    owed=st.integers(min_value=0, max_value=10**9),
    limit_minor=st.integers(min_value=0, max_value=10**9),
    rating=st.sampled_from(["A", "B", "C", "D", None]),
    days=st.integers(min_value=0, max_value=200),
)
def test_prepayment_and_reservation_never_exceed_the_amount_or_the_headroom(
    amount: int, owed: int, limit_minor: int, rating: str | None, days: int
) -> None:
    inp = check_input(
        amount=Money(amount, "CNY"),
        limits=(limit(limit_minor),),
        exposure=ExposureFacts(receivables=(Money(owed, "CNY"),), max_days_overdue=days),
        rating_class=rating,
    )
    out = decide(inp)
    prepaid = out.prepayment.minor if out.prepayment else 0
    reserved = out.reserve.minor if out.reserve else 0
    assert prepaid + reserved <= amount
    assert reserved <= max(limit_minor - owed, 0)
    if out.outcome == Outcome.APPROVED:
        assert amount <= limit_minor - owed
    # the snapshot restores the input exactly, so a replay is equal
    again = decide(CheckInput.from_json(inp.to_json()))
    assert differences(out.to_json(), again.to_json()) == []


def test_a_changed_rule_shows_up_as_a_difference() -> None:
    recorded = decide(check_input()).to_json()
    changed = decide(check_input(amount=Money(80_000, "CNY"))).to_json()
    paths = {d.path for d in differences(recorded, changed)}
    assert {"outcome", "prepayment", "amount.minor"} <= paths


@given(
    st.lists(
        st.tuples(st.sampled_from(["CNY", "USD"]), st.integers(min_value=1, max_value=10**6)),
        max_size=8,
    ),
    st.integers(min_value=1, max_value=10**6),
)
def test_invoicing_consumes_an_order_and_never_beyond_it(
    invoices: list[tuple[str, int]], amount: int
) -> None:
    state = OrderState("CNY", amount, 0, OrderStatus.OPEN)
    remaining = state.remaining_minor
    for currency, minor in invoices:
        state = consume(state, currency, minor)
        assert 0 <= state.invoiced_minor <= state.amount_minor
        assert state.remaining_minor <= remaining
        remaining = state.remaining_minor
    assert (state.status == OrderStatus.INVOICED) == (state.remaining_minor == 0)
    cancelled = OrderState("CNY", amount, 0, OrderStatus.CANCELLED)
    assert consume(cancelled, "CNY", 1) == cancelled


def test_open_receivables_sum_per_currency_with_the_oldest_lateness() -> None:
    items = [
        ("CNY", 100, DAY - timedelta(days=40)),
        ("CNY", 50, DAY + timedelta(days=5)),
        ("USD", 7, DAY - timedelta(days=2)),
        ("USD", 0, DAY - timedelta(days=400)),  # paid: not open, not late
    ]
    result = open_receivables(items, DAY)
    assert result.open == (Money(150, "CNY"), Money(7, "USD"))
    assert result.overdue == (Money(100, "CNY"), Money(7, "USD"))
    assert result.max_days_overdue == 40
    assert sum_by_currency([("CNY", 5), ("CNY", -5)]) == {}


def test_expired_reservations_stop_counting_by_their_time_alone() -> None:
    now = datetime(2026, 6, 30, 12, tzinfo=UTC)
    items = [("CNY", 10, now + timedelta(seconds=1)), ("CNY", 99, now)]
    assert live_reservations(items, now) == (Money(10, "CNY"),)
