"""checkCredit and releaseCreditReservation."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles, texts
from schema.context import Context
from schema.credit.errors import CREDIT
from schema.credit.limits.check_types import CreditCheck, CreditReservation
from schema.input_rules import text
from schema.money import DecimalString
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from schema.relay import InvalidId
from services.credit import check
from services.inputs import MoneyIn
from services.uow import UnitOfWork


@strawberry.input(description="An order (or a quote) to check against the customer's credit.")
class CheckCreditInput:
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    amount: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="The order's amount, above zero, as a decimal string."
    )
    currency: str = text(
        limit=texts.CURRENCY,
        description="ISO 4217 code of the amount; with no rate to the customer's own limit "
        "currency on the date, refused (NO_EXCHANGE_RATE).",
    )
    order_ref: str | None = text(
        limit=texts.SHORT,
        default=None,
        description="The order's reference (as its invoices will carry it); its own open "
        "order and reservation are left out of the exposure it is checked against, so the "
        "amount is checked as the order's whole amount. A reference registered as another "
        "customer's order is refused (ORDER_REF_TAKEN), and nothing is logged or held.",
    )
    reserve: bool = strawberry.field(
        default=False,
        description="Hold the credit part of the amount until the order is registered, the "
        "reservation released, or `ttlSeconds` pass (needs `orderRef`). When an order under "
        "`orderRef` is registered for the customer already, nothing is held (it counts in "
        "exposure itself; `orderRegistered` says so): to hold more, change the order.",
    )
    ttl_seconds: int = strawberry.field(
        default=check.DEFAULT_TTL_SECONDS,
        description="Reservation lifetime, 1 to 86,400 seconds (default 900).",
    )


@strawberry.type(description="Result of a credit check.")
class CheckCreditPayload(CREDIT.payload):  # type: ignore[misc,name-defined]
    check: CreditCheck | None = strawberry.field(
        default=None, description="The answer, its reasons and figures, and its log entry."
    )
    order_registered: bool | None = strawberry.field(
        default=None,
        description="Whether an order under `orderRef` is registered for the customer "
        "already: it counts in exposure itself, so a `reserve` check held nothing "
        "(`check.reservation` is null); null when refused.",
    )


async def check_credit(
    info: Info[Context, Any], input: Annotated[CheckCreditInput, INPUT]
) -> CheckCreditPayload:
    async def work(uow: UnitOfWork) -> check.CheckResult:
        request = check.CheckRequest(
            customer_id=decode(input.customer_id, "Customer", "customerId"),
            amount=MoneyIn(input.amount, input.currency),
            order_ref=input.order_ref,
            reserve=input.reserve,
            ttl_seconds=input.ttl_seconds,
        )
        return await check.check_credit(uow, request, info.context.today)

    async def show(result: check.CheckResult) -> dict[str, Any]:
        return {"check": CreditCheck.build(result), "order_registered": result.order_registered}

    try:  # a reservation's lock goes with BEGIN; a bad id is the work's to refuse
        customer = decode(input.customer_id, "Customer", "customerId")
        opening = check.opening(info.context.tenant_id, customer, input.reserve)
    except InvalidId:
        opening = ""
    return await respond(info, CheckCreditPayload, work, show, opening)


@strawberry.input(description="Give a reservation's headroom back.")
class ReleaseCreditReservationInput:
    id: strawberry.ID = strawberry.field(description="Global id of the reservation.")


@strawberry.type(description="Result of releasing a reservation.")
class CreditReservationPayload(CREDIT.payload):  # type: ignore[misc,name-defined]
    reservation: CreditReservation | None = strawberry.field(
        default=None, description="The reservation after the change."
    )


async def release_credit_reservation(
    info: Info[Context, Any], input: Annotated[ReleaseCreditReservationInput, INPUT]
) -> CreditReservationPayload:
    async def work(uow: UnitOfWork) -> check.ReservationView:
        return await check.release_reservation(uow, decode(input.id, "CreditReservation"))

    async def show(result: check.ReservationView) -> dict[str, Any]:
        return {"reservation": CreditReservation.build(result)}

    return await respond(info, CreditReservationPayload, work, show)


FIELDS = {
    "check_credit": strawberry.mutation(
        resolver=check_credit,
        extensions=allow(roles.CHECK_CREDIT),
        description="Check an order against the customer's credit: APPROVED, "
        "PREPAYMENT_REQUIRED (with the amount to prepay), REVIEW_REQUIRED or BLOCKED, with "
        "reasons, headroom and the exposure breakdown (every converted figure with its rate "
        "and date; an open item or group limit with no rate sends it to review, "
        "NO_EXCHANGE_RATE); logged with its complete snapshot. "
        "With `reserve`, atomically holds the credit part until the order comes, it is "
        "released, or it expires; an order already registered under `orderRef` holds its "
        "own amount, so nothing more is held (`orderRegistered`)." + roles_note(roles.CHECK_CREDIT),
    ),
    "release_credit_reservation": strawberry.mutation(
        resolver=release_credit_reservation,
        extensions=allow(roles.CHECK_CREDIT),
        description="Give a reservation's headroom back (idempotent; one an order "
        "confirmed is refused with INVALID_STATUS: cancel the order instead)."
        + roles_note(roles.CHECK_CREDIT),
    ),
}
