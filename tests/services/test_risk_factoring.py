"""Factoring: agreements, assignment with every reason, the sub-ledger, buy-back, statements."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest
import sqlalchemy as sa

from dbschema.risk_document_tables import risk_documents
from dbschema.risk_factoring_tables import factored_invoices, factoring_batches, factoring_entries
from domain.errors import DomainError, ValidationFailed
from domain.risk.factoring import AgreementInput
from services.inputs import MoneyIn
from services.ledger import disputes
from services.read_session import ReadSession
from services.risk import factoring, factoring_ledger, factoring_notes, factoring_reconcile
from services.risk.factoring import AgreementIn, Remittance
from services.statements import monthly as statements
from tests.documents.pdf_tools import pdf_text
from tests.services.risk_fixtures import count, customer, invoice, pay, uow_for

ON = date(2026, 5, 1)


def terms(reference: str, recourse: bool = True, disclosed: bool = True, **more) -> AgreementIn:
    return AgreementIn(
        AgreementInput(
            factor="平安商业保理有限公司",
            reference=reference,
            recourse=recourse,
            disclosed=disclosed,
            currencies=["CNY"],
            commission_percent="0.5",
            interest_percent="7.3",
            starts_on=date(2026, 1, 1),
            recourse_days=30,
            **more,
        ),
        Remittance("平安银行深圳分行", "平安商业保理有限公司", "1500 0000 8888"),
    )


async def test_assignment_refuses_every_ineligible_invoice_with_its_reason_and_writes_nothing(
    runtime, tenants
):
    async with uow_for(runtime, tenants["acme"]) as uow:
        good = await customer(uow, "F-A", "A")
        risky = await customer(uow, "F-D", "D")
        with_recourse = await factoring.create_agreement(uow, terms("F-1"))
        without = await factoring.create_agreement(uow, terms("F-2", recourse=False))
        ok = await invoice(uow, good, "OK-1", ON, ON + timedelta(days=30), "1000.00")
        disputed = await invoice(uow, good, "DIS-1", ON, ON + timedelta(days=30), "1000.00")
        await disputes.open_dispute(uow, disputed, "10.00", "短少")
        paid = await invoice(uow, good, "PAID-1", ON, ON + timedelta(days=30), "1000.00")
        await pay(uow, good, paid, "1000.00", ON, "pay-1")
        usd = await invoice(uow, good, "USD-1", ON, ON + timedelta(days=30), "1000.00", "USD")
        d_class = await invoice(uow, risky, "D-1", ON, ON + timedelta(days=30), "1000.00")
        await uow.commit()
    # given one invoice already assigned
    async with uow_for(runtime, tenants["acme"]) as uow:
        first = await factoring.assign(uow, with_recourse.id, [ok], ON, "batch-1")
        await uow.commit()
    # when a batch offers it again beside a disputed, a paid, a USD and an unknown invoice
    async with uow_for(runtime, tenants["acme"]) as uow:
        with pytest.raises(ValidationFailed) as refused:
            await factoring.assign(
                uow, with_recourse.id, [disputed, paid, ok, usd, uuid4()], ON, "batch-2"
            )
        # and a non-recourse factor is offered a D-class customer it never approved
        with pytest.raises(ValidationFailed) as risky_refused:
            await factoring.assign(uow, without.id, [d_class], ON, "batch-3")
    # then each comes back with its reason
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("invoiceIds.0", "INVOICE_DISPUTED"),
        ("invoiceIds.1", "INVOICE_SETTLED"),
        ("invoiceIds.2", "ALREADY_ASSIGNED"),
        ("invoiceIds.3", "CURRENCY_NOT_ALLOWED"),
        ("invoiceIds.4", "NOT_FOUND"),
    ]
    assert {e.code for e in risky_refused.value.errors} == {
        "CLASS_NOT_ALLOWED",
        "DEBTOR_NOT_APPROVED",
    }
    # and nothing beyond the first batch was written
    async with uow_for(runtime, tenants["acme"]) as uow:
        assert await count(uow, factoring_batches) == 1
        assert await count(uow, factored_invoices) == 1
        assert await count(uow, factoring_entries) == 4  # assignment, advance, reserve, fee
        assert await count(uow, risk_documents) == 1  # the notice to the one debtor
    assert not first.replayed


async def test_a_factored_invoice_paid_to_the_factor_settles_with_interest_and_release(
    runtime, tenants, database
):
    async with uow_for(runtime, tenants["acme"]) as uow:
        c = await customer(uow, "F-S", "B")
        agreement = await factoring.create_agreement(uow, terms("F-S"))
        inv = await invoice(uow, c, "S-1", ON, ON + timedelta(days=30), "10000.00")
        await factoring.assign(uow, agreement.id, [inv], ON, "b")
        # when the debtor pays the factor 50 days later
        await factoring_ledger.record_collection(
            uow, inv, "10000.00", ON + timedelta(days=50), "FACTOR", None, "c1"
        )
        await uow.commit()
    # then: advance 8,000.00, reserve 2,000.00, commission 50.00, interest 8,000 x 7.3% x 50/365
    # = 80.00, and the reserve released less the charges: 2,000 - 50 - 80 = 1,870.00
    assert database.query(
        "SELECT kind, amount_minor, received_by FROM factoring_entries ORDER BY seq"
    ) == [
        ("ASSIGNMENT", 1_000_000, None),
        ("ADVANCE", 800_000, None),
        ("RESERVE", 200_000, None),
        ("COMMISSION", 5_000, None),
        ("COLLECTION", 1_000_000, "FACTOR"),
        ("INTEREST", 8_000, None),
        ("RESERVE_RELEASE", 187_000, None),
    ]
    assert database.query("SELECT status, closed_on FROM factored_invoices") == [
        ("SETTLED", ON + timedelta(days=50))
    ]
    assert database.query("SELECT open_minor FROM invoices") == [(0,)]


async def test_confidential_collections_are_owed_on_until_remitted(runtime, tenants, database):
    async with uow_for(runtime, tenants["acme"]) as uow:
        c = await customer(uow, "F-C", "A")
        agreement = await factoring.create_agreement(uow, terms("F-C", disclosed=False))
        inv = await invoice(uow, c, "CF-1", ON, ON + timedelta(days=30), "5000.00")
        await factoring.assign(uow, agreement.id, [inv], ON, "b")
        # the debtor, knowing nothing, pays us through the ordinary ledger
        await pay(uow, c, inv, "5000.00", ON + timedelta(days=20), "ordinary")
        result = await factoring_ledger.daily(uow, ON + timedelta(days=21))
        await uow.commit()
    assert (result.mirrored, result.settled) == (1, 0)  # we hold the factor's money
    assert database.query("SELECT count(*) FROM risk_documents") == [(0,)]  # no notice
    async with uow_for(runtime, tenants["acme"]) as uow:
        await factoring_ledger.remit(uow, agreement.id, ON + timedelta(days=22), "r1")
        again = await factoring_ledger.remit(uow, agreement.id, ON + timedelta(days=22), "r1")
        await uow.commit()
    assert again.replayed
    assert database.query(
        "SELECT kind, amount_minor, received_by FROM factoring_entries "
        "WHERE kind IN ('COLLECTION','REMITTANCE') ORDER BY seq"
    ) == [("COLLECTION", 500_000, "US"), ("REMITTANCE", 500_000, None)]
    assert database.query("SELECT status FROM factored_invoices") == [("SETTLED",)]


async def test_past_its_window_a_with_recourse_invoice_comes_back_but_never_without(
    runtime, tenants, database
):
    async with uow_for(runtime, tenants["acme"]) as uow:
        c = await customer(uow, "F-B", "A")
        recourse = await factoring.create_agreement(uow, terms("F-R"))
        no_recourse = await factoring.create_agreement(uow, terms("F-N", recourse=False))
        await factoring.set_debtor_limit(uow, no_recourse.id, c, MoneyIn("100000.00", "CNY"), True)
        back = await invoice(uow, c, "B-1", ON, ON + timedelta(days=30), "3000.00")
        kept = await invoice(uow, c, "B-2", ON, ON + timedelta(days=30), "4000.00")
        await factoring.assign(uow, recourse.id, [back], ON, "b1")
        await factoring.assign(uow, no_recourse.id, [kept], ON, "b2")
        await pay(uow, c, back, "1000.00", ON + timedelta(days=40), "part")
        await uow.commit()
    window_passed = ON + timedelta(days=61)
    async with uow_for(runtime, tenants["acme"]) as uow:
        with pytest.raises(DomainError) as refused:
            await factoring_ledger.buy_back(uow, kept, window_passed, "bb")
        assert refused.value.code == "RECOURSE_NOT_AVAILABLE"
    async with uow_for(runtime, tenants["acme"]) as uow:
        result = await factoring_ledger.daily(uow, ON + timedelta(days=60))
        assert result.bought_back == 0  # the window's last day
        result = await factoring_ledger.daily(uow, window_passed)
        await uow.commit()
    assert result.bought_back == 1
    assert database.query(
        "SELECT kind, amount_minor FROM factoring_entries WHERE invoice_id = %s AND kind IN "
        "('COLLECTION','BUYBACK','SHORTFALL') ORDER BY seq",
        back,
    ) == [("COLLECTION", 100_000), ("BUYBACK", 200_000), ("SHORTFALL", 244_428)]
    # advance 2,400.00 + commission 15.00 + 61 days' interest at 7.3% on 2,400.00 (29.28): the
    # collection we received stays ours once the invoice is back
    assert database.query(
        "SELECT topic, payload->>'amount' FROM events WHERE topic = 'risk.buyback'"
    ) == [("risk.buyback", "2000.00")]
    assert database.query("SELECT kind, level FROM warnings") == [("FACTORING_BUYBACK", "MEDIUM")]
    # the non-recourse one stays the factor's risk
    session = ReadSession(runtime.engine, tenants["acme"])
    try:
        held = await factoring_ledger.non_recourse_open_amounts(session, [c], window_passed)
    finally:
        await session.close()
    assert held == {c: {"CNY": 400_000}}


async def test_statements_of_assigned_invoices_carry_the_factors_instruction(runtime, tenants):
    async with uow_for(runtime, tenants["acme"]) as uow:
        c = await customer(uow, "F-N", "A")
        agreement = await factoring.create_agreement(uow, terms("F-ST"))
        inv = await invoice(uow, c, "N-1", ON, ON + timedelta(days=30), "700.00")
        await factoring.assign(uow, agreement.id, [inv], ON, "b")
        notes = await factoring_notes.remittance_notes(uow, ON)
        await uow.commit()
    assert notes[(c, "CNY")].as_content() == {
        "factor": "平安商业保理有限公司",
        "bank": "平安银行深圳分行",
        "accountName": "平安商业保理有限公司",
        "accountNumber": "1500 0000 8888",
        "invoices": ["N-1"],
    }
    # and the month's statement prints it
    async with uow_for(runtime, tenants["acme"]) as uow:
        await statements.generate(uow, ON.replace(day=1))
        (statement_id,) = (await uow.conn.execute(sa.text("SELECT id FROM statements"))).one()
        pdf = await statements.render_and_keep(uow, statement_id, "zh-CN")
    text = pdf_text(pdf)
    assert "付款指示（保理）" in text and "1500 0000 8888" in text and "N-1" in text


async def test_a_factor_statement_lists_every_difference(runtime, tenants):
    async with uow_for(runtime, tenants["acme"]) as uow:
        c = await customer(uow, "F-X", "A")
        agreement = await factoring.create_agreement(uow, terms("F-X"))
        inv = await invoice(uow, c, "X-1", ON, ON + timedelta(days=30), "1000.00")
        await factoring.assign(uow, agreement.id, [inv], ON, "b")
        lines = [
            factoring_reconcile.StatementLineIn("X-1", "ASSIGNMENT", "2026-05-01", "1000.00"),
            factoring_reconcile.StatementLineIn("X-1", "ADVANCE", "2026-05-01", "790.00"),
            factoring_reconcile.StatementLineIn("X-9", "ASSIGNMENT", "2026-05-01", "50.00"),
        ]
        statement = await factoring_reconcile.import_statement(uow, agreement.id, ON, lines)
        with pytest.raises(ValidationFailed) as refused:
            await factoring_reconcile.import_statement(
                uow,
                agreement.id,
                ON,
                [factoring_reconcile.StatementLineIn("X-1", "GIFT", "2026-13-01", "1.001")],
            )
        await uow.commit()
    assert {e.field for e in refused.value.errors} == {"lines.0.kind", "lines.0.date"}
    session = ReadSession(runtime.engine, tenants["acme"])
    try:
        result = await factoring_reconcile.statement_reconciliation(session, statement)
    finally:
        await session.close()
    assert [
        (d.invoice_number, d.kind, d.ours_minor, d.theirs_minor, d.status)
        for d in result.differences
    ] == [
        ("X-1", "ADVANCE", 80_000, 79_000, "AMOUNT_DIFFERS"),
        ("X-1", "COMMISSION", 500, None, "MISSING_IN_FACTORS"),
        ("X-1", "RESERVE", 20_000, None, "MISSING_IN_FACTORS"),
        ("X-9", "ASSIGNMENT", None, 5_000, "MISSING_IN_OURS"),
    ]
