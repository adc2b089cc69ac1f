"""Webhook endpoints: registered per tenant with the event types they want and a signing secret
(shown once), rotated with the old secret still signing for a day, disabled and re-enabled."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.integration_tables import webhook_attempts, webhook_deliveries, webhook_endpoints
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.events import unknown_event_types
from domain.webhooks import (
    DESCRIPTION_MAX,
    DISABLE_AFTER_DEFAULT,
    DISABLE_AFTER_RANGE,
    SECRET_BYTES,
    check_url,
    new_secret,
)
from services.read_session import ReadSession, select_dicts
from services.uow import UnitOfWork

ROTATION_OVERLAP = timedelta(hours=24)  #: the old secret keeps signing this long after rotation
PAGE_LIMIT = 100


@dataclass(frozen=True)
class UrlPolicy:
    """What the deployment allows: https only in production; loopback only in tests."""

    https_only: bool
    allow_private: bool


@dataclass(frozen=True)
class Endpoint:
    """A registered receiver."""

    id: UUID
    url: str
    description: str | None
    event_types: list[str]
    status: str
    disable_after: int
    consecutive_failures: int
    created_at: datetime
    disabled_at: datetime | None
    disabled_reason: str | None
    rotating_until: datetime | None
    version: int


@dataclass(frozen=True)
class Delivery:
    """One event for one endpoint, and where it stands."""

    tenant_id: UUID
    id: UUID
    endpoint_id: UUID
    event_seq: int
    topic: str
    status: str
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    delivered_at: datetime | None


@dataclass(frozen=True)
class Attempt:
    """One try to deliver, as the receiver answered it."""

    id: UUID
    delivery_id: UUID
    attempted_at: datetime
    status_code: int | None
    latency_ms: int
    response_excerpt: str | None
    error: str | None


def _checked(
    url: str | None,
    event_types: list[str] | None,
    description: str | None,
    disable_after: int | None,
    policy: UrlPolicy,
) -> None:
    errors: list[DomainError] = []
    if url is not None:
        try:
            check_url(url, https_only=policy.https_only, allow_private=policy.allow_private)
        except DomainError as exc:
            errors.append(exc)
    if event_types is not None:
        if not event_types or len(event_types) > 50:
            errors.append(DomainError("REQUIRED", "1 to 50 event types", "eventTypes"))
        for n, bad in enumerate(unknown_event_types(event_types)):
            errors.append(
                DomainError("UNKNOWN_EVENT_TYPE", f"no event type {bad!r}", f"eventTypes.{n}")
            )
    if description is not None and len(description) > DESCRIPTION_MAX:
        errors.append(
            DomainError("TOO_LONG", f"at most {DESCRIPTION_MAX} characters", "description")
        )
    low, high = DISABLE_AFTER_RANGE
    if disable_after is not None and not low <= disable_after <= high:
        errors.append(
            DomainError("INVALID_INPUT", f"between {low} and {high} failures", "disableAfter")
        )
    if errors:
        raise ValidationFailed(errors)


async def create_endpoint(
    uow: UnitOfWork,
    url: str,
    event_types: list[str],
    description: str | None,
    disable_after: int | None,
    policy: UrlPolicy,
) -> tuple[Endpoint, str]:
    """Register an endpoint; returns it and its signing secret (the only time it is shown)."""
    _checked(url, event_types, description, disable_after, policy)
    secret = new_secret(secrets.token_bytes(SECRET_BYTES))
    row = (
        await uow.conn.execute(
            webhook_endpoints.insert()
            .values(
                tenant_id=uow.tenant_id,
                url=url.strip(),
                description=description,
                event_types=sorted(set(event_types)),
                disable_after=disable_after or DISABLE_AFTER_DEFAULT,
                secret=secret,
                created_by=uow.actor.subject,
            )
            .returning(webhook_endpoints)
        )
    ).one()
    return _endpoint(dict(row._mapping)), secret


async def update_endpoint(
    uow: UnitOfWork,
    endpoint_id: UUID,
    version: int,
    changes: dict[str, Any],
    policy: UrlPolicy,
) -> Endpoint:
    """Change url, event types, description, failure threshold or status (version-checked).

    Re-enabling clears the failure count, so deliveries resume with the next attempt.
    """
    _checked(
        changes.get("url"),
        changes.get("event_types"),
        changes.get("description"),
        changes.get("disable_after"),
        policy,
    )
    values = dict(changes)
    if "event_types" in values:
        values["event_types"] = sorted(set(values["event_types"]))
    if values.get("status") == "ACTIVE":
        values.update(consecutive_failures=0, disabled_at=None, disabled_reason=None)
    elif values.get("status") == "DISABLED":
        values.update(disabled_at=sa.func.now(), disabled_reason="disabled by " + uow.actor.subject)
    row = (
        await uow.conn.execute(
            webhook_endpoints.update()
            .where(webhook_endpoints.c.id == endpoint_id, webhook_endpoints.c.version == version)
            .values(**values, version=webhook_endpoints.c.version + 1)
            .returning(webhook_endpoints)
        )
    ).first()
    if row is None:
        await _existing(uow, endpoint_id)
        raise DomainError("STALE_VERSION", "the endpoint changed since you read it", "version")
    return _endpoint(dict(row._mapping))


async def rotate_secret(uow: UnitOfWork, endpoint_id: UUID) -> tuple[Endpoint, str]:
    """A new signing secret; the old one keeps signing for a day, so receivers can switch."""
    await _existing(uow, endpoint_id)
    secret = new_secret(secrets.token_bytes(SECRET_BYTES))
    row = (
        await uow.conn.execute(
            webhook_endpoints.update()
            .where(webhook_endpoints.c.id == endpoint_id)
            .values(
                previous_secret=webhook_endpoints.c.secret,
                previous_secret_until=sa.func.now() + ROTATION_OVERLAP,
                secret=secret,
                version=webhook_endpoints.c.version + 1,
            )
            .returning(webhook_endpoints)
        )
    ).one()
    return _endpoint(dict(row._mapping)), secret


async def redeliver(uow: UnitOfWork, delivery_id: UUID) -> Delivery:
    """Send a delivery again now, whatever became of it (a receiver fixed its bug)."""
    row = (
        await uow.conn.execute(
            webhook_deliveries.update()
            .where(webhook_deliveries.c.id == delivery_id)
            .values(status="PENDING", next_attempt_at=sa.func.now())
            .returning(webhook_deliveries)
        )
    ).first()
    if row is None:
        raise NotFound("id", "delivery")
    return _delivery(dict(row._mapping))


async def endpoints(session: ReadSession) -> list[Endpoint]:
    """The tenant's endpoints, oldest first."""
    query = sa.select(webhook_endpoints).order_by(webhook_endpoints.c.created_at)
    return [_endpoint(r) for r in await select_dicts(session, query)]


