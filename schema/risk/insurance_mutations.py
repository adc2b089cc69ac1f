"""Credit-insurance mutations: policies, buyer covers, the insurer's actions, notifications."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain import roles, texts
from schema.context import Context
from schema.input_rules import text
from schema.jobs.types import Job
from schema.money import DecimalString, MoneyInput
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from schema.risk.errors import RISK
from schema.risk.insurance_cover_types import BuyerCover
from schema.risk.insurance_policy_types import (
    DeductibleKind,
    InsurancePolicy,
    InsurerAction,
    InsurerNotification,
)
from services.inputs import MoneyIn
from services.jobs.catalogue import INSURANCE_DECLARATIONS, Period
from services.jobs.reads import job_by_id
from services.jobs.requests import request_job
from services.risk import insurance, insurance_covers, insurance_notifications, insurance_reads
from services.uow import UnitOfWork

WRITE = roles.MANAGE_INSURANCE


def money_in(value: MoneyInput | None) -> MoneyIn | None:
    """The service's view of a money input."""
    return MoneyIn(value.amount, value.currency) if value is not None else None


@strawberry.input(description="A credit-insurance policy; omitted terms take the defaults.")
class CreateInsurancePolicyInput:
    insurer: str = text("The insurer.", texts.NAME)
    policy_number: str = text("Policy number.", texts.AGREEMENT_NUMBER)
    starts_on: date = strawberry.field(description="First delivery date covered.")
    ends_on: date = strawberry.field(description="Last delivery date covered.")
    max_liability: MoneyInput = strawberry.field(
        description="Most the insurer pays in all; its currency is the policy's."
    )
    premium_rate_percent: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description='Premium rate on insured turnover in percent, e.g. "0.35".'
    )
    indemnity_percent: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Share of a covered loss paid, 0-100 (default 90)."
    )
    deductible: MoneyInput | None = strawberry.field(
        default=None, description="The deductible (default none)."
    )
    deductible_kind: DeductibleKind | None = strawberry.field(
        default=None, description="Per claim (default) or aggregate."
    )
    max_credit_days: int | None = strawberry.field(
        default=None, description="Longest terms insured in days (default 60)."
    )
    notification_days: int | None = strawberry.field(
        default=None, description="Days after due to notify an unpaid invoice (default 60)."
    )
    max_extension_days: int | None = strawberry.field(
        default=None, description="Days after due after which deliveries stop (default 30)."
    )
    claim_filing_days: int | None = strawberry.field(
        default=None, description="Days after due to file a claim (default 90)."
    )
    recovery_share_percent: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Insurer's share of recoveries (default: the indemnity %)."
    )
    cover_required: bool = strawberry.field(
        default=False,
        description="Sell on credit to this policy's buyers only under cover: a cut or "
        "cancelled cover puts the customer on credit hold.",
    )


@strawberry.type(description="Result of createInsurancePolicy.")
class InsurancePolicyPayload(RISK.payload):
    policy: InsurancePolicy | None = strawberry.field(default=None, description="The policy.")


@strawberry.input(description="Ask the insurer for a cover on a customer.")
class RequestBuyerCoverInput:
    policy_id: strawberry.ID = strawberry.field(description="Global id of the policy.")
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    amount: MoneyInput = strawberry.field(description="The limit asked, in the policy currency.")
    effective_on: date = strawberry.field(description="Date of the request.")
    note: str | None = text("Why.", texts.DESCRIPTION, default=None)


@strawberry.enum(description="The insurer's decision on a cover.")
class CoverDecisionKind(Enum):
    GRANTED = strawberry.enum_value("GRANTED", description="Granted or raised.")
    REDUCED = strawberry.enum_value("REDUCED", description="Cut to a lower amount.")
    CANCELLED = strawberry.enum_value("CANCELLED", description="Ended.")
    REFUSED = strawberry.enum_value("REFUSED", description="A request refused.")


