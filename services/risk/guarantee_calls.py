"""Calling a guarantee (a demand letter in the evidence chain, kept as the exact bytes sent)
and the guarantor's payments, which are payments on the customer's invoices marked as his."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from uuid import UUID, uuid4

import sqlalchemy as sa

from dbschema.ledger_tables import invoices, payments
from dbschema.queries.events import record_event
from dbschema.risk_security_tables import (
    guarantee_call_pdfs,
    guarantee_calls,
    guarantee_invoices,
    guarantee_payments,
    guarantors,
)
from dbschema.tables import customers, tenants
from documents.guarantee_demand import Debt, DemandLetter, data_uri, render_demand_pdf
from domain.audit import AuditAction
from domain.dates import check_date
from domain.errors import DomainError
from domain.risk import guarantees as rules
from services import audit
from services.collections.activities import ActivityIn, record_activity
from services.idempotency import Operation, run_once
from services.inputs import MoneyIn
from services.ledger import payments as ledger_payments
from services.ledger.inputs import AllocationLine, PaymentIn
from services.read_session import ReadSession
from services.risk.guarantee_reads import GuaranteeView
from services.risk.guarantees import changed, locked, set_status
from services.tenant.profile import load_in
from services.uow import UnitOfWork

LANGUAGES = ("zh-CN", "en")
DEBTS_MAX = 200  #: the newest-due debts a letter lists (the total covers them all)


@dataclass(frozen=True)
class GuarantorPaid:
    """A payment by the guarantor, posted on the customer's invoices and marked as his."""

    payment_id: UUID
    guarantee_id: UUID
    paid_in_full: bool


RECORD_GUARANTOR_PAYMENT = Operation("RECORD_GUARANTOR_PAYMENT", GuarantorPaid)


def _terms(row: Any, named: frozenset[str]) -> rules.GuaranteeTerms:
    return rules.GuaranteeTerms(
        str(row.id), str(row.customer_id), rules.GuaranteeKind(row.kind), rules.Scope(row.scope),
        row.valid_from, row.valid_to, row.period_months, rules.Status(row.status), named,
    )  # fmt: skip


async def covered_due(uow: UnitOfWork, row: Any, on: date) -> list[Any]:
    """The customer's open invoices in the guarantee's currency, due by `on`, it covers."""
    named = frozenset(
        str(i)
        for i in await uow.conn.scalars(
            sa.select(guarantee_invoices.c.invoice_id).where(
                guarantee_invoices.c.guarantee_id == row.id
            )
        )
    )
    terms = _terms(row, named)
    i = invoices.c
    rows = await uow.conn.execute(
        sa.select(i.id, i.number, i.customer_id, i.issue_date, i.due_date, i.open_minor)
        .where(i.customer_id == row.customer_id, i.is_open, i.due_date <= on,
               i.currency == row.currency)
        .order_by(i.due_date, i.number)
    )  # fmt: skip
    return [
        r for r in rows
        if rules.covers(terms, rules.Debt(str(r.id), str(r.customer_id), r.issue_date,
                                          r.due_date, int(r.open_minor)))
    ]  # fmt: skip


async def _letter(uow: UnitOfWork, row: Any, debts: list[Any], demanded: int, on: date) -> Any:
    profile = await load_in(uow)
    seller = profile.legal_name or await uow.conn.scalar(sa.select(tenants.c.name)) or ""
    guarantor = await uow.conn.scalar(
        sa.select(guarantors.c.name).where(guarantors.c.id == row.guarantor_id)
    )
    debtor = await uow.conn.scalar(
        sa.select(customers.c.legal_name).where(customers.c.id == row.customer_id)
    )
    accounts = tuple(
        f"{a.bank} {a.branch or ''} · {a.account_name} · {a.account_number} ({a.currency})"
        for a in profile.bank_accounts
        if a.currency == row.currency
    )
    return DemandLetter(
        on=on.isoformat(), seller=seller, address=profile.address, phone=profile.phone,
        email=profile.email, contact=profile.contact_person,
        logo=data_uri(profile.logo.media_type, profile.logo.data) if profile.logo else None,
        seal=data_uri(profile.seal.media_type, profile.seal.data) if profile.seal else None,
        accounts=accounts, guarantor=guarantor or "", debtor=debtor or "",
        reference=row.reference, kind=row.kind, guaranteed_minor=int(row.amount_minor),
        valid_from=row.valid_from.isoformat(), valid_to=row.valid_to.isoformat(),
        currency=row.currency.strip(),
        debts=tuple(Debt(d.number, d.due_date.isoformat(), int(d.open_minor))
                    for d in debts[-DEBTS_MAX:]),
        demanded_minor=demanded,
    )  # fmt: skip


