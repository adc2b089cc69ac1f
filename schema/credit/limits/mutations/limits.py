"""Credit limits (request, approve, reject) and credit holds."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles, texts
from schema.context import Context
from schema.credit.errors import CREDIT
from schema.credit.limits.enums import BasisEnum, KindEnum, ScopeEnum
from schema.credit.limits.types import CreditHold, CreditLimitRequest
from schema.input_rules import text
from schema.money import MoneyInput
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from services.credit import holds, limits
from services.credit.holds import HoldView
from services.credit.limit_views import LimitRequestView
from services.inputs import MoneyIn
from services.uow import UnitOfWork

DECIDE = roles.DECIDE_CREDIT_LIMITS


@strawberry.input(description="A limit, temporary increase or group limit to approve.")
class RequestCreditLimitInput:
    customer_id: strawberry.ID = strawberry.field(
        description="Global id of the customer (for a group limit, the group's anchor: one per "
        "connected group)."
    )
    amount: MoneyInput = strawberry.field(
        description="The limit (zero allowed: no credit) or increase (above zero)."
    )
    valid_from: date = strawberry.field(description="First day in force.")
    valid_to: date | None = strawberry.field(
        default=None, description="Last day in force; required for a temporary increase."
    )
    kind: KindEnum = strawberry.field(  # type: ignore[valid-type]
        default=KindEnum.STANDARD, description="Standard limit or temporary increase."
    )
    scope: ScopeEnum = strawberry.field(  # type: ignore[valid-type]
        default=ScopeEnum.CUSTOMER, description="The customer alone, or its group."
    )
    basis: BasisEnum = strawberry.field(  # type: ignore[valid-type]
        default=BasisEnum.MANUAL, description="Why this amount."
    )
    note: str | None = text(limit=texts.NOTE, default=None, description="At most 2,000 characters.")


@strawberry.input(description="Approve a pending limit request.")
class ApproveCreditLimitInput:
    id: strawberry.ID = strawberry.field(description="Global id of the request.")
    reason: str | None = text(limit=texts.NOTE, default=None, description="Optional remark.")


@strawberry.input(description="Reject a pending limit request.")
class RejectCreditLimitInput:
    id: strawberry.ID = strawberry.field(description="Global id of the request.")
    reason: str = text(limit=texts.NOTE, description="Why, 1-2,000 characters.")


@strawberry.type(description="Result of a limit mutation.")
class CreditLimitRequestPayload(CREDIT.payload):  # type: ignore[misc,name-defined]
    request: CreditLimitRequest | None = strawberry.field(
        default=None, description="The request after the change (limitId once approved)."
    )


async def _show(result: LimitRequestView) -> dict[str, Any]:
    return {"request": CreditLimitRequest.build(result)}


async def request_credit_limit(
    info: Info[Context, Any], input: Annotated[RequestCreditLimitInput, INPUT]
) -> CreditLimitRequestPayload:
    async def work(uow: UnitOfWork) -> LimitRequestView:
        return await limits.set_limit(
            uow,
            decode(input.customer_id, "Customer", "customerId"),
            MoneyIn(input.amount.amount, input.amount.currency),
            input.valid_from,
            input.valid_to,
            kind=input.kind.value,
            scope=input.scope.value,
            basis=input.basis.value,
            note=input.note,
            today=info.context.today,
        )

    return await respond(info, CreditLimitRequestPayload, work, _show)


async def approve_credit_limit(
    info: Info[Context, Any], input: Annotated[ApproveCreditLimitInput, INPUT]
) -> CreditLimitRequestPayload:
    async def work(uow: UnitOfWork) -> LimitRequestView:
        return await limits.approve_limit(uow, decode(input.id, "CreditLimitRequest"), input.reason)

    return await respond(info, CreditLimitRequestPayload, work, _show)


async def reject_credit_limit(
    info: Info[Context, Any], input: Annotated[RejectCreditLimitInput, INPUT]
) -> CreditLimitRequestPayload:
    async def work(uow: UnitOfWork) -> LimitRequestView:
        return await limits.reject_limit(uow, decode(input.id, "CreditLimitRequest"), input.reason)

    return await respond(info, CreditLimitRequestPayload, work, _show)


@strawberry.input(description="Put a customer on credit hold, or lift it.")
class SetCreditHoldInput:
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    held: bool = strawberry.field(description="True blocks every credit check; false lifts it.")
    reason: str = text(limit=texts.DESCRIPTION, description="Why, 1-500 characters.")


@strawberry.type(description="Result of setting a credit hold.")
class CreditHoldPayload(CREDIT.payload):  # type: ignore[misc,name-defined]
    hold: CreditHold | None = strawberry.field(default=None, description="The hold now.")


async def set_credit_hold(
    info: Info[Context, Any], input: Annotated[SetCreditHoldInput, INPUT]
) -> CreditHoldPayload:
    async def work(uow: UnitOfWork) -> HoldView:
        customer_id = decode(input.customer_id, "Customer", "customerId")
        return await holds.set_hold(uow, customer_id, input.held, input.reason)

    async def show(result: HoldView) -> dict[str, Any]:
        return {"hold": CreditHold.build(result)}

    return await respond(info, CreditHoldPayload, work, show)


FIELDS = {
    "request_credit_limit": strawberry.mutation(
        resolver=request_credit_limit,
        extensions=allow(DECIDE),
        description="File a limit, temporary increase or group limit for approval; the "
        "tenant's matrix sets who must approve it by the credit it leaves in force (the "
        "standard limit plus the increases running with it, this one included; in the base "
        "currency, through the rate table). A group has one group limit, on its anchor: "
        "refused on a customer without group links (NO_GROUP) or on another member "
        "(GROUP_LIMIT_EXISTS)." + roles_note(DECIDE),
    ),
    "approve_credit_limit": strawberry.mutation(
        resolver=approve_credit_limit,
        extensions=allow(DECIDE),
        description="Approve a limit request (never your own; two different managers above "
        "the manager's amount; never by the credit manager whose application decision granted "
        "it: SELF_APPROVAL; never one filed before a later limit of the customer was "
        "approved: STALE_REQUEST; a group limit is checked again against the links of now: "
        "NO_GROUP, or GROUP_LIMIT_EXISTS when a link has joined its group to one whose limit is "
        "anchored elsewhere); with the last approval the limit is in force, logged and "
        "published, and what an application granted with it (its terms) is set."
        + roles_note(DECIDE),
    ),
    "reject_credit_limit": strawberry.mutation(
        resolver=reject_credit_limit,
        extensions=allow(DECIDE),
        description="Reject a limit request with a reason (never your own); logged."
        + roles_note(DECIDE),
    ),
    "set_credit_hold": strawberry.mutation(
        resolver=set_credit_hold,
        extensions=allow(roles.SET_CREDIT_HOLD),
        description="Put a customer on credit hold (every check BLOCKED) or lift it, with a "
        "reason; audited and published." + roles_note(roles.SET_CREDIT_HOLD),
    ),
}
