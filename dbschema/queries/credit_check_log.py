"""A credit check's writes as driver statements: its log entry, its event, its reservation.

A check runs at order rate, and SQLAlchemy's statement building, cache keys and compilation
cost more CPU than PostgreSQL spends on these statements; so they are written here once, as
SQL, in every shape a check needs, and sent on the driver in the check's own transaction.
Each shape is one statement: the parts run as data-modifying CTEs (PostgreSQL runs each
exactly once and checks foreign keys at the statement's end).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any
from uuid import UUID

from asyncpg.exceptions import UniqueViolationError
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.engine import fetchrow_native, native_sql
from dbschema.queries.json_text import json_text

_DECISION = """INSERT INTO credit_decisions (tenant_id, id, kind, subject_id, customer_id,
        snapshot, outcome, versions, decided_by, request_id)
    VALUES (:tenant, :decision, 'CREDIT_CHECK', :customer, :customer,
            CAST(:snapshot AS jsonb), CAST(:outcome AS jsonb), CAST(:versions AS jsonb),
            :decided_by, :request_id)"""
#: Numbered at commit (migration 0025): the tenant's event lock is not held while the API
#: process answers and sends the COMMIT.
_EVENT = """INSERT INTO events_pending (tenant_id, topic, payload)
    VALUES (:tenant, :topic, CAST(:payload AS jsonb))"""
#: The customer's live reservation of the order ends (EXPIRED when its time had passed
#: anyway); another customer's is never ended, only marked EXPIRED once its own time passed
#: (it holds nothing then, and the live hold of a reference is unique).
_RELEASE = """UPDATE credit_reservations
       SET status = CASE WHEN expires_at <= now() THEN 'EXPIRED' ELSE 'RELEASED' END,
           closed_at = now()
     WHERE tenant_id = :tenant AND status = 'ACTIVE' AND order_ref = :ref
       AND (customer_id = :customer OR expires_at <= now())
    RETURNING id"""
#: The index that keeps one live hold per reference (dbschema.credit_limit_tables).
_ONE_LIVE_HOLD = "uq_credit_reservations_active_ref"
#: The new hold reads the release's result, so the replaced reservation closes first (the
#: live one of an order is unique).
_HOLD = """INSERT INTO credit_reservations (tenant_id, id, customer_id, order_ref, currency,
        amount_minor, expires_at, decision_id, created_by)
    SELECT :tenant, :reservation, :customer, CAST(:ref AS text), CAST(:currency AS char(3)),
           CAST(:amount AS bigint), now() + make_interval(secs => CAST(:ttl AS integer)),
           :decision, CAST(:decided_by AS text)
     WHERE (SELECT count(*) FROM released) >= 0
    RETURNING id, customer_id, order_ref, currency, amount_minor, status, expires_at,
              created_at, decision_id, order_id"""


def _shape(release: bool, hold: bool, event: bool) -> tuple[str, tuple[str, ...]]:
    ctes = []
    if release:
        ctes.append(f"released AS ({_RELEASE})")
    if hold:
        ctes.append(f"decision AS ({_DECISION})")
    if event:
        ctes.append(f"event AS ({_EVENT})")
    main = _HOLD if hold else _DECISION
    return native_sql((f"WITH {', '.join(ctes)}\n" if ctes else "") + main)


#: (release the order's hold, take a new one, publish) -> the statement and its names
_SHAPES = {
    (release, hold, event): _shape(release, hold, event)
    for release in (False, True)
    for hold in (False, True)
    for event in (False, True)
    if release or not hold  # a new hold always replaces the order's old one
}


class ReferenceHeld(Exception):
    """Another customer's hold of the reference committed while the check ran (its read saw
    none): the new hold cannot be taken, and the check's transaction is spoilt."""


@dataclass(frozen=True)
class CheckLog:
    """What one check writes: its decision, maybe an event, maybe a hold for its order."""

    tenant_id: UUID
    decision_id: UUID
    customer_id: UUID
    snapshot: dict[str, Any]
    outcome: dict[str, Any]
    versions: dict[str, Any]
    decided_by: str
    request_id: str | None
    event: tuple[str, dict[str, Any]] | None = None  #: topic and payload
    order_ref: str | None = None  #: the order whose live reservation this check replaces
    hold: tuple[str, int, int] | None = None  #: currency, minor units, ttl seconds
    #: the new reservation's id (time-ordered, as the decision's: rows written at order rate
    #: then land side by side in their indexes instead of on a random page each)
    reservation_id: UUID | None = None


async def write_check(conn: AsyncConnection, log: CheckLog) -> Any:
    """Write the check in one statement; the new reservation's row when one was taken (its
    fields as attributes), else None; ReferenceHeld when another customer's live hold of the
    reference came first."""
    statement, names = _SHAPES[log.order_ref is not None, log.hold is not None, bool(log.event)]
    values: dict[str, Any] = {
        "tenant": log.tenant_id,
        "decision": log.decision_id,
        "customer": log.customer_id,
        "snapshot": json_text(log.snapshot),
        "outcome": json_text(log.outcome),
        "versions": json_text(log.versions),
        "decided_by": log.decided_by,
        "request_id": log.request_id,
        "ref": log.order_ref,
    }
    if log.event is not None:
        values["topic"], payload = log.event
        values["payload"] = json_text(payload)
    if log.hold is not None:
        values["currency"], values["amount"], values["ttl"] = log.hold
        values["reservation"] = log.reservation_id
    try:
        row = await fetchrow_native(conn, statement, *(values[name] for name in names))
    except UniqueViolationError as exc:
        if exc.constraint_name == _ONE_LIVE_HOLD:
            raise ReferenceHeld(log.order_ref) from None
        raise
    return SimpleNamespace(**dict(row)) if log.hold is not None and row is not None else None
