"""Webhook endpoints, deliveries and attempts as the API shows them."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from domain import roles
from schema.context import Context
from schema.node import register_node
from schema.relay import Node, to_global_id
from services.integration import webhooks
from services.integration.webhook_delivery import message_id


@strawberry.enum(description="Whether an endpoint receives deliveries.")
class WebhookEndpointStatus(Enum):
    ACTIVE = strawberry.enum_value("ACTIVE", description="Receives deliveries.")
    DISABLED = strawberry.enum_value(
        "DISABLED", description="Receives nothing (by a person, or after repeated failures)."
    )


@strawberry.enum(description="Where a delivery stands.")
class WebhookDeliveryStatus(Enum):
    PENDING = strawberry.enum_value("PENDING", description="Waiting for its first or next try.")
    DELIVERED = strawberry.enum_value("DELIVERED", description="The receiver answered 2xx.")
    FAILED = strawberry.enum_value(
        "FAILED", description="Given up after the last retry (redeliver to try again)."
    )


@strawberry.type(description="An integrator's receiver of signed webhook deliveries.")
class WebhookEndpoint(Node):
    url: str = strawberry.field(description="Where deliveries are POSTed.")
    description: str | None = strawberry.field(description="What it is for.")
    event_types: list[str] = strawberry.field(
        description="Event types it receives (`warning.raised`, `collections.*`, `*`)."
    )
    status: WebhookEndpointStatus = strawberry.field(description="Active or disabled.")
    disable_after: int = strawberry.field(
        description="Consecutive failed deliveries after which it is disabled."
    )
    consecutive_failures: int = strawberry.field(description="Failed deliveries in a row now.")
    created_at: datetime = strawberry.field(description="When it was registered.")
    disabled_at: datetime | None = strawberry.field(description="When it was disabled.")
    disabled_reason: str | None = strawberry.field(description="Why it was disabled.")
    rotating_until: datetime | None = strawberry.field(
        description="Until when the previous secret also signs (after a rotation)."
    )
    version: int = strawberry.field(description="Pass back to update it (optimistic locking).")

    @classmethod
    def of(cls, endpoint: webhooks.Endpoint) -> WebhookEndpoint:
        """From the stored endpoint."""
        return cls(
            id=to_global_id("WebhookEndpoint", endpoint.id),
            url=endpoint.url,
            description=endpoint.description,
            event_types=endpoint.event_types,
            status=WebhookEndpointStatus(endpoint.status),
            disable_after=endpoint.disable_after,
            consecutive_failures=endpoint.consecutive_failures,
            created_at=endpoint.created_at,
            disabled_at=endpoint.disabled_at,
            disabled_reason=endpoint.disabled_reason,
            rotating_until=endpoint.rotating_until,
            version=endpoint.version,
        )


@strawberry.type(description="One try to deliver, as the receiver answered it.")
class WebhookAttempt:
    attempted_at: datetime = strawberry.field(description="When.")
    status_code: int | None = strawberry.field(description="HTTP status, if any answer came.")
    latency_ms: int = strawberry.field(description="How long the receiver took.")
    response_excerpt: str | None = strawberry.field(description="The answer's first 500 chars.")
    error: str | None = strawberry.field(description="Why no answer came, if none did.")


@strawberry.type(description="One event for one endpoint.")
class WebhookDelivery(Node):
    raw_id: strawberry.Private[Any]
    endpoint_id: strawberry.ID = strawberry.field(description="Global id of the endpoint.")
    message_id: str = strawberry.field(
        description="The `webhook-id` header: the same on every retry (deduplicate by it)."
    )
    topic: str = strawberry.field(description="The event type.")
    status: WebhookDeliveryStatus = strawberry.field(description="Pending, delivered or failed.")
    attempts: int = strawberry.field(description="Tries so far.")
    next_attempt_at: datetime = strawberry.field(description="When it is tried next (pending).")
    created_at: datetime = strawberry.field(description="When the event was fanned out.")
    delivered_at: datetime | None = strawberry.field(description="When the receiver took it.")

    @strawberry.field(description="Every attempt, oldest first.")
    async def attempt_log(self, info: Info[Context, Any]) -> list[WebhookAttempt]:
        rows = (await webhooks.attempts_for(info.context.session, [self.raw_id]))[0]
        return [
            WebhookAttempt(
                attempted_at=a.attempted_at,
                status_code=a.status_code,
                latency_ms=a.latency_ms,
                response_excerpt=a.response_excerpt,
                error=a.error,
            )
            for a in rows
        ]

    @classmethod
    def of(cls, delivery: webhooks.Delivery) -> WebhookDelivery:
        """From the stored delivery."""
        return cls(
            id=to_global_id("WebhookDelivery", delivery.id),
            raw_id=delivery.id,
            endpoint_id=to_global_id("WebhookEndpoint", delivery.endpoint_id),
            message_id=message_id(delivery.tenant_id, delivery.event_seq),
            topic=delivery.topic,
            status=WebhookDeliveryStatus(delivery.status),
            attempts=delivery.attempts,
            next_attempt_at=delivery.next_attempt_at,
            created_at=delivery.created_at,
            delivered_at=delivery.delivered_at,
        )


def _endpoints(ctx: Context) -> DataLoader[Any, webhooks.Endpoint | None]:
    async def load(ids: list[Any]) -> list[webhooks.Endpoint | None]:
        return await webhooks.endpoints_by_ids(ctx.session, ids)

    return DataLoader(load_fn=load)


def _deliveries(ctx: Context) -> DataLoader[Any, webhooks.Delivery | None]:
    async def load(ids: list[Any]) -> list[webhooks.Delivery | None]:
        return await webhooks.deliveries_by_ids(ctx.session, ids)

    return DataLoader(load_fn=load)


register_node(
    "WebhookEndpoint",
    "webhook_endpoints",
    _endpoints,
    WebhookEndpoint.of,
    readers=roles.MANAGE_INTEGRATIONS,
)
register_node(
    "WebhookDelivery",
    "webhook_deliveries",
    _deliveries,
    WebhookDelivery.of,
    readers=roles.MANAGE_INTEGRATIONS,
)