async def deliveries(
    session: ReadSession, endpoint_id: UUID | None, status: str | None, first: int
) -> list[Delivery]:
    """Deliveries, newest first, optionally of one endpoint and status."""
    query = sa.select(webhook_deliveries).order_by(
        webhook_deliveries.c.created_at.desc(), webhook_deliveries.c.event_seq.desc()
    )
    if endpoint_id is not None:
        query = query.where(webhook_deliveries.c.endpoint_id == endpoint_id)
    if status is not None:
        query = query.where(webhook_deliveries.c.status == status)
    return [_delivery(r) for r in await select_dicts(session, query.limit(min(first, PAGE_LIMIT)))]


async def endpoints_by_ids(session: ReadSession, ids: list[UUID]) -> list[Endpoint | None]:
    """Endpoints in the order asked; None where the tenant has none of that id."""
    query = sa.select(webhook_endpoints).where(webhook_endpoints.c.id.in_(ids))
    found = {r["id"]: _endpoint(r) for r in await select_dicts(session, query)}
    return [found.get(i) for i in ids]


async def deliveries_by_ids(session: ReadSession, ids: list[UUID]) -> list[Delivery | None]:
    """Deliveries in the order asked; None where the tenant has none of that id."""
    query = sa.select(webhook_deliveries).where(webhook_deliveries.c.id.in_(ids))
    found = {r["id"]: _delivery(r) for r in await select_dicts(session, query)}
    return [found.get(i) for i in ids]


async def attempts_for(session: ReadSession, delivery_ids: list[UUID]) -> list[list[Attempt]]:
    """Every attempt of each delivery, oldest first, in the order asked."""
    query = (
        sa.select(webhook_attempts)
        .where(webhook_attempts.c.delivery_id.in_(delivery_ids))
        .order_by(webhook_attempts.c.attempted_at)
    )
    grouped: dict[UUID, list[Attempt]] = {i: [] for i in delivery_ids}
    for row in await select_dicts(session, query):
        grouped[row["delivery_id"]].append(_attempt(row))
    return [grouped[i] for i in delivery_ids]


async def _existing(uow: UnitOfWork, endpoint_id: UUID) -> None:
    found = await uow.conn.scalar(
        sa.select(webhook_endpoints.c.id).where(webhook_endpoints.c.id == endpoint_id)
    )
    if found is None:
        raise NotFound("id", "webhook endpoint")


def _endpoint(row: dict[str, Any]) -> Endpoint:
    return Endpoint(
        id=row["id"],
        url=row["url"],
        description=row["description"],
        event_types=list(row["event_types"]),
        status=row["status"],
        disable_after=row["disable_after"],
        consecutive_failures=row["consecutive_failures"],
        created_at=row["created_at"],
        disabled_at=row["disabled_at"],
        disabled_reason=row["disabled_reason"],
        rotating_until=row["previous_secret_until"],
        version=row["version"],
    )


def _delivery(row: dict[str, Any]) -> Delivery:
    return Delivery(
        tenant_id=row["tenant_id"],
        id=row["id"],
        endpoint_id=row["endpoint_id"],
        event_seq=row["event_seq"],
        topic=row["topic"],
        status=row["status"],
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        created_at=row["created_at"],
        delivered_at=row["delivered_at"],
    )


def _attempt(row: dict[str, Any]) -> Attempt:
    return Attempt(
        id=row["id"],
        delivery_id=row["delivery_id"],
        attempted_at=row["attempted_at"],
        status_code=row["status_code"],
        latency_ms=row["latency_ms"],
        response_excerpt=row["response_excerpt"],
        error=row["error"],
    )
