"""E-mail delivery through the outbox, the relay and a real worker process, against a real SMTP
server: a greylisting answer is retried by the broker with backoff, then accepted."""

from __future__ import annotations

from services.uow import Actor, UnitOfWork
from tests import smtp_server as servers
from tests.jobs.conftest import wait_for
from tests.services.test_delivery import configure, customer_owing

smtp_server = servers.smtp_server  # the fixture, by the name the test asks for


async def test_a_greylisted_letter_is_retried_by_the_worker_then_sent(
    runtime, tenants, database, relay, worker, smtp_server
):
    from services.collections import dunning

    # given a mail server that greylists Lina once
    tenant = tenants["acme"]
    await configure(runtime, tenant, smtp_server)
    customer = await customer_owing(runtime, tenant)
    smtp_server.handler.refuse_rcpt["lina@customer.cn"] = ["451 4.7.1 greylisted, come back"]
    # when a letter is issued by e-mail
    async with UnitOfWork(runtime.engine, tenant, Actor("carl")) as uow:
        await dunning.send_letter(uow, dunning.LetterRequest(customer, "DEMAND", "EMAIL"))
        await uow.commit()
    # then the worker sends both copies, Lina's on its second attempt
    await wait_for(
        lambda: (
            database.query("SELECT count(*) FROM document_deliveries WHERE status = 'SENT'")
            == [(2,)]
        ),
        90,
    )
    assert database.query(
        "SELECT recipient_address, attempts FROM document_deliveries ORDER BY recipient_address"
    ) == [("anna@customer.se", 1), ("lina@customer.cn", 2)]
    assert sorted(r.recipients[0] for r in smtp_server.handler.received) == [
        "anna@customer.se",
        "lina@customer.cn",
    ]
    assert database.query(
        "SELECT status, count(*) FROM jobs WHERE actor = 'deliver_document' GROUP BY status"
    ) == [("SUCCEEDED", 2)]
    assert database.query(
        "SELECT kind, outcome, count(*) FROM activities GROUP BY kind, outcome"
    ) == [("DUNNING_LETTER", "SENT", 2)]
