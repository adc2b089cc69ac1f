"""Provision runs and the write-off workflow."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain import roles, texts
from domain.dates import check_date, month_end
from domain.errors import DomainError
from schema.closing.errors import CLOSING
from schema.closing.types import BadDebtCase, ProvisionRun, WriteOffProposal
from schema.context import Context
from schema.input_rules import text
from schema.jobs.types import Job
from schema.ledger import loaders as ledger_loaders
from schema.ledger.mutations.postings import KEY, KEY_NOTE
from schema.ledger.types import Payment
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from services.closing import provisions, writeoffs
from services.closing import reads as closing_reads
from services.closing.writeoffs import MAX_LINES
from services.jobs.catalogue import RUN_PROVISIONS, PeriodEnd
from services.jobs.reads import job_by_id
from services.jobs.requests import request_job
from services.uow import UnitOfWork

PERIOD_NOTE = "Any day of the month: the run is for its last day (2026-10-15 means 2026-10-31)."
PERIOD_END_DEPRECATED = "Use `period` (any day of the month), as statements do."


@strawberry.input(description="Compute a month-end provision run (queued as a job).")
class RunProvisionsInput:
    period: date | None = strawberry.field(default=None, description=PERIOD_NOTE)
    period_end: date | None = strawberry.field(
        default=None,
        description="The run's date as given (before `period`).",
        deprecation_reason=PERIOD_END_DEPRECATED,
    )


@strawberry.type(description="Result of runProvisions: the queued job.")
class RunProvisionsPayload(CLOSING.payload):
    job: Job | None = strawberry.field(default=None, description="Poll `job(id)` for the totals.")


@strawberry.input(description="Close a provision period: its run becomes final.")
class CloseProvisionRunInput:
    period: date | None = strawberry.field(default=None, description=PERIOD_NOTE)
    period_end: date | None = strawberry.field(
        default=None,
        description="The run's date as given (before `period`).",
        deprecation_reason=PERIOD_END_DEPRECATED,
    )


def run_date(period: date | None, period_end: date | None) -> date:
    """A provision run's date: the last day of `period`'s month, else the deprecated
    `periodEnd` as given; one of them is required."""
    check_date(period_end, "periodEnd")
    if period is not None:
        check_date(period, "period")
        return month_end(period)
    if period_end is not None:
        return period_end
    raise DomainError("REQUIRED", "give period (any day of the month)", "period")


@strawberry.type(description="Result of closeProvisionRun.")
class ProvisionRunPayload(CLOSING.payload):
    run: ProvisionRun | None = strawberry.field(default=None, description="The run.")


@strawberry.input(description="Part of an invoice to write off.")
class WriteOffLineInput:
    invoice_id: strawberry.ID = strawberry.field(description="Global id of the invoice.")
    amount: str = text("Decimal amount, at most the open amount.", texts.AMOUNT)


@strawberry.input(description="Propose a write-off.")
class ProposeWriteOffInput:
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    lines: list[WriteOffLineInput] = strawberry.field(
        description=f"Invoices and amounts, at most {MAX_LINES}."
    )
    reason: str = text("Why the debt is irrecoverable.", texts.NOTE)
    evidence: list[str] = text(
        f"Evidence references (documents), at most {texts.MAX_EVIDENCE}, each a text.",
        texts.EVIDENCE,
        default_factory=list,
    )
    idempotency_key: str = text(KEY_NOTE, KEY)


@strawberry.input(description="Approve or reject a write-off proposal.")
class DecideWriteOffInput:
    id: strawberry.ID = strawberry.field(description="Global id of the proposal.")
    approve: bool = strawberry.field(description="True to approve, false to reject.")
    note: str | None = text("Why.", texts.NOTE, default=None)


@strawberry.input(description="Post an approved write-off.")
class PostWriteOffInput:
    id: strawberry.ID = strawberry.field(description="Global id of the proposal.")
    effective_on: date | None = strawberry.field(default=None, description="Default today.")
    idempotency_key: str = text(KEY_NOTE, KEY)


@strawberry.type(description="Result of a write-off mutation.")
class WriteOffPayload(CLOSING.payload):
    proposal: WriteOffProposal | None = strawberry.field(default=None, description="The proposal.")
    case: BadDebtCase | None = strawberry.field(
        default=None, description="The bad-debt case, once posted."
    )


@strawberry.input(description="Cash received on a written-off debt.")
class RecordRecoveryInput:
    case_id: strawberry.ID = strawberry.field(description="Global id of the bad-debt case.")
    amount: str = text("Decimal amount in the case's currency.", texts.AMOUNT)
    received_on: date = strawberry.field(description="Date received.")
    reference: str | None = text("Bank reference.", texts.REFERENCE, default=None)
    idempotency_key: str = text(KEY_NOTE, KEY)


@strawberry.input(description="Record what a bad-debt case taught.")
class RecordLessonsInput:
    case_id: strawberry.ID = strawberry.field(description="Global id of the bad-debt case.")
    lessons: str = text("What to do differently.", texts.NOTE)
    cause: str | None = text("Refined cause.", texts.NOTE, default=None)


@strawberry.type(description="Result of a bad-debt case mutation.")
class BadDebtCasePayload(CLOSING.payload):
    case: BadDebtCase | None = strawberry.field(default=None, description="The case.")
    payment: Payment | None = strawberry.field(
        default=None,
        description="recordRecovery: the recovery's payment (`isRecovery`); reversing it with "
        "reversePayment undoes the recovery.",
    )


def _show_step(
    info: Info[Context, Any],
) -> Callable[[writeoffs.WriteOffStep], Awaitable[dict[str, Any]]]:
    """Re-read the proposal a write-off step touched, and its case once there is one."""

    async def show(step: writeoffs.WriteOffStep) -> dict[str, Any]:
        session = info.context.session
        proposal = await closing_reads.proposal(session, step.proposal_id)
        case = await closing_reads.case(session, step.case_id) if step.case_id else None
        return {
            "proposal": WriteOffProposal.build(proposal) if proposal else None,
            "case": BadDebtCase.build(case) if case else None,
        }

    return show


def _show_case(
    info: Info[Context, Any],
) -> Callable[[writeoffs.CaseStep], Awaitable[dict[str, Any]]]:
    """Re-read the bad-debt case a step touched."""

    async def show(step: writeoffs.CaseStep) -> dict[str, Any]:
        case = await closing_reads.case(info.context.session, step.case_id)
        shown: dict[str, Any] = {"case": BadDebtCase.build(case) if case else None}
        if step.payment_id is not None:
            paid = await info.context.loader("payments", ledger_loaders.payments).load(
                step.payment_id
            )
            shown["payment"] = Payment.from_row(paid) if paid else None
        return shown

    return show


async def run_provisions(
    info: Info[Context, Any], input: Annotated[RunProvisionsInput, INPUT]
) -> RunProvisionsPayload:
    async def show(job_id: UUID) -> dict[str, Any]:
        row = await job_by_id(info.context.session, job_id)
        return {"job": Job.from_row(row) if row else None}

    return await respond(
        info,
        RunProvisionsPayload,
        lambda uow: request_job(
            uow, RUN_PROVISIONS, PeriodEnd(run_date(input.period, input.period_end))
        ),
        show,
    )


async def close_provision_run(
    info: Info[Context, Any], input: Annotated[CloseProvisionRunInput, INPUT]
) -> ProvisionRunPayload:
    async def show(_run_id: UUID) -> dict[str, Any]:
        on = run_date(input.period, input.period_end)
        runs = await closing_reads.provision_runs_list(info.context.session, on)
        return {"run": ProvisionRun.build(runs[0]) if runs else None}

    return await respond(
        info,
        ProvisionRunPayload,
        lambda uow: provisions.close_run(uow, run_date(input.period, input.period_end)),
        show,
    )


async def propose_write_off(
    info: Info[Context, Any], input: Annotated[ProposeWriteOffInput, INPUT]
) -> WriteOffPayload:
    async def work(uow: UnitOfWork) -> writeoffs.WriteOffStep:
        data = writeoffs.WriteOffIn(
            customer_id=decode(input.customer_id, "Customer", "customerId"),
            lines=tuple(
                (decode(line.invoice_id, "Invoice", f"lines.{n}.invoiceId"), line.amount)
                for n, line in enumerate(input.lines)
            ),
            reason=input.reason,
            evidence=tuple(input.evidence),
        )
        return await writeoffs.propose(uow, data, input.idempotency_key)

    return await respond(info, WriteOffPayload, work, _show_step(info))


async def decide_write_off(
    info: Info[Context, Any], input: Annotated[DecideWriteOffInput, INPUT]
) -> WriteOffPayload:
    return await respond(
        info,
        WriteOffPayload,
        lambda uow: writeoffs.decide(
            uow, decode(input.id, "WriteOffProposal"), input.approve, input.note
        ),
        _show_step(info),
    )


async def post_write_off(
    info: Info[Context, Any], input: Annotated[PostWriteOffInput, INPUT]
) -> WriteOffPayload:
    return await respond(
        info,
        WriteOffPayload,
        lambda uow: writeoffs.post(
            uow,
            decode(input.id, "WriteOffProposal"),
            input.effective_on or info.context.today,
            input.idempotency_key,
        ),
        _show_step(info),
    )


async def record_recovery(
    info: Info[Context, Any], input: Annotated[RecordRecoveryInput, INPUT]
) -> BadDebtCasePayload:
    return await respond(
        info,
        BadDebtCasePayload,
        lambda uow: writeoffs.record_recovery(
            uow,
            decode(input.case_id, "BadDebtCase", "caseId"),
            input.amount,
            input.received_on,
            input.reference,
            input.idempotency_key,
        ),
        _show_case(info),
    )


async def record_bad_debt_lessons(
    info: Info[Context, Any], input: Annotated[RecordLessonsInput, INPUT]
) -> BadDebtCasePayload:
    return await respond(
        info,
        BadDebtCasePayload,
        lambda uow: writeoffs.record_lessons(
            uow, decode(input.case_id, "BadDebtCase", "caseId"), input.cause, input.lessons
        ),
        _show_case(info),
    )


FIELDS = {
    "run_provisions": strawberry.mutation(
        resolver=run_provisions,
        extensions=allow(roles.RUN_PROVISIONS),
        description="Queue a month-end provision run (re-runnable until closed)."
        + roles_note(roles.RUN_PROVISIONS),
    ),
    "close_provision_run": strawberry.mutation(
        resolver=close_provision_run,
        extensions=allow(roles.RUN_PROVISIONS),
        description="Close a provision period." + roles_note(roles.RUN_PROVISIONS),
    ),
    "propose_write_off": strawberry.mutation(
        resolver=propose_write_off,
        extensions=allow(roles.PROPOSE_WRITE_OFFS),
        description="Propose a write-off with evidence." + roles_note(roles.PROPOSE_WRITE_OFFS),
    ),
    "decide_write_off": strawberry.mutation(
        resolver=decide_write_off,
        extensions=allow(roles.DECIDE_WRITE_OFFS),
        description="Approve or reject a write-off; finance always, the credit manager too "
        "above the tenant threshold; never the proposer." + roles_note(roles.DECIDE_WRITE_OFFS),
    ),
    "post_write_off": strawberry.mutation(
        resolver=post_write_off,
        extensions=allow(roles.POST_WRITE_OFFS),
        description="Post an approved write-off (idempotent)." + roles_note(roles.POST_WRITE_OFFS),
    ),
    "record_recovery": strawberry.mutation(
        resolver=record_recovery,
        extensions=allow(roles.POST_PAYMENTS),
        description="Record cash recovered on a written-off debt (idempotent)."
        + roles_note(roles.POST_PAYMENTS),
    ),
    "record_bad_debt_lessons": strawberry.mutation(
        resolver=record_bad_debt_lessons,
        extensions=allow(roles.READ_CASES),
        description="Record the cause and lessons of a bad-debt case."
        + roles_note(roles.READ_CASES),
    ),
}