async def call_guarantee(
    uow: UnitOfWork, guarantee_id: UUID, on: date, version: int | None = None
) -> GuaranteeView:
    """Call the guarantee for the covered debts due by `on` (up to its amount): the demand
    letter is rendered in zh-CN and en, kept as the exact bytes, and entered in the customer's
    evidence chain; the guarantee becomes CALLED and risk.guarantee_called is published."""
    check_date(on, "calledOn")
    row = await locked(uow, guarantee_id, version)
    rules.move(rules.Status(row.status), rules.Status.CALLED)
    kind = rules.GuaranteeKind(row.kind)
    if kind in rules.INSTRUMENTS and on > row.valid_to:
        raise DomainError("CLAIM_TOO_LATE", "the instrument expired before the demand", "calledOn")
    debts = await covered_due(uow, row, on)
    total = sum(int(d.open_minor) for d in debts)
    if total <= 0:
        raise DomainError("NOTHING_DUE", "no covered debt is due and unpaid", "id")
    demanded = min(total, int(row.amount_minor))
    letter = await _letter(uow, row, debts, demanded, on)
    call_id = uuid4()
    occurred = min(datetime.combine(on, time(12), UTC), datetime.now(UTC))
    activity = await record_activity(uow, ActivityIn(
        customer_id=row.customer_id, kind="LETTER", occurred_at=occurred,
        outcome="guarantee demand", notes=f"guarantee {row.reference} called: "
        f"{demanded} {row.currency.strip()} (minor units) demanded from the guarantor",
        document_ref=f"guarantee-call:{call_id}",
    ))  # fmt: skip
    await uow.conn.execute(
        guarantee_calls.insert().values(
            tenant_id=uow.tenant_id, id=call_id, guarantee_id=row.id, called_on=on,
            demanded_minor=demanded, currency=row.currency, content=asdict(letter),
            activity_id=activity.activity_id, created_by=uow.actor.subject,
        )
    )  # fmt: skip
    for lang in LANGUAGES:
        pdf = await asyncio.to_thread(render_demand_pdf, letter, lang)
        await uow.conn.execute(guarantee_call_pdfs.insert().values(
            tenant_id=uow.tenant_id, call_id=call_id, lang=lang, pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
        ))  # fmt: skip
    await set_status(uow, row, rules.Status.CALLED, on, None)
    await audit.record(
        uow, AuditAction.CALL_GUARANTEE, "guarantee", row.id, row.customer_id,
        {"status": [row.status, "CALLED"], "demanded": [None, f"{demanded} {row.currency}"]},
    )  # fmt: skip
    await record_event(uow.conn, uow.tenant_id, "risk.guarantee_called", {
        "guaranteeId": str(row.id), "customerId": str(row.customer_id), "callId": str(call_id),
        "demandedMinor": demanded, "currency": row.currency.strip(), "calledOn": on.isoformat(),
    })  # fmt: skip
    return await changed(uow, row.id, "CALLED")


@dataclass(frozen=True)
class KeptPdf:
    """A demand letter as sent."""

    lang: str
    pdf: bytes
    sha256: str


async def demand_pdf(session: ReadSession, call_id: UUID, lang: str) -> KeptPdf | None:
    """The exact bytes of a call's letter in one language."""
    p = guarantee_call_pdfs.c
    query = sa.select(p.pdf, p.sha256).where(p.call_id == call_id, p.lang == lang)
    row = (await session.run(lambda c: c.execute(query))).one_or_none()
    return None if row is None else KeptPdf(lang, bytes(row.pdf), row.sha256)


async def record_guarantor_payment(
    uow: UnitOfWork,
    guarantee_id: UUID,
    received_on: date,
    amount: MoneyIn,
    lines: list[AllocationLine],
    key: str,
) -> GuarantorPaid:
    """Post the guarantor's payment on the customer's invoices (oldest first, or the lines
    given) through the ledger, marked as coming from the guarantor; once the guarantor has
    paid what was demanded, the called guarantee is PAID. Once per key."""
    content = {"g": str(guarantee_id), "on": received_on.isoformat(), "amount": asdict(amount),
               "lines": [[str(x.invoice_id), x.amount] for x in lines]}  # fmt: skip

    async def work() -> GuarantorPaid:
        row = await locked(uow, guarantee_id, None)
        if row.status != rules.Status.CALLED:
            raise DomainError("INVALID_STATUS", "only a called guarantee is paid", "guaranteeId")
        name = await uow.conn.scalar(
            sa.select(guarantors.c.name).where(guarantors.c.id == row.guarantor_id)
        )
        posted = await ledger_payments.create_payment(uow, PaymentIn(
            customer_id=row.customer_id, received_on=received_on, amount=amount,
            reference=f"guarantor {name} · guarantee {row.reference}"[:200],
            allocation="EXPLICIT" if lines else "AUTO", lines=list(lines),
        ), key=f"guarantor:{key}")  # fmt: skip
        payment_id = posted.result.payment_id
        await uow.conn.execute(guarantee_payments.insert().values(
            tenant_id=uow.tenant_id, payment_id=payment_id, guarantee_id=row.id,
            created_by=uow.actor.subject,
        ))  # fmt: skip
        paid = await uow.conn.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(payments.c.amount_minor), 0))
            .join(guarantee_payments, sa.and_(
                guarantee_payments.c.tenant_id == payments.c.tenant_id,
                guarantee_payments.c.payment_id == payments.c.id))
            .where(guarantee_payments.c.guarantee_id == row.id, payments.c.status == "POSTED")
        )  # fmt: skip
        demanded = await uow.conn.scalar(
            sa.select(guarantee_calls.c.demanded_minor).where(
                guarantee_calls.c.guarantee_id == row.id
            )
        )
        full = int(paid or 0) >= int(demanded or 0)
        if full:
            await set_status(uow, row, rules.Status.PAID, received_on, None)
            await changed(uow, row.id, "PAID")
        await audit.record(
            uow, AuditAction.RECORD_GUARANTOR_PAYMENT, "guarantee", row.id, row.customer_id,
            {"payment": [None, str(payment_id)], "amount": [None, f"{amount.amount} "
             f"{amount.currency}"]},
        )  # fmt: skip
        return GuarantorPaid(payment_id, row.id, full)

    return (await run_once(uow, RECORD_GUARANTOR_PAYMENT, key, content, work)).result
