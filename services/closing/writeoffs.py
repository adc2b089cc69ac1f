"""Write-offs: proposed with evidence, approved by others, posted as ledger entries.

Posting brings the open amount to zero with WRITE_OFF entries (which the next provision run
counts as utilised) and opens a bad-debt case for the case library.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.closing_tables import (
    bad_debt_cases,
    write_off_approvals,
    write_off_lines,
    write_off_proposals,
)
from dbschema.ledger_tables import invoices, payments
from dbschema.queries.events import record_event
from dbschema.queries.ledger import lock_invoices, post_allocations
from domain import texts
from domain.dates import check_date
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.money import Money, check_document_amount
from domain.writeoff import (
    approvals_required,
    check_approval,
    fully_approved,
)
from services.configuration import policy as receivables_config
from services.idempotency import Operation, run_once
from services.uow import UnitOfWork

#: Invoices one proposal writes off: its total (each line at most one document's maximum)
#: stays far inside a BIGINT.
MAX_LINES = 1000


@dataclass(frozen=True)
class WriteOffIn:
    """A proposal as the API received it: (invoice, decimal amount) lines, reason, evidence."""

    customer_id: UUID
    lines: tuple[tuple[UUID, str], ...]
    reason: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class WriteOffStep:
    """What a write-off step touched: the proposal, its new status, its bad-debt case once
    posted, and whether an idempotency key replayed the first result."""

    proposal_id: UUID
    status: str | None = None
    case_id: UUID | None = None
    replayed: bool = False


@dataclass(frozen=True)
class CaseStep:
    """What a bad-debt case step touched: the case and, for a recovery, its payment."""

    case_id: UUID
    payment_id: UUID | None = None
    replayed: bool = False


def _uuid(record: Mapping[str, Any], key: str) -> UUID | None:
    """An id from a replay record (stored JSON, keyed as it has always been)."""
    return UUID(record[key]) if record.get(key) else None


async def _threshold(uow: UnitOfWork) -> int:
    return (await receivables_config.in_effect(uow)).write_off_dual_approval_minor


async def propose(uow: UnitOfWork, data: WriteOffIn, key: str) -> WriteOffStep:
    """Propose writing off (parts of) a customer's invoices, one currency per proposal."""
    record, replayed = await _propose_once(uow, data, key)
    return WriteOffStep(UUID(record["proposalId"]), replayed=replayed)


async def _propose_once(uow: UnitOfWork, data: WriteOffIn, key: str) -> tuple[dict[str, Any], bool]:
    customer_id, lines, reason = data.customer_id, list(data.lines), data.reason
    evidence = list(data.evidence)
    content = {
        "customer": str(customer_id),
        "lines": [(str(i), a) for i, a in lines],
        "reason": reason,
        "evidence": evidence,
    }

    async def work() -> dict[str, Any]:
        errors: list[DomainError] = []
        if not reason.strip():
            errors.append(DomainError("REQUIRED", "say why the debt is irrecoverable", "reason"))
        if not lines:
            errors.append(DomainError("REQUIRED", "at least one invoice", "lines"))
        if len(lines) > MAX_LINES:
            errors.append(DomainError("TOO_MANY", f"at most {MAX_LINES} invoices", "lines"))
            raise ValidationFailed(errors)
        if len(evidence) > texts.MAX_EVIDENCE:
            errors.append(
                DomainError("TOO_MANY", f"at most {texts.MAX_EVIDENCE} references", "evidence")
            )
        for n, item in enumerate(evidence):
            texts.collect_text(item, texts.EVIDENCE, f"evidence.{n}", errors)
        texts.collect_text(reason, texts.NOTE, "reason", errors)
        locked = await lock_invoices(uow.conn, [i for i, _ in lines])
        currencies = set()
        parsed: list[tuple[UUID, int]] = []
        for n, (invoice_id, amount) in enumerate(lines):
            invoice = locked.get(invoice_id)
            if invoice is None or invoice["customer_id"] != customer_id:
                errors.append(NotFound(f"lines.{n}.invoiceId", "invoice"))
                continue
            currency = invoice["currency"].strip()
            currencies.add(currency)
            try:
                money = Money.parse(amount, currency, f"lines.{n}")
            except DomainError as exc:
                errors.append(exc)
                continue
            if invoice["open_minor"] == 0:
                errors.append(
                    DomainError(
                        "INVOICE_SETTLED", "the invoice is fully paid", f"lines.{n}.invoiceId"
                    )
                )
            elif money.minor <= 0:
                errors.append(
                    DomainError(
                        "AMOUNT_NOT_POSITIVE", "must be greater than zero", f"lines.{n}.amount"
                    )
                )
            elif money.minor > invoice["open_minor"]:
                errors.append(
                    DomainError("EXCEEDS_OPEN_AMOUNT", "more than is open", f"lines.{n}.amount")
                )
            else:
                parsed.append((invoice_id, money.minor))
        if len(currencies) > 1:
            errors.append(DomainError("CURRENCY_MISMATCH", "one currency per proposal", "lines"))
        if errors:
            raise ValidationFailed(errors)
        total = sum(a for _, a in parsed)
        required = approvals_required(total, await _threshold(uow))
        proposal_id: UUID = await uow.conn.scalar(
            write_off_proposals.insert()
            .values(
                tenant_id=uow.tenant_id,
                customer_id=customer_id,
                currency=currencies.pop(),
                total_minor=total,
                reason=reason.strip(),
                evidence=evidence,
                required_roles=sorted(required),
                idempotency_key=key,
                created_by=uow.actor.subject,
            )
            .returning(write_off_proposals.c.id)
        )
        await uow.conn.execute(
            write_off_lines.insert(),
            [
                {
                    "tenant_id": uow.tenant_id,
                    "proposal_id": proposal_id,
                    "invoice_id": i,
                    "amount_minor": a,
                }
                for i, a in parsed
            ],
        )
        return {"proposalId": str(proposal_id)}

    return await run_once(uow, Operation("PROPOSE_WRITE_OFF", dict), key, content, work)


