"""The decision log: every credit check, limit, expiry and class decision with its complete
input snapshot and the policy versions used; a replay recomputes one from its snapshot.

What an auditor or a court asks for: what did you know, which rules did you apply, and does
applying them again give the same answer. Rows are append-only.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.credit_limit_tables import credit_decisions
from dbschema.queries.credit_exposure import event_insert
from domain.credit.check import CheckInput, decide
from domain.credit.limit_decision import decide_limit
from domain.credit.limits import expiry_outcome
from domain.credit.replay import Difference, differences
from domain.errors import DomainError, NotFound
from services.credit.topics import TOPIC_DECISION
from services.credit.trail import newest_first
from services.paging import Seek
from services.read_session import ReadSession, by_ids
from services.uow import UnitOfWork

KINDS = ("CREDIT_CHECK", "LIMIT", "LIMIT_EXPIRY", "CLASS", "APPLICATION", "REVIEW")


def _replay_check(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    return decide(CheckInput.from_json(snapshot)).to_json()


#: Pure recomputations by kind: snapshot in, outcome out. Part A registers CLASS here.
REPLAYERS: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
    "CREDIT_CHECK": _replay_check,
    "LIMIT": decide_limit,
    "LIMIT_EXPIRY": expiry_outcome,
}


def register_replayer(kind: str, replay: Callable[[Mapping[str, Any]], dict[str, Any]]) -> None:
    """Let another module recompute its kind of decision (the class decisions of scoring)."""
    if kind not in KINDS:
        raise ValueError(f"unknown decision kind {kind!r}")
    REPLAYERS[kind] = replay


def decision_writes(
    uow: UnitOfWork,
    kind: str,
    subject_id: UUID,
    snapshot: Mapping[str, Any],
    outcome: Mapping[str, Any],
    versions: Mapping[str, Any],
    *,
    customer_id: UUID | None = None,
    publish: bool = True,
) -> tuple[UUID, list[Any]]:
    """The statements that log a decision (and publish it): a caller may run them along
    with a write of its own, in one round trip (see ride_along)."""
    if kind not in KINDS:
        raise ValueError(f"unknown decision kind {kind!r}")
    decision_id = uuid.uuid4()  # known before the insert, so its event can carry it
    writes: list[Any] = [
        credit_decisions.insert().values(
            tenant_id=uow.tenant_id,
            id=decision_id,
            kind=kind,
            subject_id=subject_id,
            customer_id=customer_id,
            snapshot=dict(snapshot),
            outcome=dict(outcome),
            versions=dict(versions),
            decided_by=uow.actor.subject,
            request_id=uow.actor.request_id,
        )
    ]
    if publish:
        payload = decision_event(decision_id, kind, subject_id, customer_id, outcome)
        writes.append(event_insert(uow.tenant_id, TOPIC_DECISION, payload))
    return decision_id, writes


def decision_event(
    decision_id: UUID,
    kind: str,
    subject_id: UUID,
    customer_id: UUID | None,
    outcome: Mapping[str, Any],
) -> dict[str, Any]:
    """The payload of `credit.decision_recorded`: which decision, about what, and its answer."""
    return {
        "decisionId": str(decision_id),
        "kind": kind,
        "subjectId": str(subject_id),
        "customerId": str(customer_id) if customer_id else None,
        "outcome": outcome.get("outcome") or outcome.get("status"),
    }


def ride_along(main: Any, others: list[Any]) -> Any:
    """`main` with `others` run in the same statement, as data-modifying CTEs (PostgreSQL
    runs each exactly once, referenced or not; foreign keys are checked at its end)."""
    if not others:
        return main
    return main.add_cte(*(w.cte(f"also_{n}") for n, w in enumerate(others)))


async def record_decision(
    uow: UnitOfWork,
    kind: str,
    subject_id: UUID,
    snapshot: Mapping[str, Any],
    outcome: Mapping[str, Any],
    versions: Mapping[str, Any],
    *,
    customer_id: UUID | None = None,
    publish: bool = True,
) -> UUID:
    """Store a decision in the caller's transaction; with `publish`, also an outbox event
    (`credit.decision_recorded`) carrying its id, kind, subject and outcome, in one
    statement (the event trigger numbers it as usual)."""
    decision_id, writes = decision_writes(
        uow, kind, subject_id, snapshot, outcome, versions,
        customer_id=customer_id, publish=publish,
    )  # fmt: skip
    await uow.conn.execute(ride_along(writes[-1], writes[:-1]))
    return decision_id


@dataclass(frozen=True)
class Decision:
    """A stored decision."""

    id: UUID
    seq: int
    kind: str
    subject_id: UUID
    customer_id: UUID | None
    snapshot: dict[str, Any]
    outcome: dict[str, Any]
    versions: dict[str, Any]
    decided_by: str
    decided_at: datetime


@dataclass(frozen=True)
class Replay:
    """A decision recomputed: equal, or where it differs (or why it cannot be replayed)."""

    decision: Decision
    replayable: bool
    equal: bool
    differences: tuple[Difference, ...]
    recomputed: dict[str, Any] | None
    error: str | None = None


def _decision(row: Any) -> Decision:
    return Decision(
        row.id,
        int(row.seq),
        row.kind,
        row.subject_id,
        row.customer_id,
        dict(row.snapshot),
        dict(row.outcome),
        dict(row.versions),
        row.decided_by,
        row.decided_at,
    )


async def by_id(session: ReadSession, decision_id: UUID) -> Decision | None:
    """One decision of the tenant."""

    async def run(conn: AsyncConnection) -> Any:
        return (
            await conn.execute(
                sa.select(credit_decisions).where(credit_decisions.c.id == decision_id)
            )
        ).first()

    row = await session.run(run)
    return _decision(row) if row else None


async def decisions_by_ids(session: ReadSession, ids: list[UUID]) -> list[Decision | None]:
    """Decisions in the order asked (for `node`), None where the tenant has none."""
    t = credit_decisions
    return await by_ids(session, sa.select(t), t.c.id, ids, _decision)


async def page(
    session: ReadSession,
    *,
    customer_id: UUID | None,
    kind: str | None,
    after: Seek | None,
    first: int,
) -> tuple[list[Decision], bool]:
    """Decisions newest first, optionally of one customer or kind."""
    t = credit_decisions
    query = sa.select(t)
    if customer_id is not None:
        query = query.where(t.c.customer_id == customer_id)
    if kind is not None:
        query = query.where(t.c.kind == kind)
    rows, more = await newest_first(session, query, [t.c.seq, t.c.id], after, first)
    return [_decision(r) for r in rows], more


def replay_decision(decision: Decision) -> Replay:
    """Recompute a decision from its snapshot with the same pure function and compare."""
    replayer = REPLAYERS.get(decision.kind)
    if replayer is None:
        return Replay(decision, False, False, (), None, f"no replay for {decision.kind} yet")
    try:
        recomputed = replayer(decision.snapshot)
    except DomainError as exc:
        return Replay(decision, True, False, (), None, f"{exc.code}: {exc.message}")
    found = tuple(differences(decision.outcome, recomputed))
    return Replay(decision, True, not found, found, recomputed)


async def replay(session: ReadSession, decision_id: UUID) -> Replay:
    """Load and replay one decision; NOT_FOUND for another tenant's or an unknown id."""
    decision = await by_id(session, decision_id)
    if decision is None:
        raise NotFound("id", "decision")
    return replay_decision(decision)
