"""Notifications to the insurer, claims and their indemnity, payments, recoveries, declarations."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from dbschema.risk_claim_tables import claim_lines, claim_movements, insurance_claims
from dbschema.risk_document_tables import risk_document_pdfs
from dbschema.risk_insurance_tables import insurance_declarations as declarations
from dbschema.tables import events, jobs
from domain.errors import DomainError, ValidationFailed
from services.inputs import MoneyIn
from services.read_session import ReadSession
from services.risk import claims, documents, insurance_declarations, insurance_notifications
from tests.documents.pdf_tools import pdf_text
from tests.services.risk_fixtures import count, cover, customer, invoice, policy, uow_for

JAN = date(2026, 1, 15)


async def _seed(runtime, tenant):
    async with uow_for(runtime, tenant) as uow:
        c = await customer(uow, "CLM-1")
        bare = await customer(uow, "CLM-2")
        p = await policy(uow, deductible=MoneyIn("1000.00", "CNY"))
        await cover(uow, p, c, "50000.00", JAN)
        one = await invoice(uow, c, "C-1", date(2026, 3, 1), date(2026, 3, 31), "20000.00")
        two = await invoice(uow, c, "C-2", date(2026, 3, 10), date(2026, 4, 9), "40000.00")
        uninsured = await invoice(uow, bare, "C-3", date(2026, 3, 1), date(2026, 3, 31), "100.00")
        await uow.commit()
    return c, bare, p, one, two, uninsured


async def test_a_claim_computes_the_indemnity_and_keeps_the_claim_pack(runtime, tenants, database):
    c, _bare, _p, one, two, _ = await _seed(runtime, tenants["acme"])
    # given the insurer was told in May
    async with uow_for(runtime, tenants["acme"]) as uow:
        told = await insurance_notifications.notify_insurer(uow, c, [one, two], date(2026, 5, 1))
        await uow.commit()
    # when the claim is filed in June (twice with the same key)
    for _ in range(2):
        async with uow_for(runtime, tenants["acme"]) as uow:
            step = await claims.file_claim(uow, c, [one, two], date(2026, 6, 1), "claim-1")
            await uow.commit()
    assert step.replayed
    # then 90% of (20,000 + 30,000 within the 50,000 cover - 1,000 deductible) = 44,100.00
    row = database.query(
        "SELECT status, covered_loss_minor, deductible_minor, indemnity_minor, document_id "
        "FROM insurance_claims"
    )
    assert [r[:4] for r in row] == [("FILED", 5_000_000, 100_000, 4_410_000)]
    assert database.query("SELECT count(*) FROM claim_lines") == [(2,)]
    # and the claim pack carries the invoices, the computation and the evidence
    session = ReadSession(runtime.engine, tenants["acme"])
    try:
        content = await documents.content_of(session, row[0][4])
    finally:
        await session.close()
    assert content is not None
    assert [i["coveredMinor"] for i in content["invoices"]] == [2_000_000, 3_000_000]
    assert content["evidence"]["notifications"][0]["invoices"] == ["C-1", "C-2"]
    # rendered once and kept: the same bytes the second time
    async with uow_for(runtime, tenants["acme"]) as uow:
        first = await documents.render(uow, row[0][4], "zh-CN")
        again = await documents.render(uow, row[0][4], "zh-CN")
        await documents.render(uow, told.document_id, "en")
        pdf = await uow.conn.scalar(
            sa.select(risk_document_pdfs.c.pdf).where(risk_document_pdfs.c.document_id == row[0][4])
        )
        await uow.commit()
    assert first == again
    text = pdf_text(bytes(pdf))
    assert "信用保险索赔申请书" in text and "肆万肆仟壹佰元整" in text and "¥44,100.00" in text
    render_jobs = database.query("SELECT count(*) FROM jobs WHERE actor = 'render_risk_document'")
    assert render_jobs == [(4,)]  # two documents, two languages each
    assert database.query("SELECT topic FROM events WHERE topic LIKE 'risk.claim%%'") == [
        ("risk.claim_filed",)
    ]


async def test_payments_move_the_status_and_recoveries_are_shared(runtime, tenants, database):
    c, _bare, _p, one, two, _ = await _seed(runtime, tenants["acme"])
    async with uow_for(runtime, tenants["acme"]) as uow:
        await insurance_notifications.notify_insurer(uow, c, [one, two], date(2026, 5, 1))
        claim = (await claims.file_claim(uow, c, [one, two], date(2026, 6, 1), "k")).claim_id
        await claims.record_payment(uow, claim, "30000.00", date(2026, 7, 1), "INS-PAY-1", "p1")
        assert await uow.conn.scalar(sa.select(insurance_claims.c.status)) == "PARTLY_PAID"
        with pytest.raises(DomainError) as refused:
            await claims.record_payment(uow, claim, "14100.01", date(2026, 7, 2), None, "p2")
        assert refused.value.code == "EXCEEDS_INDEMNITY"
        await claims.record_payment(uow, claim, "14100.00", date(2026, 7, 3), None, "p3")
        # when the buyer pays 10,000.00 after the indemnity, 90% of it is the insurer's
        await claims.record_recovery(uow, claim, "10000.00", date(2026, 8, 1), None, "r1")
        await uow.commit()
    assert database.query("SELECT status, paid_minor, shared_minor FROM insurance_claims") == [
        ("PAID", 4_410_000, 900_000)
    ]
    assert database.query(
        "SELECT kind, amount_minor, insurer_minor FROM claim_movements ORDER BY on_date"
    ) == [
        ("INDEMNITY", 3_000_000, 0),
        ("INDEMNITY", 1_410_000, 0),
        ("RECOVERY", 1_000_000, 900_000),
    ]
    assert database.query(
        "SELECT payload->>'status' FROM events WHERE topic = 'risk.claim_settled' ORDER BY seq"
    ) == [("PARTLY_PAID",), ("PAID",)]


async def test_a_claim_on_an_uninsured_invoice_is_refused_and_nothing_written(runtime, tenants):
    c, bare, _p, one, _two, uninsured = await _seed(runtime, tenants["acme"])
    async with uow_for(runtime, tenants["acme"]) as uow:
        with pytest.raises(ValidationFailed) as refused:
            await claims.file_claim(uow, bare, [uninsured], date(2026, 6, 1), "bad")
        # and one never told to the insurer past its notification deadline (lapsed)
        with pytest.raises(ValidationFailed) as lapsed:
            await claims.file_claim(uow, c, [one], date(2026, 6, 1), "late")
        with pytest.raises(ValidationFailed) as strange:
            await claims.file_claim(uow, c, [uninsured], date(2026, 6, 1), "other")
    assert [(e.code, e.field) for e in refused.value.errors] == [
        ("CLAIM_NOT_INSURED", "invoiceIds.0")
    ]
    assert "NO_POLICY" in refused.value.errors[0].message or "NO_COVER" in (
        refused.value.errors[0].message
    )
    assert "NOTIFICATION_MISSED" in lapsed.value.errors[0].message
    assert [e.code for e in strange.value.errors] == ["NOT_FOUND"]
    async with uow_for(runtime, tenants["acme"]) as uow:
        for table in (insurance_claims, claim_lines, claim_movements, jobs, events):
            if table is events:
                assert (
                    await uow.conn.scalar(
                        sa.select(sa.func.count()).where(events.c.topic == "risk.claim_filed")
                    )
                    == 0
                )
            else:
                assert await count(uow, table) == 0, table.name


async def test_the_month_is_declared_once_with_its_premium(runtime, tenants, database):
    await _seed(runtime, tenants["acme"])
    for _ in range(2):
        async with uow_for(runtime, tenants["acme"]) as uow:
            run = await insurance_declarations.declare(uow, date(2026, 3, 15))
            await uow.commit()
    assert run.declared == 0  # the second run keeps the first declaration
    # insured turnover 60,000.00 (the uninsured customer's invoice is not in it) at 0.35%
    assert database.query(
        "SELECT period, invoice_count, insured_turnover_minor, premium_minor "
        "FROM insurance_declarations"
    ) == [(date(2026, 3, 1), 2, 6_000_000, 21_000)]
    async with uow_for(runtime, tenants["acme"]) as uow:
        assert await count(uow, declarations) == 1
