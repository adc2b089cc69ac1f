"""The platform's outermost ASGI app: the common GraphQL request answered before Starlette.

A JSON POST to /graphql with a declared length is most of what an integrator sends. Starlette's
application, its error middleware, the edge and the body limit cost a `{ __typename }` about a
sixth of its CPU (issue 13's in-process measure: 118 -> 99 us), each an awaited layer wrapping
`send`. This entry does their work inline for that one shape: the request id (the caller's or
a new one), the header and body ceilings, the safe response headers, the count and the log
line, a 500 for an unexpected error; then api.fast_graphql answers it. Anything else (other
routes, WebSockets, lifespan, browsers' CORS requests, streaming, chunked or oversized bodies,
malformed requests) goes to the Starlette app as it is, whose edge does the same work.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.applications import Starlette
from starlette.types import Receive, Scope, Send

from api import body_limit
from api.fast_graphql import STREAMING, FastGraphQL, read_body, replay, request_data
from api.graphql_view import CreditGraphQL
from api.middleware import ALWAYS, MAX_HEADER_BYTES, finished, request_id
from infra.request_context import request_id_var, tenant_var


class FastEntry:
    """Plain JSON POSTs to /graphql answered here; everything else to the Starlette app (its
    attributes, such as `state`, read through)."""

    def __init__(self, app: Starlette, view: CreditGraphQL, path: str = "/graphql") -> None:
        self.app = app
        self.path = path
        self.graphql = FastGraphQL(app, view, path)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        authorization = None
        given = b""
        length = -1
        size = 0
        json_body = False
        for name, value in scope["headers"]:
            size += len(name) + len(value)
            if name == b"content-type":
                json_body = b"application/json" in value.split(b";", 1)[0].lower()
            elif name == b"authorization":
                authorization = value.decode("latin-1")
            elif name == b"content-length":
                length = int(value) if value.isdigit() else -1
            elif name == b"x-request-id":
                given = value
            elif name == b"origin" or (
                name == b"accept" and any(s in value.lower() for s in STREAMING)
            ):
                json_body = False
                break
        if not json_body or not 0 <= length <= body_limit.MAX_BODY_BYTES or size > MAX_HEADER_BYTES:
            await self.app(scope, receive, send)  # the edge refuses, or the standard way answers
            return
        rid = request_id(given)
        request_id_var.set(rid)
        tenant_var.set("-")
        start = time.perf_counter()
        body, more = await read_body(receive)
        request = request_data(self.graphql.view, body) if more is None else None
        if request is None:  # the standard view words every refusal
            await self.app(scope, replay(body, more, receive), send)
            return
        status = 500
        try:
            status = await self.graphql.answer(
                request, authorization, send, (*ALWAYS, (b"x-request-id", rid.encode()))
            )
        finally:
            finished("POST", self.path, status, start)