@strawberry.input(description="Record the insurer's decision on a cover.")
class DecideBuyerCoverInput:
    id: strawberry.ID = strawberry.field(description="Global id of the cover.")
    status: CoverDecisionKind = strawberry.field(description="The decision.")
    effective_on: date = strawberry.field(
        description="Deliveries from this date are under it (no earlier than the last one)."
    )
    amount: MoneyInput | None = strawberry.field(
        default=None, description="The amount granted (GRANTED and REDUCED)."
    )
    note: str | None = text("Why.", texts.DESCRIPTION, default=None)
    version: int | None = strawberry.field(
        default=None, description="The version you read (refused if it moved on)."
    )


@strawberry.type(description="Result of a buyer-cover mutation.")
class BuyerCoverPayload(RISK.payload):
    cover: BuyerCover | None = strawberry.field(default=None, description="The cover.")


@strawberry.input(description="Something the insurer requires about a customer by a date.")
class AddInsurerActionInput:
    policy_id: strawberry.ID = strawberry.field(description="Global id of the policy.")
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    description: str = text(
        "What is required, e.g. transfer to the insurer's collection agency.", texts.DESCRIPTION
    )
    due_on: date = strawberry.field(description="By when.")


@strawberry.input(description="Mark a required action done.")
class CompleteInsurerActionInput:
    id: strawberry.ID = strawberry.field(description="Global id of the action.")
    completed_on: date = strawberry.field(description="When it was done.")


@strawberry.type(description="Result of an insurer-action mutation.")
class InsurerActionPayload(RISK.payload):
    action: InsurerAction | None = strawberry.field(default=None, description="The action.")


@strawberry.input(description="Tell the insurer a customer's insured invoices are overdue.")
class NotifyInsurerInput:
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    invoice_ids: list[strawberry.ID] = strawberry.field(
        description="Its overdue insured invoices under one policy (at most 500)."
    )
    notified_on: date = strawberry.field(description="The date the insurer is told.")


@strawberry.type(description="Result of notifyInsurer.")
class InsurerNotificationPayload(RISK.payload):
    notification: InsurerNotification | None = strawberry.field(
        default=None, description="The notification, with the letter sent."
    )


@strawberry.input(description="Declare a month's insured turnover (queued as a job).")
class DeclareInsuredTurnoverInput:
    period: date = strawberry.field(description="Any day of the month to declare.")


@strawberry.type(description="Result of declareInsuredTurnover: the queued job.")
class DeclareInsuredTurnoverPayload(RISK.payload):
    job: Job | None = strawberry.field(default=None, description="Poll `job(id)` for it.")


async def create_insurance_policy(
    info: Info[Context, Any], input: Annotated[CreateInsurancePolicyInput, INPUT]
) -> InsurancePolicyPayload:
    data = insurance.PolicyIn(
        insurer=input.insurer,
        policy_number=input.policy_number,
        starts_on=input.starts_on,
        ends_on=input.ends_on,
        max_liability=MoneyIn(input.max_liability.amount, input.max_liability.currency),
        premium_rate_percent=input.premium_rate_percent,
        indemnity_percent=input.indemnity_percent,
        deductible=money_in(input.deductible),
        deductible_kind=input.deductible_kind.value if input.deductible_kind else None,
        max_credit_days=input.max_credit_days,
        notification_days=input.notification_days,
        max_extension_days=input.max_extension_days,
        claim_filing_days=input.claim_filing_days,
        recovery_share_percent=input.recovery_share_percent,
        cover_required=input.cover_required,
    )

    async def show(record: insurance.PolicyRecord) -> dict[str, Any]:
        return {"policy": InsurancePolicy.of(record)}

    return await respond(
        info, InsurancePolicyPayload, lambda uow: insurance.create_policy(uow, data), show
    )


async def _show_cover(cover: Any) -> dict[str, Any]:
    return {"cover": BuyerCover.of(cover)}


async def request_buyer_cover(
    info: Info[Context, Any], input: Annotated[RequestBuyerCoverInput, INPUT]
) -> BuyerCoverPayload:
    async def work(uow: UnitOfWork) -> Any:
        return await insurance_covers.request_cover(
            uow,
            decode(input.policy_id, "InsurancePolicy", "policyId"),
            decode(input.customer_id, "Customer", "customerId"),
            MoneyIn(input.amount.amount, input.amount.currency),
            input.effective_on,
            input.note,
        )

    return await respond(info, BuyerCoverPayload, work, _show_cover)


