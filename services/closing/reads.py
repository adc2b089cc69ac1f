"""Reads for provisions, write-offs and the bad-debt case library, as typed records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.closing_tables import (
    bad_debt_cases,
    provision_customer_lines,
    provision_runs,
    write_off_approvals,
    write_off_proposals,
)
from dbschema.queries.keyset import arrange
from domain.money import Money
from domain.provisions import InvoiceProvision, ProvisionLine, ProvisionTotals
from services.closing.provisions import totals_of
from services.read_session import ReadSession, by_ids

LIST_LIMIT = 100  #: lists here are short; newest first, capped


@dataclass(frozen=True)
class ProvisionRunRecord:
    """A stored run: OPEN (re-runnable) or CLOSED (final), with its totals per currency."""

    id: UUID
    period_end: date
    basis: str
    status: str
    totals: tuple[ProvisionTotals, ...]
    created_at: datetime


@dataclass(frozen=True)
class ProposalRecord:
    """A write-off proposal and where it stands."""

    id: UUID
    customer_id: UUID
    total: Money
    reason: str
    evidence: tuple[Any, ...]
    status: str
    required_roles: tuple[str, ...]
    proposed_by: str
    created_at: datetime


@dataclass(frozen=True)
class ApprovalRecord:
    """One decision on a write-off proposal: who, in which role, which way and when."""

    proposal_id: UUID
    role: str
    by: str
    decision: str
    note: str | None
    decided_at: datetime


@dataclass(frozen=True)
class CaseRecord:
    """A written-off debt in the case library."""

    id: UUID
    customer_id: UUID
    amount: Money
    recovered: Money
    cause: str
    lessons: str | None
    created_at: datetime


@dataclass(frozen=True)
class ProvisionLinePage:
    """Customer lines of a run, largest provision first, and whether more follow."""

    lines: tuple[ProvisionLine, ...]
    has_next: bool


async def _rows(session: ReadSession, query: Any) -> Sequence[Any]:
    async def run(conn: AsyncConnection) -> Sequence[Any]:
        return (await conn.execute(query)).all()

    return await session.run(run)


def _run(r: Any) -> ProvisionRunRecord:
    return ProvisionRunRecord(
        r.id, r.period_end, r.basis, r.status, totals_of(r.totals), r.created_at
    )


def _proposal(r: Any) -> ProposalRecord:
    total = Money(r.total_minor, r.currency.strip())
    return ProposalRecord(
        r.id,
        r.customer_id,
        total,
        r.reason,
        tuple(r.evidence),
        r.status,
        tuple(r.required_roles),
        r.created_by,
        r.created_at,
    )


def _case(r: Any) -> CaseRecord:
    currency = r.currency.strip()
    amount, recovered = Money(r.amount_minor, currency), Money(r.recovered_minor, currency)
    return CaseRecord(r.id, r.customer_id, amount, recovered, r.cause, r.lessons, r.created_at)


def _line(r: Any) -> ProvisionLine:
    """A stored customer line; its invoices sit in parallel arrays ordered by invoice id."""
    invoices = zip(
        r.invoice_ids,
        r.invoice_open,
        r.invoice_rate,
        r.invoice_provision,
        r.invoice_previous,
        strict=True,
    )
    return ProvisionLine(
        r.customer_id,
        r.currency.strip(),
        r.open_minor,
        r.provision_minor,
        r.previous_minor,
        r.charge_minor,
        r.release_minor,
        r.utilised_minor,
        tuple(InvoiceProvision(*i) for i in invoices),
    )


async def provision_runs_list(
    session: ReadSession, period_end: date | None
) -> list[ProvisionRunRecord]:
    """Runs newest first, or the run of one period."""
    query = sa.select(provision_runs).order_by(provision_runs.c.period_end.desc()).limit(LIST_LIMIT)
    if period_end is not None:
        query = query.where(provision_runs.c.period_end == period_end)
    return [_run(r) for r in await _rows(session, query)]


async def proposals(session: ReadSession, status: str | None) -> list[ProposalRecord]:
    """Write-off proposals newest first."""
    query = (
        sa.select(write_off_proposals)
        .order_by(write_off_proposals.c.created_at.desc())
        .limit(LIST_LIMIT)
    )
    if status:
        query = query.where(write_off_proposals.c.status == status)
    return [_proposal(r) for r in await _rows(session, query)]


async def proposal(session: ReadSession, proposal_id: UUID) -> ProposalRecord | None:
    """One proposal."""
    rows = await _rows(
        session, sa.select(write_off_proposals).where(write_off_proposals.c.id == proposal_id)
    )
    return _proposal(rows[0]) if rows else None


async def approvals_by_proposal(
    session: ReadSession, ids: list[UUID]
) -> list[list[ApprovalRecord]]:
    """Each proposal's decisions in the order given, in one statement for the batch."""
    a = write_off_approvals
    query = (
        sa.select(a.c.proposal_id, a.c.role, a.c.approver, a.c.decision, a.c.note, a.c.at)
        .where(a.c.proposal_id.in_(ids))
        .order_by(a.c.at, a.c.role)
    )
    grouped: dict[UUID, list[ApprovalRecord]] = {i: [] for i in ids}
    for r in await _rows(session, query):
        grouped[r.proposal_id].append(ApprovalRecord(*r))
    return [grouped[i] for i in ids]


