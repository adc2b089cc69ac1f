"""Credit applications as stored and read: the view with its opinions, by id or customer.

A grant is only as good as the limit request it filed: the view reads that request's status
beside the application (the application's own row keeps the decision as it was taken), STALE
while it is pending but overtaken by a later limit (domain.credit.application_limits).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.credit_application_tables import credit_application_opinions, credit_applications
from dbschema.credit_limit_tables import credit_limit_requests
from domain.credit import applications as rules
from domain.credit.application_limits import limit_status
from domain.credit.limit_decision import is_stale
from domain.money import Money
from services.credit.limit_history import seen_and_latest
from services.read_session import ReadSession


@dataclass(frozen=True)
class Opinion:
    """One department's opinion."""

    role: str
    recommendation: str
    comment: str | None
    given_by: str


@dataclass(frozen=True)
class ApplicationView:
    """An application as it stands, with its opinions."""

    id: UUID
    customer_id: UUID
    reference: str | None
    status: str
    requested: rules.Grant
    purpose: str
    statement_ids: tuple[UUID, ...]
    record_ids: tuple[UUID, ...]
    required_opinions: tuple[str, ...]
    opinions: tuple[Opinion, ...]
    submitted_by: str
    submitted_on: date
    sla_due_on: date
    escalated_on: date | None
    verdict: str | None
    decided_by: str | None
    decided_on: date | None
    decision_reason: str | None
    granted: rules.Grant | None
    decision_id: UUID | None
    limit_request_id: UUID | None
    #: PENDING while the tenant's matrix has not approved the granted limit, STALE when a
    #: later limit overtook that request (re-file it), APPROVED once it is in force, REJECTED
    #: when refused; None when nothing was granted.
    limit_status: str | None = None


_SEEN, _LATEST = seen_and_latest(credit_limit_requests)
_PENDING = credit_limit_requests.c.status == "PENDING"
#: Applications with the status of the limit request each grant filed (and, while it is
#: pending, the limit numbers that tell whether it is stale), read in one statement.
WITH_LIMIT_STATUS = sa.select(
    credit_applications,
    credit_limit_requests.c.status.label("limit_status"),
    sa.case((_PENDING, _SEEN)).label("limit_seen"),
    sa.case((_PENDING, _LATEST)).label("limit_latest"),
).outerjoin(
    credit_limit_requests,
    sa.and_(
        credit_limit_requests.c.tenant_id == credit_applications.c.tenant_id,
        credit_limit_requests.c.id == credit_applications.c.limit_request_id,
    ),
)


def _limit_status(row: Any) -> str | None:
    """The request's status, STALE when overtaken (a row read otherwise has none: None)."""
    found = row._mapping
    stale = is_stale(found.get("limit_seen"), found.get("limit_latest"))
    status = limit_status(found.get("limit_status"), stale)
    return None if status is None else status.value


def view_of(row: Any, opinions: Sequence[Any]) -> ApplicationView:
    """An application row (with `limit_status` when read through WITH_LIMIT_STATUS)."""
    return ApplicationView(
        row.id,
        row.customer_id,
        row.application_ref,
        row.status,
        rules.Grant(
            Money(int(row.requested_minor), row.currency.strip()),
            row.requested_terms_code,
            row.valid_from,
            row.valid_to,
        ),
        row.purpose,
        tuple(row.statement_ids),
        tuple(row.record_ids),
        tuple(row.required_opinions),
        tuple(Opinion(o.role, o.recommendation, o.comment, o.created_by) for o in opinions),
        row.created_by,
        row.submitted_on,
        row.sla_due_on,
        row.escalated_on,
        row.verdict,
        row.decided_by,
        row.decided_on,
        row.decision_reason,
        rules.Grant.from_json(row.granted) if row.granted else None,
        row.decision_id,
        row.limit_request_id,
        _limit_status(row),
    )


async def opinions_of(conn: Any, ids: Sequence[UUID]) -> dict[UUID, list[Any]]:
    rows = await conn.execute(
        sa.select(credit_application_opinions)
        .where(credit_application_opinions.c.application_id.in_(list(ids)))
        .order_by(credit_application_opinions.c.created_at)
    )
    out: dict[UUID, list[Any]] = {i: [] for i in ids}
    for r in rows:
        out[r.application_id].append(r)
    return out


async def by_ids(session: ReadSession, ids: Sequence[UUID]) -> list[ApplicationView | None]:
    """Applications by id in the given order (None where absent), with their opinions."""

    async def run(conn: Any) -> list[ApplicationView | None]:
        rows = {
            r.id: r
            for r in await conn.execute(
                WITH_LIMIT_STATUS.where(credit_applications.c.id.in_(list(ids)))
            )
        }
        opinions = await opinions_of(conn, list(rows))
        return [view_of(rows[i], opinions[i]) if i in rows else None for i in ids]

    result: list[ApplicationView | None] = await session.run(run)
    return result


async def for_customer(
    session: ReadSession, customer_id: UUID, status: str | None = None
) -> list[ApplicationView]:
    """A customer's applications, newest first (a customer files a handful a year)."""

    async def run(conn: Any) -> list[ApplicationView]:
        query = WITH_LIMIT_STATUS.where(credit_applications.c.customer_id == customer_id)
        if status:
            query = query.where(credit_applications.c.status == status)
        rows = list(await conn.execute(query.order_by(credit_applications.c.created_at.desc())))
        opinions = await opinions_of(conn, [r.id for r in rows])
        return [view_of(r, opinions[r.id]) for r in rows]

    result: list[ApplicationView] = await session.run(run)
    return result
