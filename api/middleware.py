"""The edge every HTTP request and WebSocket passes: request id, header limits, safe headers."""

from __future__ import annotations

import logging
import os
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import metrics
from infra.logs import info_line
from infra.request_context import request_id_var, tenant_var

log = logging.getLogger("credit.api")
MAX_HEADER_BYTES = 16 * 1024  #: all request headers together; a JWT is a few hundred bytes
#: Sent with every response: browsers must not guess content types.
ALWAYS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
#: Documents and exports carry customer data: never kept by a browser or a proxy.
NO_STORE = [(b"cache-control", b"no-store")]


def _route(path: str) -> str:
    """A bounded label for metrics: the route, not the path (ids would grow the series)."""
    if path in ("/graphql", "/healthz", "/readyz", "/metrics"):
        return path
    for prefix in ("/documents", "/imports"):
        if path.startswith(prefix):
            return prefix
    return "other"


async def _refuse(send: Send, status: int, text: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), *ALWAYS],
        }
    )
    await send({"type": "http.response.body", "body": text})


def request_id(given: bytes) -> str:
    """The caller's X-Request-Id (printable, at most 64 characters) or a new one."""
    text = given.decode("latin-1")[:64]
    # 128 random bits as 32 hex digits, a uuid4().hex's shape at a fifth of its cost
    return text if text and text.isprintable() else os.urandom(16).hex()


def extra_headers(path: str) -> list[tuple[bytes, bytes]]:
    """The headers every response on `path` carries (documents and exports: no-store)."""
    return ALWAYS + (NO_STORE if path.startswith(("/documents", "/imports")) else [])


def finished(method: str | None, path: str, status: int, start: float) -> None:
    """An HTTP request's count and log line (none for probes and scrapes)."""
    metrics.child(metrics.HTTP, _route(path), str(status)).inc()
    if path not in ("/healthz", "/metrics") and log.isEnabledFor(logging.INFO):
        info_line(
            log,
            "request",
            {
                "method": method,
                "path": path,
                "status": status,
                "ms": round((time.perf_counter() - start) * 1000, 2),
            },
        )


class EdgeMiddleware:
    """Every request: an id (the caller's or a new one), bounded headers, safe response
    headers, a log line and a count (api.fast_entry does the same inline for its requests)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        raw_headers = scope.get("headers") or []
        headers = dict(raw_headers)
        rid = request_id(headers.get(b"x-request-id", b""))
        request_id_var.set(rid)
        tenant_var.set("-")
        start = time.perf_counter()
        status = {"code": 0}
        path = scope.get("path", "")
        if sum(len(k) + len(v) for k, v in raw_headers) > MAX_HEADER_BYTES:
            if scope["type"] == "http":
                metrics.HTTP.labels(_route(path), "431").inc()
                await _refuse(send, 431, b"Request headers too large")
            else:
                await send({"type": "websocket.close", "code": 1009})
            return
        extra = extra_headers(path)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                present = {k.lower() for k, _ in message.get("headers", [])}
                added = [(k, v) for k, v in extra if k not in present]
                message["headers"] = [
                    *message.get("headers", []),
                    *added,
                    (b"x-request-id", rid.encode()),
                ]
            await send(message)

        try:  # a WebSocket's messages carry no headers: its sends go out unwrapped
            await self.app(scope, receive, send_with_id if scope["type"] == "http" else send)
        finally:
            if scope["type"] == "http":
                finished(scope.get("method"), path, status["code"], start)
