"""Request-scoped reads: one connection, one read-only transaction, tenant set once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from dbschema.engine import begin_read, end_read
from dbschema.queries import audit
from dbschema.queries import customers as q
from dbschema.tables import jobs, warnings
from domain.credit_file import Completeness, completeness_many
from services.credit_files import dossier_facts, policy_from, tenant_policy

T = TypeVar("T")


class ReadSession:
    """Loaders share one connection per request, serialised by a lock (asyncpg is sequential).

    Reads run in one transaction with the tenant set (RLS), begun and ended with a single
    round trip each (see dbschema.engine.begin_read): a page needs three statements, and the
    transaction plumbing around them was costing as much CPU as two of them.
    """

    def __init__(self, engine: AsyncEngine, tenant_id: UUID) -> None:
        self.engine = engine
        self.tenant_id = tenant_id
        self._conn: AsyncConnection | None = None
        self._raw: Any = None
        self._lock = asyncio.Lock()
        self._policy: Any = None

    async def run(self, fn: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        """Run a query function on the request's connection."""
        async with self._lock:
            if self._conn is None:
                conn = await self.engine.connect()
                try:
                    await conn.execution_options(isolation_level="AUTOCOMMIT")
                    self._raw = await begin_read(conn, self.tenant_id)
                except BaseException:
                    await conn.invalidate()
                    await conn.close()
                    raise
                self._conn = conn
            return await fn(self._conn)

    async def close(self) -> None:
        """End the read transaction and give the connection back."""
        async with self._lock:
            if self._conn is not None:
                try:
                    if self._raw is not None and not self._conn.invalidated:
                        await end_read(self._raw)
                except BaseException:
                    await self._conn.invalidate()  # never pool a connection mid-transaction
                    raise
                finally:
                    await self._conn.close()
                    self._conn = None
                    self._raw = None


def _rows(rows: list[sa.Row[Any]]) -> list[dict[str, Any]]:
    """Rows as plain dicts; the column names are the same for every row of a result."""
    if not rows:
        return []
    keys = rows[0]._fields
    return [dict(zip(keys, r, strict=True)) for r in rows]


async def customers_page(
    session: ReadSession,
    flt: q.CustomerFilter,
    order: str,
    descending: bool,
    after: tuple[Any, UUID] | None,
    first: int,
    with_total: bool = True,
) -> tuple[list[dict[str, Any]], int | None, bool]:
    """A page of customers, the total (None unless asked for), and whether more follow."""
    rows, total = await session.run(
        lambda c: q.page(
            c,
            flt=flt,
            order=order,
            descending=descending,
            after=after,
            first=first,
            with_total=with_total,
        )
    )
    items = _rows(rows)
    return items[:first], total, len(items) > first


async def customers_by_ids(session: ReadSession, ids: list[UUID]) -> list[dict[str, Any] | None]:
    """Customers in the order asked, None where not found for this tenant."""
    found = {r["id"]: r for r in _rows(await session.run(lambda c: q.by_ids(c, ids)))}
    return [found.get(i) for i in ids]


async def completeness_for(
    session: ReadSession, customers: list[dict[str, Any]], as_of: date
) -> list[Completeness]:
    """Grade many dossiers with one facts query (the policy is read once per request)."""
    return (await dossiers_for(session, customers, as_of, with_partners=False))[0]


async def dossiers_for(
    session: ReadSession, customers: list[dict[str, Any]], as_of: date, with_partners: bool
) -> tuple[list[Completeness], list[list[dict[str, Any]]]]:
    """A page's dossiers in one statement: each customer's completeness grade and, when
    asked, its partner links (else empty lists)."""

    async def load(conn: AsyncConnection) -> tuple[list[Completeness], list[list[dict[str, Any]]]]:
        facts, settings, partners = await dossier_facts(conn, customers, with_partners)
        if session._policy is None:
            session._policy = policy_from(settings)
        grades = completeness_many([facts[c["id"]] for c in customers], session._policy[0], as_of)
        return grades, [partners.get(c["id"], []) for c in customers]

    return await session.run(load)


