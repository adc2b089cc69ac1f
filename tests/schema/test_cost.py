"""Query cost: every field has one; too costly is refused before execution; a spent budget is a
429 with Retry-After; `extensions.cost` reports requested, actual and what is left."""

from __future__ import annotations

import json

import httpx
from graphql import GraphQLObjectType

from infra.settings import Settings
from schema.build import build_schema
from schema.cost import COSTS, LIST_SIZES, field_cost
from tests.conftest import Database, gql, token

PAGE = """query Page($n: Int) { customers(first: $n) {
  totalCount edges { node { code creditFile { partners { relatedCode } } } } } }"""
CREATE = """mutation { createCustomer(input: {code: "C-%d", legalName: "C %d", country: "SE"}) {
  customer { id } } }"""  # 10 for the mutation, 1 for the customer: 11 points


def test_every_field_of_the_schema_has_a_cost() -> None:
    schema = build_schema(Settings())._schema
    seen = set()
    for named in schema.type_map.values():
        if not isinstance(named, GraphQLObjectType) or named.name.startswith("__"):
            continue
        for name, field in named.fields.items():
            cost = field_cost(named, name, field)
            assert isinstance(cost, int) and cost >= 0, f"{named.name}.{name}"
            seen.add(f"{named.name}.{name}")
    # and every override names a field that exists
    assert set(COSTS) <= seen and set(LIST_SIZES) <= seen


async def test_cost_is_reported_requested_and_actual(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    # given three customers
    bearer = token(settings)
    for n in range(3):
        await gql(client, CREATE % (n, n), bearer=bearer)
    # when a page of up to 50 is asked for
    body = await gql(client, PAGE, {"n": 50}, bearer=bearer)
    # then the requested cost counts 50 items, the actual cost the 3 returned
    assert "extensions" in body, body
    cost = body["extensions"]["cost"]
    per_item = 1 + 1 + 10  # the node, its credit file, ten partners at most
    assert cost["requestedQueryCost"] == 2 + 50 * per_item
    assert cost["actualQueryCost"] == 2 + 3 * (1 + 1)  # no partners linked
    status = cost["throttleStatus"]
    assert status["maximumAvailable"] == 10_000 and status["restoreRate"] == 500
    assert status["currentlyAvailable"] >= 10_000 - cost["actualQueryCost"] - 50


async def test_an_operation_over_the_maximum_is_refused_before_it_runs(
    client: httpx.AsyncClient, settings: Settings, database: Database
) -> None:
    # given a tenant whose maximum per operation is 100 points
    database.query(
        """UPDATE tenants SET settings = settings || '{"apiLimits": {"maxCost": 100}}'
           WHERE slug = 'acme'"""
    )
    # when a page of 50 (602 points) is asked for
    body = await gql(client, PAGE, {"n": 50}, bearer=token(settings))
    # then nothing runs and the error says why, with the figures
    assert body.get("data") is None
    error = body["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert error["extensions"]["cost"]["requestedQueryCost"] == 602
    assert error["extensions"]["cost"]["maximumQueryCost"] == 100


async def test_a_spent_budget_is_a_429_with_retry_after(
    client: httpx.AsyncClient, settings: Settings, database: Database
) -> None:
    # given a bucket of 35 points restored at 1 a second, and mutations costing 11 each
    database.query(
        """UPDATE tenants SET settings = settings
             || '{"apiLimits": {"bucketSize": 35, "restoreRate": 1}}'
           WHERE slug = 'acme'"""
    )
    bearer = token(settings, sub="throttled-bob")
    answers = []
    # when four are sent at once
    for n in range(4):
        answers.append(
            await client.post(
                "/graphql",
                json={"query": CREATE % (n, n)},
                headers={"Authorization": f"Bearer {bearer}"},
            )
        )
    # then three pass and the fourth waits, with nothing written for it
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[3].json()
    assert refused["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert int(answers[3].headers["retry-after"]) >= 1
    assert refused["errors"][0]["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] < 11
    assert database.query("SELECT count(*) FROM customers WHERE code = 'C-3'") == [(0,)]
    # and another caller of the same tenant has a bucket of its own
    other = await gql(client, CREATE % (9, 9), bearer=token(settings, sub="carol"))
    assert json.dumps(other).count("THROTTLED") == 0