async def _locked_proposal(uow: UnitOfWork, proposal_id: UUID) -> Any:
    row = (
        await uow.conn.execute(
            sa.select(write_off_proposals)
            .where(write_off_proposals.c.id == proposal_id)
            .with_for_update()
        )
    ).first()
    if row is None:
        raise NotFound("id", "write-off proposal")
    return row


async def decide(
    uow: UnitOfWork, proposal_id: UUID, approve: bool, note: str | None
) -> WriteOffStep:
    """Approve (filling one required role) or reject a proposal; each approval comes from
    another person than the proposer and than every earlier approver (domain.four_eyes)."""
    texts.check_text(note, texts.NOTE, "note")
    row = await _locked_proposal(uow, proposal_id)
    if row.status != "PROPOSED":
        raise DomainError("INVALID_STATUS", f"the proposal is {row.status.lower()}", "id")
    required = frozenset(row.required_roles)
    approvals = (
        await uow.conn.execute(
            sa.select(write_off_approvals.c.role, write_off_approvals.c.approver).where(
                write_off_approvals.c.proposal_id == proposal_id
            )
        )
    ).all()
    given = frozenset(a.role for a in approvals)
    role = check_approval(
        row.created_by,
        uow.actor.subject,
        uow.actor.roles,
        required,
        given,
        earlier_approvers=[a.approver for a in approvals],
    )
    await uow.conn.execute(
        write_off_approvals.insert().values(
            tenant_id=uow.tenant_id,
            proposal_id=proposal_id,
            role=role,
            approver=uow.actor.subject,
            decision="APPROVED" if approve else "REJECTED",
            note=note,
        )
    )
    status = (
        "REJECTED"
        if not approve
        else ("APPROVED" if fully_approved(required, given | {role}) else "PROPOSED")
    )
    await uow.conn.execute(
        write_off_proposals.update()
        .where(write_off_proposals.c.id == proposal_id)
        .values(status=status)
    )
    return WriteOffStep(proposal_id, status=status)


async def post(uow: UnitOfWork, proposal_id: UUID, on: date, key: str) -> WriteOffStep:
    """Post an approved write-off: entries close the amounts, a bad-debt case opens."""
    record, replayed = await _post_once(uow, proposal_id, on, key)
    return WriteOffStep(proposal_id, "POSTED", _uuid(record, "caseId"), replayed)


async def _post_once(
    uow: UnitOfWork, proposal_id: UUID, on: date, key: str
) -> tuple[dict[str, Any], bool]:

    async def work() -> dict[str, Any]:
        check_date(on, "effectiveOn")
        row = await _locked_proposal(uow, proposal_id)
        if row.status != "APPROVED":
            raise DomainError("INVALID_STATUS", "only an approved proposal can be posted", "id")
        lines = (
            await uow.conn.execute(
                sa.select(write_off_lines).where(write_off_lines.c.proposal_id == proposal_id)
            )
        ).all()
        locked = await lock_invoices(uow.conn, [line.invoice_id for line in lines])
        for line in lines:
            if line.amount_minor > locked[line.invoice_id]["open_minor"]:
                raise DomainError(
                    "EXCEEDS_OPEN_AMOUNT",
                    "an invoice was paid since the proposal; propose again",
                    "id",
                )
        currency = row.currency.strip()
        await post_allocations(
            uow.conn,
            uow.tenant_id,
            kind="WRITE_OFF",
            source_column="write_off_id",
            source_id=proposal_id,
            currency=currency,
            lines=[(line.invoice_id, line.amount_minor) for line in lines],
            effective_on=on,
            actor=uow.actor.subject,
        )
        for line in lines:
            await uow.conn.execute(
                invoices.update()
                .where(invoices.c.id == line.invoice_id)
                .values(written_off_minor=invoices.c.written_off_minor + line.amount_minor)
            )
        case_id = await uow.conn.scalar(
            bad_debt_cases.insert()
            .values(
                tenant_id=uow.tenant_id,
                customer_id=row.customer_id,
                proposal_id=proposal_id,
                currency=currency,
                amount_minor=row.total_minor,
                cause=row.reason[: texts.NOTE.max_chars],  # a reason kept from before 0017
                created_by=uow.actor.subject,
            )
            .returning(bad_debt_cases.c.id)
        )
        await uow.conn.execute(
            write_off_proposals.update()
            .where(write_off_proposals.c.id == proposal_id)
            .values(status="POSTED", posted_at=sa.func.now())
        )
        await record_event(
            uow.conn,
            uow.tenant_id,
            "writeoff.posted",
            {
                "proposalId": str(proposal_id),
                "customerId": str(row.customer_id),
                "amount": Money(row.total_minor, currency).to_decimal_string(),
                "currency": currency,
            },
        )
        return {"proposalId": str(proposal_id), "caseId": str(case_id)}

    return await run_once(
        uow, Operation("POST_WRITE_OFF", dict), key, {"proposal": str(proposal_id), "on": on}, work
    )


