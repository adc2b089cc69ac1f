"""GraphQL types of exposure, the credit check, recommendations and the decision log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from domain import roles
from domain.credit.check import CheckOutcome
from domain.credit.exposure import Breakdown, Standing, Unconverted
from domain.credit.rates import Conversion
from schema.credit.errors import CREDIT
from schema.credit.limits.enums import (
    CheckOutcomeEnum,
    DecisionKindEnum,
    ExposurePartEnum,
    ReasonEnum,
    ReservationStatusEnum,
)
from schema.credit.limits.pages import paged
from schema.credit.limits.types import ConvertedAmount, maybe_money, money
from schema.money import DecimalString, Money
from schema.node import by_ids, register_node
from schema.relay import Node, to_global_id
from services.credit import check, decisions
from services.credit.check import CheckResult, ReservationView
from services.credit.decisions import Decision, Replay
from services.credit.exposure import ExposureView
from services.credit.limit_views import RecommendationView


@strawberry.type(description="A figure left out of a total: no rate converts it on the date.")
class UnconvertedAmount:
    part: ExposurePartEnum = strawberry.field(description="Where it belongs.")
    original: Money = strawberry.field(description="The figure as it is, in its own currency.")
    missing_pair: str = strawberry.field(
        description="The pair with no rate on or before the as-of date, from/to (USD/CNY): "
        "once finance enters one, the figure counts."
    )

    @classmethod
    def build(cls, u: Unconverted) -> UnconvertedAmount:
        """From the domain's unconverted figure."""
        return cls(
            part=ExposurePartEnum[u.part.value], original=money(u.source), missing_pair=u.pair
        )


def _conversion(c: Conversion | None) -> ConvertedAmount | None:
    return None if c is None else ConvertedAmount.build(c)


@strawberry.type(description="Exposure in one currency: every part converted, with its rate.")
class ExposureBreakdown:
    currency: str = strawberry.field(description="The currency the totals are in.")
    receivables: list[ConvertedAmount] = strawberry.field(
        description="Open invoices, per original currency."
    )
    orders: list[ConvertedAmount] = strawberry.field(
        description="Open orders not yet invoiced, per original currency."
    )
    reservations: list[ConvertedAmount] = strawberry.field(
        description="Live reservations, per original currency."
    )
    receivables_total: Money = strawberry.field(description="Open receivables.")
    orders_total: Money = strawberry.field(description="Open orders.")
    reservations_total: Money = strawberry.field(description="Live reservations.")
    total: Money = strawberry.field(description="Receivables + orders + reservations.")
    unconverted: list[UnconvertedAmount] = strawberry.field(
        description="Figures no rate converts into `currency` on the date, with the missing "
        "pair: left out of the totals above, which are then short by them."
    )

    @classmethod
    def build(cls, b: Breakdown) -> ExposureBreakdown:
        """From the domain's breakdown."""
        return cls(
            currency=b.currency,
            receivables=[ConvertedAmount.build(c) for c in b.receivables],
            orders=[ConvertedAmount.build(c) for c in b.orders],
            reservations=[ConvertedAmount.build(c) for c in b.reservations],
            receivables_total=money(b.part(b.receivables)),
            orders_total=money(b.part(b.orders)),
            reservations_total=money(b.part(b.reservations)),
            total=money(b.total),
            unconverted=[UnconvertedAmount.build(u) for u in b.unconverted],
        )


@strawberry.type(description="A limit against exposure: headroom and utilisation.")
class CreditStanding:
    standard_limit: Money = strawberry.field(description="The standard limit in force.")
    limit: Money = strawberry.field(description="Standard limit plus running increases.")
    increases: list[ConvertedAmount] = strawberry.field(description="Running increases.")
    exposure: ExposureBreakdown = strawberry.field(description="Exposure in the limit's currency.")
    headroom: Money = strawberry.field(
        description="Limit minus exposure (negative: over); over the converted figures only "
        "when `unconvertedIncreases` or `exposure.unconverted` list any."
    )
    utilisation: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        description="Exposure / limit, e.g. 0.8125; null for a zero limit, and null when "
        "`unconvertedIncreases` or `exposure.unconverted` list any (it is then unknown)."
    )
    unconverted_increases: list[UnconvertedAmount] = strawberry.field(
        description="Running increases no rate converts into the limit's currency on the "
        "date, with the missing pair: left out of `limit`."
    )

    @classmethod
    def build(cls, s: Standing) -> CreditStanding:
        """From the domain's standing."""
        return cls(
            standard_limit=money(s.standard),
            limit=money(s.limit),
            increases=[ConvertedAmount.build(c) for c in s.increases],
            exposure=ExposureBreakdown.build(s.exposure),
            headroom=money(s.headroom),
            utilisation=(None if s.utilisation is None or s.unconverted else str(s.utilisation)),
            unconverted_increases=[UnconvertedAmount.build(u) for u in s.unconverted_increases],
        )


