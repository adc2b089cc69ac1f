"""Statement mutations: mark one sent, confirmed or disputed; generate a month's now."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles, texts
from schema.collections.errors import COLLECTIONS
from schema.collections.mutations import (
    WORK,
    CollectionsPayload,
    RunCollectionsPayload,
    shows_id,
    shows_job,
)
from schema.context import Context
from schema.delivery.types import DocumentDelivery, SentDocument
from schema.input_rules import text
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from schema.statements.types import StatementStatus
from services.jobs.catalogue import MONTHLY_STATEMENTS, Period
from services.jobs.requests import request_job
from services.statements import monthly as statements
from services.statements import sending
from services.statements.sending import StatementSending


@strawberry.input(description="Sent, confirmed or disputed by the customer.")
class SetStatementStatusInput:
    id: strawberry.ID = strawberry.field(description="Global id of the statement.")
    status: StatementStatus = strawberry.field(
        description="SENT, CONFIRMED or DISPUTED (GENERATED is refused: INVALID_STATUS)."
    )
    note: str | None = text("E.g. who confirmed, how.", texts.NOTE, default=None)


@strawberry.input(description="Generate a month's statements now (also by the 5th).")
class RunStatementsInput:
    period: date = strawberry.field(description="Any day of the month to state.")


@strawberry.input(description="E-mail a statement to the customer's finance contacts.")
class SendStatementInput:
    id: strawberry.ID = strawberry.field(description="Global id of the statement.")


@strawberry.type(description="Result of sendStatement.")
class SendStatementPayload(COLLECTIONS.payload):
    documents: list[SentDocument] | None = strawberry.field(
        default=None, description="The archived PDFs, one per language."
    )
    deliveries: list[DocumentDelivery] | None = strawberry.field(
        default=None, description="One per recipient; SENT once the mail server accepts it."
    )


async def send_statement(
    info: Info[Context, Any], input: Annotated[SendStatementInput, INPUT]
) -> SendStatementPayload:
    """E-mail a statement (again)."""

    async def show(sending: StatementSending) -> dict[str, Any]:
        return {
            "documents": [SentDocument.of(d) for d in sending.documents],
            "deliveries": [DocumentDelivery.of(d) for d in sending.deliveries],
        }

    return await respond(
        info,
        SendStatementPayload,
        lambda uow: sending.send_statement(uow, decode(input.id, "Statement")),
        show,
    )


async def set_statement_status(
    info: Info[Context, Any], input: Annotated[SetStatementStatusInput, INPUT]
) -> CollectionsPayload:
    """Record the customer's answer to a statement (or that it went out)."""
    return await respond(
        info,
        CollectionsPayload,
        lambda uow: statements.set_status(
            uow, decode(input.id, "Statement"), input.status.value, input.note
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
    "send_statement": strawberry.mutation(
        resolver=send_statement,
        extensions=allow(roles.POST_PAYMENTS | WORK),
        description="E-mail a statement with its PDF to the customer's finance contacts, each in "
        "their language, archived as sent (also done for new statements when a mail server is "
        "set); it becomes SENT when the server accepts it."
        + roles_note(roles.POST_PAYMENTS | WORK),
    ),
    "run_statements": strawberry.mutation(
        resolver=run_statements,
        extensions=allow(roles.RUN_PROVISIONS),
        description="Queue a month's statements (idempotent)." + roles_note(roles.RUN_PROVISIONS),
    ),
}
