"""Webhooks against real receivers on loopback: signed, logged, retried, ordered, disabled."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID, uuid4

import httpx
import pytest

from dbschema.queries.events import record_event
from domain.errors import ValidationFailed
from domain.webhooks import verify
from infra.runtime import Runtime
from services.integration import webhooks
from services.integration.webhook_delivery import deliver_due, httpx_sender, resolves_to_forbidden
from services.uow import Actor, UnitOfWork
from tests.conftest import Database, free_port

LOOPBACK = webhooks.UrlPolicy(https_only=False, allow_private=True)
EXAMPLE = Path(__file__).parents[2] / "clients" / "examples" / "python" / "webhook_receiver.py"


class Recorder(BaseHTTPRequestHandler):
    """A receiver that records what it got and answers the status it is told to."""

    answers: ClassVar[list[int]] = []
    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        self.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        status = self.answers.pop(0) if self.answers else 204
        self.send_response(status)
        self.end_headers()
        self.wfile.write(b"" if status == 204 else b"receiver says no")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, type[Recorder]]]:
    handler = type("Handler", (Recorder,), {"answers": [], "received": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks", handler
    server.shutdown()


def uow(runtime: Runtime, tenant: UUID) -> UnitOfWork:
    return UnitOfWork(runtime.engine, tenant, Actor("test"))


async def endpoint(
    runtime: Runtime, tenant: UUID, url: str, types: list[str], disable_after: int = 20
) -> tuple[webhooks.Endpoint, str]:
    async with uow(runtime, tenant) as work:
        made = await webhooks.create_endpoint(work, url, types, "test", disable_after, LOOPBACK)
        await work.commit()
    return made


async def publish(runtime: Runtime, tenant: UUID, topic: str, customer: str, n: int) -> None:
    async with uow(runtime, tenant) as work:
        await record_event(work.conn, tenant, topic, {"customerId": customer, "n": n})
        await work.commit()


async def deliver(runtime: Runtime, tenant: UUID, endpoint_id: UUID) -> int:
    async with httpx.AsyncClient() as client:
        return await deliver_due(
            lambda: uow(runtime, tenant), endpoint_id, httpx_sender(client), LOOPBACK
        )


async def test_an_event_is_delivered_signed_and_logged(
    runtime: Runtime, tenants: dict[str, UUID], database: Database, receiver: Any
) -> None:
    url, handler = receiver
    tenant = tenants["acme"]
    # given an endpoint for warnings and collections events
    made, secret = await endpoint(runtime, tenant, url, ["warning.raised", "collections.*"])
    # when three events are published, one of a type it did not ask for
    customer = str(uuid4())
    await publish(runtime, tenant, "warning.raised", customer, 1)
    await publish(runtime, tenant, "payment.received", customer, 2)
    await publish(runtime, tenant, "collections.stage_changed", customer, 3)
    sent = await deliver(runtime, tenant, made.id)
    # then the two it wants arrive, in order, each verifiably signed with its secret
    assert sent == 2
    bodies = [json.loads(body) for _, body in handler.received]
    assert [b["type"] for b in bodies] == ["warning.raised", "collections.stage_changed"]
    assert [b["data"]["n"] for b in bodies] == [1, 3]
    for headers, body in handler.received:
        stamp = int(headers["webhook-timestamp"])
        assert verify(
            secret,
            headers["webhook-id"],
            stamp,
            body,
            headers["webhook-signature"],
            int(time.time()),
        )
    assert database.query("SELECT status, attempts FROM webhook_deliveries ORDER BY event_seq") == [
        ("DELIVERED", 1),
        ("DELIVERED", 1),
    ]
    assert database.query("SELECT status_code FROM webhook_attempts") == [(204,), (204,)]
    # and another tenant's events never reach this endpoint
    await publish(runtime, tenants["globex"], "warning.raised", customer, 4)
    assert await deliver(runtime, tenant, made.id) == 0


async def test_a_failure_is_retried_later_and_holds_back_its_customer_only(
    runtime: Runtime, tenants: dict[str, UUID], database: Database, receiver: Any
) -> None:
    url, handler = receiver
    tenant = tenants["acme"]
    made, _ = await endpoint(runtime, tenant, url, ["*"])
    first, second = str(uuid4()), str(uuid4())
    await publish(runtime, tenant, "warning.raised", first, 1)
    await publish(runtime, tenant, "warning.raised", first, 2)
    await publish(runtime, tenant, "warning.raised", second, 3)
    # when the receiver fails the first delivery
    handler.answers.extend([500])
    await deliver(runtime, tenant, made.id)
    # then the first customer's second event waits behind it; the other customer's does not
    got = [json.loads(body)["data"]["n"] for _, body in handler.received]
    assert got == [1, 3]
    rows = database.query(
        "SELECT payload->>'n', status, attempts, next_attempt_at > now() + interval '4 seconds'"
        " FROM webhook_deliveries ORDER BY event_seq"
    )
    assert rows == [
        ("1", "PENDING", 1, True),
        ("2", "PENDING", 0, False),
        ("3", "DELIVERED", 1, False),
    ]
    assert database.query(
        "SELECT response_excerpt FROM webhook_attempts WHERE status_code = 500"
    ) == [("receiver says no",)]
    # and when the retry is due and succeeds, the held event follows in order
    database.query("UPDATE webhook_deliveries SET next_attempt_at = now() WHERE status = 'PENDING'")
    await deliver(runtime, tenant, made.id)
    assert [json.loads(b)["data"]["n"] for _, b in handler.received] == [1, 3, 1, 2]
    # a redelivery repeats the same webhook-id, so receivers can deduplicate
    ids = [h["webhook-id"] for h, _ in handler.received]
    assert ids[0] == ids[2]


async def test_an_endpoint_that_keeps_failing_is_disabled_with_an_event(
    runtime: Runtime, tenants: dict[str, UUID], database: Database, receiver: Any
) -> None:
    url, handler = receiver
    tenant = tenants["acme"]
    made, _ = await endpoint(runtime, tenant, url, ["warning.raised"], disable_after=2)
    for n in range(3):
        await publish(runtime, tenant, "warning.raised", str(uuid4()), n)
    handler.answers.extend([503, 503, 503])
    await deliver(runtime, tenant, made.id)
    assert database.query("SELECT status, consecutive_failures FROM webhook_endpoints") == [
        ("DISABLED", 2)
    ]
    assert database.query(
        "SELECT payload->>'reason' FROM events WHERE topic = 'webhook.endpoint_disabled'"
    ) == [("2 consecutive failed deliveries",)]
    # a disabled endpoint gets nothing more, and new events are not fanned out to it
    assert await deliver(runtime, tenant, made.id) == 0
    await publish(runtime, tenant, "warning.raised", str(uuid4()), 9)
    assert database.query("SELECT count(*) FROM webhook_deliveries") == [(3,)]


async def test_a_rotation_signs_with_both_secrets(
    runtime: Runtime, tenants: dict[str, UUID], receiver: Any
) -> None:
    url, handler = receiver
    tenant = tenants["acme"]
    made, old = await endpoint(runtime, tenant, url, ["warning.raised"])
    async with uow(runtime, tenant) as work:
        _, new = await webhooks.rotate_secret(work, made.id)
        await work.commit()
    await publish(runtime, tenant, "warning.raised", str(uuid4()), 1)
    await deliver(runtime, tenant, made.id)
    headers, body = handler.received[0]
    stamp, now = int(headers["webhook-timestamp"]), int(time.time())
    for secret in (old, new):
        assert verify(secret, headers["webhook-id"], stamp, body, headers["webhook-signature"], now)
    assert len(headers["webhook-signature"].split()) == 2


@pytest.mark.parametrize(
    ("url", "policy", "code"),
    [
        ("http://hooks.example.com/x", webhooks.UrlPolicy(True, False), "INVALID_URL"),
        ("https://127.0.0.1/x", webhooks.UrlPolicy(True, False), "FORBIDDEN_ADDRESS"),
        ("https://10.1.2.3/x", webhooks.UrlPolicy(True, False), "FORBIDDEN_ADDRESS"),
        (
            "https://169.254.169.254/latest/meta-data",
            webhooks.UrlPolicy(True, False),
            "FORBIDDEN_ADDRESS",
        ),
        ("https://[::1]/x", webhooks.UrlPolicy(True, False), "FORBIDDEN_ADDRESS"),
        ("https://[::ffff:192.168.0.1]/x", webhooks.UrlPolicy(True, False), "FORBIDDEN_ADDRESS"),
        ("https://localhost/x", webhooks.UrlPolicy(True, False), "FORBIDDEN_ADDRESS"),
        ("https://user:pw@hooks.example.com/x", webhooks.UrlPolicy(True, False), "INVALID_URL"),
        ("https://hooks.example.com/" + "x" * 2000, webhooks.UrlPolicy(True, False), "TOO_LONG"),
        ("ftp://hooks.example.com/x", webhooks.UrlPolicy(False, False), "INVALID_URL"),
    ],
)
async def test_urls_that_could_reach_inside_are_refused_before_any_connection(
    runtime: Runtime, tenants: dict[str, UUID], database: Database, url: str, policy: Any, code: str
) -> None:
    async with uow(runtime, tenants["acme"]) as work:
        with pytest.raises(ValidationFailed) as refused:
            await webhooks.create_endpoint(work, url, ["warning.raised"], None, None, policy)
    assert [e.code for e in refused.value.errors] == [code]
    assert database.query("SELECT count(*) FROM webhook_endpoints") == [(0,)]


async def test_a_name_resolving_to_loopback_is_refused_at_delivery(
    runtime: Runtime, tenants: dict[str, UUID], database: Database
) -> None:
    # given an endpoint whose host name resolves to a local address: this machine's own name
    host = socket.gethostname()
    if not await resolves_to_forbidden(host):
        pytest.skip(f"{host} does not resolve to a private or local address here")
    tenant = tenants["acme"]
    made, _ = await endpoint(runtime, tenant, f"http://{host}/x", ["warning.raised"])
    await publish(runtime, tenant, "warning.raised", str(uuid4()), 1)
    strict = webhooks.UrlPolicy(https_only=False, allow_private=False)
    async with httpx.AsyncClient() as client:
        await deliver_due(lambda: uow(runtime, tenant), made.id, httpx_sender(client), strict)
    # then nothing connected, and the log says why
    errors = database.query("SELECT status_code, error FROM webhook_attempts")
    assert errors[0][0] is None and "private or local" in errors[0][1]


async def test_the_receiver_example_verifies_and_deduplicates(
    runtime: Runtime, tenants: dict[str, UUID], database: Database
) -> None:
    tenant = tenants["acme"]
    port = free_port()
    made, secret = await endpoint(runtime, tenant, f"http://127.0.0.1:{port}/", ["warning.raised"])
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(EXAMPLE),
        "--port",
        str(port),
        "--count",
        "2",
        env={**os.environ, "WEBHOOK_SECRET": secret},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    await asyncio.wait_for(proc.stderr.readline(), 60)  # type: ignore[union-attr]
    customer = str(uuid4())
    await publish(runtime, tenant, "warning.raised", customer, 1)
    await deliver(runtime, tenant, made.id)
    # a redelivery of the first (same id) is acknowledged but not printed again
    database.query("UPDATE webhook_deliveries SET status = 'PENDING', next_attempt_at = now()")
    await deliver(runtime, tenant, made.id)
    await publish(runtime, tenant, "warning.raised", customer, 2)
    await deliver(runtime, tenant, made.id)
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    events = [json.loads(line) for line in out.decode().splitlines()]
    assert [e["data"]["n"] for e in events] == [1, 2]
    assert database.query("SELECT count(*) FROM webhook_attempts") == [(3,)]
