"""JSON POSTs to /graphql take api.fast_entry's short way; a browser's request (with an
Origin) takes the standard view. Both must answer alike: status, body and headers."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from api.app import create_app
from infra.runtime import Runtime
from infra.settings import Settings
from tests.conftest import token

#: An origin the development settings allow, so the standard path answers with CORS headers.
ORIGIN = "http://localhost:5173"
PAGE = "query P { customers(first: 2) { edges { node { code } } totalCount } }"


def _auth(settings: Settings, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(settings)}", **extra}


def _steady(content: bytes) -> bytes:
    """A response's bytes without the rate limit's bucket level, which the first of two calls
    lowers for the second (the cost report is otherwise the same both ways)."""
    if b'"currentlyAvailable"' not in content:
        return content
    body = json.loads(content)
    del body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]
    return json.dumps(body).encode()


async def _both(
    client: httpx.AsyncClient, headers: dict[str, str], **request: Any
) -> tuple[httpx.Response, httpx.Response]:
    fast = await client.post("/graphql", headers=headers, **request)
    standard = await client.post("/graphql", headers={**headers, "Origin": ORIGIN}, **request)
    return fast, standard


@pytest.mark.parametrize(
    "body",
    [
        {"query": "{ __typename }"},
        {"query": PAGE, "operationName": "P"},
        {"query": "query Q($n: Int) { customers(first: $n) { totalCount } }", "variables": {}},
        {"query": "{ customers(first: 1) { nope } }"},  # a validation error
        {"query": "{ customers(first: 1000) { totalCount } }"},  # a coded argument error
        {"query": "mutation { __typename }"},
        {"query": "query A { __typename } query B { __typename }"},  # which one: 400
        {"query": "{"},  # a syntax error
        {"variables": {}},  # no query: 400
    ],
)
async def test_the_short_way_answers_as_the_standard_view_does(
    client: httpx.AsyncClient, settings: Settings, body: dict[str, Any]
) -> None:
    # given the same request with and without a browser's Origin
    # when both are sent
    fast, standard = await _both(client, _auth(settings), json=body)
    # then status, body and content type agree
    assert fast.status_code == standard.status_code, (fast.text, standard.text)
    assert _steady(fast.content) == _steady(standard.content)
    assert fast.headers["content-type"] == standard.headers["content-type"]
    assert "x-request-id" in fast.headers
    assert fast.headers["x-content-type-options"] == "nosniff"
    assert "access-control-allow-origin" not in fast.headers


async def test_without_a_token_the_short_way_refuses_like_the_standard_view(
    client: httpx.AsyncClient,
) -> None:
    # when a customers page is asked with no token, both ways
    fast, standard = await _both(client, {}, json={"query": PAGE})
    # then the same coded error
    assert fast.status_code == standard.status_code == 200
    assert fast.json() == standard.json()
    assert fast.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        ("[]", "application/json"),  # a batch
        ("{not json", "application/json"),
        ('{"query": 5}', "application/json"),
        ('{"query": "{ __typename }", "variables": []}', "application/json"),
        ("query=%7B__typename%7D", "application/x-www-form-urlencoded"),
    ],
)
async def test_what_the_short_way_does_not_take_the_standard_view_answers(
    client: httpx.AsyncClient, settings: Settings, content: str, content_type: str
) -> None:
    # when a body the short way hands on is sent
    fast, standard = await _both(
        client, _auth(settings, **{"content-type": content_type}), content=content
    )
    # then the standard view's answer, the same with or without an Origin
    assert fast.status_code == standard.status_code == 400, (fast.text, standard.text)
    assert fast.content == standard.content


async def test_the_entry_names_each_request_and_fails_as_the_standard_stack_does(
    settings: Settings, runtime: Runtime, tenants: dict[str, uuid.UUID]
) -> None:
    # given the app, and a view whose context breaks (a fault no GraphQL error covers)
    app = create_app(settings, runtime)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            # when a request names itself, then the answer carries its id, not a new one
            named = await client.post(
                "/graphql",
                json={"query": "{ __typename }"},
                headers=_auth(settings, **{"X-Request-Id": "portal-42"}),
            )
            assert named.headers["x-request-id"] == "portal-42"
            assert named.headers["referrer-policy"] == "no-referrer"
            view = app.graphql.view

            async def broken(*args: Any, **kwargs: Any) -> Any:
                raise RuntimeError("the context store is down")

            view.context_for = broken
            # when the same request is sent with and without an Origin
            fast, standard = await _both(client, _auth(settings), json={"query": "{ __typename }"})
    # then both are Starlette's plain 500, and the short way's names its request
    assert fast.status_code == standard.status_code == 500
    assert fast.text == standard.text == "Internal Server Error"
    assert fast.headers["content-type"] == standard.headers["content-type"]
    assert fast.headers["x-request-id"] and fast.headers["x-content-type-options"] == "nosniff"
