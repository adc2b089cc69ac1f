"""warningRaised over graphql-transport-ws with real WebSocket clients against uvicorn."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from uuid import UUID

import pytest
import websockets

from services.customers.master_data import CustomerChanges, create_customer
from services.customers.records import CustomerRecord
from services.uow import Actor, UnitOfWork
from services.warnings.signals import raise_warning
from tests.conftest import token

SUBSCRIBE = """subscription W($filter: WarningSubscriptionFilter, $after: String) {
  warningRaised(filter: $filter, after: $after) {
    cursor warning { id kind level customerId customerCode evidence } } }"""
PROTOCOL = "graphql-transport-ws"


class Subscriber:
    """A minimal graphql-transport-ws client, enough to test the server's side of it."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    @classmethod
    async def open(cls, url: str, bearer: str | None) -> Subscriber:
        ws = await websockets.connect(url, subprotocols=[PROTOCOL])
        payload = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        return cls(ws)

    async def acked(self) -> None:
        message = json.loads(await asyncio.wait_for(self.ws.recv(), 5))
        assert message["type"] == "connection_ack", message

    async def subscribe(
        self, variables: dict[str, Any] | None = None, op: str = "1", query: str = SUBSCRIBE
    ) -> None:
        await self.ws.send(
            json.dumps(
                {
                    "id": op,
                    "type": "subscribe",
                    "payload": {"query": query, "variables": variables or {}},
                }
            )
        )

    async def next(self, wait: float = 5.0) -> dict[str, Any]:
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), wait))
            if message["type"] in ("next", "error", "complete"):
                return message  # type: ignore[no-any-return]

    async def close(self) -> None:
        await self.ws.close()


async def customer(runtime: Any, tenant: UUID, code: str) -> CustomerRecord:
    """A customer to hang warnings on."""
    async with UnitOfWork(runtime.engine, tenant, Actor("test")) as uow:
        row = await create_customer(
            uow, CustomerChanges(code=code, legal_name=code, country="SE", contacts=[])
        )
        await uow.commit()
    return row


async def warn(
    runtime: Any,
    tenant: UUID,
    row: CustomerRecord,
    kind: str,
    level: str = "LIGHT",
    commit: bool = True,
) -> float:
    """Raise a warning; returns the time just before commit."""
    async with UnitOfWork(runtime.engine, tenant, Actor("test")) as uow:
        await raise_warning(uow, row.id, kind, level, {"n": kind})
        before = time.perf_counter()
        if commit:
            await uow.commit()
    return before


async def subscribed(
    live_server: Any,
    bearer: str,
    variables: dict[str, Any] | None = None,
    query: str = SUBSCRIBE,
) -> Subscriber:
    """Open, ack and subscribe; a round trip proves the server registered the stream."""
    sub = await Subscriber.open(live_server.ws_url, bearer)
    await sub.acked()
    await sub.subscribe(variables, query=query)
    await sub.ws.send(json.dumps({"type": "ping"}))
    while json.loads(await asyncio.wait_for(sub.ws.recv(), 5))["type"] != "pong":
        pass
    await asyncio.sleep(0.2)  # the subscribe handler runs as its own task after the pong
    return sub


async def test_warning_reaches_subscriber_within_a_second(live_server, settings, runtime, tenants):
    # given
    row = await customer(runtime, tenants["acme"], "S-1")
    sub = await subscribed(live_server, token(settings))
    # when
    before = await warn(runtime, tenants["acme"], row, "CREDIT_FILE_STALE")
    message = await sub.next()
    elapsed = time.perf_counter() - before
    # then
    event = message["payload"]["data"]["warningRaised"]
    assert event["warning"]["kind"] == "CREDIT_FILE_STALE"
    assert event["warning"]["customerCode"] == "S-1"
    assert elapsed < 1.0
    await sub.close()


async def test_tenants_never_see_each_others_warnings(live_server, settings, runtime, tenants):
    # given
    acme_row = await customer(runtime, tenants["acme"], "A-1")
    globex_row = await customer(runtime, tenants["globex"], "G-1")
    acme = await subscribed(live_server, token(settings, "acme"))
    globex = await subscribed(live_server, token(settings, "globex"))
    # when
    await warn(runtime, tenants["acme"], acme_row, "K1")
    await warn(runtime, tenants["globex"], globex_row, "K2")
    # then
    a = (await acme.next())["payload"]["data"]["warningRaised"]["warning"]
    g = (await globex.next())["payload"]["data"]["warningRaised"]["warning"]
    assert (a["kind"], g["kind"]) == ("K1", "K2")
    with pytest.raises(TimeoutError):
        await acme.next(wait=0.5)
    with pytest.raises(TimeoutError):
        await globex.next(wait=0.5)
    await acme.close()
    await globex.close()