@strawberry.type(description="A group limit's standing over every member of the group.")
class GroupStanding:
    anchor_id: strawberry.ID = strawberry.field(description="The customer the limit is set on.")
    standing: CreditStanding = strawberry.field(description="The group's standing.")


@strawberry.type(description="A reason a check did not simply approve.")
class CreditCheckReasonView:
    code: ReasonEnum = strawberry.field(description="Stable reason code.")
    detail: str = strawberry.field(description="What made it apply.")
    currency_pair: str | None = strawberry.field(
        default=None,
        description="NO_EXCHANGE_RATE: the pair with no rate, from/to (USD/CNY); else null.",
    )


@strawberry.type(description="Headroom held for an order until confirmed, released or expired.")
class CreditReservation(Node):
    customer_id: strawberry.ID = strawberry.field(description="The customer.")
    order_ref: str = strawberry.field(description="The order it is for.")
    amount: Money = strawberry.field(description="The amount held.")
    status: ReservationStatusEnum = strawberry.field(description="Where it stands.")
    expires_at: datetime = strawberry.field(description="It stops counting at this instant.")
    created_at: datetime = strawberry.field(description="When it was taken.")
    decision_id: strawberry.ID = strawberry.field(description="The check that took it.")

    @classmethod
    def build(cls, r: ReservationView) -> CreditReservation:
        """From a reservation view."""
        return cls(
            id=to_global_id("CreditReservation", r.id),
            customer_id=to_global_id("Customer", r.customer_id),
            order_ref=r.order_ref,
            amount=money(r.amount),
            status=ReservationStatusEnum[r.status],
            expires_at=r.expires_at,
            created_at=r.created_at,
            decision_id=to_global_id("CreditDecision", r.decision_id),
        )


def _groups(groups: Any) -> list[GroupStanding]:
    return [
        GroupStanding(anchor_id=to_global_id("Customer", anchor), standing=CreditStanding.build(s))
        for anchor, s in groups
    ]


@strawberry.type(description="A credit check's answer, the figures behind it, its log entry.")
class CreditCheck:
    id: strawberry.ID = strawberry.field(description="Global id of the logged decision.")
    outcome: CheckOutcomeEnum = strawberry.field(description="The answer.")
    reasons: list[CreditCheckReasonView] = strawberry.field(description="Why, strictest first.")
    amount: Money = strawberry.field(description="The amount checked.")
    prepayment: Money | None = strawberry.field(
        description="What the customer must prepay before shipping; null when nothing. A "
        "minimum when `prepaymentIsMinimum` is true."
    )
    prepayment_is_minimum: bool = strawberry.field(
        description="The prepayment is at least this: figures no rate converts (see the "
        "NO_EXCHANGE_RATE reasons) can only add exposure, so the order is certainly over the "
        "limit by the prepayment, and may be by more once they are converted."
    )
    available: Money | None = strawberry.field(
        description="Credit available for this order, in its currency (never below zero); "
        "null when figures no rate converts are left out (it is then unknown)."
    )
    available_conversion: ConvertedAmount | None = strawberry.field(
        description="How `available` was reached: `original` is the headroom of the limit "
        "that binds, in that limit's currency, `amount` equals `available`, and `rate` and "
        "`rateDate` name the rate used (null when no conversion was needed); null when no "
        "limit caps the order."
    )
    prepayment_conversion: ConvertedAmount | None = strawberry.field(
        description="The conversion the prepayment comes from when a limit set it (the "
        "prepayment is the amount less `available`): as `availableConversion`, with its "
        "rate and date; null without a prepayment, or for a class that prepays in full."
    )
    headroom: Money | None = strawberry.field(
        description="The customer's own headroom, in its limit's currency; null without one."
    )
    standing: CreditStanding | None = strawberry.field(description="The customer's standing.")
    groups: list[GroupStanding] = strawberry.field(description="Group limits that apply.")
    utilisation_after: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        description="Utilisation if the credit part of this order is added; null without a "
        "limit of its own, or when figures no rate converts are left out of it."
    )
    utilisation_after_conversion: ConvertedAmount | None = strawberry.field(
        description="The credit part of this order (`original`) in the customer's limit "
        "currency (`amount`), as added for `utilisationAfter`, with the rate and date used "
        "(null when no conversion was needed); null without a limit of its own."
    )
    reservation: CreditReservation | None = strawberry.field(description="Headroom held.")
    policy_version: int = strawberry.field(description="Credit-policy version applied.")
    as_of: date = strawberry.field(description="The business date of the check.")

    @classmethod
    def build(cls, r: CheckResult) -> CreditCheck:
        """From a check result."""
        out: CheckOutcome = r.outcome
        return cls(
            id=to_global_id("CreditDecision", r.decision_id),
            outcome=CheckOutcomeEnum[out.outcome.value],
            reasons=[
                CreditCheckReasonView(
                    code=ReasonEnum[f.reason.value], detail=f.detail, currency_pair=f.pair
                )
                for f in out.findings
            ],
            amount=money(out.amount),
            prepayment=maybe_money(out.prepayment),
            prepayment_is_minimum=out.prepayment_minimum,
            available=maybe_money(out.available),
            available_conversion=_conversion(out.available_conversion),
            prepayment_conversion=_conversion(out.prepayment_conversion),
            headroom=maybe_money(out.standing.headroom if out.standing else None),
            standing=CreditStanding.build(out.standing) if out.standing else None,
            groups=_groups(out.groups),
            utilisation_after=None if out.utilisation_after is None else str(out.utilisation_after),
            utilisation_after_conversion=_conversion(out.utilisation_conversion),
            reservation=CreditReservation.build(r.reservation) if r.reservation else None,
            policy_version=r.input.policy.version,
            as_of=r.input.as_of,
        )


