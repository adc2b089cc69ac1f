"""Trusted documents as the API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from schema.context import Context
from schema.engine.compat import graphql_schema
from schema.engine.compiled import analyse, switched_on
from services.integration.trusted_documents import TrustedDocument as Record


@strawberry.type(description="An operation document registered by its hash (a persisted query).")
class TrustedDocument:
    id: str = strawberry.field(
        description="`sha256:` and the hex SHA-256 of the document's UTF-8 text: send it as "
        "`extensions.persistedQuery.sha256Hash` (without the prefix) or `documentId`."
    )
    name: str = strawberry.field(description="What the document is for (for people).")
    document: str = strawberry.field(description="The operation text, exactly as registered.")
    created_by: str = strawberry.field(description="Who registered it.")
    created_at: datetime = strawberry.field(description="When it was registered.")

    @strawberry.field(
        description="True when a request sending this document's hash is answered by one SQL "
        "statement that builds the response (compiled when registered); false when it runs "
        "the standard way (a field or directive the compiler does not handle, or "
        "COMPILED_DOCUMENTS off). Both ways give the same response."
    )
    def compiled(self, info: Info[Context, Any]) -> bool:
        if not switched_on(info.schema):
            return False
        return analyse(graphql_schema(info.schema), self.id, self.document)

    @classmethod
    def of(cls, record: Record) -> TrustedDocument:
        """From the stored document."""
        return cls(
            id=record.id,
            name=record.name,
            document=record.body,
            created_by=record.created_by,
            created_at=record.created_at,
        )
