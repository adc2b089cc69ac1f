"""Limits as the API shows them: requests with their approvals, history, recommendation.

A pending request a later limit of its customer and scope overtook reads STALE (approving it
is refused: STALE_REQUEST), as an application's limitStatus does; the numbers that tell are
read in the request's own statement (limit_history.seen_and_latest), never a query per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.credit_limit_tables import (
    credit_limit_approvals,
    credit_limit_requests,
    credit_limits,
)
from dbschema.queries import customers as customer_queries
from domain.credit.application_limits import LimitStatus, limit_status
from domain.credit.limit_decision import is_stale
from domain.credit.limits import Recommendation, RecommendationInputs, recommend
from domain.errors import NotFound
from domain.money import Money
from services.credit import class_policy, rates
from services.credit.limit_history import seen_and_latest
from services.credit.limit_inputs import recommendation_inputs
from services.credit.trail import newest_first
from services.paging import Seek
from services.read_session import ReadSession, by_ids, fetch_all


@dataclass(frozen=True)
class ApprovalView:
    """One approval or rejection of a limit request."""

    approver: str
    roles: tuple[str, ...]
    verdict: str
    reason: str | None
    at: datetime


@dataclass(frozen=True)
class LimitRequestView:
    """A limit request and where its approval stands."""

    id: UUID
    customer_id: UUID
    scope: str
    kind: str
    amount: Money
    valid_from: date
    valid_to: date | None
    basis: str
    note: str | None
    tier: str
    approvals_required: int
    #: as stored, but STALE for a pending request a later limit overtook (read with STALENESS)
    status: str
    requested_by: str
    requested_at: datetime
    decided_at: datetime | None
    limit_id: UUID | None
    approvals: tuple[ApprovalView, ...]


@dataclass(frozen=True)
class LimitView:
    """An approved limit in a customer's history."""

    id: UUID
    seq: int
    customer_id: UUID
    scope: str
    kind: str
    amount: Money
    valid_from: date
    valid_to: date | None
    basis: str
    note: str | None
    requested_by: str
    approved_by: tuple[str, ...]
    decision_id: UUID
    created_at: datetime


_SEEN, _LATEST = seen_and_latest(credit_limit_requests)
_PENDING = credit_limit_requests.c.status == LimitStatus.PENDING.value
#: Beside a request row, for a pending one, the limit numbers that tell whether it is stale.
STALENESS = (
    sa.case((_PENDING, _SEEN)).label("limit_seen"),
    sa.case((_PENDING, _LATEST)).label("limit_latest"),
)
#: A pending request that is stale: domain.credit.limit_decision.is_stale in SQL, for the
#: status filter (never NULL, so its negation is safe).
_STALE = sa.and_(_PENDING, _LATEST.is_not(None), sa.or_(_SEEN.is_(None), _LATEST > _SEEN))
#: The status filter: PENDING is what may still be approved, STALE what was overtaken.
_STATUS_FILTERS = {
    LimitStatus.PENDING.value: sa.and_(_PENDING, sa.not_(_STALE)),
    LimitStatus.STALE.value: _STALE,
}


def _status(row: dict[str, Any]) -> str:
    """The stored status, STALE for a pending request overtaken (a row read without
    STALENESS, as a mutation has it, was just checked current: never stale)."""
    stale = is_stale(row.get("limit_seen"), row.get("limit_latest"))
    status = limit_status(row["status"], stale)
    return str(row["status"]) if status is None else status.value


def approval_view(row: Any) -> ApprovalView:
    """A stored approval row."""
    return ApprovalView(row.approver, tuple(row.roles), row.verdict, row.reason, row.at)


def request_view(row: dict[str, Any], approvals: Sequence[Any]) -> LimitRequestView:
    """A stored request with its approvals."""
    return LimitRequestView(
        id=row["id"],
        customer_id=row["customer_id"],
        scope=row["scope"],
        kind=row["kind"],
        amount=Money(int(row["amount_minor"]), row["currency"].strip()),
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
        basis=row["basis"],
        note=row["note"],
        tier=row["tier"],
        approvals_required=int(row["approvals_required"]),
        status=_status(row),
        requested_by=row["created_by"],
        requested_at=row["created_at"],
        decided_at=row["decided_at"],
        limit_id=row["limit_id"],
        approvals=tuple(approval_view(a) for a in approvals),
    )


def limit_view(row: Any) -> LimitView:
    """A stored limit row."""
    return LimitView(
        id=row.id,
        seq=int(row.seq),
        customer_id=row.customer_id,
        scope=row.scope,
        kind=row.kind,
        amount=Money(int(row.amount_minor), row.currency.strip()),
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        basis=row.basis,
        note=row.note,
        requested_by=row.requested_by,
        approved_by=tuple(row.approved_by),
        decision_id=row.decision_id,
        created_at=row.created_at,
    )


