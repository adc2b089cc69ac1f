"""GraphQL types of rates, policy, limits, orders and holds, built from service results."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from domain import roles
from domain.credit.class_policy import ClassPolicy, CreditPolicy
from domain.credit.rates import Conversion, Leg
from domain.money import Money as DomainMoney
from domain.money import decimal_string
from schema.credit.limits.enums import (
    BasisEnum,
    KindEnum,
    OrderHandlingEnum,
    OrderStatusEnum,
    PartnerKindEnum,
    RequestStatusEnum,
    ScopeEnum,
    SecurityEnum,
    TierEnum,
)
from schema.credit.limits.pages import paged
from schema.money import DecimalString, Money
from schema.node import by_ids, register_node
from schema.relay import Node, to_global_id
from services.credit import limit_views, orders, rates
from services.credit.holds import HoldView
from services.credit.limit_views import ApprovalView, LimitRequestView, LimitView
from services.credit.orders import OrderView
from services.credit.rates import StoredRate


def money(value: DomainMoney) -> Money:
    """A domain amount at the API (already a valid amount: no second validation, as a
    check's payload builds a dozen of these)."""
    return Money(amount=decimal_string(value.minor, value.currency), currency=value.currency)


def maybe_money(value: DomainMoney | None) -> Money | None:
    """An optional domain amount at the API."""
    return None if value is None else money(value)


@strawberry.type(description="An exchange rate as finance entered it: 1 base = rate quote.")
class ExchangeRate(Node):
    base: str = strawberry.field(description="ISO 4217 code of the unit being priced.")
    quote: str = strawberry.field(description="ISO 4217 code the price is in.")
    rate: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Units of quote per unit of base, exact (up to 12 decimals)."
    )
    effective_on: date = strawberry.field(description="The rate applies from this day on.")
    created_by: str = strawberry.field(description="Who entered it.")
    created_at: datetime = strawberry.field(description="When it was entered.")

    @classmethod
    def build(cls, rate: StoredRate) -> ExchangeRate:
        """From a stored rate."""
        return cls(
            id=to_global_id("ExchangeRate", rate.id),
            base=rate.base,
            quote=rate.quote,
            rate=format(rate.rate, "f"),
            effective_on=rate.effective_on,
            created_by=rate.created_by,
            created_at=rate.created_at,
        )


@strawberry.type(description="One exchange rate a conversion used, in the direction it ran.")
class ConversionLeg:
    source: str = strawberry.field(description="The currency the leg converted from.")
    target: str = strawberry.field(description="The currency the leg converted into.")
    pair: str = strawberry.field(description="The stored pair, BASE/QUOTE.")
    rate: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="The stored rate (base -> quote)."
    )
    rate_date: date = strawberry.field(description="The rate's effective date.")
    rate_id: strawberry.ID = strawberry.field(description="Global id of the rate entry.")
    inverse: bool = strawberry.field(description="True when the reverse pair was divided by.")

    @classmethod
    def build(cls, leg: Leg) -> ConversionLeg:
        """From a domain leg."""
        rate = leg.rate
        return cls(
            source=leg.source,
            target=leg.target,
            pair=f"{rate.base}/{rate.quote}",
            rate=format(rate.rate, "f"),
            rate_date=rate.effective_on,
            rate_id=to_global_id("ExchangeRate", rate.id),  # type: ignore[arg-type]
            inverse=leg.inverse,
        )


