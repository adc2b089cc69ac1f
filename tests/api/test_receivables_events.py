"""receivablesEvents over graphql-transport-ws: collections and cash events from the outbox."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any
from uuid import UUID

from domain.audit import AuditAction
from schema.relay import to_global_id
from services.collections.workflow import daily_run
from services.customers.master_data import save
from services.inputs import MoneyIn
from services.ledger.inputs import InvoiceIn, PaymentIn
from services.ledger.invoices import create_invoice
from services.ledger.payments import create_payment
from services.uow import Actor, UnitOfWork
from tests.api.test_subscriptions import customer, subscribed
from tests.conftest import token

EVENTS = """subscription E($filter: ReceivablesEventFilter, $after: String) {
  receivablesEvents(filter: $filter, after: $after) {
    cursor topic occurredAt details customer { code } } }"""
NAMED = """subscription { receivablesEvents { cursor customer { legalName } } }"""


async def post_invoice(runtime: Any, tenant: UUID, customer_id: UUID, number: str) -> None:
    """An invoice 45 days overdue on 2026-11-15."""
    async with UnitOfWork(runtime.engine, tenant, Actor("test")) as uow:
        await create_invoice(
            uow,
            InvoiceIn(
                number,
                customer_id,
                date(2026, 9, 1),
                MoneyIn("800.00", "CNY"),
                due_date=date(2026, 10, 1),
            ),
            number,
        )
        await uow.commit()


async def pay(runtime: Any, tenant: UUID, customer_id: UUID, key: str) -> None:
    """Cash on account, allocated oldest first."""
    async with UnitOfWork(runtime.engine, tenant, Actor("test")) as uow:
        await create_payment(
            uow, PaymentIn(customer_id, date(2026, 11, 16), MoneyIn("100.00", "CNY")), key
        )
        await uow.commit()


async def escalate(runtime: Any, tenant: UUID) -> None:
    """The daily collections run on 2026-11-15."""
    async with UnitOfWork(runtime.engine, tenant, Actor("test")) as uow:
        await daily_run(uow, date(2026, 11, 15))
        await uow.commit()


async def test_stage_change_and_payment_reach_the_subscriber_in_order(
    live_server, settings, runtime, tenants
):
    # given
    acme = tenants["acme"]
    row = await customer(runtime, acme, "EV-1")
    await post_invoice(runtime, acme, row.id, "EV-INV-1")
    filt = {"topics": ["STAGE_CHANGED", "PAYMENT_RECEIVED"]}
    sub = await subscribed(live_server, token(settings), {"filter": filt}, EVENTS)
    # when
    await escalate(runtime, acme)
    await pay(runtime, acme, row.id, "p-1")
    # then
    first = (await sub.next())["payload"]["data"]["receivablesEvents"]
    second = (await sub.next())["payload"]["data"]["receivablesEvents"]
    assert first["topic"] == "STAGE_CHANGED"
    assert first["details"]["stage"] == "CREDIT_MANAGER"  # 45 days overdue: 31-60
    assert first["details"]["daysOverdue"] == 45
    assert first["customer"] == {"code": "EV-1"}
    assert first["occurredAt"]
    assert second["topic"] == "PAYMENT_RECEIVED"
    assert second["details"]["amount"] == "100.00"
    await sub.close()


async def test_resume_delivers_missed_events_once_and_only_the_customer_asked_for(
    live_server, settings, runtime, tenants
):
    # given: a subscriber that saw the first payment, then went away
    acme = tenants["acme"]
    mine = await customer(runtime, acme, "EV-2")
    other = await customer(runtime, acme, "EV-3")
    for row in (mine, other):
        await post_invoice(runtime, acme, row.id, f"INV-{row.code}")
    filt = {"customerId": to_global_id("Customer", mine.id), "topics": ["PAYMENT_RECEIVED"]}
    sub = await subscribed(live_server, token(settings), {"filter": filt}, EVENTS)
    await pay(runtime, acme, mine.id, "a")
    seen = (await sub.next())["payload"]["data"]["receivablesEvents"]
    await sub.close()
    # when: more cash arrives for both customers while it is away
    await pay(runtime, acme, other.id, "b")
    await pay(runtime, acme, mine.id, "c")
    await pay(runtime, acme, mine.id, "d")
    back = await subscribed(
        live_server, token(settings), {"filter": filt, "after": seen["cursor"]}, EVENTS
    )
    # then
    missed = [(await back.next())["payload"]["data"]["receivablesEvents"] for _ in range(2)]
    assert [m["customer"]["code"] for m in missed] == ["EV-2", "EV-2"]
    assert len({m["cursor"] for m in [seen, *missed]}) == 3
    await back.close()


async def test_other_tenants_events_never_arrive(live_server, settings, runtime, tenants):
    # given: a subscriber in acme, activity in globex
    sub = await subscribed(live_server, token(settings), {}, EVENTS)
    globex = tenants["globex"]
    row = await customer(runtime, globex, "GX-1")
    await post_invoice(runtime, globex, row.id, "GX-INV")
    # when
    await pay(runtime, globex, row.id, "gx")
    mine = await customer(runtime, tenants["acme"], "EV-9")
    await post_invoice(runtime, tenants["acme"], mine.id, "EV-INV-9")
    await pay(runtime, tenants["acme"], mine.id, "ac")
    # then: the first event that arrives is acme's own
    event = (await sub.next())["payload"]["data"]["receivablesEvents"]
    assert event["customer"] == {"code": "EV-9"}
    await sub.close()


async def test_customer_filter_of_another_tenant_is_not_found(
    live_server, settings, runtime, tenants
):
    row = await customer(runtime, tenants["globex"], "GX-2")
    filt = {"customerId": to_global_id("Customer", row.id)}
    sub = await subscribed(live_server, token(settings), {"filter": filt}, EVENTS)
    message = await sub.next()
    # strawberry reports a failed subscription start as `next` with errors
    errors = message["payload"]["errors"] if message["type"] == "next" else message["payload"]
    assert errors[0]["extensions"]["code"] == "NOT_FOUND"
    await sub.close()


def _idle_in_transaction(database: Any) -> int:
    """The app role's connections left open in a transaction with nothing running."""
    return int(
        database.query(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND usename = 'credit_app' AND state = 'idle in transaction'"
        )[0][0]
    )


