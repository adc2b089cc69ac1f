"""A field a role may be refused is nullable: its FORBIDDEN error nulls that field only,
never the page (or the other mutations of a document) around it."""

from __future__ import annotations

from graphql import GraphQLNonNull, GraphQLObjectType
from strawberry.permission import PermissionExtension

from infra.settings import Settings
from schema.build import build_schema
from tests.conftest import gql, token
from tests.schema.test_customers_api import create, new_customer

PAGE = """{ customers(first: 10, orderBy: {field: CODE}) {
  edges { node { code auditTrail { action actor } } } } }"""
TWO_MUTATIONS = """mutation Two($a: CreateCustomerInput!, $id: ID!) {
  createCustomer(input: $a) { customer { code } userErrors { code } }
  archiveCustomer(input: {id: $id}) { customer { code } userErrors { code } }
}"""


def _role_gated() -> dict[str, bool]:
    """Every role-gated field of the served schema (`Type.field`) -> whether it is non-null."""
    graphql = build_schema(Settings())._schema
    gated = {}
    for type_name, kind in graphql.type_map.items():
        if not isinstance(kind, GraphQLObjectType) or type_name == "Subscription":
            continue
        for name, field in kind.fields.items():
            definition = (field.extensions or {}).get("strawberry-definition")
            extensions = getattr(definition, "extensions", ())
            if any(isinstance(e, PermissionExtension) for e in extensions):
                gated[f"{type_name}.{name}"] = isinstance(field.type, GraphQLNonNull)
    return gated


def test_every_role_gated_field_is_nullable() -> None:
    # given every field of Query, Mutation and the object types that checks roles
    gated = _role_gated()
    # then there are such fields everywhere, and none of them is non-null
    assert {"Query.customers", "Query.invoices", "Customer.auditTrail"} <= set(gated)
    assert any(name.startswith("Mutation.") for name in gated)
    assert [name for name, non_null in gated.items() if non_null] == []


async def test_a_forbidden_field_nulls_itself_not_the_page(client, settings) -> None:
    # given two customers, and an integrator (who may read customers but not their audit trail)
    manager = token(settings)
    await create(client, manager, "RG-1")
    await create(client, manager, "RG-2")
    integrator = token(settings, roles=["integrator"])
    # when the integrator reads a page that asks for the audit trail of each customer
    body = await gql(client, PAGE, None, integrator)
    # then the page is there, each audit trail is null, and the refusals are FORBIDDEN errors
    nodes = [edge["node"] for edge in body["data"]["customers"]["edges"]]
    assert nodes == [
        {"code": "RG-1", "auditTrail": None},
        {"code": "RG-2", "auditTrail": None},
    ]
    assert {error["extensions"]["code"] for error in body["errors"]} == {"FORBIDDEN"}
    assert [error["path"] for error in body["errors"]] == [
        ["customers", "edges", 0, "node", "auditTrail"],
        ["customers", "edges", 1, "node", "auditTrail"],
    ]


async def test_one_customer_one_forbidden_field_one_error(client, settings) -> None:
    # given a customer
    manager = token(settings)
    await create(client, manager, "RG-3")
    integrator = token(settings, roles=["integrator"])
    # when the integrator asks for its audit trail on a one-item page
    body = await gql(client, PAGE.replace("first: 10", "first: 1"), None, integrator)
    # then data comes back with `auditTrail: null` and exactly one error
    only = {"node": {"code": "RG-3", "auditTrail": None}}
    assert body["data"] == {"customers": {"edges": [only]}}
    assert len(body["errors"]) == 1 and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_refused_mutation_nulls_only_itself(client, settings, database) -> None:
    # given a customer, and a salesperson (who may create customers, not archive them)
    existing = (await create(client, token(settings), "RG-4"))["customer"]
    sales = token(settings, roles=["sales"])
    # when one document creates a customer and archives the other
    body = await gql(
        client, TWO_MUTATIONS, {"a": new_customer("RG-5"), "id": existing["id"]}, sales
    )
    # then the creation answers and is kept, the archive is null with its FORBIDDEN error
    assert body["data"] == {
        "createCustomer": {"customer": {"code": "RG-5"}, "userErrors": []},
        "archiveCustomer": None,
    }
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["archiveCustomer"], "FORBIDDEN")
    ]
    assert database.query("SELECT code, status FROM customers ORDER BY code") == [
        ("RG-4", "ACTIVE"),
        ("RG-5", "ACTIVE"),
    ]
