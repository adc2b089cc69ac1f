"""Bad input: a clear error and nothing written (the database is checked after each)."""

from __future__ import annotations

import httpx
import pytest
from asgi_lifespan import LifespanManager

from api.app import create_app
from infra.settings import load
from tests.conftest import gql, token
from tests.schema.test_customers_api import CREATE, create, new_customer

VALID = new_customer()["registrationNumber"]
WRONG_CHECK = VALID[:17] + ("0" if VALID[17] != "0" else "1")


@pytest.mark.parametrize(
    ("override", "field", "code"),
    [
        ({"registrationNumber": WRONG_CHECK}, "registrationNumber", "INVALID_REGISTRATION_NUMBER"),
        (
            {"registeredCapital": {"amount": "-1.00", "currency": "CNY"}},
            "registeredCapital.amount",
            "NEGATIVE_AMOUNT",
        ),
        (
            {"registeredCapital": {"amount": "1.00", "currency": "XYZ"}},
            "registeredCapital.currency",
            "UNKNOWN_CURRENCY",
        ),
        (
            {"annualSales": {"amount": "1.001", "currency": "CNY"}},
            "annualSales.amount",
            "INVALID_AMOUNT",
        ),
        ({"code": "  "}, "code", "REQUIRED"),
        ({"country": "China"}, "country", "INVALID_COUNTRY"),
        (
            {"contacts": [{"name": "A", "email": "not-an-email"}]},
            "contacts.0.email",
            "INVALID_EMAIL",
        ),
    ],
)
async def test_invalid_customer_is_refused_with_user_error(
    client, settings, database, override, field, code
):
    # given
    bearer = token(settings)
    # when
    body = await gql(client, CREATE, {"input": new_customer(**override)}, bearer)
    # then
    payload = body["data"]["createCustomer"]
    assert payload["customer"] is None
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in payload["userErrors"]
    ]
    assert database.query("SELECT count(*) FROM customers") == [(0,)]
    assert database.query("SELECT count(*) FROM audit_log") == [(0,)]


async def test_several_errors_come_back_together(client, settings):
    body = await gql(
        client,
        CREATE,
        {
            "input": new_customer(
                code="", country="XX1", registeredCapital={"amount": "-5", "currency": "CNY"}
            )
        },
        token(settings),
    )
    codes = {e["code"] for e in body["data"]["createCustomer"]["userErrors"]}
    assert {"REQUIRED", "INVALID_COUNTRY", "NEGATIVE_AMOUNT"} <= codes


async def test_duplicate_code(client, settings, database):
    bearer = token(settings)
    await create(client, bearer, "DUP")
    again = await gql(client, CREATE, {"input": new_customer("DUP")}, bearer)
    assert again["data"]["createCustomer"]["userErrors"] == [
        {"field": "code", "code": "DUPLICATE_CODE", "message": "code already in use"}
    ]
    assert database.query("SELECT count(*) FROM customers") == [(1,)]


async def test_float_amount_is_refused_at_the_edge(client, settings, database):
    body = await gql(
        client,
        CREATE,
        {"input": new_customer(registeredCapital={"amount": 12.5, "currency": "CNY"})},
        token(settings),
    )
    assert body["data"] is None
    assert "never JSON numbers" in body["errors"][0]["message"]
    assert database.query("SELECT count(*) FROM customers") == [(0,)]


async def test_malformed_json_and_graphql(client, settings):
    bearer = {"Authorization": f"Bearer {token(settings)}"}
    bad_json = await client.post(
        "/graphql", content=b"{not json", headers={**bearer, "content-type": "application/json"}
    )
    assert bad_json.status_code == 400
    bad_gql = await gql(
        client, "query { customers(first: 1 { totalCount } }", bearer=token(settings)
    )
    assert bad_gql["data"] is None and "Syntax Error" in bad_gql["errors"][0]["message"]


async def test_array_batching_is_off(client, settings):
    response = await client.post(
        "/graphql",
        json=[{"query": "{ __typename }"}] * 2,
        headers={"Authorization": f"Bearer {token(settings)}"},
    )
    assert response.status_code == 400


def _nest(depth: int) -> str:
    """Selections nested `depth` levels below a customer node (through objects)."""
    text = "ratio"
    for _ in range(depth):
        text = f"creditFile {{ completeness {{ {text} }} }}"
    return text


async def test_limits_depth_aliases_tokens_page_size(client, settings, database):
    bearer = token(settings)
    too_deep = (
        "query { warnings { edges { node { customer { creditFile { partners { "
        "relatedCode } completeness { missing { key } } } auditTrail { at } "
        "} } } } }"
    )
    deep_body = await gql(
        client, "query { a: customers { edges { node { " + _nest(5) + " } } } }", bearer=bearer
    )
    aliases = "query { " + " ".join(f"a{i}: __typename" for i in range(16)) + " }"
    tokens = "query { " + " ".join("__typename" for _ in range(2100)) + " }"
    page = "query { customers(first: 101) { totalCount } }"
    results = {
        "aliases": await gql(client, aliases, bearer=bearer),
        "tokens": await gql(client, tokens, bearer=bearer),
        "page": await gql(client, page, bearer=bearer),
    }
    assert "errors" not in await gql(client, too_deep, bearer=bearer)
    assert "exceeds maximum operation depth" in deep_body["errors"][0]["message"]
    assert "aliases" in results["aliases"]["errors"][0]["message"].lower()
    assert "token" in results["tokens"]["errors"][0]["message"].lower()
    assert results["page"]["errors"][0]["extensions"]["code"] == "PAGE_SIZE_EXCEEDED"
    assert database.query("SELECT count(*) FROM customers") == [(0,)]


async def test_unexpected_errors_are_masked_with_a_request_id(client, settings, database, caplog):
    # given: break the database under the app (owner drops a column the query needs)
    bearer = token(settings)
    database.query("ALTER TABLE customers RENAME COLUMN industry TO industry_x")
    # when
    response = await client.post(
        "/graphql",
        json={"query": "{ customers(first: 1) { nodes { code industry } } }"},
        headers={"Authorization": f"Bearer {bearer}"},
    )
    # then
    error = response.json()["errors"][0]
    assert error["message"] == "Unexpected error"
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
    assert "industry" not in response.text  # no internals leak
    assert any(
        getattr(r, "request_id", None) == error["extensions"]["requestId"] for r in caplog.records
    )


async def test_introspection_and_suggestions_can_be_switched_off(settings, tenants):
    closed = load(
        {
            "env": "test",
            "database_url": settings.database_url,
            "app_database_url": settings.app_database_url,
            "introspection": False,
            "graphiql": False,
        }
    )
    app = create_app(closed)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            bearer = token(settings)
            intro = await gql(c, "{ __schema { types { name } } }", bearer=bearer)
            typo = await gql(c, "{ custmers { totalCount } }", bearer=bearer)
            ide = await c.get("/graphql", headers={"accept": "text/html"})
    assert "introspection" in intro["errors"][0]["message"].lower()
    assert "Did you mean" not in typo["errors"][0]["message"]
    assert ide.status_code in (404, 405, 400)


async def test_nul_characters_are_bad_input_and_write_nothing(client, settings, database):
    bearer = token(settings)
    in_variable = await gql(
        client, CREATE, {"input": new_customer("NUL-1", legalName="bad\u0000name")}, bearer
    )
    in_literal = await gql(
        client,
        'mutation { archiveCustomer(input: {id: "x\\u0000"}) { userErrors { code } } }',
        None,
        bearer,
    )
    for body in (in_variable, in_literal):
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert database.query("SELECT count(*) FROM customers") == [(0,)]
