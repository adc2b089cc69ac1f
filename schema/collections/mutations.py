"""Collections mutations: activities, promises, payment plans, tasks, the daily run."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, TypeVar
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain import roles
from schema.collections.errors import COLLECTIONS
from schema.context import Context
from schema.delivery.types import DeliveryChannel, DocumentDelivery, SentDocument
from schema.jobs.types import Job
from schema.money import MoneyInput
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from schema.relay import to_global_id
from services.collections import activities, agreements, dunning
from services.collections.activities import ActivityIn
from services.jobs.catalogue import DAILY_COLLECTIONS, AsOf
from services.jobs.reads import job_by_id
from services.jobs.requests import request_job
from services.uow import UnitOfWork

WORK = roles.WORK_COLLECTIONS
T = TypeVar("T")


@strawberry.input(description="Something done to collect: appended to the evidence chain.")
class RecordActivityInput:
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    kind: str = strawberry.field(description="CALL, EMAIL, LETTER, VISIT, LEGAL or NOTE.")
    occurred_at: datetime = strawberry.field(description="When it happened.")
    outcome: str | None = strawberry.field(default=None, description="Outcome.")
    notes: str | None = strawberry.field(default=None, description="Notes.")
    document_ref: str | None = strawberry.field(default=None, description="Document location.")


@strawberry.input(description="The customer promises to pay an amount by a date.")
class PromiseToPayInput:
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    amount: MoneyInput = strawberry.field(description="How much.")
    promised_on: date = strawberry.field(description="By when.")


@strawberry.input(description="One instalment of a payment plan.")
class PlanInstalmentInput:
    due_on: date = strawberry.field(description="Due date.")
    amount: str = strawberry.field(description="Decimal amount in the plan's currency.")


@strawberry.input(description="An instalment schedule for an overdue balance.")
class CreatePaymentPlanInput:
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    currency: str = strawberry.field(description="ISO 4217 code.")
    instalments: list[PlanInstalmentInput] = strawberry.field(description="In date order.")


@strawberry.input(description="Mark a collection task done.")
class CompleteTaskInput:
    id: strawberry.ID = strawberry.field(description="Global id of the task.")


@strawberry.input(description="Run reminders and escalation now (it also runs daily).")
class RunCollectionsInput:
    as_of: date | None = strawberry.field(default=None, description="Default today.")


@strawberry.type(description="Result of a collections mutation.")
class CollectionsPayload(COLLECTIONS.payload):
    id: strawberry.ID | None = strawberry.field(
        default=None, description="Global id of what was created."
    )


@strawberry.type(description="Result of runCollections: the queued job.")
class RunCollectionsPayload(COLLECTIONS.payload):
    job: Job | None = strawberry.field(default=None, description="Poll `job(id)` for what it did.")


def shows_id(type_name: str, of: Callable[[T], UUID]) -> Callable[[T], Awaitable[dict[str, Any]]]:
    """A payload's `show`: the global id of what the work created or changed."""

    async def show(result: T) -> dict[str, Any]:
        return {"id": to_global_id(type_name, of(result))}

    return show


def shows_job(info: Info[Context, Any]) -> Callable[[UUID], Awaitable[dict[str, Any]]]:
    """A payload's `show`: the queued job, re-read."""

    async def show(job_id: UUID) -> dict[str, Any]:
        row = await job_by_id(info.context.session, job_id)
        return {"job": Job.from_row(row) if row else None}

    return show


async def record_activity(
    info: Info[Context, Any], input: Annotated[RecordActivityInput, INPUT]
) -> CollectionsPayload:
    """Append an activity to the customer's evidence chain."""
    return await respond(
        info,
        CollectionsPayload,
        lambda uow: activities.record_activity(
            uow,
            ActivityIn(
                decode(input.customer_id, "Customer", "customerId"),
                input.kind,
                input.occurred_at,
                input.outcome,
                input.notes,
                input.document_ref,
            ),
        ),
        shows_id("Activity", lambda r: r.activity_id),
    )


async def promise_to_pay(
    info: Info[Context, Any], input: Annotated[PromiseToPayInput, INPUT]
) -> CollectionsPayload:
    """Track a promise to pay."""
    return await respond(
        info,
        CollectionsPayload,
        lambda uow: agreements.promise_to_pay(
            uow,
            decode(input.customer_id, "Customer", "customerId"),
            input.amount.amount,
            input.amount.currency,
            input.promised_on,
            info.context.today,
        ),
        shows_id("Promise", lambda r: r.promise_id),
    )


async def create_payment_plan(
    info: Info[Context, Any], input: Annotated[CreatePaymentPlanInput, INPUT]
) -> CollectionsPayload:
    """Agree a payment plan."""
    return await respond(
        info,
        CollectionsPayload,
        lambda uow: agreements.payment_plan(
            uow,
            decode(input.customer_id, "Customer", "customerId"),
            input.currency,
            [(i.due_on, i.amount) for i in input.instalments],
            info.context.today,
        ),
        shows_id("PaymentPlan", lambda r: r.plan_id),
    )


async def complete_task(
    info: Info[Context, Any], input: Annotated[CompleteTaskInput, INPUT]
) -> CollectionsPayload:
    """Mark a collection task done."""
    return await respond(
        info,
        CollectionsPayload,
        lambda uow: activities.complete_task(uow, decode(input.id, "CollectionTask")),
        shows_id("CollectionTask", lambda r: r.task_id),
    )


