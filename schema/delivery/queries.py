"""Reads: the mail server (without its password) and what was sent to a customer."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles
from schema.collections.queries import customer_filter_id
from schema.context import Context
from schema.delivery.types import SentDocument, SmtpSettings
from schema.permissions import allow, roles_note
from services.delivery import archive, settings

CONFIGURE = roles.CONFIGURE_TENANT
READ = roles.READ_SENT_DOCUMENTS


@strawberry.type(description="Delivery reads.")
class DeliveryQuery:
    @strawberry.field(
        description="Your outgoing mail server; null until configured." + roles_note(CONFIGURE),
        extensions=allow(CONFIGURE),
    )
    async def smtp_settings(self, info: Info[Context, Any]) -> SmtpSettings | None:
        found = await settings.shown(info.context.session)
        return SmtpSettings.of(found) if found is not None else None

    @strawberry.field(
        description="Every document sent to a customer, newest first, as archived (letters, "
        "statements, pre-due notices)." + roles_note(READ),
        extensions=allow(READ),
    )
    async def sent_documents(
        self,
        info: Info[Context, Any],
        customer_id: Annotated[
            strawberry.ID, strawberry.argument(description="Global id of the customer.")
        ],
    ) -> list[SentDocument] | None:
        raw = customer_filter_id(customer_id)
        found = await archive.for_customer(info.context.session, raw)
        return [SentDocument.of(d) for d in found]
