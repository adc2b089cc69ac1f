"""The common GraphQL request, a JSON POST to /graphql, answered without the general machinery.

Starlette's routing and exception layers, strawberry's request adapters, content-type parsing
(through `email.message`) and response objects cost as much CPU as a small operation itself
(issue 13's profile of `{ __typename }`), and wrap every message a subscription sends to a
thousand clients. api.fast_entry picks out the one shape integrators send, before Starlette,
and `FastGraphQL.answer` gives it to the same view's context, the same `schema.execute` and
the same result processing. Inside the Starlette stack, FastGraphQL sends a WebSocket on
/graphql straight to the view; every other request (GET, GraphiQL, other content types, a
browser's `Origin` for CORS, streaming `Accept`, chunked bodies, batches, malformed bodies)
goes the standard way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.exceptions import MissingQueryError
from strawberry.http import process_result
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from api.graphql_view import CreditGraphQL

#: What a POST may run (strawberry's rule for POST, computed once).
POST_OPERATIONS = OperationType.from_http("POST")
#: An Accept naming these asks for a streaming transport: the standard way answers it.
STREAMING = (b"multipart", b"event-stream")


class FastGraphQL:
    """The plain request's answer (`answer`), and, as Starlette middleware, a WebSocket on
    /graphql straight to the view; the rest on."""

    def __init__(self, app: ASGIApp, view: CreditGraphQL, path: str = "/graphql") -> None:
        self.app = app
        self.view = view
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and scope["path"] == self.path:
            await self.view(scope, receive, send)  # subscriptions: no router or send wrappers
            return
        await self.app(scope, receive, send)  # api.fast_entry took the plain POSTs already

    async def answer(
        self,
        request: dict[str, Any],
        authorization: str | None,
        send: Send,
        extra: Sequence[tuple[bytes, bytes]] = (),
    ) -> int:
        """Run a plain request and send its response, with `extra` headers; its status."""
        view = self.view
        try:
            sub_response = await view.get_sub_response(None)  # type: ignore[arg-type]
            context = await view.context_for(authorization, sub_response)
            result = await view.schema.execute(
                request.get("query"),
                root_value=None,
                variable_values=request.get("variables"),
                context_value=context,
                operation_name=request.get("operationName"),
                allowed_operation_types=POST_OPERATIONS,
                operation_extensions=request.get("extensions"),
            )
            payload = orjson.dumps(process_result(result))
        except CannotGetOperationTypeError as exc:
            return await _plain(send, 400, exc.as_http_error_reason(), extra)
        except InvalidOperationTypeError as exc:
            return await _plain(send, 400, exc.as_http_error_reason("POST"), extra)
        except MissingQueryError:
            return await _plain(send, 400, "No GraphQL query found in the request", extra)
        except HTTPException as exc:
            return await _plain(send, exc.status_code, exc.reason, extra)
        except Exception:  # Starlette's ServerErrorMiddleware's answer, which this path skips
            await _plain(send, 500, "Internal Server Error", extra)
            raise
        headers = [
            (b"content-length", str(len(payload)).encode()),
            (b"content-type", b"application/json"),
            *sub_response.headers.raw,
            *extra,
        ]
        status = sub_response.status_code or 200
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})
        if sub_response.background is not None:
            await sub_response.background()
        return status


async def read_body(receive: Receive) -> tuple[bytes, Message | None]:
    """The whole body; or what was read and the message that was not a body part."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), message
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks), None


def request_data(view: CreditGraphQL, body: bytes) -> dict[str, Any] | None:
    """The request object when it has the plain shape the standard view accepts as it is;
    None sends it the standard way (which also words every refusal)."""
    try:
        data = view.decode_json(body)
    except Exception:  # the standard path answers it, in its own words
        return None
    if not isinstance(data, dict):
        return None
    if not isinstance(data.get("query"), str | None):
        return None
    if not isinstance(data.get("variables"), dict | None):
        return None
    if not isinstance(data.get("extensions"), dict | None):
        return None
    if not isinstance(data.get("operationName"), str | None):
        return None
    return data


def replay(body: bytes, pending: Message | None, receive: Receive) -> Receive:
    """A receive that gives the body already read, then whatever the connection says next."""
    queue: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]
    if pending is not None:
        queue = [{**queue[0], "more_body": True}, pending]

    async def replayed() -> Message:
        return queue.pop(0) if queue else await receive()

    return replayed


async def _plain(
    send: Send, status: int, text: str, extra: Sequence[tuple[bytes, bytes]] = ()
) -> int:
    """A plain-text refusal, as strawberry's view words it; its status."""
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-length", str(len(body)).encode()),
                (b"content-type", b"text/plain; charset=utf-8"),
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
    return status