@strawberry.type(
    description="A converted figure and the rates it used (none if same currency): one stored "
    "rate for a direct pair, or two (`legs`) when crossed through the tenant's base currency."
)
class ConvertedAmount:
    amount: Money = strawberry.field(description="The figure in the target currency.")
    original: Money = strawberry.field(description="The figure as it was.")
    rate: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        description="The stored rate used (base -> quote); null when no conversion was needed "
        "or when it crossed through the base (see `legs`)."
    )
    rate_date: date | None = strawberry.field(description="The rate's effective date.")
    rate_id: strawberry.ID | None = strawberry.field(description="Global id of the rate entry.")
    inverse: bool = strawberry.field(description="True when the reverse pair was divided by.")
    via: str | None = strawberry.field(
        description="The tenant's base currency a conversion with no direct pair crossed "
        "through; null for a direct conversion."
    )
    legs: list[ConversionLeg] = strawberry.field(
        description="Every rate used, in order: none (same currency), one (direct) or two "
        "(source -> base, base -> target: converted in one step with both exact rates, "
        "rounded once)."
    )

    @classmethod
    def build(cls, c: Conversion) -> ConvertedAmount:
        """From a domain conversion."""
        rate = c.rate
        return cls(
            amount=money(c.amount),
            original=money(c.source),
            rate=format(rate.rate, "f") if rate else None,
            rate_date=rate.effective_on if rate else None,
            rate_id=to_global_id("ExchangeRate", rate.id) if rate else None,  # type: ignore[arg-type]
            inverse=c.inverse,
            via=c.via,
            legs=[ConversionLeg.build(leg) for leg in c.used()],
        )


@strawberry.type(description="What a rating class means: terms, limit, review, orders, security.")
class ClassPolicyView:
    rating_class: str = strawberry.field(description="A, B, C or D.")
    payment_terms_code: str = strawberry.field(description="Payment-terms template of the class.")
    limit_factor: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Share of the formula's basis the class earns (A 1.00 ... D 0)."
    )
    max_limit: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        description="Cap on a recommended limit, in the base currency; null: none."
    )
    review_interval_months: int = strawberry.field(description="Months between reviews.")
    order_handling: OrderHandlingEnum = strawberry.field(description="How orders are checked.")
    review_above_utilisation: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        description="With close tracking: a check taking use above this share is reviewed."
    )
    reminder_days_before_due: int | None = strawberry.field(
        description="Pre-due reminder days for the class; null: the tenant's."
    )
    required_security: SecurityEnum = strawberry.field(description="Security required.")

    @classmethod
    def build(cls, c: ClassPolicy) -> ClassPolicyView:
        """From the domain's class policy."""
        return cls(
            rating_class=c.rating_class,
            payment_terms_code=c.payment_terms_code,
            limit_factor=str(c.limit_factor),
            max_limit=None if c.max_limit is None else str(c.max_limit),
            review_interval_months=c.review_interval_months,
            order_handling=OrderHandlingEnum[c.order_handling.value],
            review_above_utilisation=(
                None if c.review_above_utilisation is None else str(c.review_above_utilisation)
            ),
            reminder_days_before_due=c.reminder_days_before_due,
            required_security=SecurityEnum[c.required_security.value],
        )


@strawberry.type(description="The tenant's credit policy in force (defaults filled in).")
class CreditPolicyView:
    version: int = strawberry.field(description="Version; 0 is the practice's defaults.")
    base_currency: str = strawberry.field(description="Currency of the matrix and caps.")
    overdue_review_days: int = strawberry.field(description="Overdue beyond this: review.")
    overdue_block_days: int = strawberry.field(description="Overdue beyond this: blocked.")
    require_complete_dossier: bool = strawberry.field(
        description="Whether an incomplete credit file sends a check to review."
    )
    analyst_up_to: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="A credit analyst approves limits up to this (base currency)."
    )
    manager_up_to: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="A credit manager up to this; above it two credit managers."
    )
    capital_share: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Formula: share of registered capital."
    )
    sales_share: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Formula: share of annual sales over the agreed credit days."
    )
    round_to: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Formula: rounded down to a multiple of this."
    )
    group_relation_kinds: list[PartnerKindEnum] = strawberry.field(
        description="Partner links that make customers one group."
    )
    classes: list[ClassPolicyView] = strawberry.field(description="Per class, A to D.")
    overridden: list[str] = strawberry.field(description="Settings the tenant changed.")

    @classmethod
    def build(cls, p: CreditPolicy) -> CreditPolicyView:
        """From the domain's policy."""
        return cls(
            version=p.version,
            base_currency=p.base_currency,
            overdue_review_days=p.overdue_review_days,
            overdue_block_days=p.overdue_block_days,
            require_complete_dossier=p.require_complete_dossier,
            analyst_up_to=str(p.approval.analyst_up_to),
            manager_up_to=str(p.approval.manager_up_to),
            capital_share=str(p.formula.capital_share),
            sales_share=str(p.formula.sales_share),
            round_to=str(p.formula.round_to),
            group_relation_kinds=[PartnerKindEnum[k] for k in p.group_relation_kinds],
            classes=[ClassPolicyView.build(c) for c in p.classes],
            overridden=list(p.overridden),
        )


