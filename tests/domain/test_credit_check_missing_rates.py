"""A missing rate hides nothing already certain (rules version 4): a figure with no rate only
adds exposure, so the headroom over what converts is an upper bound. An order above it is
OVER_LIMIT, with at least the excess prepaid; `available` and `utilisationAfter` are unknown
(null) while figures are left out; each left-out figure is named once; and an order currency
with no rate is refused only when the answer depends on converting it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.credit.check import CHECK_RULES_VERSION, CheckInput, GroupLimit, Outcome, Reason, decide
from domain.credit.exposure import ExposureFacts
from domain.credit.limits import LimitKind, LimitRecord, LimitScope
from domain.credit.replay import differences
from domain.errors import DomainError
from domain.money import Money
from tests.domain.check_cases import check_case

CHF_INVOICE = Money(100_000, "CHF")  #: 1,000.00 CHF, no CHF rate anywhere


def limit(
    minor: int, scope: LimitScope = LimitScope.CUSTOMER, seq: int = 1, **kw: object
) -> LimitRecord:
    kind = kw.get("kind", LimitKind.STANDARD)
    currency = str(kw.get("currency", "CNY"))
    return LimitRecord(
        f"l{seq}", seq, scope, kind, Money(minor, currency), date(2026, 1, 1),  # type: ignore[arg-type]
        None if kind == LimitKind.STANDARD else date(2026, 12, 31),
    )  # fmt: skip


def review_case(**changes: object) -> CheckInput:
    """The credit manager's case: 300,000 CNY limit, 290,000 CNY open, a live 10,000 CNY hold,
    a 1,000 CHF invoice with no rate; an order of 50,000 CNY."""
    return check_case(
        **{
            "amount": Money(5_000_000, "CNY"),
            "limits": (limit(30_000_000),),
            "exposure": ExposureFacts(
                receivables=(Money(29_000_000, "CNY"), CHF_INVOICE),
                reservations=(Money(1_000_000, "CNY"),),
            ),
            **changes,
        }
    )


def test_rules_version_is_4() -> None:
    assert CHECK_RULES_VERSION == 4


def test_an_order_above_the_known_headroom_is_over_limit_despite_a_missing_rate() -> None:
    out = decide(review_case())
    # then: the over-limit is certain: prepayment, and the missing rate still named
    assert out.outcome == Outcome.PREPAYMENT_REQUIRED
    assert [(f.reason, f.pair) for f in out.findings] == [
        (Reason.OVER_LIMIT, None),
        (Reason.NO_EXCHANGE_RATE, "CHF/CNY"),
    ]
    # no headroom is known to remain: the whole order is prepaid (and that is a minimum)
    assert out.prepayment == Money(5_000_000, "CNY")
    assert out.prepayment_minimum is True
    assert "at least" in out.findings[0].detail
    # what is unknown is not shown as a number
    assert out.available is None and out.available_conversion is None
    assert out.utilisation_after is None and out.utilisation_conversion is None
    # a person settles the credit part: nothing is held
    assert out.reserve is None
    recorded = out.to_json()
    assert recorded["available"] is None and recorded["utilisationAfter"] is None
    assert recorded["prepaymentMinimum"] is True


def test_the_prepayment_is_at_least_the_excess_over_the_known_headroom() -> None:
    # given: 20,000.00 CNY of known headroom (280,000 open), the CHF invoice unknown
    out = decide(
        review_case(
            exposure=ExposureFacts(
                receivables=(Money(27_000_000, "CNY"), CHF_INVOICE),
                reservations=(Money(1_000_000, "CNY"),),
            )
        )
    )
    assert out.outcome == Outcome.PREPAYMENT_REQUIRED
    assert out.prepayment == Money(3_000_000, "CNY") and out.prepayment_minimum
    assert out.prepayment_conversion is not None
    assert out.prepayment_conversion.source == Money(2_000_000, "CNY")
    assert "at least 30000.00 CNY" in out.findings[0].detail
    assert out.available is None


def test_an_order_within_the_known_headroom_is_still_a_review() -> None:
    out = decide(review_case(amount=Money(100_000, "CNY"), exposure=ExposureFacts(
        receivables=(Money(20_000_000, "CNY"), CHF_INVOICE))))  # fmt: skip
    assert out.outcome == Outcome.REVIEW_REQUIRED
    assert [f.reason for f in out.findings] == [Reason.NO_EXCHANGE_RATE]
    assert out.prepayment is None and out.prepayment_minimum is False
    assert out.available is None and out.utilisation_after is None and out.reserve is None


def test_an_unconverted_increase_or_negative_cover_bounds_nothing() -> None:
    # an increase no rate converts could add headroom: the known headroom is no bound
    increase = limit(100_000, seq=3, kind=LimitKind.TEMPORARY, currency="USD")
    full = ExposureFacts(receivables=(Money(30_000_000, "CNY"),))
    raised = decide(review_case(limits=(limit(30_000_000), increase), exposure=full))
    assert raised.outcome == Outcome.REVIEW_REQUIRED
    assert [f.reason for f in raised.findings] == [Reason.NO_EXCHANGE_RATE]
    assert raised.prepayment is None
    # nor can a cover's relief in a currency with no rate (a negative figure, net basis)
    covered = decide(review_case(exposure=ExposureFacts(
        receivables=(Money(30_000_000, "CNY"), Money(-100_000, "CHF")))))  # fmt: skip
    assert covered.outcome == Outcome.REVIEW_REQUIRED and covered.prepayment is None


def test_an_order_above_a_group_limits_known_headroom_is_over_group_limit() -> None:
    group = GroupLimit("parent", (limit(1_000_000, LimitScope.GROUP, seq=2),))
    out = decide(
        review_case(
            amount=Money(200_000, "CNY"),
            exposure=ExposureFacts(),
            group_members=("c1", "parent"),
            group_limits=(group,),
            group_exposure=ExposureFacts(receivables=(Money(900_000, "CNY"), CHF_INVOICE)),
        )
    )
    assert out.outcome == Outcome.PREPAYMENT_REQUIRED
    assert [f.reason for f in out.findings] == [Reason.OVER_GROUP_LIMIT, Reason.NO_EXCHANGE_RATE]
    assert out.prepayment == Money(100_000, "CNY") and out.prepayment_minimum


def test_a_figure_in_both_the_own_and_the_group_exposure_is_named_once() -> None:
    # given: the customer anchors its own group; its CHF invoice counts against both limits
    group = GroupLimit("c1", (limit(90_000_000, LimitScope.GROUP, seq=2),))
    out = decide(
        review_case(
            amount=Money(100_000, "CNY"),
            exposure=ExposureFacts(receivables=(CHF_INVOICE,)),
            group_members=("c1",),
            group_limits=(group,),
            group_exposure=ExposureFacts(receivables=(CHF_INVOICE,)),
        )
    )
    [finding] = out.findings
    assert finding.detail.count("1000.00 CHF") == 1
    assert "1000.00 CHF receivables (own and group limit)" in finding.detail


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"hold_reason": "fraud"}, Reason.CREDIT_HOLD),
        ({"customer_status": "ARCHIVED"}, Reason.CUSTOMER_ARCHIVED),
        ({"exposure": ExposureFacts(max_days_overdue=200)}, Reason.OVERDUE_BLOCK),
    ],
)
def test_a_blocked_customer_is_blocked_whatever_the_orders_currency(
    changes: dict[str, object], reason: Reason
) -> None:
    out = decide(review_case(amount=Money(10_000, "CHF"), **changes))
    assert out.outcome == Outcome.BLOCKED
    assert out.findings[0].reason == reason
    assert out.available is None and out.reserve is None and out.prepayment is None


def test_a_class_d_order_is_prepaid_in_full_whatever_its_currency() -> None:
    out = decide(review_case(amount=Money(10_000, "CHF"), rating_class="D"))
    assert out.outcome == Outcome.PREPAYMENT_REQUIRED
    assert [f.reason for f in out.findings] == [Reason.CLASS_PREPAYMENT]
    assert out.prepayment == Money(10_000, "CHF") and not out.prepayment_minimum


def test_an_order_currency_that_decides_the_answer_is_still_refused() -> None:
    with pytest.raises(DomainError) as refused:
        decide(review_case(amount=Money(10_000, "CHF")))
    assert (refused.value.code, refused.value.field) == ("NO_EXCHANGE_RATE", "currency")


def test_version_3_decisions_replay_under_the_version_3_rules() -> None:
    # given: the manager's case as version 3 logged it (a review, 0.00 available)
    inp = review_case(rules_version=3)
    recorded = decide(inp).to_json()
    assert recorded["outcome"] == "REVIEW_REQUIRED" and recorded["prepayment"] is None
    assert recorded["available"] == {"minor": 0, "currency": "CNY"}
    assert recorded["utilisationAfter"] == "1.1667"
    assert "prepaymentMinimum" not in recorded
    # when it is replayed from its snapshot, then it is equal
    replayed = decide(CheckInput.from_json(inp.to_json())).to_json()
    assert differences(recorded, replayed) == []
    # and a version-3 order currency with no rate is still refused, as it was
    with pytest.raises(DomainError):
        decide(review_case(amount=Money(10_000, "CHF"), hold_reason="x", rules_version=3))
    # and version 4 replays equal too
    now = review_case()
    assert (
        differences(decide(now).to_json(), decide(CheckInput.from_json(now.to_json())).to_json())
        == []
    )


def test_version_3_named_a_shared_figure_per_limit() -> None:
    group = GroupLimit("c1", (limit(90_000_000, LimitScope.GROUP, seq=2),))
    out = decide(review_case(
        amount=Money(100_000, "CNY"), exposure=ExposureFacts(receivables=(CHF_INVOICE,)),
        group_members=("c1",), group_limits=(group,),
        group_exposure=ExposureFacts(receivables=(CHF_INVOICE,)), rules_version=3,
    ))  # fmt: skip
    assert "(own limit); 1000.00 CHF receivables (group limit)" in out.findings[0].detail
    assert Decimal(out.to_json()["utilisationAfter"]) > 0
