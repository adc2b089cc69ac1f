"""Event to webhook delivery at a local receiver, at 50 events a second, through the real path:
the event's trigger fans out a delivery, NOTIFY wakes the scheduler's dispatcher, a Dramatiq
worker signs and POSTs it. The latency is from the event's commit to the receiver's arrival."""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

from benchmarks.harness import ROOT, Bench, database, seed_customers, stop_group
from dbschema.engine import create_engine
from dbschema.queries.events import record_event
from services.integration import webhooks
from services.uow import Actor, UnitOfWork

RATE = 50  #: events a second
SECONDS = 20  #: how long events are published
FLOOR_P99_S = 1.0


class Receiver(BaseHTTPRequestHandler):
    """Notes when each event arrives (the sender's stamp travels in the event's data)."""

    arrivals: ClassVar[list[float]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", "0"))))
        sent = body.get("data", {}).get("sentAt")
        if sent is not None:
            self.arrivals.append(time.time() - float(sent))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def _spawn(bench: Bench, *args: str) -> subprocess.Popen[bytes]:
    env = {**bench.env(), "WEBHOOKS_ALLOW_PRIVATE": "on", "APP_ENV": "development"}
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", *args],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def _publish(bench: Bench, endpoint_url: str) -> int:
    engine = create_engine(bench.app_url, pool_size=4)
    tenant = uuid.UUID(bench.tenant_id)
    try:
        async with UnitOfWork(engine, tenant, Actor("bench")) as uow:
            policy = webhooks.UrlPolicy(https_only=False, allow_private=True)
            await webhooks.create_endpoint(
                uow, endpoint_url, ["warning.raised"], "bench", 1000, policy
            )
            await uow.commit()
        customers = [str(uuid.uuid4()) for _ in range(25)]
        sent = 0
        start = time.monotonic()
        while time.monotonic() - start < SECONDS:
            due = start + sent / RATE
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            async with UnitOfWork(engine, tenant, Actor("bench")) as uow:
                payload = {"customerId": customers[sent % 25], "n": sent, "sentAt": 0.0}
                payload["sentAt"] = time.time()
                await record_event(uow.conn, tenant, "warning.raised", payload)
                await uow.commit()
            sent += 1
        return sent
    finally:
        await engine.dispose()


def measure(bench: Bench) -> dict[str, Any]:
    """Worker and scheduler as processes, a receiver in this one, 50 events/s for 20 s."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    worker = _spawn(bench, "worker", "--processes", "1", "--threads", "8")
    scheduler = _spawn(bench, "scheduler")
    try:
        time.sleep(5)  # both processes import, connect and start listening
        sent = asyncio.run(_publish(bench, url))
        deadline = time.monotonic() + 30
        while len(Receiver.arrivals) < sent and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop_group(worker)
        stop_group(scheduler)
        server.shutdown()
    latencies = sorted(Receiver.arrivals)
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "sent": sent,
        "received": len(latencies),
        "p50_s": round(q[49], 3),
        "p99_s": round(q[98], 3),
        "rate": RATE,
    }


def report(figures: dict[str, Any]) -> None:
    """Latency beside the issue's floor."""
    ok = figures["p99_s"] <= FLOOR_P99_S and figures["received"] == figures["sent"]
    print(
        f"event -> webhook at a local receiver, {figures['rate']} events/s: "
        f"{figures['received']}/{figures['sent']} delivered, p50 {figures['p50_s']} s, "
        f"p99 {figures['p99_s']} s  floor p99 <= {FLOOR_P99_S} s: {'PASS' if ok else 'BELOW'}"
    )


def main() -> None:
    """A bench database with a few customers, then the measurement."""
    with database() as bench:
        seed_customers(bench, 100)
        report(measure(bench))


if __name__ == "__main__":
    os.environ.setdefault("APP_ENV", "development")
    main()
