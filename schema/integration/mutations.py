"""registerTrustedDocument: store an operation by its hash, after checking it against the schema."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from graphql import GraphQLError, parse, validate
from strawberry.types import Info

from domain import roles, texts
from domain.errors import DomainError
from schema.context import Context
from schema.engine.compat import graphql_schema
from schema.engine.compiled import analyse, switched_on
from schema.input_rules import text
from schema.integration.errors import INTEGRATION
from schema.integration.types import TrustedDocument
from schema.mutation import INPUT, respond
from schema.permissions import allow, roles_note
from services.integration import trusted_documents
from services.uow import UnitOfWork

WRITE = roles.MANAGE_INTEGRATIONS


@strawberry.input(description="An operation document to register.")
class RegisterTrustedDocumentInput:
    document: str = text("The operation text.", texts.DOCUMENT)
    name: str = text("What it is for, e.g. `MobileWarningsList`.", texts.NAME)


@strawberry.type(description="Result of registerTrustedDocument.")
class RegisterTrustedDocumentPayload(INTEGRATION.payload):
    document: TrustedDocument | None = strawberry.field(
        default=None, description="The registered document and its id."
    )
    replayed: bool = strawberry.field(
        default=False, description="True when the same text was registered before."
    )


def schema_errors(info: Info[Context, Any], body: str) -> list[GraphQLError]:
    """Parse and validate the document against the running schema (public graphql-core)."""
    try:
        document = parse(body)
    except GraphQLError as exc:
        return [exc]
    return list(validate(info.schema._schema, document))


async def register_trusted_document(
    info: Info[Context, Any], input: Annotated[RegisterTrustedDocumentInput, INPUT]
) -> RegisterTrustedDocumentPayload:
    async def work(uow: UnitOfWork) -> tuple[Any, bool]:
        trusted_documents.check(input.document, input.name)
        problems = schema_errors(info, input.document)
        if problems:
            raise DomainError("INVALID_DOCUMENT", problems[0].message, "document")
        return await trusted_documents.register(uow, input.document, input.name)

    async def show(result: tuple[Any, bool]) -> dict[str, Any]:
        record, replayed = result
        if switched_on(info.schema):
            analyse(graphql_schema(info.schema), record.id, record.body)  # logs the decision
        return {"document": TrustedDocument.of(record), "replayed": replayed}

    return await respond(info, RegisterTrustedDocumentPayload, work, show)


FIELDS = {
    "register_trusted_document": strawberry.mutation(
        resolver=register_trusted_document,
        extensions=allow(WRITE),
        description="Register an operation document by its SHA-256 (idempotent); clients then "
        "send only the hash, and with TRUSTED_DOCUMENTS_ONLY the API runs nothing else."
        + roles_note(WRITE),
    ),
}