@strawberry.type(description="A customer's exposure and standing against its limits.")
class CreditExposure:
    customer_id: strawberry.ID = strawberry.field(description="The customer.")
    as_of: date = strawberry.field(description="Limits, rates and lateness as of this day.")
    exposure: ExposureBreakdown = strawberry.field(
        description="Open receivables + open orders + live reservations (limit or base currency)."
    )
    overdue: list[Money] = strawberry.field(description="Overdue receivables per currency.")
    max_days_overdue: int = strawberry.field(description="Days past due of the oldest item.")
    standing: CreditStanding | None = strawberry.field(description="Against its own limit.")
    limit_id: strawberry.ID | None = strawberry.field(description="The standard limit in force.")
    limit_expired: bool = strawberry.field(description="The limit in force has ended.")
    groups: list[GroupStanding] = strawberry.field(description="Group limits covering it.")
    group_member_ids: list[strawberry.ID] = strawberry.field(
        description="The group's customers when a group limit covers this one."
    )
    on_hold: bool = strawberry.field(description="A credit hold blocks its checks.")
    policy_version: int = strawberry.field(description="Credit-policy version applied.")

    @classmethod
    def build(cls, v: ExposureView) -> CreditExposure:
        """From an exposure view."""
        standard = v.limit.standard
        return cls(
            customer_id=to_global_id("Customer", v.customer_id),
            as_of=v.as_of,
            exposure=ExposureBreakdown.build(v.exposure),
            overdue=[money(m) for m in v.facts.overdue],
            max_days_overdue=v.facts.max_days_overdue,
            standing=CreditStanding.build(v.standing) if v.standing else None,
            limit_id=to_global_id("CreditLimit", standard.id) if standard else None,  # type: ignore[arg-type]
            limit_expired=v.limit.expired,
            groups=_groups((a, s) for a, _f, s in v.groups),
            group_member_ids=[to_global_id("Customer", m) for m in v.group_members],  # type: ignore[arg-type]
            on_hold=v.hold_reason is not None,
            policy_version=v.policy_version,
        )


@strawberry.type(description="The limit the tenant's formula recommends, and from what.")
class RecommendedCreditLimit:
    amount: Money | None = strawberry.field(description="Recommended limit; null: inputs missing.")
    capital_basis: Money | None = strawberry.field(description="Registered capital x share.")
    sales_basis: Money | None = strawberry.field(
        description="Annual sales x share x agreed credit days / 365."
    )
    registered_capital: ConvertedAmount | None = strawberry.field(description="Capital used.")
    annual_sales: ConvertedAmount | None = strawberry.field(description="Sales used.")
    class_factor: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        description="The class's limit factor applied."
    )
    rating_class: str | None = strawberry.field(description="The customer's class.")
    terms_days: int = strawberry.field(description="Agreed credit days used.")
    missing: list[str] = strawberry.field(description="Inputs that were missing.")
    policy_version: int = strawberry.field(description="Credit-policy version applied.")
    as_of: date = strawberry.field(description="Rates as of this day.")

    @classmethod
    def build(cls, v: RecommendationView) -> RecommendedCreditLimit:
        """From a recommendation view."""
        r = v.result
        return cls(
            amount=maybe_money(r.amount),
            capital_basis=maybe_money(r.capital_basis),
            sales_basis=maybe_money(r.sales_basis),
            registered_capital=ConvertedAmount.build(r.capital) if r.capital else None,
            annual_sales=ConvertedAmount.build(r.sales) if r.sales else None,
            class_factor=None if r.factor is None else str(r.factor),
            rating_class=v.inputs.rating_class,
            terms_days=v.inputs.terms_days,
            missing=list(r.missing),
            policy_version=v.policy_version,
            as_of=v.as_of,
        )


