"""Idempotency records: domain verbs, typed results, and records stored before both still replay."""

from __future__ import annotations

import json
import uuid
from datetime import date
from uuid import UUID

from dbschema.provision import downgrade, migrate
from services.idempotency import decode, encode, fingerprint
from services.inputs import MoneyIn
from services.ledger import invoices, payments
from services.ledger.inputs import InvoiceIn, PaymentIn
from services.ledger.payments import payment_content
from services.ledger.records import InvoicePosted, PaymentPosted, PaymentReversed
from services.uow import Actor, UnitOfWork
from tests.services.test_ledger_concurrency import make_customer

DAY = date(2026, 3, 2)


def test_a_typed_result_is_stored_by_its_field_names_and_read_back():
    posted = PaymentPosted(uuid.uuid4(), (uuid.uuid4(), uuid.uuid4()))
    stored = json.loads(json.dumps(encode(posted)))
    assert stored == {
        "payment_id": str(posted.payment_id),
        "allocation_ids": [str(a) for a in posted.allocation_ids],
    }
    assert decode(PaymentPosted, stored) == posted
    note = InvoicePosted(uuid.uuid4())
    assert decode(InvoicePosted, json.loads(json.dumps(encode(note)))) == note
    assert decode(PaymentReversed, encode(PaymentReversed(note.invoice_id, 2))).reopened == 2
    assert decode(dict, {"proposalId": "x"}) == {"proposalId": "x"}


def _invoice(customer: UUID) -> InvoiceIn:
    return InvoiceIn(
        number="ID-1", customer_id=customer, issue_date=DAY, amount=MoneyIn("100.00", "CNY")
    )


def _payment(customer: UUID) -> PaymentIn:
    return PaymentIn(customer_id=customer, received_on=DAY, amount=MoneyIn("40.00", "CNY"))


async def test_records_stored_before_the_verbs_still_replay(runtime, tenants, database):
    # given an invoice and a payment posted, and the database taken back to before the verbs
    tenant = tenants["acme"]
    customer = await make_customer(runtime, tenant)
    async with UnitOfWork(runtime.engine, tenant, Actor("t")) as uow:
        invoice = await invoices.create_invoice(uow, _invoice(customer), "inv-key")
        paid = await payments.create_payment(uow, _payment(customer), "pay-key")
        await uow.commit()
    downgrade(database.owner_url, "credit_app", "0006")
    # then the records read as the mutations wrote them
    stored = dict(database.query("SELECT operation, result FROM idempotency_keys"))
    assert stored == {
        "createInvoice": {"invoiceId": str(invoice.result.invoice_id), "creditNoteId": None},
        "createPayment": {
            "paymentId": str(paid.result.payment_id),
            "allocationIds": [str(a) for a in paid.result.allocation_ids],
        },
    }
    # and one more written by the old code itself, with its camelCase keys and no field of
    # the new result's defaults, plus a write-off key whose result stays as its service wrote
    earlier = uuid.uuid4()
    old_payment = PaymentIn(customer_id=customer, received_on=DAY, amount=MoneyIn("1.00", "CNY"))
    database.query(
        "INSERT INTO idempotency_keys (tenant_id, operation, key, fingerprint, result) VALUES "
        "(%s, 'createPayment', 'old-key', %s, %s::jsonb), "
        "(%s, 'proposeWriteOff', 'wo-key', 'f', '{\"proposalId\": \"p-1\"}'::jsonb)",
        tenant,
        fingerprint(payment_content(old_payment)),
        json.dumps({"paymentId": str(earlier), "allocationIds": []}),
        tenant,
    )
    # when the verbs migration runs and every request is sent again
    migrate(database.owner_url, "credit_app")
    async with UnitOfWork(runtime.engine, tenant, Actor("t")) as uow:
        again = await invoices.create_invoice(uow, _invoice(customer), "inv-key")
        paid_again = await payments.create_payment(uow, _payment(customer), "pay-key")
        old_again = await payments.create_payment(uow, old_payment, "old-key")
        await uow.commit()
    # then each is a replay of its first result and nothing moved twice
    assert again == (invoice.result, True)
    assert paid_again == (paid.result, True)
    assert old_again == (PaymentPosted(earlier, ()), True)
    assert database.query("SELECT count(*) FROM invoices") == [(1,)]
    assert database.query("SELECT count(*) FROM payments") == [(1,)]
    assert database.query("SELECT operation, result FROM idempotency_keys ORDER BY key") == [
        ("POST_INVOICE", {"invoice_id": str(invoice.result.invoice_id), "credit_note_id": None}),
        ("POST_PAYMENT", {"payment_id": str(earlier), "allocation_ids": []}),
        (
            "POST_PAYMENT",
            {
                "payment_id": str(paid.result.payment_id),
                "allocation_ids": [str(a) for a in paid.result.allocation_ids],
            },
        ),
        ("PROPOSE_WRITE_OFF", {"proposalId": "p-1"}),
    ]
