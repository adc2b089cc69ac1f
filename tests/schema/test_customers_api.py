"""Customers through GraphQL over HTTP: create, read, update, archive, isolation."""

from __future__ import annotations

import asyncio
from typing import Any

from domain.registration import uscc_check_character
from tests.conftest import gql, token

CREATE = """
mutation Create($input: CreateCustomerInput!) {
  createCustomer(input: $input) {
    customer { id code legalName version registrationNumber
               registeredCapital { amount currency } contacts { name email } }
    userErrors { field code message }
  }
}"""
UPDATE = """
mutation Update($input: UpdateCustomerInput!) {
  updateCustomer(input: $input) {
    customer { id version legalName industry }
    userErrors { field code message }
  }
}"""
GET = """query Get($id: ID!) { customer(id: $id) { id code legalName version
  auditTrail { action mutation actor changes } } }"""
NODE = "query Node($id: ID!) { node(id: $id) { id ... on Customer { code } } }"
LIST = """query List($first: Int, $after: String, $filter: CustomerFilter,
                     $orderBy: CustomerOrder) {
  customers(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { code legalName } }
  }
}"""
VALID_USCC = "91310115MA1K3Y5X0" + uscc_check_character("91310115MA1K3Y5X0")


def new_customer(code: str = "C-1", **extra: Any) -> dict[str, Any]:
    """A valid CreateCustomerInput."""
    return {
        "code": code,
        "legalName": "上海测试贸易有限公司",
        "country": "CN",
        "registrationNumber": VALID_USCC,
        "registeredCapital": {"amount": "5000000.00", "currency": "CNY"},
        "contacts": [{"name": "李娜", "email": "lina@example.cn"}],
        **extra,
    }


async def create(client: Any, bearer: str, code: str = "C-1", **extra: Any) -> dict[str, Any]:
    """Create a customer and return the payload."""
    body = await gql(client, CREATE, {"input": new_customer(code, **extra)}, bearer)
    return body["data"]["createCustomer"]  # type: ignore[no-any-return]


async def test_create_then_read_back_with_audit(client, settings, database):
    # given
    bearer = token(settings)
    # when
    payload = await create(client, bearer)
    # then
    assert payload["userErrors"] == []
    customer = payload["customer"]
    assert customer["registeredCapital"] == {"amount": "5000000.00", "currency": "CNY"}
    assert customer["version"] == 1
    body = await gql(client, GET, {"id": customer["id"]}, bearer)
    read = body["data"]["customer"]
    assert read["code"] == "C-1"
    assert read["auditTrail"][0]["action"] == "CREATE_CUSTOMER"
    assert read["auditTrail"][0]["mutation"] == "createCustomer"  # deprecated, still answered
    assert read["auditTrail"][0]["actor"] == "alice"
    assert read["auditTrail"][0]["changes"]["registeredCapital"] == {
        "before": None,
        "after": "5000000.00 CNY",
    }
    assert database.query("SELECT registered_capital_minor FROM customers") == [(500000000,)]
    assert database.query("SELECT action FROM audit_log") == [("CREATE_CUSTOMER",)]


async def test_update_with_version_and_stale_version(client, settings, database):
    # given
    bearer = token(settings)
    created = (await create(client, bearer))["customer"]
    # when
    first = await gql(
        client,
        UPDATE,
        {"input": {"id": created["id"], "version": 1, "legalName": "新名称有限公司"}},
        bearer,
    )
    stale = await gql(
        client, UPDATE, {"input": {"id": created["id"], "version": 1, "industry": "Steel"}}, bearer
    )
    # then
    assert first["data"]["updateCustomer"]["customer"]["version"] == 2
    errors = stale["data"]["updateCustomer"]["userErrors"]
    assert [e["code"] for e in errors] == ["STALE_VERSION"]
    assert stale["data"]["updateCustomer"]["customer"] is None
    assert database.query("SELECT legal_name, industry, version FROM customers") == [
        ("新名称有限公司", None, 2)
    ]


async def test_concurrent_updates_with_same_version_one_wins(client, settings, database):
    # given
    bearer = token(settings)
    created = (await create(client, bearer))["customer"]

    async def change(name: str) -> dict[str, Any]:
        body = await gql(
            client,
            UPDATE,
            {"input": {"id": created["id"], "version": 1, "legalName": name}},
            bearer,
        )
        return body["data"]["updateCustomer"]  # type: ignore[no-any-return]

    # when
    results = await asyncio.gather(change("甲公司"), change("乙公司"))
    # then
    winners = [r for r in results if not r["userErrors"]]
    losers = [r for r in results if r["userErrors"]]
    assert len(winners) == 1 and len(losers) == 1
    assert losers[0]["userErrors"][0]["code"] == "STALE_VERSION"
    rows = database.query("SELECT legal_name, version FROM customers")
    assert rows == [(winners[0]["customer"]["legalName"], 2)]
    audits = database.query("SELECT count(*) FROM audit_log WHERE action = 'UPDATE_CUSTOMER'")
    assert audits == [(1,)]