async def decide_buyer_cover(
    info: Info[Context, Any], input: Annotated[DecideBuyerCoverInput, INPUT]
) -> BuyerCoverPayload:
    async def work(uow: UnitOfWork) -> Any:
        return await insurance_covers.decide_cover(
            uow,
            decode(input.id, "BuyerCover"),
            input.status.value,
            money_in(input.amount),
            input.effective_on,
            input.note,
            input.version,
        )

    return await respond(info, BuyerCoverPayload, work, _show_cover)


async def _show_action(action: Any) -> dict[str, Any]:
    return {"action": InsurerAction.of(action)}


async def add_insurer_action(
    info: Info[Context, Any], input: Annotated[AddInsurerActionInput, INPUT]
) -> InsurerActionPayload:
    async def work(uow: UnitOfWork) -> Any:
        return await insurance_covers.add_action(
            uow,
            decode(input.policy_id, "InsurancePolicy", "policyId"),
            decode(input.customer_id, "Customer", "customerId"),
            input.description,
            input.due_on,
        )

    return await respond(info, InsurerActionPayload, work, _show_action)


async def complete_insurer_action(
    info: Info[Context, Any], input: Annotated[CompleteInsurerActionInput, INPUT]
) -> InsurerActionPayload:
    async def work(uow: UnitOfWork) -> Any:
        return await insurance_covers.complete_action(
            uow, decode(input.id, "InsurerAction"), input.completed_on
        )

    return await respond(info, InsurerActionPayload, work, _show_action)


async def notify_insurer(
    info: Info[Context, Any], input: Annotated[NotifyInsurerInput, INPUT]
) -> InsurerNotificationPayload:
    async def work(uow: UnitOfWork) -> Any:
        return await insurance_notifications.notify_insurer(
            uow,
            decode(input.customer_id, "Customer", "customerId"),
            [decode(g, "Invoice", f"invoiceIds.{n}") for n, g in enumerate(input.invoice_ids)],
            input.notified_on,
        )

    async def show(done: insurance_notifications.Notified) -> dict[str, Any]:
        found = await insurance_reads.notifications_by_ids(
            info.context.session, [done.notification_id]
        )
        return {"notification": InsurerNotification.of(found[0]) if found[0] else None}

    return await respond(info, InsurerNotificationPayload, work, show)


async def declare_insured_turnover(
    info: Info[Context, Any], input: Annotated[DeclareInsuredTurnoverInput, INPUT]
) -> DeclareInsuredTurnoverPayload:
    async def work(uow: UnitOfWork) -> UUID:
        from domain.dates import check_date

        period = (check_date(input.period, "period") or input.period).replace(day=1)
        return await request_job(
            uow, INSURANCE_DECLARATIONS, Period(period), dedupe_key=f"declarations:{period}"
        )

    async def show(job_id: UUID) -> dict[str, Any]:
        row = await job_by_id(info.context.session, job_id)
        return {"job": Job.from_row(row) if row else None}

    return await respond(info, DeclareInsuredTurnoverPayload, work, show)


def _field(resolver: Any, text: str) -> Any:
    return strawberry.mutation(
        resolver=resolver, extensions=allow(WRITE), description=text + roles_note(WRITE)
    )


FIELDS = {
    "create_insurance_policy": _field(
        create_insurance_policy,
        "Record a credit-insurance policy (periods of one currency may not overlap).",
    ),
    "request_buyer_cover": _field(
        request_buyer_cover, "Ask the insurer for a credit limit on a customer."
    ),
    "decide_buyer_cover": _field(
        decide_buyer_cover,
        "Record the insurer's decision on a cover; it applies to deliveries from its date "
        "only. A cut or cancellation raises a SEVERE warning (risk.cover_changed).",
    ),
    "add_insurer_action": _field(
        add_insurer_action, "Record what the insurer requires about a customer by a date."
    ),
    "complete_insurer_action": _field(complete_insurer_action, "Mark a required action done."),
    "notify_insurer": _field(
        notify_insurer,
        "Notify the insurer of overdue insured invoices; the letter (zh-CN, en) is kept as sent.",
    ),
    "declare_insured_turnover": _field(
        declare_insured_turnover,
        "Queue a month's insured-turnover declaration and premium (once per month).",
    ),
}