async def record_recovery(
    uow: UnitOfWork, case_id: UUID, amount: str, received_on: date, reference: str | None, key: str
) -> CaseStep:
    """Cash received on a written-off debt: a recovery, not a re-opened invoice."""
    record, replayed = await _recover_once(uow, case_id, amount, received_on, reference, key)
    return CaseStep(case_id, _uuid(record, "paymentId"), replayed)


async def _recover_once(
    uow: UnitOfWork, case_id: UUID, amount: str, received_on: date, reference: str | None, key: str
) -> tuple[dict[str, Any], bool]:
    content = {"case": str(case_id), "amount": amount, "on": received_on, "ref": reference}

    async def work() -> dict[str, Any]:
        case = (
            await uow.conn.execute(
                sa.select(bad_debt_cases).where(bad_debt_cases.c.id == case_id).with_for_update()
            )
        ).first()
        if case is None:
            raise NotFound("caseId", "bad-debt case")
        check_date(received_on, "receivedOn")
        texts.check_text(reference, texts.REFERENCE, "reference")
        money = Money.parse(amount, case.currency.strip(), "amount")
        if money.minor <= 0:
            raise DomainError("AMOUNT_NOT_POSITIVE", "must be greater than zero", "amount.amount")
        maximum = (await receivables_config.in_effect(uow)).max_document_minor
        check_document_amount(money, maximum, "amount.amount")
        if case.recovered_minor + money.minor > case.amount_minor:
            raise DomainError("EXCEEDS_OPEN_AMOUNT", "more than was written off", "amount.amount")
        payment_id = await uow.conn.scalar(
            payments.insert()
            .values(
                tenant_id=uow.tenant_id,
                customer_id=case.customer_id,
                received_on=received_on,
                currency=money.currency,
                amount_minor=money.minor,
                unallocated_minor=0,
                method="OTHER",
                reference=reference,
                is_recovery=True,
                recovery_case_id=case_id,
                fingerprint=key,
                created_by=uow.actor.subject,
            )
            .returning(payments.c.id)
        )
        await uow.conn.execute(
            bad_debt_cases.update()
            .where(bad_debt_cases.c.id == case_id)
            .values(recovered_minor=bad_debt_cases.c.recovered_minor + money.minor)
        )
        return {"caseId": str(case_id), "paymentId": str(payment_id)}

    return await run_once(uow, Operation("RECORD_RECOVERY", dict), key, content, work)


async def undo_recovery(uow: UnitOfWork, case_id: UUID, amount_minor: int) -> None:
    """A recovery's payment was reversed: the case no longer counts it as recovered. Runs in
    the reversal's transaction, which records the reversal on the payment (nothing erased)."""
    await uow.conn.execute(
        bad_debt_cases.update()
        .where(bad_debt_cases.c.id == case_id)
        .values(recovered_minor=bad_debt_cases.c.recovered_minor - amount_minor)
    )


async def record_lessons(
    uow: UnitOfWork, case_id: UUID, cause: str | None, lessons: str
) -> CaseStep:
    """What the case taught, for the case library."""
    errors: list[DomainError] = []
    texts.collect_text(lessons, texts.NOTE, "lessons", errors)
    texts.collect_text(cause, texts.NOTE, "cause", errors)
    if errors:
        raise ValidationFailed(errors)
    values: dict[str, Any] = {"lessons": lessons.strip()}
    if cause and cause.strip():
        values["cause"] = cause.strip()
    done = await uow.conn.execute(
        bad_debt_cases.update().where(bad_debt_cases.c.id == case_id).values(**values)
    )
    if done.rowcount == 0:
        raise NotFound("caseId", "bad-debt case")
    return CaseStep(case_id)