async def cases(session: ReadSession) -> list[CaseRecord]:
    """The bad-debt case library, newest first."""
    query = sa.select(bad_debt_cases).order_by(bad_debt_cases.c.created_at.desc())
    return [_case(r) for r in await _rows(session, query.limit(LIST_LIMIT))]


async def case(session: ReadSession, case_id: UUID) -> CaseRecord | None:
    """One bad-debt case."""
    rows = await _rows(session, sa.select(bad_debt_cases).where(bad_debt_cases.c.id == case_id))
    return _case(rows[0]) if rows else None


async def runs_by_ids(session: ReadSession, ids: list[UUID]) -> list[ProvisionRunRecord | None]:
    """Provision runs in the order asked (for `node`), None where the tenant has none."""
    return await by_ids(session, sa.select(provision_runs), provision_runs.c.id, ids, _run)


async def proposals_by_ids(session: ReadSession, ids: list[UUID]) -> list[ProposalRecord | None]:
    """Write-off proposals in the order asked (for `node`), None where the tenant has none."""
    t = write_off_proposals
    return await by_ids(session, sa.select(t), t.c.id, ids, _proposal)


async def cases_by_ids(session: ReadSession, ids: list[UUID]) -> list[CaseRecord | None]:
    """Bad-debt cases in the order asked (for `node`), None where the tenant has none."""
    return await by_ids(session, sa.select(bad_debt_cases), bad_debt_cases.c.id, ids, _case)


async def provision_customer_page(
    session: ReadSession,
    run_id: UUID,
    customer_id: UUID | None,
    after: tuple[int, str, str] | None,
    first: int,
    backward: bool = False,
) -> ProvisionLinePage:
    """Customer lines of a run, largest provision first: the `first` lines after the cursor
    line `after` (provision, customer, currency), or (`backward`) the `first` just before it
    (the run's last ones without a cursor), in list order either way; `has_next`: more lines
    lie beyond the page in the direction read."""
    table = provision_customer_lines
    query = sa.select(table).where(table.c.run_id == run_id)
    if customer_id is not None:
        query = query.where(table.c.customer_id == customer_id)
    if after is not None:
        provision, customer, currency = after
        rest = sa.tuple_(table.c.customer_id, table.c.currency)
        edge = sa.tuple_(sa.cast(customer, table.c.customer_id.type), currency)
        query = query.where(
            sa.or_(
                table.c.provision_minor > provision
                if backward
                else table.c.provision_minor < provision,
                sa.and_(
                    table.c.provision_minor == provision, rest < edge if backward else rest > edge
                ),
            )
        )
    order = [table.c.provision_minor.desc(), table.c.customer_id, table.c.currency]
    if backward:
        order = [table.c.provision_minor, table.c.customer_id.desc(), table.c.currency.desc()]
    rows, more = arrange(
        await _rows(session, query.order_by(*order).limit(first + 1)), first, backward
    )
    return ProvisionLinePage(tuple(_line(r) for r in rows), more)
