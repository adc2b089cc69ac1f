"""`node` resolves every type that implements Node, through what each capability registered."""

from __future__ import annotations

from uuid import uuid4

import pytest
from graphql import GraphQLObjectType

from infra.settings import Settings
from schema.build import build_schema
from schema.node import NODE_TYPES, register_node
from schema.relay import to_global_id
from tests.conftest import gql, token
from tests.schema.test_customers_api import create

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


def test_a_type_is_registered_once() -> None:
    kind = NODE_TYPES["Customer"]
    register_node("Customer", kind.loader_name, kind.loader, kind.build)  # the same: harmless
    with pytest.raises(ValueError, match="registered twice"):
        register_node("Customer", "other", kind.loader, kind.build)


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
        for global_id in (customer["id"], job["id"], to_global_id("Partner", uuid4()))
    ]
    # then the registered ones come back as their types, the other as null
    assert found == [
        {"__typename": "Customer", "id": customer["id"]},
        {"__typename": "Job", "id": job["id"]},
        None,
    ]
