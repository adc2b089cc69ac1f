"""Webhook mutations: register an endpoint, change or disable it, rotate its secret, redeliver."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles, texts
from schema.context import Context
from schema.input_rules import text
from schema.integration.errors import INTEGRATION
from schema.integration.webhook_types import (
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEndpointStatus,
)
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from services.integration import webhooks
from services.uow import UnitOfWork

WRITE = roles.MANAGE_INTEGRATIONS


def url_policy(info: Info[Context, Any]) -> webhooks.UrlPolicy:
    """https only in production; loopback only where the test setting allows it."""
    settings = info.context.runtime.settings
    return webhooks.UrlPolicy(
        https_only=settings.is_production, allow_private=settings.webhooks_allow_private
    )


@strawberry.input(description="A new webhook endpoint.")
class CreateWebhookEndpointInput:
    url: str = text("https URL that is not private or local.", texts.URL)
    event_types: list[str] = text(
        "Event types to receive (1 to 50): `warning.raised`, `collections.*`, `*` ... Each",
        texts.SHORT,
    )
    description: str | None = text("What it is for.", texts.DESCRIPTION, default=None)
    disable_after: int | None = strawberry.field(
        default=None, description="Consecutive failures before it is disabled (default 20)."
    )


@strawberry.input(description="Change an endpoint; omitted fields stay as they are.")
class UpdateWebhookEndpointInput:
    id: strawberry.ID = strawberry.field(description="Global id of the endpoint.")
    version: int = strawberry.field(description="The version you read.")
    url: str | None = text("New URL.", texts.URL, default=None)
    event_types: list[str] | None = text("New types (1 to 50). Each", texts.SHORT, default=None)
    description: str | None = text("New description.", texts.DESCRIPTION, default=None)
    disable_after: int | None = strawberry.field(default=None, description="New threshold.")
    status: WebhookEndpointStatus | None = strawberry.field(
        default=None, description="ACTIVE re-enables it (and resets its failures)."
    )


@strawberry.input(description="An endpoint by id.")
class WebhookEndpointIdInput:
    id: strawberry.ID = strawberry.field(description="Global id of the endpoint.")


@strawberry.input(description="A delivery by id.")
class RedeliverWebhookInput:
    id: strawberry.ID = strawberry.field(description="Global id of the delivery.")


@strawberry.type(description="Result of a webhook endpoint mutation.")
class WebhookEndpointPayload(INTEGRATION.payload):
    endpoint: WebhookEndpoint | None = strawberry.field(default=None, description="The endpoint.")
    secret: str | None = strawberry.field(
        default=None,
        description="The signing secret (`whsec_...`): shown only when created or rotated.",
    )


@strawberry.type(description="Result of redeliverWebhook.")
class RedeliverWebhookPayload(INTEGRATION.payload):
    delivery: WebhookDelivery | None = strawberry.field(default=None, description="It, queued.")


async def _with_secret(result: tuple[webhooks.Endpoint, str]) -> dict[str, Any]:
    return {"endpoint": WebhookEndpoint.of(result[0]), "secret": result[1]}


async def create_webhook_endpoint(
    info: Info[Context, Any], input: Annotated[CreateWebhookEndpointInput, INPUT]
) -> WebhookEndpointPayload:
    policy = url_policy(info)

    async def work(uow: UnitOfWork) -> tuple[webhooks.Endpoint, str]:
        return await webhooks.create_endpoint(
            uow, input.url, input.event_types, input.description, input.disable_after, policy
        )

    return await respond(info, WebhookEndpointPayload, work, _with_secret)


async def update_webhook_endpoint(
    info: Info[Context, Any], input: Annotated[UpdateWebhookEndpointInput, INPUT]
) -> WebhookEndpointPayload:
    policy = url_policy(info)
    changes: dict[str, Any] = {
        key: value
        for key, value in (
            ("url", input.url),
            ("event_types", input.event_types),
            ("description", input.description),
            ("disable_after", input.disable_after),
            ("status", input.status.value if input.status else None),
        )
        if value is not None
    }

    async def work(uow: UnitOfWork) -> webhooks.Endpoint:
        endpoint_id = decode(input.id, "WebhookEndpoint")
        return await webhooks.update_endpoint(uow, endpoint_id, input.version, changes, policy)

    async def show(endpoint: webhooks.Endpoint) -> dict[str, Any]:
        return {"endpoint": WebhookEndpoint.of(endpoint)}

    return await respond(info, WebhookEndpointPayload, work, show)


async def rotate_webhook_secret(
    info: Info[Context, Any], input: Annotated[WebhookEndpointIdInput, INPUT]
) -> WebhookEndpointPayload:
    async def work(uow: UnitOfWork) -> tuple[webhooks.Endpoint, str]:
        return await webhooks.rotate_secret(uow, decode(input.id, "WebhookEndpoint"))

    return await respond(info, WebhookEndpointPayload, work, _with_secret)


async def redeliver_webhook(
    info: Info[Context, Any], input: Annotated[RedeliverWebhookInput, INPUT]
) -> RedeliverWebhookPayload:
    async def work(uow: UnitOfWork) -> webhooks.Delivery:
        return await webhooks.redeliver(uow, decode(input.id, "WebhookDelivery"))

    async def show(delivery: webhooks.Delivery) -> dict[str, Any]:
        return {"delivery": WebhookDelivery.of(delivery)}

    return await respond(info, RedeliverWebhookPayload, work, show)


def _field(resolver: Any, text: str) -> Any:
    return strawberry.mutation(
        resolver=resolver, extensions=allow(WRITE), description=text + roles_note(WRITE)
    )


FIELDS = {
    "create_webhook_endpoint": _field(
        create_webhook_endpoint,
        "Register a webhook endpoint; deliveries are signed (Standard Webhooks) with the "
        "secret returned once.",
    ),
    "update_webhook_endpoint": _field(
        update_webhook_endpoint, "Change, disable or re-enable an endpoint (version-checked)."
    ),
    "rotate_webhook_secret": _field(
        rotate_webhook_secret,
        "A new signing secret; the previous one also signs for 24 hours.",
    ),
    "redeliver_webhook": _field(redeliver_webhook, "Send a delivery again now."),
}