async def history(
    session: ReadSession, customer_id: UUID, after: Seek | None, first: int
) -> tuple[list[LimitView], bool]:
    """A customer's limits (own and group-anchored), newest first: the full history."""
    query = sa.select(credit_limits).where(credit_limits.c.customer_id == customer_id)
    rows, more = await newest_first(
        session, query, [credit_limits.c.seq, credit_limits.c.id], after, first
    )
    return [limit_view(r) for r in rows], more


async def requests_page(
    session: ReadSession,
    *,
    customer_id: UUID | None,
    status: str | None,
    after: Seek | None,
    first: int,
) -> tuple[list[LimitRequestView], bool]:
    """Limit requests, newest first, with their approvals (one statement each); `status`
    STALE picks the pending ones overtaken, PENDING the others."""
    t = credit_limit_requests
    query = sa.select(t, *STALENESS)
    if customer_id is not None:
        query = query.where(t.c.customer_id == customer_id)
    if status is not None:
        query = query.where(_STATUS_FILTERS.get(status, t.c.status == status))
    rows, more = await newest_first(session, query, [t.c.created_at, t.c.id], after, first)
    approvals = sa.select(credit_limit_approvals).where(
        credit_limit_approvals.c.request_id.in_([r.id for r in rows])
    )

    async def run(conn: AsyncConnection) -> list[Any]:
        return list(await conn.execute(approvals.order_by(credit_limit_approvals.c.at)))

    by_request: dict[UUID, list[Any]] = {}
    for a in await session.run(run) if rows else []:
        by_request.setdefault(a.request_id, []).append(a)
    return [request_view(dict(r._mapping), by_request.get(r.id, [])) for r in rows], more


async def limits_by_ids(session: ReadSession, ids: list[UUID]) -> list[LimitView | None]:
    """Limits in the order asked (for `node`), None where the tenant has none."""
    return await by_ids(session, sa.select(credit_limits), credit_limits.c.id, ids, limit_view)


#: A request's approvals beside it, one row per approval (or one with none): a batch of
#: requests with their approvals in one statement.
_APPROVAL_COLUMNS = [
    c.label(f"approval_{c.name}")
    for c in (
        credit_limit_approvals.c.approver,
        credit_limit_approvals.c.roles,
        credit_limit_approvals.c.verdict,
        credit_limit_approvals.c.reason,
        credit_limit_approvals.c.at,
    )
]


async def requests_by_ids(session: ReadSession, ids: list[UUID]) -> list[LimitRequestView | None]:
    """Limit requests with their approvals in the order asked (for `node`), None where the
    tenant has none."""
    if not ids:
        return []
    r, a = credit_limit_requests, credit_limit_approvals
    query = (
        sa.select(r, *STALENESS, *_APPROVAL_COLUMNS)
        .outerjoin(a, sa.and_(a.c.tenant_id == r.c.tenant_id, a.c.request_id == r.c.id))
        .where(r.c.id.in_(set(ids)))
        .order_by(r.c.id, a.c.at)
    )
    rows: dict[UUID, dict[str, Any]] = {}
    approvals: dict[UUID, list[ApprovalView]] = {}
    for row in await session.run(lambda conn: fetch_all(conn, query)):
        values = dict(row._mapping)
        rows.setdefault(row.id, values)
        if values["approval_approver"] is not None:
            approvals.setdefault(row.id, []).append(
                ApprovalView(*(values[c.name] for c in _APPROVAL_COLUMNS))
            )
    found = {i: request_view(values, approvals.get(i, [])) for i, values in rows.items()}
    return [found.get(i) for i in ids]


@dataclass(frozen=True)
class RecommendationView:
    """A recommended limit with its inputs and the policy version that produced it."""

    inputs: RecommendationInputs
    result: Recommendation
    policy_version: int
    as_of: date


async def recommendation(
    session: ReadSession, customer_id: UUID, currency: str | None, as_of: date
) -> RecommendationView:
    """The formula's limit for a customer, in `currency` (default: the base currency)."""

    async def run(conn: AsyncConnection) -> RecommendationView:
        rows = await customer_queries.by_ids(conn, [customer_id])
        if not rows:
            raise NotFound("customerId", "customer")
        row = dict(rows[0]._mapping)
        policy = await class_policy.load(conn)
        target = (currency or policy.base_currency).strip().upper()
        inputs = await recommendation_inputs(conn, row, target, policy)
        codes = {target, policy.base_currency}
        codes |= {m.currency for m in (inputs.registered_capital, inputs.annual_sales) if m}
        book = await rates.book_for(conn, codes, as_of, policy.base_currency)
        klass = policy.for_class(inputs.rating_class) if inputs.rating_class else None
        result = recommend(inputs, policy.formula, klass, policy.base_currency, book)
        return RecommendationView(inputs, result, policy.version, as_of)

    return await session.run(run)
