"""Delivery that really delivers: letters, statements and pre-due notices e-mailed through a
real SMTP server the test starts, to the contacts whose role they are for, in their language;
sent only when the server accepted, archived as the exact bytes sent."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest

from domain.errors import DomainError
from jobs.actors import WORK
from jobs.runner import run_job
from services.collections import dunning
from services.collections.reminders import send_reminders
from services.customers.master_data import ContactIn, CustomerChanges, create_customer
from services.delivery import settings
from services.delivery.outbox import MAX_ATTEMPTS, RetryLater
from services.inputs import MoneyIn
from services.jobs.catalogue import DELIVER_DOCUMENT, SEND_STATEMENT
from services.ledger.inputs import InvoiceIn
from services.ledger.invoices import create_invoice
from services.statements import monthly as statements
from services.uow import Actor, UnitOfWork
from tests import smtp_server as servers
from tests.conftest import Database
from tests.documents.pdf_tools import pdf_text
from tests.smtp_server import SmtpServer

smtp_server = servers.smtp_server  # the fixtures, by the names tests ask for
tls_smtp_server = servers.tls_smtp_server
DELIVER = next(w for w in WORK if w.spec is DELIVER_DOCUMENT)
SEND = next(w for w in WORK if w.spec is SEND_STATEMENT)
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()  #: the tenant's today, as letters date it

CONTACTS = [
    ContactIn("李娜", "财务经理", "+86 21 5555 0101", "lina@customer.cn"),
    ContactIn("Anna Berg", "CFO", None, "anna@customer.se", "en"),
    ContactIn("陈刚", "采购总监", "+86 755 8888 0000", "chen@customer.cn"),
]


async def configure(runtime: Any, tenant: UUID, server: SmtpServer, **extra: Any) -> None:
    """The tenant's mail server: the test's SMTP server, plain, no login."""
    async with UnitOfWork(runtime.engine, tenant, Actor("admin")) as uow:
        await settings.save(
            uow,
            0,
            settings.MailServerChange(
                host=server.host,
                port=server.port,
                security="NONE",
                username=None,
                password=None,
                from_address="ar@acme.example",
                from_name="Acme 应收",
                **extra,
            ),
        )
        await uow.commit()


async def customer_owing(runtime: Any, tenant: UUID, code: str = "MAIL-1") -> UUID:
    """A customer with three contacts and an invoice 20 days overdue (1,000.00)."""
    async with UnitOfWork(runtime.engine, tenant, Actor("seed")) as uow:
        customer = await create_customer(
            uow,
            CustomerChanges(
                code=code, legal_name="邮件测试有限公司", country="CN", contacts=CONTACTS
            ),
        )
        await create_invoice(
            uow,
            InvoiceIn(
                f"{code}-INV",
                customer.id,
                TODAY - timedelta(days=50),
                MoneyIn("1000.00", "CNY"),
                due_date=TODAY - timedelta(days=20),
                order_ref="PO-7",
            ),
            f"{code}-INV",
        )
        await uow.commit()
    return customer.id


async def send(runtime: Any, tenant: UUID, customer: UUID, **kw: Any) -> dunning.LetterSent:
    """Issue a letter, committed."""
    request = dunning.LetterRequest(
        customer, kw.pop("kind", "REMINDER"), kw.pop("channel", "EMAIL"), **kw
    )
    async with UnitOfWork(runtime.engine, tenant, Actor("carl")) as uow:
        sent = await dunning.send_letter(uow, request)
        await uow.commit()
    return sent


def delivery_jobs(database: Database) -> list[str]:
    """The delivery jobs queued, oldest first."""
    rows = database.query(
        "SELECT id FROM jobs WHERE actor = 'deliver_document' ORDER BY created_at"
    )
    return [str(r[0]) for r in rows]


async def test_a_letter_reaches_each_finance_contact_in_their_language(
    runtime, tenants, database, smtp_server
):
    # given
    tenant = tenants["acme"]
    await configure(runtime, tenant, smtp_server)
    customer = await customer_owing(runtime, tenant)
    # when the letter is issued: archived per language, queued per recipient, nothing sent yet
    sent = await send(runtime, tenant, customer)
    assert sent.number == f"DL-{TODAY.year}-0001"
    assert sorted(d.lang for d in sent.documents) == ["en", "zh-CN"]
    assert [(d.recipient_address, d.lang, d.status) for d in sent.deliveries] == [
        ("lina@customer.cn", "zh-CN", "PENDING"),
        ("anna@customer.se", "en", "PENDING"),
    ]  # finance only: the buyer does not receive dunning letters
    assert database.query("SELECT count(*) FROM activities") == [(0,)]
    # when the delivery jobs run
    for job_id in delivery_jobs(database):
        assert await run_job(runtime.engine, DELIVER, str(tenant), job_id) == "SUCCEEDED"
    # then the server holds one message per recipient, the attachment being the archived PDF
    received = {r.recipients[0]: r for r in smtp_server.handler.received}
    assert sorted(received) == ["anna@customer.se", "lina@customer.cn"]
    archived = dict(database.query("SELECT lang, content FROM sent_documents"))
    assert received["lina@customer.cn"].attachment() == bytes(archived["zh-CN"])
    assert received["anna@customer.se"].attachment() == bytes(archived["en"])
    assert "催款函" in pdf_text(received["lina@customer.cn"].attachment())
    assert "Payment reminder" in received["anna@customer.se"].message["Subject"]
    assert received["lina@customer.cn"].message["From"].addresses[0].addr_spec == (
        "ar@acme.example"
    )
    # and each delivery is SENT with the message's own id, the raw bytes and their digest kept
    rows = database.query(
        "SELECT recipient_address, status, message_id, message, message_sha256, server_reply, "
        "activity_id FROM document_deliveries ORDER BY recipient_address"
    )
    for address, status, message_id, raw, sha, reply, activity in rows:
        assert status == "SENT" and reply.startswith("250")
        assert received[address].message["Message-ID"] == message_id
        assert bytes(raw) == received[address].raw  # the exact bytes the server accepted
        assert hashlib.sha256(bytes(raw)).hexdigest() == sha
        assert activity is not None
    activities = database.query(
        "SELECT kind, outcome, notes, document_id IS NOT NULL FROM activities ORDER BY notes"
    )
    assert [(k, o, linked) for k, o, _n, linked in activities] == [
        ("DUNNING_LETTER", "SENT", True),
        ("DUNNING_LETTER", "SENT", True),
    ]
    assert all("message id <" in notes for _k, _o, notes, _l in activities)
    # a redelivered job message sends nothing twice
    for job_id in delivery_jobs(database):
        assert await run_job(runtime.engine, DELIVER, str(tenant), job_id) == "ALREADY_DONE"
    assert len(smtp_server.handler.received) == 2


async def test_a_temporary_refusal_is_retried_and_the_last_failure_is_recorded(
    runtime, tenants, database, smtp_server
):
    # given a server that answers 451 for one address, twice, then accepts
    tenant = tenants["acme"]
    await configure(runtime, tenant, smtp_server)
    customer = await customer_owing(runtime, tenant)
    smtp_server.handler.refuse_rcpt["lina@customer.cn"] = ["451 4.7.1 greylisted"] * 2
    smtp_server.handler.refuse_rcpt["anna@customer.se"] = ["451 4.3.0 try later"] * 99
    await send(runtime, tenant, customer)
    lina, anna = delivery_jobs(database)
    # when the first attempts fail: the job fails for a retry, nothing is recorded as sent
    for job_id in (lina, anna):
        with pytest.raises(RetryLater, match="attempt 1 of"):
            await run_job(runtime.engine, DELIVER, str(tenant), job_id)
    assert database.query("SELECT count(*) FROM activities") == [(0,)]
    assert database.query("SELECT DISTINCT status FROM document_deliveries") == [("PENDING",)]
    # then the retries: Lina's server accepts on the third attempt
    with pytest.raises(RetryLater):
        await run_job(runtime.engine, DELIVER, str(tenant), lina)
    assert await run_job(runtime.engine, DELIVER, str(tenant), lina) == "SUCCEEDED"
    # and Anna's last attempt (the spec's retries used up) ends as a failure the collector sees
    database.query("UPDATE jobs SET attempts = %s WHERE id = %s", MAX_ATTEMPTS - 1, anna)
    assert await run_job(runtime.engine, DELIVER, str(tenant), anna) == "SUCCEEDED"
    assert database.query(
        "SELECT recipient_address, status, attempts, last_error FROM document_deliveries "
        "ORDER BY recipient_address"
    ) == [
        ("anna@customer.se", "FAILED", MAX_ATTEMPTS, "451 4.3.0 try later"),
        ("lina@customer.cn", "SENT", 3, None),
    ]
    assert database.query("SELECT outcome FROM activities ORDER BY outcome") == [
        ("FAILED",),
        ("SENT",),
    ]
    assert database.query(
        "SELECT topic FROM events WHERE topic IN "
        "('collections.document_sent', 'collections.delivery_failed') ORDER BY seq"
    ) == [("collections.document_sent",), ("collections.delivery_failed",)]


async def test_a_permanent_refusal_fails_at_once(runtime, tenants, database, smtp_server):
    tenant = tenants["acme"]
    await configure(runtime, tenant, smtp_server)
    customer = await customer_owing(runtime, tenant)
    smtp_server.handler.refuse_rcpt["lina@customer.cn"] = ["550 5.1.1 no such user"]
    await send(runtime, tenant, customer)
    lina = delivery_jobs(database)[0]
    assert await run_job(runtime.engine, DELIVER, str(tenant), lina) == "SUCCEEDED"
    status, attempts, error = database.query(
        "SELECT status, attempts, last_error FROM document_deliveries "
        "WHERE recipient_address = 'lina@customer.cn'"
    )[0]
    assert (status, attempts, error) == ("FAILED", 1, "550 5.1.1 no such user")
    notes = database.query("SELECT notes FROM activities WHERE outcome = 'FAILED'")[0][0]
    assert "lina@customer.cn" in notes and "550 5.1.1 no such user" in notes


async def test_a_server_that_is_down_is_a_retry(runtime, tenants, database, smtp_server):
    tenant = tenants["acme"]
    await configure(runtime, tenant, smtp_server)
    customer = await customer_owing(runtime, tenant)
    await send(runtime, tenant, customer)
    database.query("UPDATE smtp_settings SET port = %s", smtp_server.port + 1)  # nobody listens
    with pytest.raises(RetryLater, match="ConnectionRefused"):
        await run_job(runtime.engine, DELIVER, str(tenant), delivery_jobs(database)[0])


async def test_refusals_write_nothing(runtime, tenants, database, smtp_server):
    tenant = tenants["acme"]
    customer = await customer_owing(runtime, tenant)
    for kind, channel, code in (
        ("REMINDER", "EMAIL", "NO_CHANNEL"),  # no mail server yet
        ("LAWYER", "POST", "LAW_FIRM_REQUIRED"),  # no law firm in the profile
        ("FRIENDLY", "POST", "INVALID_KIND"),
        ("REMINDER", "FAX", "INVALID_INPUT"),
    ):
        with pytest.raises(DomainError) as refused:
            await send(runtime, tenant, customer, kind=kind, channel=channel)
        assert refused.value.code == code
    with pytest.raises(DomainError) as refused:
        await send(runtime, tenant, customer, as_of=TODAY - timedelta(days=40))
    assert refused.value.code == "NOTHING_OVERDUE"  # nothing was due yet on that day
    await configure(runtime, tenant, smtp_server)
    database.query("UPDATE customers SET contacts = '[]'")
    with pytest.raises(DomainError) as refused:
        await send(runtime, tenant, customer)
    assert refused.value.code == "NO_RECIPIENT"
    for table in ("sent_documents", "document_deliveries", "document_numbers", "activities"):
        assert database.query(f"SELECT count(*) FROM {table}") == [(0,)], table


async def test_a_statement_is_mailed_and_becomes_sent(runtime, tenants, database, smtp_server):
    # given a mail server and last month's activity
    tenant = tenants["acme"]
    await configure(runtime, tenant, smtp_server)
    await customer_owing(runtime, tenant)
    period = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)
    # when the month's statements are generated, their e-mailing is asked for too
    async with UnitOfWork(runtime.engine, tenant, Actor("job")) as uow:
        await statements.generate(uow, period)
        await uow.commit()
    job_id = database.query("SELECT id FROM jobs WHERE actor = 'send_statement'")[0][0]
    assert await run_job(runtime.engine, SEND, str(tenant), str(job_id)) == "SUCCEEDED"
    for delivery in delivery_jobs(database):
        await run_job(runtime.engine, DELIVER, str(tenant), delivery)
    # then finance received it in their languages, and the statement is SENT
    assert sorted(r.recipients[0] for r in smtp_server.handler.received) == [
        "anna@customer.se",
        "lina@customer.cn",
    ]
    zh = next(r for r in smtp_server.handler.received if r.recipients[0] == "lina@customer.cn")
    assert "对账单" in pdf_text(zh.attachment()) and "回执" in pdf_text(zh.attachment())
    assert database.query("SELECT status FROM statements") == [("SENT",)]
    assert database.query("SELECT kind, outcome FROM activities ORDER BY created_at") == [
        ("STATEMENT", "SENT"),
        ("STATEMENT", "SENT"),
    ]


async def test_pre_due_notices_are_the_archived_text(runtime, tenants, database, smtp_server):
    # given an invoice falling due in 5 days
    tenant = tenants["acme"]
    await configure(runtime, tenant, smtp_server)
    customer = await customer_owing(runtime, tenant)
    async with UnitOfWork(runtime.engine, tenant, Actor("seed")) as uow:
        await create_invoice(
            uow,
            InvoiceIn(
                "SOON-1",
                customer,
                TODAY - timedelta(days=25),
                MoneyIn("2345.60", "CNY"),
                due_date=TODAY + timedelta(days=5),
            ),
            "SOON-1",
        )
        await uow.commit()
    # when the day's reminders go out
    async with UnitOfWork(runtime.engine, tenant, Actor("job")) as uow:
        assert await send_reminders(uow, TODAY, 7) == 1
        await uow.commit()
    for delivery in delivery_jobs(database):
        await run_job(runtime.engine, DELIVER, str(tenant), delivery)
    # then each recipient's e-mail is the archived notice in their language
    archived = dict(database.query("SELECT lang, content FROM sent_documents"))
    for received in smtp_server.handler.received:
        lang = "zh-CN" if received.recipients[0].endswith(".cn") else "en"
        assert received.text().replace("\r\n", "\n") == bytes(archived[lang]).decode()
    assert (
        "SOON-1" in bytes(archived["zh-CN"]).decode()
        and "¥2,345.60" in bytes(archived["en"]).decode()
    )
    assert database.query("SELECT DISTINCT kind, outcome FROM activities") == [("REMINDER", "SENT")]


async def test_without_a_mail_server_a_reminder_says_it_was_not_sent(runtime, tenants, database):
    tenant = tenants["acme"]
    customer = await customer_owing(runtime, tenant)
    async with UnitOfWork(runtime.engine, tenant, Actor("seed")) as uow:
        await create_invoice(
            uow,
            InvoiceIn(
                "SOON-2",
                customer,
                TODAY,
                MoneyIn("10.00", "CNY"),
                due_date=TODAY + timedelta(days=3),
            ),
            "SOON-2",
        )
        await send_reminders(uow, TODAY, 7)
        await uow.commit()
    assert database.query("SELECT kind, outcome FROM activities") == [("REMINDER", "NOT_SENT")]
    assert database.query("SELECT count(*) FROM sent_documents") == [(0,)]


async def test_starttls_and_login(runtime, tenants, database, tls_smtp_server):
    from domain.delivery import Security, SmtpSettings
    from services.delivery.channels import DeliveryFailed, Outgoing
    from services.delivery.smtp import SmtpChannel

    config = SmtpSettings(
        tls_smtp_server.host,
        tls_smtp_server.port,
        Security.STARTTLS,
        "bot",
        "s3cret",
        "ar@acme.example",
    )
    message = Outgoing("lina@customer.cn", "李娜", "对账单", "您好", ())
    # a server whose certificate the client trusts: protected, logged in, accepted
    accepted = await SmtpChannel(config, tls_smtp_server.client_context).send(message)
    assert accepted.reply.startswith("250") and len(tls_smtp_server.handler.received) == 1
    # an untrusted certificate, or a wrong password, will not pass later either
    with pytest.raises(DeliveryFailed) as untrusted:
        await SmtpChannel(config).send(message)
    assert untrusted.value.permanent
    wrong = SmtpSettings(
        config.host, config.port, Security.STARTTLS, "bot", "nope", "ar@acme.example"
    )
    with pytest.raises(DeliveryFailed) as refused:
        await SmtpChannel(wrong, tls_smtp_server.client_context).send(message)
    assert refused.value.permanent and refused.value.reason.startswith("535")