@strawberry.type(description="A customer's exposure, or why it cannot be shown.")
class CreditExposureResult(CREDIT.payload):  # type: ignore[misc,name-defined]
    exposure: CreditExposure | None = strawberry.field(
        default=None, description="The exposure; null when refused (see userErrors)."
    )


@strawberry.type(description="A recommended limit, or why it cannot be computed.")
class RecommendedCreditLimitResult(CREDIT.payload):  # type: ignore[misc,name-defined]
    recommendation: RecommendedCreditLimit | None = strawberry.field(
        default=None, description="The recommendation; null when refused (see userErrors)."
    )


@strawberry.type(description="A logged decision with its complete input snapshot.")
class CreditDecision(Node):
    kind: DecisionKindEnum = strawberry.field(description="What was decided.")
    subject_id: strawberry.ID = strawberry.field(
        description="Global id of what it decided on (customer, limit request or limit)."
    )
    customer_id: strawberry.ID | None = strawberry.field(description="The customer concerned.")
    snapshot: JSON = strawberry.field(description="Every input (money as minor units).")
    outcome: JSON = strawberry.field(description="The decision as recorded.")
    versions: JSON = strawberry.field(description="Policy, rule and rate versions used.")
    decided_by: str = strawberry.field(description="Who (or which job) decided.")
    decided_at: datetime = strawberry.field(description="When.")

    @classmethod
    def build(cls, d: Decision) -> CreditDecision:
        """From a stored decision."""
        subject_type = {
            "CREDIT_CHECK": "Customer",
            "CLASS": "Customer",
            "LIMIT": "CreditLimitRequest",
        }
        return cls(
            id=to_global_id("CreditDecision", d.id),
            kind=DecisionKindEnum[d.kind],
            subject_id=to_global_id(subject_type.get(d.kind, "CreditLimit"), d.subject_id),
            customer_id=to_global_id("Customer", d.customer_id) if d.customer_id else None,
            snapshot=d.snapshot,
            outcome=d.outcome,
            versions=d.versions,
            decided_by=d.decided_by,
            decided_at=d.decided_at,
        )


@strawberry.type(description="One value a replay computed differently.")
class DecisionDifference:
    path: str = strawberry.field(description="Dotted path in the outcome, e.g. prepayment.minor.")
    recorded: JSON | None = strawberry.field(description="What the log holds.")
    recomputed: JSON | None = strawberry.field(description="What the rules give today.")


@strawberry.type(description="A decision recomputed from its snapshot by the same pure rules.")
class CreditDecisionReplay:
    decision: CreditDecision = strawberry.field(description="The logged decision.")
    replayable: bool = strawberry.field(description="Whether this kind can be recomputed yet.")
    equal: bool = strawberry.field(description="The recomputation equals the record.")
    differences: list[DecisionDifference] = strawberry.field(description="Where it differs.")
    recomputed: JSON | None = strawberry.field(description="The recomputed outcome.")
    error: str | None = strawberry.field(description="Why it could not be recomputed.")

    @classmethod
    def build(cls, r: Replay) -> CreditDecisionReplay:
        """From a replay."""
        return cls(
            decision=CreditDecision.build(r.decision),
            replayable=r.replayable,
            equal=r.equal,
            differences=[
                DecisionDifference(path=d.path, recorded=d.recorded, recomputed=d.recomputed)
                for d in r.differences
            ],
            recomputed=r.recomputed,
            error=r.error,
        )


CreditDecisionEdge, CreditDecisionConnection = paged(CreditDecision, "CreditDecision", "decision")
CreditReservationEdge, CreditReservationConnection = paged(
    CreditReservation, "CreditReservation", "reservation"
)
register_node(
    "CreditReservation", "credit_reservations", by_ids(check.reservations_by_ids),
    CreditReservation.build, readers=roles.READ_CREDIT_LIMITS,
)  # fmt: skip
#: The decision log holds every input of every decision: only its own readers see an entry.
register_node(
    "CreditDecision", "credit_decisions", by_ids(decisions.decisions_by_ids),
    CreditDecision.build, readers=roles.READ_CREDIT_DECISIONS,
)  # fmt: skip
