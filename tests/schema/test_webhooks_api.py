"""Webhooks through GraphQL: register, list, refuse bad URLs with nothing written."""

from __future__ import annotations

import httpx

from infra.settings import Settings
from tests.conftest import Database, gql, token

CREATE = """mutation C($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    endpoint { id url eventTypes status version } secret userErrors { field code message } } }"""
LIST = "{ webhookEndpoints { url eventTypes status } webhookDeliveries { topic status } }"


async def test_register_and_list_an_endpoint(
    client: httpx.AsyncClient, settings: Settings, database: Database
) -> None:
    bearer = token(settings, roles=["integrator"])
    body = await gql(
        client,
        CREATE,
        {"input": {"url": "https://hooks.example.com/credit", "eventTypes": ["warning.raised"]}},
        bearer=bearer,
    )
    created = body["data"]["createWebhookEndpoint"]
    assert created["userErrors"] == []
    assert created["secret"].startswith("whsec_")
    assert created["endpoint"]["status"] == "ACTIVE"
    listed = await gql(client, LIST, bearer=bearer)
    assert listed["data"]["webhookEndpoints"] == [
        {
            "url": "https://hooks.example.com/credit",
            "eventTypes": ["warning.raised"],
            "status": "ACTIVE",
        }
    ]
    # the secret is never readable afterwards
    assert "secret" not in str(listed["data"]["webhookEndpoints"])


async def test_bad_endpoints_are_refused_and_nothing_is_written(
    client: httpx.AsyncClient, settings: Settings, database: Database
) -> None:
    bearer = token(settings, roles=["admin"])
    cases = [
        (
            {"url": "https://10.0.0.7/x", "eventTypes": ["warning.raised"]},
            "url",
            "FORBIDDEN_ADDRESS",
        ),
        ({"url": "https://h.example/" + "a" * 2000, "eventTypes": ["*"]}, "url", "TOO_LONG"),
        (
            {"url": "https://h.example/x", "eventTypes": ["nope.never"]},
            "eventTypes.0",
            "UNKNOWN_EVENT_TYPE",
        ),
        (
            {"url": "https://h.example/x", "eventTypes": ["*"], "disableAfter": 0},
            "disableAfter",
            "INVALID_INPUT",
        ),
    ]
    for given, field, code in cases:
        body = await gql(client, CREATE, {"input": given}, bearer=bearer)
        errors = body["data"]["createWebhookEndpoint"]["userErrors"]
        assert (errors[0]["field"], errors[0]["code"]) == (field, code), errors
    assert database.query("SELECT count(*) FROM webhook_endpoints") == [(0,)]
    # and only integrators and admins may register one
    sales = await gql(
        client,
        CREATE,
        {"input": {"url": "https://h.example/x", "eventTypes": ["*"]}},
        bearer=token(settings, roles=["sales"]),
    )
    assert sales["errors"][0]["extensions"]["code"] == "FORBIDDEN"
