"""Trusted documents as the API shows them."""

from __future__ import annotations

from datetime import datetime

import strawberry

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
