"""Receive the credit platform's webhooks: verify the signature, drop duplicates, print events.

Usage: WEBHOOK_SECRET=whsec_... python webhook_receiver.py [--port 8088] [--count N]

Each delivery is POSTed with the Standard Webhooks headers `webhook-id`, `webhook-timestamp`
and `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, space-separated
when two secrets sign during a rotation). A receiver must:
  1. check the signature against its secret, in constant time, and the timestamp's age;
  2. answer 2xx quickly (the platform retries anything else, for about 42 hours);
  3. remember the ids it has processed: a retry or a redelivery repeats the same id.
Events arrive in order per customer. This program prints one JSON line per new event.
Only the standard library is used, so it runs anywhere Python 3.11 does.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

TOLERANCE_SECONDS = 300  #: refuse deliveries signed more than five minutes away from now


def verify(secret: str, headers: dict[str, str], body: bytes, now: float) -> bool:
    """Standard Webhooks verification: any listed v1 signature matches, timestamp is fresh."""
    try:
        msg_id = headers["webhook-id"]
        stamp = int(headers["webhook-timestamp"])
        given = headers["webhook-signature"].split()
    except (KeyError, ValueError):
        return False
    if abs(now - stamp) > TOLERANCE_SECONDS:
        return False
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{stamp}.".encode() + body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest(expected, g) for g in given)


class Receiver(BaseHTTPRequestHandler):
    """One POST per delivery."""

    secret = ""
    seen: ClassVar[set[str]] = set()
    limit = 0

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        headers = {k.lower(): v for k, v in self.headers.items()}
        if not verify(self.secret, headers, body, time.time()):
            self.send_response(401)
            self.end_headers()
            return
        msg_id = headers["webhook-id"]
        if msg_id not in self.seen:  # a retry of something already processed: just ack it
            self.seen.add(msg_id)
            event = json.loads(body)
            print(json.dumps({"id": msg_id, **event}, ensure_ascii=False), flush=True)
        self.send_response(204)
        self.end_headers()
        if self.limit and len(self.seen) >= self.limit:
            self.server.shutdown_requested = True  # type: ignore[attr-defined]

    def log_message(self, *args: object) -> None:
        """Quiet: the events are the output."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8088)
    parser.add_argument("--count", type=int, default=0, help="exit after N distinct events")
    args = parser.parse_args()
    secret = os.environ.get("WEBHOOK_SECRET", "")
    if not secret.startswith("whsec_"):
        print(
            "WEBHOOK_SECRET=whsec_... is required (createWebhookEndpoint returns it)",
            file=sys.stderr,
        )
        return 2
    Receiver.secret, Receiver.limit = secret, args.count
    # one request at a time, in arrival order: the platform sends a customer's events in order
    server = HTTPServer(("127.0.0.1", args.port), Receiver)
    server.timeout = 0.5  # handle_request returns now and then, so --count can end the loop
    server.shutdown_requested = False  # type: ignore[attr-defined]
    print(json.dumps({"listening": args.port}), file=sys.stderr, flush=True)
    while not server.shutdown_requested:  # type: ignore[attr-defined]
        server.handle_request()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
