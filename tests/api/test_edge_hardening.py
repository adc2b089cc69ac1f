"""The edge refuses malformed requests and credentials cleanly: a 400 or a coded error, never a
500, never SQL text; bounded headers and metrics; safe response headers."""

from __future__ import annotations

import asyncio
import base64
import json
import time
import uuid

import httpx
import jwt
import pytest
import websockets

from api import metrics
from infra.settings import Settings
from tests.api.test_subscriptions import PROTOCOL, Subscriber
from tests.conftest import LiveServer, gql, token

TYPENAME = "{ __typename }"
RECEIVABLES = """subscription R($after: String) {
  receivablesEvents(after: $after) { cursor topic } }"""


def _claims(settings: Settings, **overrides: object) -> dict[str, object]:
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": "alice",
        "tenant": "acme",
        "roles": ["credit_manager"],
        "iat": now,
        "exp": now + 600,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
    }
    claims.update(overrides)
    return claims


def _signed(settings: Settings, **overrides: object) -> str:
    assert settings.jwt_secret is not None
    return jwt.encode(_claims(settings, **overrides), settings.jwt_secret, algorithm="HS256")


@pytest.mark.parametrize("body", ["null", '"text"', "42", "true", '{"operationName": 5}'])
async def test_a_json_body_that_is_not_a_request_object_is_a_400(
    client: httpx.AsyncClient, body: str
) -> None:
    # when the body is valid JSON but not an operation
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    # then it is the client's error, and the same connection serves the next request
    assert response.status_code == 400, response.text
    follow_up = await client.post("/graphql", json={"query": TYPENAME})
    assert follow_up.status_code == 200


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"exp": str(int(time.time()) + 600)}, "'exp' must be a number"),
        ({"iat": True}, "'iat' must be a number"),
        ({"sub": 7}, "'sub' must be a string"),
        ({"roles": []}, "no known role"),
        ({"roles": ["wizard"]}, "no known role"),
    ],
)
async def test_claims_of_the_wrong_type_or_without_a_known_role_are_unauthenticated(
    client: httpx.AsyncClient, settings: Settings, overrides: dict[str, object], reason: str
) -> None:
    # given a correctly signed token whose claims break RFC 7519's types or name no role
    bearer = _signed(settings, **overrides)
    # when it is used
    body = await gql(client, "{ viewer { subject } }", bearer=bearer)
    # then it is a malformed credential, not a permission question
    error = body["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert reason in error["message"]


async def test_oversized_tokens_and_headers_are_refused(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    # a 9 KB token: refused before any parsing
    big = _signed(settings, padding="x" * 9_000)
    body = await gql(client, "{ viewer { subject } }", bearer=big)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "too large" in body["errors"][0]["message"]
    # a 1.4 MB header: refused at the edge with 431, nothing parsed
    response = await client.post(
        "/graphql",
        json={"query": TYPENAME},
        headers={"Authorization": "Bearer " + "a" * 1_400_000},
    )
    assert response.status_code == 431
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_every_response_says_nosniff_and_exports_are_not_stored(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    health = await client.get("/healthz")
    assert health.headers["x-content-type-options"] == "nosniff"
    page = await client.post("/graphql", json={"query": TYPENAME})
    assert page.headers["x-content-type-options"] == "nosniff"
    # an export of another tenant's (or no) customer: still not stored by any cache
    some_id = base64.urlsafe_b64encode(f"Customer:{uuid.uuid4()}".encode()).decode()
    export = await client.get(
        f"/documents/customers/{some_id}/activities.csv",
        headers={"Authorization": f"Bearer {token(settings)}"},
    )
    assert export.status_code == 404
    assert export.headers["cache-control"] == "no-store"


async def test_repeated_directives_are_one_validation_error(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    # when a field carries the same directive ten times (graphql-cop's directive overloading)
    body = await gql(client, "query cop { __typename " + "@aa" * 10 + " }", bearer=token(settings))
    # then the document is refused once, not once per copy
    assert body.get("data") is None
    assert len(body["errors"]) == 1
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_metrics_labels_stay_bounded_under_random_operation_names(
    client: httpx.AsyncClient,
) -> None:
    # given 200 unauthenticated requests, each with a new operation name
    for n in range(200):
        await client.post(
            "/graphql",
            json={"query": f"query Probe{n}x {{ __typename }}", "operationName": f"Probe{n}x"},
        )
    # then none of those names became a label
    exposition = (await client.get("/metrics")).text
    assert "Probe1x" not in exposition
    assert 'operation="unauthenticated"' in exposition
    assert metrics.operation_label("Probe1x", authenticated=False) == "unauthenticated"


async def test_a_subscription_cursor_beyond_bigint_is_bad_input_not_sql(
    live_server: LiveServer, settings: Settings
) -> None:
    # given a cursor decoding to evt:9223372036854775808 (one past the largest BIGINT)
    cursor = base64.urlsafe_b64encode(b"evt:9223372036854775808").decode()
    sub = await Subscriber.open(live_server.ws_url, token(settings))
    await sub.acked()
    # when a subscription resumes from it
    await sub.subscribe({"after": cursor}, query=RECEIVABLES)
    message = await sub.next()
    await sub.close()
    # then the client is told its input is bad; no SQL, parameters or driver text leak
    text = json.dumps(message)
    assert "BAD_USER_INPUT" in text
    for leak in ("SELECT", "asyncpg", "sqlalchemy", "bigint", "9223372036854775808"):
        assert leak not in text


async def test_a_socket_is_closed_when_its_token_expires(
    live_server: LiveServer, settings: Settings
) -> None:
    # given a socket opened with a token that expires in two seconds (no leeway configured)
    leeway = settings.jwt_leeway_seconds
    bearer = _signed(settings, exp=int(time.time()) + 2 - leeway)
    ws = await websockets.connect(live_server.ws_url, subprotocols=[PROTOCOL])
    await ws.send(json.dumps({"type": "connection_init", "payload": {"token": bearer}}))
    ack = json.loads(await asyncio.wait_for(ws.recv(), 5))
    assert ack["type"] == "connection_ack"
    # when the token's time is up, then the server closes with 4401
    with pytest.raises(websockets.ConnectionClosed) as closed:
        while True:
            await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4401