async def _none_left_in_a_transaction(database: Any) -> int:
    """The count once it is 0, or after 5 s (the server gives the connection back right after
    it sends an event: the client may read the event first)."""
    for _ in range(100):
        if (left := _idle_in_transaction(database)) == 0:
            return 0
        await asyncio.sleep(0.05)
    return left


async def test_a_subscriber_holds_no_connection_between_events_nor_after_it_leaves(
    live_server, settings, runtime, tenants, database
):
    # given a subscriber whose events read their customer (through the request's loader)
    acme = tenants["acme"]
    row = await customer(runtime, acme, "EV-H")
    await post_invoice(runtime, acme, row.id, "EV-INV-H")
    sub = await subscribed(live_server, token(settings), {}, NAMED)
    # when one event has reached it
    await pay(runtime, acme, row.id, "h-1")
    event = (await sub.next())["payload"]["data"]["receivablesEvents"]
    assert event["customer"] == {"legalName": "EV-H"}
    # then no connection waits in a transaction for the next event
    assert await _none_left_in_a_transaction(database) == 0
    # and the next event reads its customer afresh: renamed meanwhile, it says so
    async with UnitOfWork(runtime.engine, acme, Actor("test")) as uow:
        await save(uow, row.id, None, {"legal_name": "EV-H renamed"}, AuditAction.UPDATE_CUSTOMER)
        await uow.commit()
    await pay(runtime, acme, row.id, "h-2")
    again = (await sub.next())["payload"]["data"]["receivablesEvents"]
    assert again["customer"] == {"legalName": "EV-H renamed"}
    assert await _none_left_in_a_transaction(database) == 0
    # and once it leaves mid-stream, nothing of it is left open
    await pay(runtime, acme, row.id, "h-3")
    await sub.close()
    assert await _none_left_in_a_transaction(database) == 0


async def test_subscriptions_sharing_a_socket_keep_their_reads_apart(
    live_server, settings, runtime, tenants, database
):
    # given two subscriptions on one socket, both reading each event's customer
    acme = tenants["acme"]
    rows = [await customer(runtime, acme, f"EV-S{n}") for n in range(3)]
    for row in rows:
        await post_invoice(runtime, acme, row.id, f"EV-INV-{row.code}")
    sub = await subscribed(live_server, token(settings), {}, EVENTS)
    await sub.subscribe({}, op="2", query=EVENTS)
    # when payments of different customers wake both at once, again and again
    for n in range(9):
        await pay(runtime, acme, rows[n % 3].id, f"s-{n}")
    received: dict[str, list[Any]] = {"1": [], "2": []}
    while min(len(v) for v in received.values()) < 9:
        message = await sub.next()
        assert message["type"] == "next", message
        received[message["id"]].append(message["payload"]["data"]["receivablesEvents"])
    # then each read its customers, and no connection is left open in a transaction
    for events in received.values():
        assert [e["customer"]["code"] for e in events] == [rows[n % 3].code for n in range(9)]
    assert await _none_left_in_a_transaction(database) == 0
    await sub.close()
    assert await _none_left_in_a_transaction(database) == 0
