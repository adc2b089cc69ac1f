"""Read entry point for the tenant's trusted documents."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from domain import roles
from schema.context import Context
from schema.integration.types import TrustedDocument
from schema.permissions import allow, roles_note
from services.integration import trusted_documents

READ = roles.MANAGE_INTEGRATIONS


@strawberry.type(description="Integration reads.")
class IntegrationQuery:
    @strawberry.field(
        description="Registered operation documents, newest first (at most 500)."
        + roles_note(READ),
        extensions=allow(READ),
    )
    async def trusted_documents(self, info: Info[Context, Any]) -> list[TrustedDocument]:
        records = await trusted_documents.listing(info.context.session)
        return [TrustedDocument.of(r) for r in records]
