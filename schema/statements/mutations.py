"""Statement mutations: mark one sent, confirmed or disputed; generate a month's now."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles
from schema.collections.errors import COLLECTIONS
from schema.collections.mutations import (
    WORK,
    CollectionsPayload,
    RunCollectionsPayload,
    created_payload,
)
from schema.context import Context
from schema.jobs.types import Job
from schema.mutation import INPUT, decode, run
from schema.permissions import allow, roles_note
from services.jobs.catalogue import MONTHLY_STATEMENTS, Period
from services.jobs.reads import job_by_id
from services.jobs.requests import request_job
from services.statements import monthly as statements


@strawberry.input(description="Sent, confirmed or disputed by the customer.")
class SetStatementStatusInput:
    id: strawberry.ID = strawberry.field(description="Global id of the statement.")
    status: str = strawberry.field(description="SENT, CONFIRMED or DISPUTED.")
    note: str | None = strawberry.field(default=None, description="E.g. who confirmed, how.")


@strawberry.input(description="Generate a month's statements now (also by the 5th).")
class RunStatementsInput:
    period: date = strawberry.field(description="Any day of the month to state.")


async def set_statement_status(
    info: Info[Context, Any], input: Annotated[SetStatementStatusInput, INPUT]
) -> CollectionsPayload:
    result, errors = await run(
        info,
        COLLECTIONS,
        lambda uow: statements.set_status(
            uow, decode(input.id, "Statement"), input.status, input.note
        ),
    )
    return created_payload(result, "statementId", "Statement", errors)


async def run_statements(
    info: Info[Context, Any], input: Annotated[RunStatementsInput, INPUT]
) -> RunCollectionsPayload:
    period = input.period.replace(day=1)
    job_id, errors = await run(
        info,
        COLLECTIONS,
        lambda uow: request_job(uow, MONTHLY_STATEMENTS, Period(period)),
    )
    row = await job_by_id(info.context.session, job_id) if job_id else None
    return RunCollectionsPayload(job=Job.from_row(row) if row else None, user_errors=errors)


FIELDS = {
    "set_statement_status": strawberry.mutation(
        resolver=set_statement_status,
        extensions=allow(roles.POST_PAYMENTS | WORK),
        description="Mark a statement sent, confirmed or disputed (who and when are kept)."
        + roles_note(roles.POST_PAYMENTS | WORK),
    ),
    "run_statements": strawberry.mutation(
        resolver=run_statements,
        extensions=allow(roles.RUN_PROVISIONS),
        description="Queue a month's statements (idempotent)." + roles_note(roles.RUN_PROVISIONS),
    ),
}