async def test_resume_after_disconnect_gets_the_gap_exactly_once_in_order(
    live_server, settings, runtime, tenants
):
    # given: a subscriber that saw one warning and then went away
    row = await customer(runtime, tenants["acme"], "R-1")
    bearer = token(settings)
    sub = await subscribed(live_server, bearer)
    await warn(runtime, tenants["acme"], row, "K0")
    cursor = (await sub.next())["payload"]["data"]["warningRaised"]["cursor"]
    await sub.close()
    # when: three more are raised while it is away, then it resumes; one more arrives live
    for kind in ("K1", "K2", "K3"):
        await warn(runtime, tenants["acme"], row, kind)
    back = await subscribed(live_server, bearer, {"after": cursor})
    await warn(runtime, tenants["acme"], row, "K4")
    kinds = [
        (await back.next())["payload"]["data"]["warningRaised"]["warning"]["kind"] for _ in range(4)
    ]
    # then
    assert kinds == ["K1", "K2", "K3", "K4"]
    with pytest.raises(TimeoutError):
        await back.next(wait=0.5)
    await back.close()


async def test_filters_and_rolled_back_warnings(live_server, settings, runtime, tenants):
    # given
    one = await customer(runtime, tenants["acme"], "F-1")
    two = await customer(runtime, tenants["acme"], "F-2")
    from schema.relay import to_global_id

    severe_only = await subscribed(live_server, token(settings), {"filter": {"minLevel": "SEVERE"}})
    only_two = await subscribed(
        live_server,
        token(settings),
        {"filter": {"customerId": to_global_id("Customer", two.id)}},
    )
    # when
    await warn(runtime, tenants["acme"], one, "X", "LIGHT")
    await warn(runtime, tenants["acme"], one, "ROLLED_BACK", "SEVERE", commit=False)
    await warn(runtime, tenants["acme"], one, "Y", "SEVERE")
    await warn(runtime, tenants["acme"], two, "Z", "MEDIUM")
    # then
    got = (await severe_only.next())["payload"]["data"]["warningRaised"]["warning"]
    assert (got["kind"], got["level"]) == ("Y", "SEVERE")
    got = (await only_two.next())["payload"]["data"]["warningRaised"]["warning"]
    assert got["kind"] == "Z"
    for sub in (severe_only, only_two):
        with pytest.raises(TimeoutError):
            await sub.next(wait=0.5)
        await sub.close()


async def test_customer_filter_of_another_tenant_is_not_found(
    live_server, settings, runtime, tenants
):
    from schema.relay import to_global_id

    foreign = await customer(runtime, tenants["globex"], "G-9")
    sub = await Subscriber.open(live_server.ws_url, token(settings, "acme"))
    await sub.acked()
    await sub.subscribe({"filter": {"customerId": to_global_id("Customer", foreign.id)}})
    message = await sub.next()
    assert message["type"] == "next" or message["type"] == "error"
    errors = message["payload"]["errors"] if message["type"] == "next" else message["payload"]
    assert errors[0]["extensions"]["code"] == "NOT_FOUND"
    await sub.close()


async def test_bad_token_closes_4403_and_silence_closes_4408(live_server, settings):
    bad = await Subscriber.open(live_server.ws_url, "nope")
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await bad.acked()
    assert closed.value.rcvd.code == 4403
    silent = await websockets.connect(live_server.ws_url, subprotocols=[PROTOCOL])
    with pytest.raises(websockets.ConnectionClosed) as timed_out:
        await asyncio.wait_for(silent.recv(), 8)
    assert timed_out.value.rcvd.code == 4408


async def test_legacy_protocol_is_not_offered(live_server):
    ws = await websockets.connect(live_server.ws_url, subprotocols=["graphql-ws"])
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.rcvd.code == 4406  # subprotocol not acceptable


ALIASED = """subscription { warningRaised { cursor w: warning { kind id } } }"""


async def test_subscribers_of_one_event_share_nothing_they_did_not_ask_for(
    live_server, settings, runtime, tenants
):
    # given two subscribers with the same document, one with another document, one elsewhere
    row = await customer(runtime, tenants["acme"], "S-SHARE")
    other = await customer(runtime, tenants["globex"], "S-SHARE")
    same_a = await subscribed(live_server, token(settings))
    same_b = await subscribed(live_server, token(settings, roles=["viewer"]))
    aliased = await subscribed(live_server, token(settings), query=ALIASED)
    elsewhere = await subscribed(live_server, token(settings, tenant="globex"))
    # when one warning is raised in each tenant
    await warn(runtime, tenants["acme"], row, "SHARED_EVENT")
    await warn(runtime, tenants["globex"], other, "GLOBEX_EVENT")
    a, b, c, d = [await s.next() for s in (same_a, same_b, aliased, elsewhere)]
    # then each got its own shape of its own tenant's event
    assert a["payload"] == b["payload"]
    assert a["payload"]["data"]["warningRaised"]["warning"]["kind"] == "SHARED_EVENT"
    assert c["payload"]["data"]["warningRaised"]["w"] == {
        "kind": "SHARED_EVENT",
        "id": a["payload"]["data"]["warningRaised"]["warning"]["id"],
    }
    assert d["payload"]["data"]["warningRaised"]["warning"]["kind"] == "GLOBEX_EVENT"
    for s in (same_a, same_b, aliased, elsewhere):
        await s.close()
