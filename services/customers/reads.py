"""Customer reads for the API: pages, lookups, dossiers, partners, timeline, audit trail."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.queries import audit
from dbschema.queries import customers as q
from domain.audit import AuditAction
from domain.credit_file import Completeness, completeness_many
from services.customers.credit_files import dossier_facts, policy_from, tenant_policy
from services.customers.records import AuditRecord
from services.read_session import ReadSession, rows_as_dicts

POLICY = "credit_file_policy"  #: memo key: the tenant's dossier policy, read once per request


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
    items = rows_as_dicts(rows)
    return items[:first], total, len(items) > first


async def customers_by_ids(session: ReadSession, ids: list[UUID]) -> list[dict[str, Any] | None]:
    """Customers in the order asked, None where not found for this tenant."""
    found = {r["id"]: r for r in rows_as_dicts(await session.run(lambda c: q.by_ids(c, ids)))}
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
        if POLICY not in session.memo:
            session.memo[POLICY] = policy_from(settings)
        grades = completeness_many(
            [facts[c["id"]] for c in customers], session.memo[POLICY][0], as_of
        )
        return grades, [partners.get(c["id"], []) for c in customers]

    return await session.run(load)


async def relations_for(session: ReadSession, ids: list[UUID]) -> list[list[dict[str, Any]]]:
    """Partner links per customer, in the order asked."""
    rows = rows_as_dicts(await session.run(lambda c: q.relations_for(c, ids)))
    grouped: dict[UUID, list[dict[str, Any]]] = {i: [] for i in ids}
    for r in rows:
        grouped[r["customer_id"]].append(r)
    return [grouped[i] for i in ids]


async def entries_for(
    session: ReadSession, ids: list[UUID], per_customer: int
) -> list[list[dict[str, Any]]]:
    """Newest timeline entries per customer."""
    rows = rows_as_dicts(await session.run(lambda c: q.entries_for(c, ids, per_customer)))
    grouped: dict[UUID, list[dict[str, Any]]] = {i: [] for i in ids}
    for r in rows:
        grouped[r["customer_id"]].append(r)
    return [grouped[i] for i in ids]


async def audit_for(
    session: ReadSession, ids: list[UUID], per_customer: int
) -> list[list[AuditRecord]]:
    """Newest audited changes per customer."""
    rows = await session.run(lambda c: audit.for_customers(c, ids, per_customer))
    grouped: dict[UUID, list[AuditRecord]] = {i: [] for i in ids}
    for r in rows:
        grouped[r.customer_id].append(
            AuditRecord(
                r.at, r.actor, AuditAction(r.action), r.entity_type, r.request_id, r.changes
            )
        )
    return [grouped[i] for i in ids]


async def review_interval(session: ReadSession) -> int:
    """The tenant's review interval in days."""

    async def load(conn: AsyncConnection) -> int:
        if POLICY not in session.memo:
            session.memo[POLICY] = await tenant_policy(conn)
        return int(session.memo[POLICY][1])

    return await session.run(load)