async def relations_for(session: ReadSession, ids: list[UUID]) -> list[list[dict[str, Any]]]:
    """Partner links per customer, in the order asked."""
    rows = _rows(await session.run(lambda c: q.relations_for(c, ids)))
    grouped: dict[UUID, list[dict[str, Any]]] = {i: [] for i in ids}
    for r in rows:
        grouped[r["customer_id"]].append(r)
    return [grouped[i] for i in ids]


async def entries_for(
    session: ReadSession, ids: list[UUID], per_customer: int
) -> list[list[dict[str, Any]]]:
    """Newest timeline entries per customer."""
    rows = _rows(await session.run(lambda c: q.entries_for(c, ids, per_customer)))
    grouped: dict[UUID, list[dict[str, Any]]] = {i: [] for i in ids}
    for r in rows:
        grouped[r["customer_id"]].append(r)
    return [grouped[i] for i in ids]


async def audit_for(
    session: ReadSession, ids: list[UUID], per_customer: int
) -> list[list[dict[str, Any]]]:
    """Newest audit rows per customer."""
    rows = _rows(await session.run(lambda c: audit.for_customers(c, ids, per_customer)))
    grouped: dict[UUID, list[dict[str, Any]]] = {i: [] for i in ids}
    for r in rows:
        grouped[r["customer_id"]].append(r)
    return [grouped[i] for i in ids]


async def review_interval(session: ReadSession) -> int:
    """The tenant's review interval in days."""

    async def load(conn: AsyncConnection) -> int:
        if session._policy is None:
            session._policy = await tenant_policy(conn)
        return int(session._policy[1])

    return await session.run(load)


async def warnings_page(
    session: ReadSession,
    *,
    status: str | None,
    min_level: str | None,
    customer_id: UUID | None,
    kind: str | None,
    after: tuple[Any, UUID] | None,
    first: int,
) -> tuple[list[dict[str, Any]], int, bool]:
    """Warnings newest first, keyset-paginated, with the filtered total."""
    from services.warnings import LEVELS

    conds: list[sa.ColumnElement[bool]] = []
    if status:
        conds.append(warnings.c.status == status)
    if min_level:
        conds.append(warnings.c.level.in_(LEVELS[LEVELS.index(min_level) :]))
    if customer_id:
        conds.append(warnings.c.customer_id == customer_id)
    if kind:
        conds.append(warnings.c.kind == kind)
    counted = (
        sa.select(warnings, sa.func.count().over().label("total_count")).where(*conds).subquery()
    )
    query = sa.select(counted)
    if after is not None:
        query = query.where(
            sa.tuple_(counted.c.raised_at, counted.c.id)
            < sa.tuple_(sa.literal(after[0], warnings.c.raised_at.type), sa.literal(after[1]))
        )
    query = query.order_by(counted.c.raised_at.desc(), counted.c.id.desc()).limit(first + 1)
    items = _rows(await session.run(lambda c: _all(c, query)))
    total = items[0]["total_count"] if items else 0
    return items[:first], total, len(items) > first


async def warnings_by_ids(session: ReadSession, ids: list[UUID]) -> list[dict[str, Any] | None]:
    """Warnings in the order asked."""
    query = sa.select(warnings).where(warnings.c.id.in_(ids))
    found = {r["id"]: r for r in _rows(await session.run(lambda c: _all(c, query)))}
    return [found.get(i) for i in ids]


async def job_by_id(session: ReadSession, job_id: UUID) -> dict[str, Any] | None:
    """A job's status and result."""
    query = sa.select(jobs).where(jobs.c.id == job_id)
    rows = _rows(await session.run(lambda c: _all(c, query)))
    return rows[0] if rows else None


async def _all(conn: AsyncConnection, query: sa.Select[Any]) -> list[sa.Row[Any]]:
    return list(await conn.execute(query))
