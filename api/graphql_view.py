"""The GraphQL route: bearer auth per request, token in connection_init for WebSockets."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import timedelta
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from api import graphiql
from api.auth import AuthError, TokenVerifier
from infra.event_hub import EventHub
from infra.request_context import request_id_var, tenant_var
from infra.runtime import Runtime
from schema.context import Context
from schema.loading import current_context

INIT_TIMEOUT = timedelta(seconds=5)  #: a socket that says nothing for 5 s is closed (4408)
#: Close code when the token a socket was opened with expires (like 4401 Unauthorized in
#: graphql-transport-ws); clients reconnect with a fresh token and their last cursor.
TOKEN_EXPIRED_CLOSE = 4401
log = logging.getLogger("credit.api")


class CreditGraphQL(GraphQL[Context, None]):
    """strawberry's ASGI view with the platform's auth and context."""

    def __init__(
        self,
        schema: Any,
        runtime: Runtime,
        hub: EventHub | None,
        verifier: TokenVerifier,
        graphiql: bool,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if graphiql else None,
            allow_queries_via_get=False,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=INIT_TIMEOUT,
            keep_alive=True,
            keep_alive_interval=15,
        )
        self.runtime = runtime
        self.hub = hub
        self.verifier = verifier

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        ctx = Context(runtime=self.runtime, hub=self.hub, request_id=request_id_var.get())
        current_context.set(ctx)
        if isinstance(request, WebSocket):
            ctx.extra["websocket"] = request
            return ctx  # authenticated in on_ws_connect
        return await self.context_for(request.headers.get("authorization"), response, ctx)

    async def context_for(
        self, authorization: str | None, response: Response, ctx: Context | None = None
    ) -> Context:
        """An HTTP request's context from its Authorization header (also api.fast_graphql's)."""
        if ctx is None:
            ctx = Context(runtime=self.runtime, hub=self.hub, request_id=request_id_var.get())
            current_context.set(ctx)
        ctx.extra["response"] = response  # status and headers an extension may set (429)
        try:
            ctx.principal = await self.verifier.from_header(authorization)
            tenant_var.set(ctx.principal.tenant_slug)
        except AuthError as exc:
            ctx.auth_error = str(exc)
        return ctx

    async def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL from the platform's own pinned assets (strawberry's page uses a CDN)."""
        return graphiql.page()

    def decode_json(self, data: str | bytes) -> object:
        """orjson parses request bodies several times faster (a 5,000-row import is ~1 MB);
        its errors subclass json.JSONDecodeError, so malformed JSON is still a 400. A body
        that is JSON but not a request object (null, a number, a string) is a 400 too."""
        body = orjson.loads(data)
        if isinstance(body, list):
            return body  # strawberry answers "Batching is not enabled"
        if not isinstance(body, dict):
            raise HTTPException(400, "The request body must be a JSON object")
        document = body.pop("documentId", None)  # the trusted-documents spelling of a hash
        if document is not None:
            if not isinstance(document, str):
                raise HTTPException(400, "`documentId` must be a string")
            extensions = body.setdefault("extensions", {})
            if isinstance(extensions, dict):
                extensions["persistedQuery"] = {"version": 1, "sha256Hash": document}
        name = body.get("operationName")
        if name is not None and not isinstance(name, str):
            raise HTTPException(400, "`operationName` must be a string or null")
        return body

    def encode_json(self, data: object) -> str:
        """orjson is several times faster than json for large pages (text for WebSockets)."""
        return orjson.dumps(data).decode()

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        """The HTTP answer from orjson's bytes as they are: a page is ~80 KB, and the text
        round trip (bytes to str for encode_json, str to bytes for the body) is pure cost."""
        response = Response(orjson.dumps(response_data), media_type="application/json")
        response.headers.raw.extend(sub_response.headers.raw)
        if sub_response.background:
            response.background = sub_response.background
        if sub_response.status_code:
            response.status_code = sub_response.status_code
        return response

    async def on_ws_connect(self, context: Context) -> Any:
        params = context.connection_params or {}
        header = params.get("Authorization") or params.get("authorization")
        token = params.get("token")
        if not header and isinstance(token, str):
            header = f"Bearer {token}"
        try:
            context.principal = await self.verifier.from_header(
                header if isinstance(header, str) else None
            )
        except AuthError:
            raise ConnectionRejectionError() from None
        socket = context.extra.get("websocket")
        if isinstance(socket, WebSocket) and context.principal.expires_at:
            leeway = self.runtime.settings.jwt_leeway_seconds
            delay = context.principal.expires_at + leeway - time.time()
            context.extra["expiry"] = asyncio.create_task(_close_at_expiry(socket, delay))
        return await super().on_ws_connect(context)


async def _close_at_expiry(socket: WebSocket, delay: float) -> None:
    """Close the socket when its token expires: events stop with the credential."""
    await asyncio.sleep(max(delay, 0.0))
    with contextlib.suppress(Exception):  # already closed by the client or the server
        await socket.close(code=TOKEN_EXPIRED_CLOSE, reason="Token expired")
        log.info("websocket closed: token expired")