@strawberry.type(description="An approval or rejection of a limit request.")
class LimitApproval:
    approver: str = strawberry.field(description="Who decided (token subject).")
    roles: list[str] = strawberry.field(description="Their roles then.")
    verdict: str = strawberry.field(description="APPROVE or REJECT.")
    reason: str | None = strawberry.field(description="Why.")
    at: datetime = strawberry.field(description="When.")

    @classmethod
    def build(cls, a: ApprovalView) -> LimitApproval:
        """From a stored approval."""
        return cls(
            approver=a.approver, roles=list(a.roles), verdict=a.verdict, reason=a.reason, at=a.at
        )


@strawberry.type(description="A limit (or increase, or group limit) waiting for or past approval.")
class CreditLimitRequest(Node):
    customer_id: strawberry.ID = strawberry.field(description="The customer (group anchor).")
    scope: ScopeEnum = strawberry.field(description="Customer or group.")
    kind: KindEnum = strawberry.field(description="Standard limit or temporary increase.")
    amount: Money = strawberry.field(description="The amount asked for.")
    valid_from: date = strawberry.field(description="First day in force.")
    valid_to: date | None = strawberry.field(description="Last day in force; null: open.")
    basis: BasisEnum = strawberry.field(description="Why this amount.")
    note: str | None = strawberry.field(description="The requester's note.")
    tier: TierEnum = strawberry.field(description="Authority needed, fixed at request time.")
    approvals_required: int = strawberry.field(description="How many approvals it needs.")
    status: RequestStatusEnum = strawberry.field(
        description="Where it stands: STALE while pending but overtaken by a later limit."
    )
    requested_by: str = strawberry.field(description="Who asked.")
    requested_at: datetime = strawberry.field(description="When.")
    decided_at: datetime | None = strawberry.field(description="When approved or rejected.")
    limit_id: strawberry.ID | None = strawberry.field(description="The limit it became.")
    approvals: list[LimitApproval] = strawberry.field(description="Approvals so far, in order.")

    @classmethod
    def build(cls, r: LimitRequestView) -> CreditLimitRequest:
        """From a request view."""
        return cls(
            id=to_global_id("CreditLimitRequest", r.id),
            customer_id=to_global_id("Customer", r.customer_id),
            scope=ScopeEnum[r.scope],
            kind=KindEnum[r.kind],
            amount=money(r.amount),
            valid_from=r.valid_from,
            valid_to=r.valid_to,
            basis=BasisEnum[r.basis],
            note=r.note,
            tier=TierEnum[r.tier],
            approvals_required=r.approvals_required,
            status=RequestStatusEnum[r.status],
            requested_by=r.requested_by,
            requested_at=r.requested_at,
            decided_at=r.decided_at,
            limit_id=to_global_id("CreditLimit", r.limit_id) if r.limit_id else None,
            approvals=[LimitApproval.build(a) for a in r.approvals],
        )


@strawberry.type(description="An approved limit as history keeps it (a change is a new one).")
class CreditLimit(Node):
    customer_id: strawberry.ID = strawberry.field(description="The customer (group anchor).")
    scope: ScopeEnum = strawberry.field(description="Customer or group.")
    kind: KindEnum = strawberry.field(description="Standard limit or temporary increase.")
    amount: Money = strawberry.field(description="The amount.")
    valid_from: date = strawberry.field(description="First day in force.")
    valid_to: date | None = strawberry.field(description="Last day in force; null: open.")
    basis: BasisEnum = strawberry.field(description="Why this amount.")
    note: str | None = strawberry.field(description="The requester's note.")
    requested_by: str = strawberry.field(description="Who asked.")
    approved_by: list[str] = strawberry.field(description="Who approved, in order.")
    decision_id: strawberry.ID = strawberry.field(description="The logged decision.")
    created_at: datetime = strawberry.field(description="When it was approved.")

    @classmethod
    def build(cls, v: LimitView) -> CreditLimit:
        """From a limit view."""
        return cls(
            id=to_global_id("CreditLimit", v.id),
            customer_id=to_global_id("Customer", v.customer_id),
            scope=ScopeEnum[v.scope],
            kind=KindEnum[v.kind],
            amount=money(v.amount),
            valid_from=v.valid_from,
            valid_to=v.valid_to,
            basis=BasisEnum[v.basis],
            note=v.note,
            requested_by=v.requested_by,
            approved_by=list(v.approved_by),
            decision_id=to_global_id("CreditDecision", v.decision_id),
            created_at=v.created_at,
        )


