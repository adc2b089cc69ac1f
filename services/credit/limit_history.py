"""A customer's approved limits as a new request is tiered and an old one approved.

A request's tier follows the credit it leaves in force (domain.credit.limit_decision), so
filing reads the approved records still running on its first day and the newest record's
number; approving checks that no limit of the same customer and scope was approved since
(STALE_REQUEST), under a lock that makes two approvals of one customer's requests take turns.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.credit_limit_tables import credit_limits
from domain.credit.limit_decision import check_current
from domain.credit.limits import LimitKind, LimitRecord, LimitScope
from domain.money import Money
from services.uow import UnitOfWork

#: The snapshot key holding the newest limit number the filer saw (None: no limit yet).
SEEN_KEY = "lastLimitSeq"


def limit_record(row: Any) -> LimitRecord:
    """A credit_limits row as the domain's record (CHAR(3) currency trimmed)."""
    return LimitRecord(
        str(row.id),
        int(row.seq),
        LimitScope(row.scope),
        LimitKind(row.kind),
        Money(int(row.amount_minor), row.currency.strip()),
        row.valid_from,
        row.valid_to,
    )


def _of(customer_id: UUID, scope: str) -> Any:
    return sa.and_(credit_limits.c.customer_id == customer_id, credit_limits.c.scope == scope)


async def running(
    uow: UnitOfWork, customer_id: UUID, scope: str, valid_from: date
) -> tuple[list[LimitRecord], int | None]:
    """The approved records of this customer and scope not ended before the request's first
    day (what its resulting limit is made of), and the newest record's number."""
    t = credit_limits
    rows = await uow.conn.execute(
        sa.select(t)
        .where(
            _of(customer_id, scope),
            sa.or_(t.c.valid_to.is_(None), t.c.valid_to >= valid_from),
        )
        .order_by(t.c.seq)
    )
    seen = await uow.conn.scalar(sa.select(sa.func.max(t.c.seq)).where(_of(customer_id, scope)))
    return [limit_record(r) for r in rows], None if seen is None else int(seen)


def seen_and_latest(requests: sa.Table) -> tuple[Any, Any]:
    """SQL for a request row: the newest limit number its filer saw (the limits approved
    before it was filed, for a request older than SEEN_KEY) and the newest one now, both of
    its customer and scope: what domain.credit.limit_decision.is_stale compares."""
    newest, earlier = credit_limits.alias("newest"), credit_limits.alias("earlier")

    def of(t: Any) -> Any:
        return sa.and_(
            t.c.tenant_id == requests.c.tenant_id,
            t.c.customer_id == requests.c.customer_id,
            t.c.scope == requests.c.scope,
        )

    before = (
        sa.select(sa.func.max(earlier.c.seq))
        .where(of(earlier), earlier.c.created_at <= requests.c.created_at)
        .scalar_subquery()
    )
    seen = sa.case(
        (
            requests.c.snapshot.has_key(SEEN_KEY),
            requests.c.snapshot[SEEN_KEY].astext.cast(sa.BigInteger),
        ),
        else_=before,
    )
    latest = sa.select(sa.func.max(newest.c.seq)).where(of(newest)).scalar_subquery()
    return seen, latest


async def ensure_current(uow: UnitOfWork, request: dict[str, Any]) -> None:
    """Refuse (STALE_REQUEST) a request filed before the newest limit of its customer and
    scope was approved; two approvals for one customer and scope take turns (a transaction
    lock), so both cannot pass this check at once."""
    customer_id, scope = request["customer_id"], request["scope"]
    await uow.conn.execute(
        sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"),
        {"k": f"{uow.tenant_id}:credit-limits:{customer_id}:{scope}"},
    )
    t = credit_limits
    latest = await uow.conn.scalar(sa.select(sa.func.max(t.c.seq)).where(_of(customer_id, scope)))
    snapshot = request["snapshot"]
    if SEEN_KEY in snapshot:
        seen = snapshot[SEEN_KEY]
    else:  # filed before requests recorded it: the limits approved before it was filed
        seen = await uow.conn.scalar(
            sa.select(sa.func.max(t.c.seq)).where(
                _of(customer_id, scope), t.c.created_at <= request["created_at"]
            )
        )
    check_current(None if seen is None else int(seen), None if latest is None else int(latest))
