"""Collections mutations: activities, promises, payment plans, tasks, the daily run."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain import roles
from schema.collections.errors import COLLECTIONS
from schema.context import Context
from schema.jobs.types import Job
from schema.money import MoneyInput
from schema.mutation import INPUT, decode, run
from schema.permissions import allow, roles_note
from schema.relay import to_global_id
from services.collections import dunning
from services.collections import workflow as collections
from services.jobs.catalogue import DAILY_COLLECTIONS, AsOf
from services.jobs.reads import job_by_id
from services.jobs.requests import request_job

WORK = roles.WORK_COLLECTIONS


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
    id: strawberry.ID | None = strawberry.field(description="Global id of what was created.")


@strawberry.type(description="Result of runCollections: the queued job.")
class RunCollectionsPayload(COLLECTIONS.payload):
    job: Job | None = strawberry.field(description="Poll `job(id)` for what it did.")


def created_payload(
    result: dict[str, Any] | None, key: str, type_name: str, errors: list[Any]
) -> CollectionsPayload:
    """The payload naming what a collections mutation created."""
    return CollectionsPayload(
        id=to_global_id(type_name, UUID(result[key])) if result else None, user_errors=errors
    )


async def record_activity(
    info: Info[Context, Any], input: Annotated[RecordActivityInput, INPUT]
) -> CollectionsPayload:
    """The payload naming what a collections mutation created."""
    result, errors = await run(
        info,
        COLLECTIONS,
        lambda uow: collections.record_activity(
            uow,
            decode(input.customer_id, "Customer", "customerId"),
            input.kind,
            input.occurred_at,
            input.outcome,
            input.notes,
            input.document_ref,
        ),
    )
    return created_payload(result, "activityId", "Activity", errors)


async def promise_to_pay(
    info: Info[Context, Any], input: Annotated[PromiseToPayInput, INPUT]
) -> CollectionsPayload:
    """The payload naming what a collections mutation created."""
    result, errors = await run(
        info,
        COLLECTIONS,
        lambda uow: collections.promise_to_pay(
            uow,
            decode(input.customer_id, "Customer", "customerId"),
            input.amount.amount,
            input.amount.currency,
            input.promised_on,
            info.context.today,
        ),
    )
    return created_payload(result, "promiseId", "Promise", errors)


async def create_payment_plan(
    info: Info[Context, Any], input: Annotated[CreatePaymentPlanInput, INPUT]
) -> CollectionsPayload:
    """The payload naming what a collections mutation created."""
    result, errors = await run(
        info,
        COLLECTIONS,
        lambda uow: collections.payment_plan(
            uow,
            decode(input.customer_id, "Customer", "customerId"),
            input.currency,
            [(i.due_on, i.amount) for i in input.instalments],
            info.context.today,
        ),
    )
    return created_payload(result, "planId", "PaymentPlan", errors)


async def complete_task(
    info: Info[Context, Any], input: Annotated[CompleteTaskInput, INPUT]
) -> CollectionsPayload:
    """The payload naming what a collections mutation created."""
    result, errors = await run(
        info,
        COLLECTIONS,
        lambda uow: collections.complete_task(uow, decode(input.id, "CollectionTask")),
    )
    return created_payload(result, "taskId", "CollectionTask", errors)


async def run_collections(
    info: Info[Context, Any], input: Annotated[RunCollectionsInput | None, INPUT] = None
) -> RunCollectionsPayload:
    as_of = (input.as_of if input and input.as_of else None) or info.context.today
    job_id, errors = await run(
        info,
        COLLECTIONS,
        lambda uow: request_job(uow, DAILY_COLLECTIONS, AsOf(as_of)),
    )
    row = await job_by_id(info.context.session, job_id) if job_id else None
    return RunCollectionsPayload(job=Job.from_row(row) if row else None, user_errors=errors)


@strawberry.input(description="Record a dunning letter as sent.")
class SendDunningLetterInput:
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    kind: str = strawberry.field(description="REMINDER, DEMAND or LAWYER.")
    channel: str = strawberry.field(description="How it went out (post, e-mail, courier).")


async def send_dunning_letter(
    info: Info[Context, Any], input: Annotated[SendDunningLetterInput, INPUT]
) -> CollectionsPayload:
    """The payload naming what a collections mutation created."""
    result, errors = await run(
        info,
        COLLECTIONS,
        lambda uow: dunning.record_sent(
            uow, decode(input.customer_id, "Customer", "customerId"), input.kind, input.channel
        ),
    )
    return created_payload(result, "activityId", "Activity", errors)


FIELDS = {
    "send_dunning_letter": strawberry.mutation(
        resolver=send_dunning_letter,
        extensions=allow(WORK),
        description="Record a dunning letter as sent; the PDF is at /documents/customers/{id}/"
        "dunning-letter.pdf?kind=REMINDER|DEMAND|LAWYER&lang=zh-CN|en." + roles_note(WORK),
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
