"""Reconciliations of the factoring sub-ledger: with the receivables ledger at any date, and
with the factor's own statement (imported as CSV), each listing every difference."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.ledger_tables import invoices
from dbschema.queries import risk_factoring as q
from dbschema.risk_factoring_tables import (
    factor_statement_lines,
    factor_statements,
    factoring_agreements,
    factoring_entries,
)
from domain.dates import check_date
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.money import Money
from domain.risk.factoring import EntryKind
from services.read_session import ReadSession
from services.risk.factoring import agreement_row
from services.uow import UnitOfWork

MAX_LINES = 50_000  #: lines one factor statement may carry


@dataclass(frozen=True, slots=True)
class LedgerDifference:
    """An assignment whose factored amount differs from the invoice's open amount."""

    assignment_id: UUID
    agreement_id: UUID
    invoice_id: UUID
    invoice_number: str
    customer_id: UUID
    currency: str
    factored_minor: int
    ledger_minor: int

    @property
    def difference_minor(self) -> int:
        """Sub-ledger minus receivables ledger."""
        return self.factored_minor - self.ledger_minor


@dataclass(frozen=True, slots=True)
class LedgerReconciliation:
    """The comparison on one date: how many assignments were compared, which differ."""

    as_of: date
    compared: int
    differences: list[LedgerDifference]


async def with_receivables(
    session: ReadSession, agreement_id: UUID | None, as_of: date
) -> LedgerReconciliation:
    """Compare every assignment active on `as_of` with the receivables ledger."""
    check_date(as_of, "asOf")
    rows = await session.run(lambda conn: q.reconcile(conn, agreement_id, as_of))
    differences = [
        LedgerDifference(
            r.assignment_id,
            r.agreement_id,
            r.invoice_id,
            r.number,
            r.customer_id,
            r.currency,
            int(r.factored_minor),
            int(r.ledger_minor),
        )
        for r in rows
        if int(r.factored_minor) != int(r.ledger_minor)
    ]
    return LedgerReconciliation(as_of, len(rows), differences)


@dataclass(frozen=True, slots=True)
class StatementLineIn:
    """One line of the factor's statement as the CSV carried it."""

    invoice_number: str
    kind: str
    effective_on: str
    amount: str


@dataclass(frozen=True, slots=True)
class StatementDifference:
    """A (invoice, kind) where the factor's statement and our sub-ledger disagree."""

    invoice_number: str
    kind: str
    currency: str
    ours_minor: int | None
    theirs_minor: int | None
    status: str  #: MISSING_IN_OURS, MISSING_IN_FACTORS or AMOUNT_DIFFERS


@dataclass(frozen=True, slots=True)
class StatementReconciliation:
    """A stored factor statement compared with the sub-ledger up to its date."""

    statement_id: UUID
    agreement_id: UUID
    statement_date: date
    lines: int
    differences: list[StatementDifference]