async def test_list_filter_order_and_paginate(client, settings):
    # given
    bearer = token(settings)
    for i in range(7):
        await create(
            client,
            bearer,
            f"K-{i}",
            legalName=f"Company {i:02d}",
            industry="Steel" if i % 2 else "Food",
        )
    # when
    page1 = (await gql(client, LIST, {"first": 3, "orderBy": {"field": "CODE"}}, bearer))["data"][
        "customers"
    ]
    page2 = (
        await gql(
            client,
            LIST,
            {"first": 3, "after": page1["pageInfo"]["endCursor"], "orderBy": {"field": "CODE"}},
            bearer,
        )
    )["data"]["customers"]
    steel = await gql(client, LIST, {"filter": {"industry": "Steel"}}, bearer)
    text = await gql(client, LIST, {"filter": {"text": "company 0"}}, bearer)
    desc = await gql(
        client, LIST, {"first": 2, "orderBy": {"field": "NAME", "direction": "DESC"}}, bearer
    )
    # then
    assert page1["totalCount"] == 7
    assert [e["node"]["code"] for e in page1["edges"]] == ["K-0", "K-1", "K-2"]
    assert [e["node"]["code"] for e in page2["edges"]] == ["K-3", "K-4", "K-5"]
    assert page2["pageInfo"]["hasNextPage"] is True
    assert steel["data"]["customers"]["totalCount"] == 3
    assert text["data"]["customers"]["totalCount"] == 7
    assert [e["node"]["legalName"] for e in desc["data"]["customers"]["edges"]] == [
        "Company 06",
        "Company 05",
    ]


async def test_archive(client, settings, database):
    # given
    bearer = token(settings)
    created = (await create(client, bearer))["customer"]
    mutation = """mutation A($input: ArchiveCustomerInput!) { archiveCustomer(input: $input) {
        customer { status } userErrors { code } } }"""
    # when
    first = await gql(client, mutation, {"input": {"id": created["id"]}}, bearer)
    again = await gql(client, mutation, {"input": {"id": created["id"]}}, bearer)
    # then
    assert first["data"]["archiveCustomer"]["customer"]["status"] == "ARCHIVED"
    assert again["data"]["archiveCustomer"]["userErrors"] == [{"code": "ALREADY_ARCHIVED"}]
    assert database.query("SELECT status FROM customers") == [("ARCHIVED",)]


async def test_other_tenant_id_is_not_found_everywhere(client, settings, database):
    # given: a customer of acme, and a globex caller
    acme = token(settings, "acme")
    globex = token(settings, "globex")
    created = (await create(client, acme))["customer"]
    never = "Q3VzdG9tZXI6MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw"
    # when
    seen = [await gql(client, GET, {"id": i}, globex) for i in (created["id"], never)]
    nodes = [await gql(client, NODE, {"id": i}, globex) for i in (created["id"], never)]
    for body in seen + nodes:  # the caller's remaining budget differs from call to call
        body["extensions"]["cost"].pop("throttleStatus")
    updates = [
        await gql(client, UPDATE, {"input": {"id": i, "version": 1, "industry": "X"}}, globex)
        for i in (created["id"], never)
    ]
    listed = await gql(client, LIST, {}, globex)
    # then: the same answer for another tenant's id as for one that never existed
    assert seen[0] == seen[1]
    assert nodes[0] == nodes[1]
    assert seen[0]["data"] == {"customer": None} and nodes[0]["data"] == {"node": None}
    assert updates[0]["data"] == updates[1]["data"]
    assert updates[0]["data"]["updateCustomer"]["userErrors"][0]["code"] == "NOT_FOUND"
    assert listed["data"]["customers"]["totalCount"] == 0
    assert database.query("SELECT industry FROM customers") == [(None,)]


async def test_total_is_counted_only_when_asked_for(client, settings, database):
    bearer = token(settings)
    for code in ("T-1", "T-2", "T-3"):
        await create(client, bearer, code)
    without = await gql(
        client,
        "{ customers(first: 2, orderBy: {field: CODE}) { edges { node { code } } } }",
        None,
        bearer,
    )
    counted = await gql(
        client, "{ customers(first: 2) { n: totalCount edges { node { code } } } }", None, bearer
    )
    assert [e["node"]["code"] for e in without["data"]["customers"]["edges"]] == ["T-1", "T-2"]
    assert counted["data"]["customers"]["n"] == 3
