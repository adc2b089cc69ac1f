"""Statement mutations: mark one sent, confirmed or disputed; generate a month's now."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles
from schema.collections.mutations import (
    WORK,
    CollectionsPayload,
    RunCollectionsPayload,
    shows_id,
    shows_job,
)
from schema.context import Context
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from services.jobs.catalogue import MONTHLY_STATEMENTS, Period
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
    """Record the customer's answer to a statement (or that it went out)."""
    return await respond(
        info,
        CollectionsPayload,
        lambda uow: statements.set_status(
            uow, decode(input.id, "Statement"), input.status, input.note
        ),
        shows_id("Statement", lambda r: r.statement_id),
    )


async def run_statements(
    info: Info[Context, Any], input: Annotated[RunStatementsInput, INPUT]
) -> RunCollectionsPayload:
    """Queue a month's statements."""
    period = input.period.replace(day=1)
    return await respond(
        info,
        RunCollectionsPayload,
        lambda uow: request_job(uow, MONTHLY_STATEMENTS, Period(period)),
        shows_job(info),
    )


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