async def run_collections(
    info: Info[Context, Any], input: Annotated[RunCollectionsInput | None, INPUT] = None
) -> RunCollectionsPayload:
    """Queue the daily collections run for a date."""
    as_of = (input.as_of if input and input.as_of else None) or info.context.today
    return await respond(
        info,
        RunCollectionsPayload,
        lambda uow: request_job(uow, DAILY_COLLECTIONS, AsOf(as_of)),
        shows_job(info),
    )


@strawberry.enum(description="The steps of the dunning ladder in writing.")
class DunningLetterKind(Enum):
    REMINDER = strawberry.enum_value("REMINDER", description="催款函: a friendly reminder.")
    DEMAND = strawberry.enum_value("DEMAND", description="催告函: a formal demand for payment.")
    LAWYER = strawberry.enum_value(
        "LAWYER", description="律师函: written by your law firm (tenant profile) for you."
    )


@strawberry.input(description="Issue a dunning letter: numbered, rendered, archived, sent.")
class SendDunningLetterInput:
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    kind: DunningLetterKind = strawberry.field(description="Which letter.")
    channel: DeliveryChannel = strawberry.field(
        description="EMAIL: to the contacts the letter is for, each in their language, once "
        "your mail server accepts it; POST, COURIER, HAND: print the archived copy yourself."
    )
    as_of: date | None = strawberry.field(
        default=None, description="The letter's date, its figures as of then (default: today)."
    )
    deadline: date | None = strawberry.field(
        default=None, description="Pay by (default: 10, 7 or 5 days after, by kind)."
    )
    lang: str | None = strawberry.field(
        default=None,
        description="zh-CN or en, for a printed letter (default: by the customer's country).",
    )


@strawberry.type(description="A dunning letter as issued.")
class IssuedLetter:
    number: str = strawberry.field(description="Its number, e.g. DL-2026-0007.")
    kind: DunningLetterKind = strawberry.field(description="Which letter.")
    as_of: date = strawberry.field(description="Its date.")
    deadline: date = strawberry.field(description="Pay by.")
    documents: list[SentDocument] = strawberry.field(
        description="The archived PDFs, one per language."
    )
    deliveries: list[DocumentDelivery] = strawberry.field(
        description="One per recipient (e-mail) or the printed copy handed over."
    )


@strawberry.type(description="Result of sendDunningLetter.")
class SendDunningLetterPayload(COLLECTIONS.payload):
    letter: IssuedLetter | None = strawberry.field(default=None, description="The letter.")


async def send_dunning_letter(
    info: Info[Context, Any], input: Annotated[SendDunningLetterInput, INPUT]
) -> SendDunningLetterPayload:
    """Issue a dunning letter."""

    async def work(uow: UnitOfWork) -> dunning.LetterSent:
        request = dunning.LetterRequest(
            customer_id=decode(input.customer_id, "Customer", "customerId"),
            kind=input.kind.value,
            channel=input.channel.value,
            as_of=input.as_of,
            lang=input.lang,
            deadline=input.deadline,
        )
        return await dunning.send_letter(uow, request)

    async def show(sent: dunning.LetterSent) -> dict[str, Any]:
        return {
            "letter": IssuedLetter(
                number=sent.number,
                kind=DunningLetterKind(sent.kind),
                as_of=sent.as_of,
                deadline=sent.deadline,
                documents=[SentDocument.of(d) for d in sent.documents],
                deliveries=[DocumentDelivery.of(d) for d in sent.deliveries],
            )
        }

    return await respond(info, SendDunningLetterPayload, work, show)


FIELDS = {
    "send_dunning_letter": strawberry.mutation(
        resolver=send_dunning_letter,
        extensions=allow(WORK),
        description="Issue a dunning letter as of a date: numbered, rendered in each language "
        "its recipients read, archived as sent (served at /documents/sent/{id}), then e-mailed "
        "or recorded as posted. An e-mailed letter enters the evidence chain when the mail "
        "server accepts it. A draft is at /documents/customers/{id}/dunning-letter-draft.pdf."
        + roles_note(WORK),
    ),
    "record_activity": strawberry.mutation(
        resolver=record_activity,
        extensions=allow(WORK),
        description="Append a collection activity to the evidence chain." + roles_note(WORK),
    ),
    "promise_to_pay": strawberry.mutation(
        resolver=promise_to_pay,
        extensions=allow(WORK),
        description="Track a promise to pay; broken promises escalate." + roles_note(WORK),
    ),
    "create_payment_plan": strawberry.mutation(
        resolver=create_payment_plan,
        extensions=allow(WORK),
        description="Agree a payment plan; a missed instalment escalates." + roles_note(WORK),
    ),
    "complete_collection_task": strawberry.mutation(
        resolver=complete_task,
        extensions=allow(WORK),
        description="Mark a collection task done." + roles_note(WORK),
    ),
    "run_collections": strawberry.mutation(
        resolver=run_collections,
        extensions=allow(roles.RUN_REVIEWS | {roles.COLLECTOR}),
        description="Queue reminders and escalation for a date (also daily)."
        + roles_note(roles.RUN_REVIEWS | {roles.COLLECTOR}),
    ),
}
