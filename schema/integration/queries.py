"""Read entry point for the tenant's trusted documents."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles
from schema.context import Context
from schema.integration.types import TrustedDocument
from schema.integration.webhook_types import (
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookEndpoint,
)
from schema.permissions import allow, roles_note
from schema.relay import from_global_id
from services.integration import trusted_documents, webhooks

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

    @strawberry.field(
        description="The tenant's webhook endpoints, oldest first." + roles_note(READ),
        extensions=allow(READ),
    )
    async def webhook_endpoints(self, info: Info[Context, Any]) -> list[WebhookEndpoint]:
        return [WebhookEndpoint.of(e) for e in await webhooks.endpoints(info.context.session)]

    @strawberry.field(
        description="Webhook deliveries, newest first (at most 100): the delivery log."
        + roles_note(READ),
        extensions=allow(READ),
    )
    async def webhook_deliveries(
        self,
        info: Info[Context, Any],
        endpoint_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="One endpoint's.")
        ] = None,
        status: Annotated[
            WebhookDeliveryStatus | None, strawberry.argument(description="Only these.")
        ] = None,
        first: Annotated[int, strawberry.argument(description="How many, 1-100.")] = 20,
    ) -> list[WebhookDelivery]:
        endpoint = None
        if endpoint_id is not None:
            endpoint = from_global_id(endpoint_id, "WebhookEndpoint", "endpointId")[1]
        found = await webhooks.deliveries(
            info.context.session,
            endpoint,
            status.value if status else None,
            max(1, min(first, 100)),
        )
        return [WebhookDelivery.of(d) for d in found]
