"""Customer reads for the API: pages, lookups, dossiers, partners, timeline, audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar
from uuid import UUID

from dbschema.queries import audit, keyset
from dbschema.queries import credit_files as facts_queries
from dbschema.queries import customers as q
from domain import credit_file
from domain.audit import AuditAction
from domain.credit_file import Completeness, completeness_many
from services.customers.credit_files import Policy, dossiers_from, entry_of, policy_from
from services.customers.records import (
    AuditRecord,
    CreditFileEntry,
    CustomerPage,
    CustomerRecord,
    PartnerLink,
    customers_of,
)
from services.read_session import ReadSession

POLICY = "credit_file_policy"  #: memo key: the tenant's dossier policy, read once per request
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class CustomerFilter:
    """What a customer list may be narrowed by."""

    text: str | None = None
    industry: str | None = None
    status: str | None = None


class CustomerOrder(StrEnum):
    """What a customer list is sorted by; its value is the record field holding the key."""

    NAME = "legal_name"
    CODE = "code"
    CREATED = "created_at"


async def customers_page(
    session: ReadSession,
    flt: CustomerFilter,
    order: CustomerOrder,
    descending: bool,
    cursor: UUID | None,
    size: int,
    backward: bool = False,
    with_total: bool = True,
) -> CustomerPage:
    """A page of customers beyond a cursor (a customer's id; `backward`: before it), the
    total (None unless asked for), and whether more lie beyond the page that way."""
    rows, total = await session.run(
        lambda c: q.page(
            c,
            text=flt.text,
            industry=flt.industry,
            status=flt.status,
            order=order.name,
            descending=descending,
            cursor=cursor,
            first=size,
            backward=backward,
            with_total=with_total,
        )
    )
    page, more = keyset.arrange(rows, size, backward)
    return CustomerPage(customers_of(page), total, more)


async def customers_by_ids(session: ReadSession, ids: list[UUID]) -> list[CustomerRecord | None]:
    """Customers in the order asked, None where not found for this tenant."""
    found = {c.id: c for c in customers_of(await session.run(lambda c: q.by_ids(c, ids)))}
    return [found.get(i) for i in ids]


async def _policy(session: ReadSession, settings: dict[str, Any] | None = None) -> Policy:
    """The tenant's dossier policy, read once per request (from settings already at hand)."""
    if POLICY not in session.memo:
        if settings is None:
            settings = await session.run(q.tenant_settings)
        session.memo[POLICY] = policy_from(settings)
    policy: Policy = session.memo[POLICY]
    return policy


async def completeness_for(
    session: ReadSession, ids: list[UUID], as_of: date
) -> list[Completeness]:
    """Grade many dossiers with one facts query (the policy is read once per request)."""
    return (await dossiers_for(session, ids, as_of, with_partners=False))[0]


async def dossiers_for(
    session: ReadSession, ids: list[UUID], as_of: date, with_partners: bool
) -> tuple[list[Completeness], list[list[PartnerLink]]]:
    """A page's dossiers in one statement: each customer's completeness grade and, when
    asked, its partner links (else empty lists)."""
    rows = await session.run(lambda c: facts_queries.credit_file_facts(c, ids, with_partners))
    dossiers = dossiers_from(rows, with_partners)
    policy = await _policy(session, dossiers.settings)
    grades = completeness_many([dossiers.facts[i] for i in ids], policy.items, as_of)
    return grades, [dossiers.partners.get(i, []) for i in ids]


def _grouped(ids: list[UUID], pairs: Iterable[tuple[UUID, T]]) -> list[list[T]]:
    """Items per parent id, in the order of the ids (an id without items gets [])."""
    grouped: dict[UUID, list[T]] = {i: [] for i in ids}
    for parent, item in pairs:
        grouped[parent].append(item)
    return [grouped[i] for i in ids]


async def relations_for(session: ReadSession, ids: list[UUID]) -> list[list[PartnerLink]]:
    """Partner links per customer, in the order asked."""
    rows = await session.run(lambda c: facts_queries.relations_for(c, ids))
    make = PartnerLink._make
    return _grouped(ids, ((r[0], make(r[1:])) for r in rows))


async def partners_by_ids(session: ReadSession, ids: list[UUID]) -> list[PartnerLink | None]:
    """Partner links by their ids, in the order asked, None where not found."""
    rows = await session.run(lambda c: facts_queries.relations_by_ids(c, ids))
    found = {r.id: PartnerLink._make(r[1:]) for r in rows}
    return [found.get(i) for i in ids]


async def entries_by_ids(session: ReadSession, ids: list[UUID]) -> list[CreditFileEntry | None]:
    """Timeline entries by their ids, in the order asked, None where not found."""
    rows = await session.run(lambda c: facts_queries.entries_by_ids(c, ids))
    found = {r.id: entry_of(r) for r in rows}
    return [found.get(i) for i in ids]


async def entries_for(
    session: ReadSession, ids: list[UUID], per_customer: int
) -> list[list[CreditFileEntry]]:
    """Newest timeline entries per customer."""
    rows = await session.run(lambda c: facts_queries.entries_for(c, ids, per_customer))
    return _grouped(ids, ((r.customer_id, entry_of(r)) for r in rows))


async def audit_for(
    session: ReadSession, ids: list[UUID], per_customer: int
) -> list[list[AuditRecord]]:
    """Newest audited changes per customer."""
    rows = await session.run(lambda c: audit.for_customers(c, ids, per_customer))
    return _grouped(
        ids,
        (
            (
                r.customer_id,
                AuditRecord(
                    r.at, r.actor, AuditAction(r.action), r.entity_type, r.request_id, r.changes
                ),
            )
            for r in rows
        ),
    )


async def review_interval(session: ReadSession) -> int:
    """The tenant's review interval in days."""
    return (await _policy(session)).review_interval_days


async def next_review_due(session: ReadSession, last_reviewed_on: date | None) -> date | None:
    """When the customer's next periodic review is due (None: never reviewed)."""
    if last_reviewed_on is None:
        return None
    return credit_file.next_review_due(last_reviewed_on, await review_interval(session))


async def tenant_name(session: ReadSession) -> str:
    """The tenant's display name."""
    return await session.run(q.tenant_name)
