"""Subscriptions over graphql-transport-ws: warnings as they are raised, resumable by cursor."""

from __future__ import annotations

import base64
from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from domain import roles
from domain.errors import DomainError
from schema import loaders
from schema.context import Context
from schema.permissions import allow, roles_note
from schema.relay import from_global_id
from schema.types.warning import Warning as WarningType
from schema.types.warning import WarningEvent, WarningLevel, WarningSubscriptionFilter
from services.event_hub import SubscriberOverflow
from services.warnings import LEVELS, TOPIC_RAISED

READ = roles.READ_CUSTOMERS


def encode_event_cursor(seq: int) -> str:
    """Opaque resume cursor of an event."""
    return base64.urlsafe_b64encode(f"evt:{seq}".encode()).decode()


def decode_event_cursor(cursor: str) -> int:
    """Inverse of encode_event_cursor; malformed cursors are client errors."""
    try:
        prefix, raw = base64.urlsafe_b64decode(cursor.encode() + b"==").decode().split(":", 1)
        if prefix != "evt":
            raise ValueError(prefix)
        return int(raw)
    except (ValueError, UnicodeDecodeError):
        raise GraphQLError("Malformed cursor", extensions={"code": "BAD_USER_INPUT"}) from None


@strawberry.type(description="Live streams.")
class Subscription:
    @strawberry.subscription(
        description="Warnings as they are raised in your tenant. Pass `after` (the cursor of "
        "the last event you saw) to receive everything raised while you were away, exactly "
        "once, in order." + roles_note(READ),
        extensions=allow(READ),
    )
    async def warning_raised(
        self,
        info: Info[Context, Any],
        filter: Annotated[
            WarningSubscriptionFilter | None,
            strawberry.argument(description="Which warnings to receive."),
        ] = None,
        after: Annotated[str | None, strawberry.argument(description="Resume cursor.")] = None,
    ) -> AsyncGenerator[WarningEvent, None]:
        ctx = info.context
        flt = filter or WarningSubscriptionFilter()
        min_index = LEVELS.index(flt.min_level.value) if flt.min_level else 0
        customer = None
        if flt.customer_id is not None:
            try:
                customer = from_global_id(flt.customer_id, "Customer")[1]
            except DomainError:
                customer = None
            row = (
                await ctx.loader("customers", loaders.customers).load(customer)
                if customer
                else None
            )
            await ctx.close()
            if row is None:
                raise GraphQLError("Customer not found", extensions={"code": "NOT_FOUND"})
        cursor = decode_event_cursor(after) if after else None
        assert ctx.hub is not None, "subscriptions need the event hub"
        try:
            async for event in ctx.hub.subscribe(ctx.tenant_id, (TOPIC_RAISED,), cursor):
                payload = event.payload
                if LEVELS.index(payload["level"]) < min_index:
                    continue
                if customer is not None and payload["customerId"] != str(customer):
                    continue
                view = event.views.get("warning")
                if view is None:
                    view = event.views["warning"] = WarningEvent(
                        cursor=encode_event_cursor(event.seq),
                        warning=WarningType.from_event(payload),
                    )
                yield view
        except SubscriberOverflow:
            raise GraphQLError(
                "Subscriber fell behind; reconnect with your last cursor",
                extensions={"code": "SUBSCRIBER_BEHIND"},
            ) from None


__all__ = ["Subscription", "WarningLevel"]
