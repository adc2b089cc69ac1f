"""A ceiling on every request body, so no request can make a process hold more than that.

A declared Content-Length over the ceiling is refused before anything is read. A body sent
without one (chunked) is counted as it arrives and refused once it passes the ceiling; the
server's HTTP parser already holds a declared length to its word, so only those need counting.
CSV uploads (`/imports/...`) have their own, lower ceiling; everything else sits under one
above the largest body a feature sends (a GraphQL import of a few thousand rows, or a logo
and a seal in base64, 512 KB each). Routes read their body whole: the ceiling is checked here.
"""

from __future__ import annotations

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: 16 MiB: three times the largest feature's body, far below what would strain a process.
MAX_BODY_BYTES = 16 * 1024 * 1024
#: A CSV upload (`/imports/...`): 5 MiB, room to spare for the 5,000 rows a file may hold.
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
#: A refused body up to this size is read to its end and dropped before the 413 goes out, so
#: an HTTP client still sending it reads the answer rather than a reset connection; a larger
#: one is answered at once and the connection closed.
DRAIN_MAX_BYTES = 4 * MAX_BODY_BYTES


class BodyTooLarge(Exception):
    """Raised by the counting receive once a streamed body passes the ceiling."""


class BodyLimit:
    """Refuse a request body over MAX_BODY_BYTES with 413 PAYLOAD_TOO_LARGE."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = UPLOAD_MAX_BYTES if scope["path"].startswith("/imports/") else MAX_BODY_BYTES
        for name, value in scope["headers"]:
            if name == b"content-length":
                if value.isdigit() and int(value) > limit:
                    if int(value) <= DRAIN_MAX_BYTES:
                        await _drain(receive, DRAIN_MAX_BYTES)
                    await _refuse(scope, send, limit)
                    return
                await self.app(scope, receive, send)  # the parser reads no more than declared
                return
        await self._counted(scope, receive, send, limit)

    async def _counted(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        received = 0
        started = False

        async def counting() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def watching(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting, watching)
        except BodyTooLarge:
            if not started:
                await _drain(receive, DRAIN_MAX_BYTES - received)
                await _refuse(scope, send, limit)


async def _drain(receive: Receive, budget: int) -> None:
    """Read what is left of the body and drop it, up to `budget` bytes (nothing is kept)."""
    while budget > 0:
        message = await receive()
        if message["type"] != "http.request":
            return
        budget -= len(message.get("body", b""))
        if not message.get("more_body", False):
            return


async def _refuse(scope: Scope, send: Send, limit: int) -> None:
    """413 in the shape the route's clients read: GraphQL errors on /graphql, the routes'
    JSON error elsewhere."""
    message = f"The request body is larger than {limit} bytes"
    if scope.get("path") == "/graphql":
        shape: dict[str, object] = {
            "errors": [{"message": message, "extensions": {"code": "PAYLOAD_TOO_LARGE"}}]
        }
    else:
        shape = {"error": {"code": "PAYLOAD_TOO_LARGE", "message": message}}
    body = orjson.dumps(shape)
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
