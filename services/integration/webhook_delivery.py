"""Delivering webhooks: signed (Standard Webhooks), in order per customer, retried on the
schedule in domain/webhooks.py for about 42 hours, every attempt logged, and an endpoint that
keeps failing disabled with an event saying so."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

import sqlalchemy as sa

from dbschema.integration_tables import webhook_attempts, webhook_deliveries, webhook_endpoints
from dbschema.queries.events import record_event
from domain.webhooks import check_url, forbidden_address, retry_delay, signature_header
from services.integration.webhooks import UrlPolicy
from services.uow import UnitOfWork

BATCH = 50  #: deliveries sent per transaction (in order), then the endpoint's lock is let go
PASS_SECONDS = 10.0  #: one pass drains a backlog for this long, then leaves it to the next
LINGER_POLL = 0.05  #: how often a lingering pass looks for new deliveries
TIMEOUT_SECONDS = 10.0  #: a receiver that has not answered by then has failed this attempt
EXCERPT = 500  #: characters of a response kept in the log
TOPIC_DISABLED = "webhook.endpoint_disabled"


@dataclass(frozen=True)
class Answer:
    """What a receiver said (or why it could not be asked)."""

    status_code: int | None
    body: str
    error: str | None
    latency_ms: int

    @property
    def ok(self) -> bool:
        """Delivered: the receiver answered 2xx."""
        return self.status_code is not None and 200 <= self.status_code < 300


class Sender(Protocol):
    """Sends one signed request (httpx in production and in tests, against real receivers)."""

    async def __call__(self, url: str, headers: dict[str, str], body: bytes) -> Answer: ...


async def resolves_to_forbidden(host: str) -> bool:
    """Whether a host name resolves to any private, loopback or link-local address."""
    try:
        literal = ipaddress.ip_address(host)
        return forbidden_address(literal)
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        return False  # unresolvable: the attempt fails on its own, with that reason
    return any(forbidden_address(ipaddress.ip_address(info[4][0])) for info in infos)


def message_id(tenant_id: UUID, event_seq: int) -> str:
    """The `webhook-id`: stable across retries and redeliveries, for receivers to deduplicate."""
    return f"msg_{tenant_id.hex}_{event_seq}"


def message(tenant_id: UUID, row: dict[str, Any]) -> tuple[str, bytes]:
    """The webhook id and the body (Standard Webhooks' type, timestamp and data)."""
    body = {
        "type": row["topic"],
        "timestamp": row["event_at"].isoformat(),
        "data": row["payload"],
    }
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return message_id(tenant_id, row["event_seq"]), text.encode()


async def deliver_due(
    open_uow: Callable[[], UnitOfWork],
    endpoint_id: UUID,
    send: Sender,
    policy: UrlPolicy,
    now: Callable[[], float] = time.time,
    linger: float = 0.0,
) -> int:
    """Send what is due for one endpoint, oldest first, batch after batch until nothing is due
    (or, with `linger`, nothing came for that long) or the pass has used its time; returns how
    many were attempted. A worker lingers so a steady stream does not wait for a new message
    per event."""
    started = last_work = time.monotonic()
    attempted = 0
    while True:
        done, more = await _batch(open_uow, endpoint_id, send, policy, now)
        attempted += done
        clock = time.monotonic()
        if done:
            last_work = clock
        if clock - started > PASS_SECONDS or clock - last_work >= linger:
            return attempted
        if not more:
            await asyncio.sleep(LINGER_POLL)  # events keep coming: stay a moment for them


async def _batch(
    open_uow: Callable[[], UnitOfWork],
    endpoint_id: UUID,
    send: Sender,
    policy: UrlPolicy,
    now: Callable[[], float],
) -> tuple[int, bool]:
    """One batch in one transaction; (attempted, whether more may be due).

    The transaction holds the endpoint's row lock, so two workers never deliver to one
    endpoint at once (order per customer holds); a failed delivery holds back the later
    deliveries of its customer until it succeeds or is given up.
    """
    async with open_uow() as uow:
        endpoint = (
            await uow.conn.execute(
                sa.select(webhook_endpoints)
                .where(webhook_endpoints.c.id == endpoint_id)
                .with_for_update(skip_locked=True)
            )
        ).first()
        if endpoint is None or endpoint.status != "ACTIVE":
            return 0, False
        earlier = webhook_deliveries.alias("earlier")
        due = (
            await uow.conn.execute(
                sa.select(webhook_deliveries)
                .where(
                    webhook_deliveries.c.endpoint_id == endpoint_id,
                    webhook_deliveries.c.status == "PENDING",
                    webhook_deliveries.c.next_attempt_at <= sa.func.now(),
                    ~sa.exists().where(
                        earlier.c.tenant_id == webhook_deliveries.c.tenant_id,
                        earlier.c.endpoint_id == webhook_deliveries.c.endpoint_id,
                        earlier.c.ordering_key == webhook_deliveries.c.ordering_key,
                        earlier.c.status == "PENDING",
                        earlier.c.next_attempt_at > sa.func.now(),  # waiting for its retry
                        earlier.c.event_seq < webhook_deliveries.c.event_seq,
                    ),
                )
                .order_by(webhook_deliveries.c.event_seq)
                .limit(BATCH)
            )
        ).all()
        held: set[str] = set()
        failures = endpoint.consecutive_failures
        secrets = [endpoint.secret]
        if endpoint.previous_secret and endpoint.previous_secret_until is not None:
            if endpoint.previous_secret_until.timestamp() > now():
                secrets.append(endpoint.previous_secret)
        attempted = 0
        disabled = False
        for delivery in due:
            row = dict(delivery._mapping)
            if row["ordering_key"] in held:
                continue
            answer = await _attempt(uow, endpoint.url, secrets, row, send, policy, now)
            attempted += 1
            failures = 0 if answer.ok else failures + 1
            if not answer.ok:
                held.add(row["ordering_key"])
            if failures >= endpoint.disable_after:
                await _disable(uow, endpoint, failures)
                disabled = True
                break
        await uow.conn.execute(
            webhook_endpoints.update()
            .where(webhook_endpoints.c.id == endpoint_id)
            .values(consecutive_failures=failures)
        )
        await uow.commit()
    return attempted, len(due) == BATCH and not disabled


async def _attempt(
    uow: UnitOfWork,
    url: str,
    secrets: list[str],
    row: dict[str, Any],
    send: Sender,
    policy: UrlPolicy,
    now: Callable[[], float],
) -> Answer:
    ident, body = message(uow.tenant_id, row)
    stamp = int(now())
    answer = await _guarded(
        url,
        policy,
        send,
        {
            "content-type": "application/json",
            "user-agent": "credit-platform-webhooks/1",
            "webhook-id": ident,
            "webhook-timestamp": str(stamp),
            "webhook-signature": signature_header(secrets, ident, stamp, body),
        },
        body,
    )
    await uow.conn.execute(
        webhook_attempts.insert().values(
            tenant_id=uow.tenant_id,
            delivery_id=row["id"],
            status_code=answer.status_code,
            latency_ms=answer.latency_ms,
            response_excerpt=answer.body[:EXCERPT] or None,
            error=(answer.error or "")[:EXCERPT] or None,
        )
    )
    attempts = row["attempts"] + 1
    if answer.ok:
        values: dict[str, Any] = {
            "status": "DELIVERED",
            "attempts": attempts,
            "delivered_at": sa.func.now(),
        }
    else:
        wait = retry_delay(attempts)
        values = (
            {"status": "FAILED", "attempts": attempts}
            if wait is None
            else {"attempts": attempts, "next_attempt_at": sa.func.now() + wait}
        )
    await uow.conn.execute(
        webhook_deliveries.update().where(webhook_deliveries.c.id == row["id"]).values(**values)
    )
    return answer


async def _guarded(
    url: str, policy: UrlPolicy, send: Sender, headers: dict[str, str], body: bytes
) -> Answer:
    """Check the address again before connecting (DNS may have changed), then send."""
    target = check_url(url, https_only=policy.https_only, allow_private=policy.allow_private)
    if not policy.allow_private and await resolves_to_forbidden(target.host):
        return Answer(None, "", "refused: the host resolves to a private or local address", 0)
    return await send(url, headers, body)


async def _disable(uow: UnitOfWork, endpoint: Any, failures: int) -> None:
    reason = f"{failures} consecutive failed deliveries"
    await uow.conn.execute(
        webhook_endpoints.update()
        .where(webhook_endpoints.c.id == endpoint.id)
        .values(status="DISABLED", disabled_at=sa.func.now(), disabled_reason=reason)
    )
    await record_event(
        uow.conn,
        uow.tenant_id,
        TOPIC_DISABLED,
        {"endpointId": str(endpoint.id), "url": endpoint.url, "reason": reason},
    )


def httpx_sender(client: Any) -> Sender:
    """A Sender over an httpx.AsyncClient (no redirects: a redirect could leave the checks)."""

    async def send(url: str, headers: dict[str, str], body: bytes) -> Answer:
        started = time.perf_counter()
        try:
            response = await client.post(
                url, content=body, headers=headers, timeout=TIMEOUT_SECONDS, follow_redirects=False
            )
        except Exception as exc:  # any transport failure is this attempt's outcome
            elapsed = int((time.perf_counter() - started) * 1000)
            return Answer(None, "", f"{type(exc).__name__}: {exc}", elapsed)
        elapsed = int((time.perf_counter() - started) * 1000)
        return Answer(response.status_code, response.text[:EXCERPT], None, elapsed)

    return send
