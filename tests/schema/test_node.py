"""`node` resolves every type that implements Node, through what each capability registered."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from graphql import GraphQLObjectType, build_ast_schema, parse

from infra.settings import Settings
from schema.build import build_schema, sdl
from schema.node import NODE_TYPES, register_node
from schema.relay import to_global_id
from tests.conftest import gql, token
from tests.schema.test_credit_file_api import ENTRY, LINK
from tests.schema.test_customers_api import create
from tests.schema.test_ledger_api import INVOICE, invoice_input

NODE = "query Node($id: ID!) { node(id: $id) { __typename id } }"


def test_every_node_type_of_the_schema_is_registered() -> None:
    # given the schema as served
    graphql = build_schema(Settings())._schema
    implementing = {
        name
        for name, t in graphql.type_map.items()
        if isinstance(t, GraphQLObjectType) and any(i.name == "Node" for i in t.interfaces)
    }
    # then node() can load each of them, and registers nothing the schema does not show
    assert implementing == set(NODE_TYPES)


#: Object types with an `id: ID!` that is not a global id of their own, and why.
NOT_NODES = {
    # a check has no row of its own: its id is the logged decision's, which `node` answers
    "CreditCheck": "CreditDecision",
}


def test_every_type_with_a_global_id_is_a_node() -> None:
    # given the SDL as committed and served
    graphql = build_ast_schema(parse(sdl()))
    with_ids = {
        name
        for name, t in graphql.type_map.items()
        if isinstance(t, GraphQLObjectType)
        and not name.startswith("__")
        and "id" in t.fields
        and str(t.fields["id"].type) == "ID!"
    }
    # then each of them implements Node and `node` can load it, but the named exceptions
    nodes = {
        name
        for name in with_ids
        if any(i.name == "Node" for i in graphql.type_map[name].interfaces)
    }
    assert with_ids - set(NOT_NODES) == nodes
    assert nodes <= set(NODE_TYPES)
    assert all(NODE_TYPES[kind].readers for kind in NODE_TYPES)
    assert set(NOT_NODES.values()) <= set(NODE_TYPES)


def test_a_type_is_registered_once() -> None:
    kind = NODE_TYPES["Customer"]
    same = {"readers": kind.readers}
    register_node("Customer", kind.loader_name, kind.loader, kind.build, **same)  # harmless
    with pytest.raises(ValueError, match="registered twice"):
        register_node("Customer", "other", kind.loader, kind.build, **same)
    with pytest.raises(ValueError, match="registered twice"):  # nor shown to other roles
        register_node("Customer", kind.loader_name, kind.loader, kind.build, readers=frozenset())


async def test_node_loads_registered_types_and_not_unknown_ones(client, settings) -> None:
    # given a customer and a queued review job
    bearer = token(settings)
    customer = (await create(client, bearer, "N-1"))["customer"]
    run = await gql(
        client, "mutation { runCreditFileReview { job { id } userErrors { code } } }", None, bearer
    )
    job = run["data"]["runCreditFileReview"]["job"]
    # when both are asked for by global id, and so is an id of an unregistered type
    found = [
        (await gql(client, NODE, {"id": global_id}, bearer))["data"]["node"]
        for global_id in (customer["id"], job["id"], to_global_id("Nothing", uuid4()))
    ]
    # then the registered ones come back as their types, the other as null
    assert found == [
        {"__typename": "Customer", "id": customer["id"]},
        {"__typename": "Job", "id": job["id"]},
        None,
    ]


NODES = """query N($statement: ID!, $partner: ID!, $entry: ID!) {
  statement: node(id: $statement) { __typename id ... on Statement { period status } }
  partner: node(id: $partner) { __typename id ... on Partner { kind relatedCode } }
  entry: node(id: $entry) { __typename id ... on CreditFileEntry { kind title } } }"""


async def test_node_loads_statements_partners_and_credit_file_entries(
    client, settings, runtime, tenants
) -> None:
    from services.statements import monthly as statements
    from services.uow import Actor, UnitOfWork

    # given a customer with a partner link, a dossier entry and an October statement
    manager = token(settings)
    one = (await create(client, manager, "NODE-1"))["customer"]["id"]
    two = (await create(client, manager, "NODE-2"))["customer"]["id"]
    link = {"customerId": one, "relatedId": two, "kind": "GUARANTOR"}
    partner = (await gql(client, LINK, {"input": link}, manager))["data"]["linkPartner"]
    filed = {"customerId": one, "occurredOn": date.today().isoformat(), "kind": "NOTE",
             "title": "visit"}  # fmt: skip
    entry = (await gql(client, ENTRY, {"input": filed}, manager))["data"]["addCreditFileEntry"]
    invoice = {**invoice_input(one, "NODE-OCT", "250.00"), "issueDate": "2026-10-10"}
    await gql(client, INVOICE, {"input": invoice}, token(settings, roles=["finance"]))
    async with UnitOfWork(runtime.engine, tenants["acme"], Actor("job")) as uow:
        await statements.generate(uow, date(2026, 10, 1))
        await uow.commit()
    listed = await gql(client, "query { statements { id } }", bearer=manager)
    statement = listed["data"]["statements"][0]["id"]
    ids = {"statement": statement, "partner": partner["partnerId"], "entry": entry["entry"]["id"]}
    # when each is asked for through `node`
    found = await gql(client, NODES, ids, manager)
    # then each comes back as its type with the id asked
    assert found["data"] == {
        "statement": {"__typename": "Statement", "id": statement, "period": "2026-10-01",
                      "status": "GENERATED"},
        "partner": {"__typename": "Partner", "id": partner["partnerId"], "kind": "GUARANTOR",
                    "relatedCode": "NODE-2"},
        "entry": {"__typename": "CreditFileEntry", "id": entry["entry"]["id"], "kind": "NOTE",
                  "title": "visit"},
    }  # fmt: skip


async def test_aging_keys_of_customers_and_invoices_are_global_ids(client, settings) -> None:
    # given a customer with an invoice
    manager = token(settings)
    customer = (await create(client, manager, "AGE-1"))["customer"]["id"]
    created = await gql(
        client,
        INVOICE,
        {"input": invoice_input(customer, "AGE-INV")},
        token(settings, roles=["finance"]),
    )
    invoice = created["data"]["createInvoice"]["invoice"]["id"]
    # when aging is grouped by customer and by invoice
    by_customer = await gql(client, "{ aging { lines { key } } }", None, manager)
    by_invoice = await gql(client, "{ aging(groupBy: INVOICE) { lines { key } } }", None, manager)
    # then the keys are the global ids `node` takes
    assert [line["key"] for line in by_customer["data"]["aging"]["lines"]] == [customer]
    assert [line["key"] for line in by_invoice["data"]["aging"]["lines"]] == [invoice]
    node = await gql(client, NODE, {"id": by_invoice["data"]["aging"]["lines"][0]["key"]}, manager)
    assert node["data"]["node"] == {"__typename": "Invoice", "id": invoice}