@strawberry.type(description="A sales order an integrator registered, and what it still adds.")
class SalesOrder(Node):
    order_ref: str = strawberry.field(
        description="The integrator's reference (invoices' orderRef)."
    )
    customer_id: strawberry.ID = strawberry.field(description="The customer.")
    amount: Money = strawberry.field(description="The order's amount.")
    invoiced: Money = strawberry.field(description="What its invoices consumed of it.")
    open: Money = strawberry.field(description="What it still adds to exposure.")
    status: OrderStatusEnum = strawberry.field(description="Where it stands.")
    ordered_on: date = strawberry.field(description="Order date.")
    shipped_on: date | None = strawberry.field(description="Shipping date.")
    cancel_reason: str | None = strawberry.field(description="Why it was cancelled.")
    version: int = strawberry.field(description="Changes so far, plus one.")

    @classmethod
    def build(cls, o: OrderView) -> SalesOrder:
        """From an order view."""
        return cls(
            id=to_global_id("SalesOrder", o.id),
            order_ref=o.order_ref,
            customer_id=to_global_id("Customer", o.customer_id),
            amount=money(o.amount),
            invoiced=money(o.invoiced),
            open=money(o.open),
            status=OrderStatusEnum[o.status],
            ordered_on=o.ordered_on,
            shipped_on=o.shipped_on,
            cancel_reason=o.cancel_reason,
            version=o.version,
        )


@strawberry.type(description="Whether a customer is on credit hold.")
class CreditHold:
    customer_id: strawberry.ID = strawberry.field(description="The customer.")
    held: bool = strawberry.field(description="True: every credit check is blocked.")
    reason: str | None = strawberry.field(description="Why (set or lifted).")
    source: str | None = strawberry.field(description="MANUAL or WARNING.")
    set_by: str | None = strawberry.field(description="Who set or lifted it.")
    set_at: datetime | None = strawberry.field(description="When.")

    @classmethod
    def build(cls, h: HoldView) -> CreditHold:
        """From a hold view."""
        return cls(
            customer_id=to_global_id("Customer", h.customer_id),
            held=h.held,
            reason=h.reason,
            source=h.source,
            set_by=h.set_by,
            set_at=h.set_at,
        )


ExchangeRateEdge, ExchangeRateConnection = paged(
    ExchangeRate, "ExchangeRate", "exchange-rate entry"
)
CreditLimitEdge, CreditLimitConnection = paged(CreditLimit, "CreditLimit", "credit limit")
CreditLimitRequestEdge, CreditLimitRequestConnection = paged(
    CreditLimitRequest, "CreditLimitRequest", "limit request"
)
SalesOrderEdge, SalesOrderConnection = paged(SalesOrder, "SalesOrder", "sales order")

#: Rates, limits, requests and orders are read by everyone working receivables (their queries').
READERS = roles.READ_CREDIT_LIMITS
register_node(
    "ExchangeRate", "exchange_rates", by_ids(rates.rates_by_ids), ExchangeRate.build,
    readers=READERS,
)  # fmt: skip
register_node(
    "CreditLimit", "credit_limits", by_ids(limit_views.limits_by_ids), CreditLimit.build,
    readers=READERS,
)  # fmt: skip
register_node(
    "CreditLimitRequest", "credit_limit_requests", by_ids(limit_views.requests_by_ids),
    CreditLimitRequest.build, readers=READERS,
)  # fmt: skip
register_node(
    "SalesOrder", "sales_orders", by_ids(orders.orders_by_ids), SalesOrder.build,
    readers=READERS,
)  # fmt: skip
