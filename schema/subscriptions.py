"""Subscriptions over graphql-transport-ws: warnings and receivables events, resumable by cursor."""

from __future__ import annotations

import base64
from collections.abc import AsyncGenerator
from typing import Annotated, Any
from uuid import UUID

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from domain import roles, texts
from infra.event_hub import SubscriberOverflow
from schema.collections.events import (
    ALL_TOPICS,
    ReceivablesEvent,
    ReceivablesEventFilter,
    ReceivablesTopic,
)
from schema.context import Context
from schema.customers import loaders
from schema.errors import masked
from schema.input_rules import text_arg
from schema.permissions import allow, roles_note
from schema.relay import from_global_id
from schema.warnings.types import Warning as WarningType
from schema.warnings.types import WarningEvent, WarningLevel, WarningSubscriptionFilter
from services.warnings.signals import LEVELS, TOPIC_RAISED

READ = roles.READ_CUSTOMERS
READ_RECEIVABLES = roles.READ_RECEIVABLES


def encode_event_cursor(seq: int) -> str:
    """Opaque resume cursor of an event."""
    return base64.urlsafe_b64encode(f"evt:{seq}".encode()).decode()


MAX_EVENT_SEQ = 2**63 - 1  #: events are numbered in a BIGINT


def decode_event_cursor(cursor: str) -> int:
    """Inverse of encode_event_cursor; malformed cursors are client errors (checked here,
    before any SQL sees them)."""
    try:
        if len(cursor) > 64:
            raise ValueError("too long")
        prefix, raw = base64.urlsafe_b64decode(cursor.encode() + b"==").decode().split(":", 1)
        if prefix != "evt" or not raw.isascii() or not raw.isdigit():
            raise ValueError(prefix)
        seq = int(raw)
        if seq > MAX_EVENT_SEQ:
            raise ValueError(raw)
        return seq
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
        after: Annotated[str | None, text_arg("Resume cursor.", texts.CURSOR)] = None,
    ) -> AsyncGenerator[WarningEvent, None]:
        async for item in masked(_warnings(info.context, filter, after)):
            yield item
            await _between_events(info.context)

    @strawberry.subscription(
        description="Collections and cash events (reminder due, stage changed, promise "
        "broken, plan defaulted, case closed, payment received, write-off posted) from the "
        "same outbox as warnings; resumable with `after`, exactly once, in order."
        + roles_note(READ_RECEIVABLES),
        extensions=allow(READ_RECEIVABLES),
    )
    async def receivables_events(
        self,
        info: Info[Context, Any],
        filter: Annotated[
            ReceivablesEventFilter | None,
            strawberry.argument(description="Which events to receive."),
        ] = None,
        after: Annotated[str | None, text_arg("Resume cursor.", texts.CURSOR)] = None,
    ) -> AsyncGenerator[ReceivablesEvent, None]:
        async for item in masked(_receivables(info.context, filter, after)):
            yield item
            await _between_events(info.context)


async def _between_events(ctx: Context) -> None:
    """An event has been resolved and sent: give back the connection its fields read on
    (a customer's, through the loaders) before waiting for the next, which may be hours
    away; the next event reads afresh."""
    await ctx.close()


async def _warnings(
    ctx: Context, filter: WarningSubscriptionFilter | None, after: str | None
) -> AsyncGenerator[WarningEvent, None]:
    flt = filter or WarningSubscriptionFilter()
    min_index = LEVELS.index(flt.min_level.value) if flt.min_level else 0
    cursor = decode_event_cursor(after) if after else None
    customer = await _customer_filter(ctx, flt.customer_id)
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
        raise _behind() from None


async def _receivables(
    ctx: Context, filter: ReceivablesEventFilter | None, after: str | None
) -> AsyncGenerator[ReceivablesEvent, None]:
    flt = filter or ReceivablesEventFilter()
    topics = tuple(t.value for t in flt.topics) if flt.topics else ALL_TOPICS
    cursor = decode_event_cursor(after) if after else None
    customer = await _customer_filter(ctx, flt.customer_id)
    assert ctx.hub is not None, "subscriptions need the event hub"
    try:
        async for event in ctx.hub.subscribe(ctx.tenant_id, topics, cursor):
            raw = event.payload.get("customerId")
            if customer is not None and raw != str(customer):
                continue
            yield ReceivablesEvent(
                cursor=encode_event_cursor(event.seq),
                topic=ReceivablesTopic(event.topic),
                occurred_at=event.created_at,
                details=event.payload,
                customer_id=UUID(raw) if raw else None,
            )
    except SubscriberOverflow:
        raise _behind() from None


def _behind() -> GraphQLError:
    return GraphQLError(
        "Subscriber fell behind; reconnect with your last cursor",
        extensions={"code": "SUBSCRIBER_BEHIND"},
    )


async def _customer_filter(ctx: Context, global_id: str | None) -> UUID | None:
    """The filter's customer, checked in the caller's tenant (another tenant's is NOT_FOUND)."""
    if global_id is None:
        return None
    customer: UUID | None = from_global_id(global_id, "Customer")[1]
    row = await ctx.loader("customers", loaders.customers).load(customer) if customer else None
    await ctx.close()
    if row is None:
        raise GraphQLError("Customer not found", extensions={"code": "NOT_FOUND"})
    return customer


__all__ = ["Subscription", "WarningLevel"]
