"""Guarantors and guarantees through the services: recorded, refused with nothing written,
called with a demand letter in the evidence chain, paid by the guarantor, released."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from domain.errors import DomainError, ValidationFailed
from services.inputs import MoneyIn
from services.read_session import ReadSession
from services.risk import guarantee_calls, guarantee_reads, guarantees
from tests.services.risk_security_helpers import (
    SALES,
    customer,
    guarantee,
    guarantee_in,
    guarantor,
    invoice,
    uow,
)


def count(database, table: str) -> int:
    return int(database.query(f"SELECT count(*) FROM {table}")[0][0])


async def test_guarantor_identity_is_masked_for_roles_that_need_not_see_it(runtime, tenants):
    acme = tenants["acme"]
    guarantor_id = await guarantor(runtime, acme)
    async with uow(runtime, acme) as work:
        full = await guarantee_reads.guarantor(work.conn, guarantor_id, work.actor.roles)
    async with uow(runtime, acme, SALES) as work:
        masked = await guarantee_reads.guarantor(work.conn, guarantor_id, work.actor.roles)
    assert full is not None and full.identity_number == "110101199003074514"
    assert masked is not None and masked.identity_number == "11************4514"
    assert masked.identity_masked and not full.identity_masked


async def test_bad_guarantees_are_refused_and_nothing_is_written(runtime, tenants, database):
    acme = tenants["acme"]
    customer_id = await customer(runtime, acme, "C1")
    guarantor_id = await guarantor(runtime, acme)
    cases = [
        (guarantee_in(guarantor_id, customer_id, valid_from=date(2026, 6, 1),
                      valid_to=date(2026, 5, 31)), "ENDS_BEFORE_START", "validTo"),
        (guarantee_in(guarantor_id, uuid.uuid4()), "NOT_FOUND", "customerId"),
        (guarantee_in(guarantor_id, customer_id, amount=MoneyIn("0", "CNY")),
         "AMOUNT_NOT_POSITIVE", "amount.amount"),
        (guarantee_in(guarantor_id, customer_id, kind="SURETY"), "INVALID_KIND", "kind"),
        (guarantee_in(guarantor_id, customer_id, scope="NAMED_INVOICES"), "REQUIRED",
         "invoiceIds"),
        (guarantee_in(guarantor_id, customer_id, period_months=0), "INVALID_INPUT",
         "periodMonths"),
    ]  # fmt: skip
    for data, code, field in cases:
        with pytest.raises(ValidationFailed) as refused:
            async with uow(runtime, acme) as work:
                await guarantees.create_guarantee(work, data)
                await work.commit()
        assert (code, field) in {(e.code, e.field) for e in refused.value.errors}
    assert count(database, "guarantees") == 0
    assert count(database, "guarantee_invoices") == 0
    assert count(database, "audit_log") == count(database, "audit_log WHERE action <> "
                                                 "'CREATE_GUARANTEE'")  # fmt: skip


async def test_another_tenants_customer_is_unknown(runtime, tenants, database):
    other = await customer(runtime, tenants["globex"], "G1")
    guarantor_id = await guarantor(runtime, tenants["acme"])
    with pytest.raises(ValidationFailed) as refused:
        async with uow(runtime, tenants["acme"]) as work:
            await guarantees.create_guarantee(work, guarantee_in(guarantor_id, other))
    assert ("NOT_FOUND", "customerId") in {(e.code, e.field) for e in refused.value.errors}
    assert count(database, "guarantees") == 0


async def test_call_writes_the_letter_the_activity_and_the_event(runtime, tenants, database):
    acme = tenants["acme"]
    customer_id = await customer(runtime, acme, "C1")
    await invoice(runtime, acme, customer_id, "INV-1", date(2026, 1, 10), date(2026, 2, 10),
                  "60000.00")  # fmt: skip
    await invoice(runtime, acme, customer_id, "INV-2", date(2026, 2, 10), date(2026, 3, 10),
                  "70000.00")  # fmt: skip
    guarantee_id = await guarantee(
        runtime, acme, guarantee_in(await guarantor(runtime, acme), customer_id)
    )
    async with uow(runtime, acme) as work:
        called = await guarantee_calls.call_guarantee(work, guarantee_id, date(2026, 4, 1))
        await work.commit()
    assert called.status == "CALLED"
    rows = database.query("SELECT demanded_minor, activity_id FROM guarantee_calls")
    assert rows[0][0] == 10_000_000  # capped by the guarantee's amount, not the 130,000 due
    activity = database.query("SELECT kind, document_ref FROM activities WHERE id = %s",
                              rows[0][1])  # fmt: skip
    assert activity[0][0] == "LETTER" and activity[0][1].startswith("guarantee-call:")
    pdfs = database.query("SELECT lang, pdf, sha256 FROM guarantee_call_pdfs ORDER BY lang")
    assert [p[0] for p in pdfs] == ["en", "zh-CN"]
    assert all(bytes(p[1]).startswith(b"%PDF") for p in pdfs)
    topics = [r[0] for r in database.query("SELECT topic FROM events ORDER BY seq")]
    assert "risk.guarantee_called" in topics
    session = ReadSession(runtime.engine, acme)
    try:
        call = await guarantee_reads.call_of(session, guarantee_id)
        assert call is not None
        kept = await guarantee_calls.demand_pdf(session, call.id, "zh-CN")
    finally:
        await session.close()
    assert kept is not None and kept.pdf == bytes(pdfs[1][1])


async def test_a_released_guarantee_cannot_be_called(runtime, tenants, database):
    acme = tenants["acme"]
    customer_id = await customer(runtime, acme, "C1")
    await invoice(runtime, acme, customer_id, "INV-1", date(2026, 1, 10), date(2026, 2, 10),
                  "60000.00")  # fmt: skip
    guarantee_id = await guarantee(
        runtime, acme, guarantee_in(await guarantor(runtime, acme), customer_id)
    )
    async with uow(runtime, acme) as work:
        await guarantees.release_guarantee(work, guarantee_id, date(2026, 3, 1), "restored")
        await work.commit()
    with pytest.raises(DomainError) as refused:
        async with uow(runtime, acme) as work:
            await guarantee_calls.call_guarantee(work, guarantee_id, date(2026, 4, 1))
    assert refused.value.code == "INVALID_STATUS"
    assert count(database, "guarantee_calls") == 0
    assert count(database, "activities") == 0
    assert database.query("SELECT status FROM guarantees")[0][0] == "RELEASED"


async def test_the_guarantors_payment_is_marked_and_pays_the_guarantee(runtime, tenants, database):
    acme = tenants["acme"]
    customer_id = await customer(runtime, acme, "C1")
    invoice_id = await invoice(runtime, acme, customer_id, "INV-1", date(2026, 1, 10),
                               date(2026, 2, 10), "60000.00")  # fmt: skip
    guarantee_id = await guarantee(
        runtime, acme, guarantee_in(await guarantor(runtime, acme), customer_id)
    )
    async with uow(runtime, acme) as work:
        await guarantee_calls.call_guarantee(work, guarantee_id, date(2026, 4, 1))
        await work.commit()
    for _ in range(2):  # a replay of the same key pays nothing twice
        async with uow(runtime, acme) as work:
            paid = await guarantee_calls.record_guarantor_payment(
                work, guarantee_id, date(2026, 4, 10), MoneyIn("60000.00", "CNY"), [], "pay-1"
            )
            await work.commit()
    assert paid.paid_in_full
    assert count(database, "payments") == 1
    assert database.query("SELECT open_minor FROM invoices WHERE id = %s", invoice_id)[0][0] == 0
    marked = database.query(
        "SELECT p.reference FROM payments p JOIN guarantee_payments g ON g.payment_id = p.id"
    )
    assert "guarantor" in marked[0][0]
    assert database.query("SELECT status FROM guarantees")[0][0] == "PAID"
