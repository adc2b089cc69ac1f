"""Read entry points of limits, exposure, rates, orders and the decision log."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles, texts
from domain.errors import DomainError
from schema.context import Context
from schema.credit.errors import CREDIT
from schema.credit.limits.check_types import (
    CreditDecision,
    CreditDecisionConnection,
    CreditDecisionEdge,
    CreditDecisionReplay,
    CreditExposure,
    CreditExposureResult,
    CreditReservation,
    CreditReservationConnection,
    CreditReservationEdge,
    RecommendedCreditLimit,
    RecommendedCreditLimitResult,
)
from schema.credit.limits.enums import DecisionKindEnum, RequestStatusEnum
from schema.credit.limits.types import (
    CreditHold,
    CreditLimit,
    CreditLimitConnection,
    CreditLimitEdge,
    CreditLimitRequest,
    CreditLimitRequestConnection,
    CreditLimitRequestEdge,
    CreditPolicyView,
    ExchangeRate,
    ExchangeRateConnection,
    ExchangeRateEdge,
    SalesOrder,
    SalesOrderConnection,
    SalesOrderEdge,
)
from schema.input_rules import text_arg
from schema.mutation import refusal_of
from schema.paging import After, Before, First, Last
from schema.permissions import allow, roles_note
from schema.relay import (
    InvalidId,
    Window,
    connection,
    edges_of,
    from_global_id,
    row_cursor,
    seek_of,
    window,
)
from services.credit import check, class_policy, decisions, exposure, holds, limit_views, orders
from services.credit import rates as rate_service

READ = roles.READ_CREDIT_LIMITS
AUDIT = roles.READ_CREDIT_DECISIONS
CUSTOMER = strawberry.argument(description="Global id of the customer.")
AS_OF = strawberry.argument(description="Business date (limits, rates, lateness); default today.")


def _id(global_id: str | None, expected: str, field: str = "id") -> Any:
    """A decoded id (None stays None; a malformed or mistyped one is INVALID_ID)."""
    if global_id is None:
        return None
    return from_global_id(global_id, expected, field)[1]


def _asked(info: Info[Context, Any], *args: Any) -> Window:
    """The paging arguments (first, after, last, before) checked."""
    return window(*args, info.context.runtime.settings.max_page_size)


def _page(
    edge: Any, conn: Any, items: Sequence[Any], more: bool, build: Callable[[Any], Any],
    asked: Window,
) -> Any:  # fmt: skip
    """A connection over a page of service results, cursors from their row ids."""
    edges = edges_of(edge, items, build, lambda item: row_cursor(item.id))
    return connection(conn, edges, more, None, asked)


@strawberry.type(description="Credit limit, exposure and decision-log reads.")
class CreditLimitQuery:
    @strawberry.field(
        description="The credit policy in force (version 0: the practice's defaults)."
        + roles_note(READ),
        extensions=allow(READ),
    )
    async def credit_policy(self, info: Info[Context, Any]) -> CreditPolicyView:
        return CreditPolicyView.build(await info.context.session.run(class_policy.load))

    @strawberry.field(
        description="Exchange-rate entries, newest first, optionally of one pair."
        + roles_note(READ),
        extensions=allow(READ),
    )
    async def exchange_rates(
        self,
        info: Info[Context, Any],
        base: Annotated[str | None, text_arg("Base currency.", texts.CURRENCY)] = None,
        quote: Annotated[str | None, text_arg("Quote currency.", texts.CURRENCY)] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> ExchangeRateConnection:
        asked = _asked(info, first, after, last, before)
        items, more = await rate_service.rates_page(
            info.context.session, base=base, quote=quote, after=seek_of(asked), first=asked.size
        )
        return _page(
            ExchangeRateEdge, ExchangeRateConnection, items, more, ExchangeRate.build, asked
        )

    @strawberry.field(
        description="The limit the tenant's formula recommends for a customer, with its "
        "inputs and their conversions." + roles_note(READ),
        extensions=allow(READ),
    )
    async def recommended_credit_limit(
        self,
        info: Info[Context, Any],
        customer_id: Annotated[strawberry.ID, CUSTOMER],
        currency: Annotated[
            str | None, text_arg("Currency; default the base currency.", texts.CURRENCY)
        ] = None,
        as_of: Annotated[date | None, AS_OF] = None,
    ) -> RecommendedCreditLimitResult:
        try:
            customer = _id(customer_id, "Customer", "customerId")
            view = await limit_views.recommendation(
                info.context.session, customer, currency, as_of or info.context.today
            )
        except DomainError as exc:
            return RecommendedCreditLimitResult(user_errors=CREDIT.user_errors(exc))
        except InvalidId as exc:
            return RecommendedCreditLimitResult(user_errors=CREDIT.user_errors(refusal_of(exc)))
        return RecommendedCreditLimitResult(recommendation=RecommendedCreditLimit.build(view))

    @strawberry.field(
        description="A customer's limit history (own and group-anchored), newest first: a "
        "change is a new entry, never an edit." + roles_note(READ),
        extensions=allow(READ),
    )
    async def credit_limits(
        self,
        info: Info[Context, Any],
        customer_id: Annotated[strawberry.ID, CUSTOMER],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> CreditLimitConnection:
        asked = _asked(info, first, after, last, before)
        customer = _id(customer_id, "Customer")
        items, more = await limit_views.history(
            info.context.session, customer, seek_of(asked), asked.size
        )
        return _page(CreditLimitEdge, CreditLimitConnection, items, more, CreditLimit.build, asked)

    @strawberry.field(
        description="Limit requests, newest first (PENDING ones wait for approval; STALE "
        "ones wait too, but a later limit overtook them: approving them is refused)."
        + roles_note(READ),
        extensions=allow(READ),
    )
    async def credit_limit_requests(
        self,
        info: Info[Context, Any],
        status: Annotated[
            RequestStatusEnum | None,
            strawberry.argument(description="Only this status (PENDING leaves out STALE)."),
        ] = None,
        customer_id: Annotated[strawberry.ID | None, CUSTOMER] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> CreditLimitRequestConnection:
        asked = _asked(info, first, after, last, before)
        customer = _id(customer_id, "Customer")
        items, more = await limit_views.requests_page(
            info.context.session,
            customer_id=customer,
            status=status.value if status else None,
            after=seek_of(asked),
            first=asked.size,
        )
        return _page(
            CreditLimitRequestEdge, CreditLimitRequestConnection, items, more,
            CreditLimitRequest.build, asked,
        )  # fmt: skip

    @strawberry.field(
        description="Open receivables + open orders + live reservations of a customer (and "
        "its group), against its limits, every converted figure with its rate and date."
        + roles_note(READ),
        extensions=allow(READ),
    )
    async def credit_exposure(
        self,
        info: Info[Context, Any],
        customer_id: Annotated[strawberry.ID, CUSTOMER],
        as_of: Annotated[date | None, AS_OF] = None,
    ) -> CreditExposureResult:
        try:
            customer = _id(customer_id, "Customer", "customerId")
            view = await exposure.exposure(
                info.context.session, customer, as_of or info.context.today
            )
        except DomainError as exc:
            return CreditExposureResult(user_errors=CREDIT.user_errors(exc))
        except InvalidId as exc:
            return CreditExposureResult(user_errors=CREDIT.user_errors(refusal_of(exc)))
        return CreditExposureResult(exposure=CreditExposure.build(view))

    @strawberry.field(
        description="Whether a customer is on credit hold, and why." + roles_note(READ),
        extensions=allow(READ),
    )
    async def credit_hold(
        self, info: Info[Context, Any], customer_id: Annotated[strawberry.ID, CUSTOMER]
    ) -> CreditHold | None:
        customer = _id(customer_id, "Customer")
        return CreditHold.build(await holds.hold_of(info.context.session, customer))

    @strawberry.field(
        description="Sales orders, newest first." + roles_note(READ), extensions=allow(READ)
    )
    async def sales_orders(
        self,
        info: Info[Context, Any],
        customer_id: Annotated[strawberry.ID | None, CUSTOMER] = None,
        open_only: Annotated[
            bool, strawberry.argument(description="Only those still counting as exposure.")
        ] = False,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> SalesOrderConnection:
        asked = _asked(info, first, after, last, before)
        customer = _id(customer_id, "Customer")
        items, more = await orders.orders_page(
            info.context.session,
            customer_id=customer,
            open_only=open_only,
            after=seek_of(asked),
            first=asked.size,
        )
        return _page(SalesOrderEdge, SalesOrderConnection, items, more, SalesOrder.build, asked)

    @strawberry.field(
        description="A customer's reservations, newest first." + roles_note(READ),
        extensions=allow(READ),
    )
    async def credit_reservations(
        self,
        info: Info[Context, Any],
        customer_id: Annotated[strawberry.ID, CUSTOMER],
        live_only: Annotated[
            bool, strawberry.argument(description="Only those holding headroom now.")
        ] = True,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> CreditReservationConnection:
        asked = _asked(info, first, after, last, before)
        customer = _id(customer_id, "Customer")
        items, more = await check.reservations_of(
            info.context.session, customer, live_only, seek_of(asked), asked.size
        )
        return _page(
            CreditReservationEdge, CreditReservationConnection, items, more,
            CreditReservation.build, asked,
        )  # fmt: skip

    @strawberry.field(
        description="The decision log, newest first: credit checks, limits, expiries, classes."
        + roles_note(AUDIT),
        extensions=allow(AUDIT),
    )
    async def credit_decisions(
        self,
        info: Info[Context, Any],
        customer_id: Annotated[strawberry.ID | None, CUSTOMER] = None,
        kind: Annotated[
            DecisionKindEnum | None, strawberry.argument(description="Only this kind.")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> CreditDecisionConnection:
        asked = _asked(info, first, after, last, before)
        customer = _id(customer_id, "Customer")
        items, more = await decisions.page(
            info.context.session,
            customer_id=customer,
            kind=kind.value if kind else None,
            after=seek_of(asked),
            first=asked.size,
        )
        return _page(
            CreditDecisionEdge, CreditDecisionConnection, items, more, CreditDecision.build, asked
        )

    @strawberry.field(
        description="Recompute a logged decision from its snapshot with the same pure rules "
        "and report equal or the differences; null for an unknown id." + roles_note(AUDIT),
        extensions=allow(AUDIT),
    )
    async def replay_credit_decision(
        self,
        info: Info[Context, Any],
        id: Annotated[strawberry.ID, strawberry.argument(description="Global id of a decision.")],
    ) -> CreditDecisionReplay | None:
        decision_id = _id(id, "CreditDecision")
        try:
            result = await decisions.replay(info.context.session, decision_id)
        except DomainError:  # another tenant's decision looks exactly like none
            return None
        return CreditDecisionReplay.build(result)