async def import_statement(
    uow: UnitOfWork, agreement_id: UUID, statement_date: date, lines: list[StatementLineIn]
) -> UUID:
    """Keep a factor's statement; a line that cannot be read is refused by its number."""
    check_date(statement_date, "statementDate")
    agreement = await agreement_row(uow, agreement_id)
    if not lines or len(lines) > MAX_LINES:
        raise DomainError("TOO_MANY", f"one to {MAX_LINES} lines", "lines")
    numbers = sorted({line.invoice_number.strip() for line in lines})
    currency_of = {
        r.number: r.currency.strip()
        for r in await uow.conn.execute(
            sa.select(invoices.c.number, invoices.c.currency).where(invoices.c.number.in_(numbers))
        )
    }
    fallback = agreement.currencies[0].strip()
    errors: list[DomainError] = []
    rows: list[dict[str, Any]] = []
    for n, line in enumerate(lines):
        field = f"lines.{n}"
        number = line.invoice_number.strip()
        kind = line.kind.strip().upper()
        if not number or len(number) > 200:
            errors.append(
                DomainError("INVALID_INPUT", "an invoice number", f"{field}.invoiceNumber")
            )
        if kind not in EntryKind.__members__:
            errors.append(DomainError("INVALID_KIND", "a sub-ledger entry kind", f"{field}.kind"))
        try:
            on = check_date(date.fromisoformat(line.effective_on.strip()), f"{field}.date")
        except ValueError:
            errors.append(DomainError("INVALID_DATE", "YYYY-MM-DD", f"{field}.date"))
            continue
        except DomainError as exc:
            errors.append(exc)
            continue
        try:
            money = Money.parse(line.amount, currency_of.get(number, fallback), field)
        except DomainError as exc:
            errors.append(exc)
            continue
        rows.append(
            {
                "line_no": n + 1,
                "invoice_number": number,
                "kind": kind,
                "effective_on": on,
                "amount_minor": money.minor,
            }
        )
    if errors:
        raise ValidationFailed(errors[:100])
    statement_id: UUID = await uow.conn.scalar(
        factor_statements.insert()
        .values(
            tenant_id=uow.tenant_id,
            agreement_id=agreement_id,
            statement_date=statement_date,
            line_count=len(rows),
            created_by=uow.actor.subject,
        )
        .returning(factor_statements.c.id)
    )
    await uow.conn.execute(
        factor_statement_lines.insert(),
        [{"tenant_id": uow.tenant_id, "statement_id": statement_id, **r} for r in rows],
    )
    return statement_id


async def statement_reconciliation(
    session: ReadSession, statement_id: UUID
) -> StatementReconciliation:
    """Every (invoice, kind) whose totals differ between the factor's statement and our
    sub-ledger up to the statement's date (collections we hold count once remitted)."""
    return await session.run(lambda conn: _compare(conn, statement_id))


async def _compare(conn: Any, statement_id: UUID) -> StatementReconciliation:
    head = (
        await conn.execute(
            sa.select(factor_statements).where(factor_statements.c.id == statement_id)
        )
    ).first()
    if head is None:
        raise NotFound("statementId", "factor statement")
    currencies = await conn.scalar(
        sa.select(factoring_agreements.c.currencies).where(
            factoring_agreements.c.id == head.agreement_id
        )
    )
    fallback = currencies[0].strip()
    theirs: dict[tuple[str, str], int] = defaultdict(int)
    for r in await conn.execute(
        sa.select(factor_statement_lines).where(
            factor_statement_lines.c.statement_id == statement_id
        )
    ):
        theirs[(r.invoice_number, r.kind)] += r.amount_minor
    e = factoring_entries.c
    ours: dict[tuple[str, str], int] = defaultdict(int)
    currency: dict[str, str] = {}
    for r in await conn.execute(
        sa.select(invoices.c.number, e.kind, e.currency, e.received_by, e.amount_minor)
        .join(invoices, sa.and_(invoices.c.tenant_id == e.tenant_id, invoices.c.id == e.invoice_id))
        .where(e.agreement_id == head.agreement_id, e.effective_on <= head.statement_date)
    ):
        currency[r.number] = r.currency.strip()
        if r.kind == EntryKind.COLLECTION.value and r.received_by == "US":
            continue  # the factor sees these when we remit them
        ours[(r.number, r.kind)] += r.amount_minor
    differences = []
    for key in sorted(set(ours) | set(theirs)):
        mine, other = ours.get(key), theirs.get(key)
        if mine == other:
            continue
        status = (
            "MISSING_IN_OURS"
            if mine is None
            else "MISSING_IN_FACTORS"
            if other is None
            else "AMOUNT_DIFFERS"
        )
        differences.append(
            StatementDifference(key[0], key[1], currency.get(key[0], fallback), mine, other, status)
        )
    return StatementReconciliation(
        statement_id, head.agreement_id, head.statement_date, head.line_count, differences
    )
