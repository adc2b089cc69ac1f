"""Every refusal a client can meet carries `extensions.code` (parse, validation, limits, ids),
and a malformed id is INVALID_ID, never NOT_FOUND, through HTTP."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import httpx
import pytest

from infra.settings import Settings
from tests.conftest import Database, gql, token
from tests.schema.test_customers_api import create

GET = "query Get($id: ID!) { customer(id: $id) { id code } }"
NODE = "query Node($id: ID!) { node(id: $id) { id } }"
ARCHIVE = """mutation A($input: ArchiveCustomerInput!) {
  archiveCustomer(input: $input) { userErrors { field code message } } }"""
PAGE = "query P($n: Int) { customers(first: $n) { edges { node { code } } } }"


def _id(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


def _code(body: dict[str, Any]) -> str:
    """The code of the refusal (a limit is reported first, before rules that walk the tree)."""
    assert body.get("data") is None, body
    return str(body["errors"][0]["extensions"]["code"])


def _nest(depth: int) -> str:
    text = "ratio"
    for _ in range(depth):
        text = f"creditFile {{ completeness {{ {text} }} }}"
    return "{ customers { edges { node { " + text + " } } } }"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ customers(first: 1) { edges { node { id } }", "GRAPHQL_PARSE_FAILED"),
        ("{ noSuchField }", "GRAPHQL_VALIDATION_FAILED"),
        ("{ " + " ".join(f"a{n}: __typename" for n in range(16)) + " }", "TOO_MANY_ALIASES"),
        ("{ __typename " + "__typename " * 2100 + "}", "QUERY_TOO_LARGE"),
        (_nest(5), "QUERY_TOO_DEEP"),
        ("query Q($n: Int!) { customers(first: $n) { totalCount } }", "BAD_USER_INPUT"),
    ],
    ids=["parse", "validation", "aliases", "tokens", "depth", "variable"],
)
async def test_each_refused_document_says_why_in_a_code(
    client: httpx.AsyncClient, settings: Settings, query: str, code: str
) -> None:
    # given a signed-in client
    bearer = token(settings)
    # when it sends a document the server refuses before running it
    body = await gql(client, query, {"n": "many"}, bearer)
    # then the one error carries the code of the refusal
    assert _code(body) == code


async def test_the_cost_limit_keeps_its_own_code(
    client: httpx.AsyncClient, settings: Settings, database: Database
) -> None:
    # given a tenant whose maximum per operation is 10 points
    database.query(
        """UPDATE tenants SET settings = settings || '{"apiLimits": {"maxCost": 10}}'
           WHERE slug = 'acme'"""
    )
    # when a page of 50 is asked for
    body = await gql(client, PAGE, {"n": 50}, bearer=token(settings))
    # then it is refused as too costly, not as a validation failure
    assert _code(body) == "QUERY_TOO_COSTLY"


@pytest.mark.parametrize(
    "bad",
    [
        "%%% not base64 %%%",
        _id("Customer"),
        _id("Customer:not-a-uuid"),
        _id(f"Invoice:{uuid.uuid4()}"),
    ],
    ids=["not-base64", "no-colon", "bad-uuid", "wrong-type"],
)
async def test_a_malformed_id_is_invalid_id_in_queries_and_mutations(
    client: httpx.AsyncClient, settings: Settings, database: Database, bad: str
) -> None:
    # given
    bearer = token(settings)
    # when a query and a mutation are given an id this API never handed out as a Customer's
    read = await gql(client, GET, {"id": bad}, bearer)
    write = await gql(client, ARCHIVE, {"input": {"id": bad, "version": 1}}, bearer)
    # then the query's error and the mutation's userError say INVALID_ID, on the field
    error = read["errors"][0]
    assert error["extensions"]["code"] == "INVALID_ID"
    assert error["extensions"]["field"] == "id"
    assert read["data"]["customer"] is None
    assert [(e["field"], e["code"]) for e in write["data"]["archiveCustomer"]["userErrors"]] == [
        ("id", "INVALID_ID")
    ]
    assert database.query("SELECT count(*) FROM audit_log") == [(0,)]


async def test_a_well_formed_id_of_no_object_stays_not_found(
    client: httpx.AsyncClient, settings: Settings, database: Database
) -> None:
    # given a customer of another tenant and an id of no customer at all
    other = (await create(client, token(settings, tenant="globex")))["customer"]["id"]
    unknown = _id(f"Customer:{uuid.uuid4()}")
    bearer = token(settings)
    for given in (other, unknown):
        # when acme reads and archives it
        read = await gql(client, GET, {"id": given}, bearer)
        node = await gql(client, NODE, {"id": given}, bearer)
        write = await gql(client, ARCHIVE, {"input": {"id": given, "version": 1}}, bearer)
        # then there is no such object: null, and NOT_FOUND for the mutation
        assert read["data"] == {"customer": None} and "errors" not in read
        assert node["data"] == {"node": None} and "errors" not in node
        codes = [e["code"] for e in write["data"]["archiveCustomer"]["userErrors"]]
        assert codes == ["NOT_FOUND"]
    assert database.query("SELECT status FROM customers") == [("ACTIVE",)]
