"""The engine on the production schema: the customers page takes the fast path, and real
queries (pages, ledger, aging, nodes, errors and nulls) get identical answers either way."""

from __future__ import annotations

import base64
import dataclasses
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from infra.demo import load_demo
from infra.runtime import Runtime
from infra.settings import Settings
from schema.engine import plan_code
from schema.engine.compat import StandardExecutor
from tests.api.test_cors import _client
from tests.conftest import Database, gql, token
from tests.schema.test_page_dossiers import _seed

#: The benchmarked page (benchmarks/graphql_http.py), dossiers included.
PAGE = """query Page { customers(first: 50, orderBy: {field: CODE}) { edges { node { id code
  legalName country registrationNumber industry status foundedOn salesperson version
  creditFile { completeness { ratio } partners { kind relatedCode relatedName } } } } } }"""

FULL_PAGE = """query Full($after: String) {
  customers(first: 50, after: $after, orderBy: {field: CODE}) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { __typename id code legalName country registrationNumber industry
      status foundedOn registeredCapital { amount currency } annualSales { amount currency }
      businessModel salesperson ratingClass paymentTermsCode lateInterestDailyRate
      contacts { name role phone email } version createdAt updatedAt
      creditFile { companyHistory lastReviewedOn nextReviewDueOn
        completeness { ratio missing { key reason asOf } }
        partners { __typename id kind note relatedId relatedCode relatedName }
        timeline { kind title occurredOn } } } } } }"""

#: A well-formed customer id that exists in no tenant.
MISSING_CUSTOMER = base64.b64encode(b"Customer:00000000-0000-0000-0000-000000000000").decode()

#: name -> (query, variables, the token's roles or none for no token); "<customer>" and
#: "<cursor>" stand for a customer id and the end cursor of the first page.
QUERIES: dict[str, tuple[str, dict[str, Any], list[str]]] = {
    "customers page with credit files and partners": (FULL_PAGE, {}, ["credit_manager"]),
    "next page": (FULL_PAGE, {"after": "<cursor>"}, ["credit_manager"]),
    "nodes without cursors, fragments, aliases": (
        """{ customers(first: 60, filter: {text: "D-0"}) { nodes { ...C again: code } } }
        fragment C on Customer { id code industry contacts { name } creditFile {
          completeness { ratio missing { key } } partners { kind relatedName } } }""",
        {},
        ["viewer"],
    ),
    "invoices": (
        """{ invoices(first: 50) { totalCount pageInfo { hasNextPage endCursor } edges {
          cursor node { id number externalId orderRef issueDate dueDate
          amount { amount currency } openAmount { amount currency }
          disputedAmount { amount } writtenOffAmount { amount } salesperson status createdAt
          daysPastDue accruedInterest { amount currency } customer { code legalName }
          allocations { kind amount { amount } invoiceNumber } instalments { seq } } } } }""",
        {},
        ["credit_manager"],
    ),
    "overdue invoices": (
        """{ invoices(first: 20, filter: {overdue: true}) { edges { node { number status
          daysPastDue openAmount { amount currency } } } } }""",
        {},
        ["collector"],
    ),
    "payments": (
        """{ payments(first: 20) { edges { node { id receivedOn amount { amount currency }
          unallocated { amount } method reference status customer { code }
          allocations { kind invoiceNumber amount { amount } } } } } }""",
        {},
        ["finance"],
    ),
    "aging by customer": (
        """{ aging { asOf basis buckets { label minDays maxDays }
          totals { key currency total { amount currency } overdue { amount }
            buckets { label amount { amount } } }
          lines { key currency total { amount } overdue { amount } buckets { label amount {
            amount } } customer { code } invoice { number } cursor }
          totalCount pageInfo { hasNextPage } } }""",
        {},
        ["credit_manager"],
    ),
    "aging by invoice and by age": (
        """{ aging(groupBy: INVOICE, basis: AGE) { basis lines { key invoice { number
          daysPastDue } buckets { label amount { amount } } } } }""",
        {},
        ["finance"],
    ),
    "a node, a missing node, a malformed id": (
        """query($id: ID!, $missing: ID!) { node(id: $id) { __typename id ... on Customer {
          code creditFile { partners { relatedCode } } } } missing: node(id: $missing) { id }
          bad: node(id: "nonsense") { id } }""",
        {"id": "<customer>", "missing": MISSING_CUSTOMER},
        ["credit_manager"],
    ),
    "a forbidden field: error, the field null, the rest kept": (
        """query($id: ID!) { viewer { subject } customer(id: $id) { code
          auditTrail { actor } } }""",
        {"id": "<customer>"},
        ["viewer"],
    ),
    "a forbidden field in a list: null in each item only": (
        """{ customers(first: 3, orderBy: {field: CODE}) { edges { node { code
          auditTrail { actor } } } } }""",
        {},
        ["viewer"],
    ),
    "no token": ("{ customers(first: 3) { totalCount } }", {}, []),
    "a refused mutation": (
        """mutation { createCustomer(input: {code: "", legalName: "", country: "XX"}) {
          userErrors { field code message } customer { id } } }""",
        {},
        ["credit_manager"],
    ),
    "invalid query": ("{ customers(first: 5) { edges { node { noSuchField } } } }", {}, ["viewer"]),
    "a page too large": ("{ customers(first: 500) { totalCount } }", {}, ["viewer"]),
}


@pytest.fixture
async def demo(database: Database, runtime: Runtime) -> UUID:
    """The demo tenant (customers, dossiers, invoices, payments) plus 60 page customers, a
    third with two partners, a quarter with a credit report (test_page_dossiers' seed)."""
    await load_demo(runtime)
    tenant = UUID(str(database.query("SELECT id FROM tenants WHERE slug = 'demo'")[0][0]))
    _seed(database, tenant, 60)
    return tenant


#: The production app in-process, lifespan included (test_cors' helper, as a context).
_serving = asynccontextmanager(_client)


@pytest.mark.engine_mode("fast-path")
async def test_the_customers_page_takes_the_fast_path(
    settings: Settings, runtime: Runtime, demo: UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the production schema, graphql-core executes the page's root field and nothing
    else: one generated plan completes the 50 customers with their dossiers (compiled
    documents off: they answer this page with no execution at all)."""
    # given: graphql-core's per-field execution and the generated plans, watched
    bearer = token(settings, tenant="demo")
    standard_fields: list[str] = []
    execute_field = StandardExecutor.execute_field

    def watched_execute_field(self: Any, parent_type: Any, source: Any, details: Any, *a: Any):
        standard_fields.append(f"{parent_type.name}.{details[0].node.name.value}")
        return execute_field(self, parent_type, source, details, *a)

    planned: list[str] = []
    completer = plan_code.completer

    def watched_completer(plan: Any, origin: Any = None) -> Any:
        complete = completer(plan, origin)

        def counted(source: Any, aw: Any) -> Any:
            planned.append(type(source).__name__)
            return complete(source, aw)

        return counted

    monkeypatch.setattr(StandardExecutor, "execute_field", watched_execute_field)
    monkeypatch.setattr("schema.engine.execution.completer", watched_completer)
    pages = {}
    for mode, fast in (("fast", True), ("standard", False)):
        settings_now = dataclasses.replace(
            settings, graphql_fast_path=fast, compiled_documents=False
        )
        async with _serving(settings_now, runtime) as c:
            await gql(c, PAGE, {}, bearer)  # warm: plans are generated once per shape
            standard_fields.clear()
            planned.clear()

            # when
            body = await gql(c, PAGE, {}, bearer)
        pages[mode] = (body, list(standard_fields), list(planned))

    # then: the page with its dossiers ...
    body, fields, plans = pages["fast"]
    assert "errors" not in body and _steady(body) == _steady(pages["standard"][0])
    nodes = [e["node"] for e in body["data"]["customers"]["edges"]]
    assert len(nodes) == 50
    assert sum(1 for n in nodes if n["creditFile"]["partners"]) >= 15
    assert all(0 <= Decimal(n["creditFile"]["completeness"]["ratio"]) <= 1 for n in nodes)
    # ... completed by one plan: graphql-core executed the root field only
    assert fields == ["Query.customers"]
    assert plans == ["CustomerConnection"]
    # where the standard path executes every field of every customer
    _, fields, plans = pages["standard"]
    assert fields.count("Customer.code") == 50 and fields.count("Completeness.ratio") == 50
    assert plans == []


def _steady(body: dict[str, Any]) -> dict[str, Any]:
    """The body without the one figure that depends on time and on earlier requests: the
    points left in the caller's rate-limit bucket (the query's cost itself is compared)."""
    status = body.get("extensions", {}).get("cost", {}).get("throttleStatus")
    if status is None or "currentlyAvailable" not in status:
        return body
    return {
        **body,
        "extensions": {
            **body["extensions"],
            "cost": {
                **body["extensions"]["cost"],
                "throttleStatus": {**status, "currentlyAvailable": "steady"},
            },
        },
    }


def _substitute(variables: dict[str, Any], known: dict[str, str]) -> dict[str, Any]:
    return {k: known.get(v, v) if isinstance(v, str) else v for k, v in variables.items()}


async def _answers(settings: Settings, runtime: Runtime) -> dict[str, Any]:
    """Every query's JSON body, with the ids and cursors the earlier answers provide."""
    known: dict[str, str] = {}
    answers: dict[str, Any] = {}
    async with _serving(settings, runtime) as client:
        for name, (query, variables, roles) in QUERIES.items():
            bearer = token(settings, tenant="demo", roles=roles) if roles else None
            for _ in range(2):  # the second run uses what the first cached (plans, caches)
                body = await gql(client, query, _substitute(variables, known), bearer)
            answers[name] = body
            page = (body.get("data") or {}).get("customers") or {}
            if "pageInfo" in page and "<cursor>" not in known:
                known["<cursor>"] = page["pageInfo"]["endCursor"]
                known["<customer>"] = page["edges"][0]["node"]["id"]
    return answers


@pytest.mark.engine_mode("fast-path")
async def test_both_modes_answer_real_queries_identically(
    settings: Settings, runtime: Runtime, demo: UUID
) -> None:
    # given: the production app with the fast path on, and with it off
    off = dataclasses.replace(settings, graphql_fast_path=False)

    # when
    fast = await _answers(settings, runtime)
    standard = await _answers(off, runtime)

    # then: the same bodies, byte for byte as JSON values, errors and nulls included
    assert fast.keys() == standard.keys() == QUERIES.keys()
    for name in QUERIES:
        assert _steady(fast[name]) == _steady(standard[name]), name
    # and the set is what it claims to be: data, nulls, errors and both pages
    customers = fast["customers page with credit files and partners"]["data"]["customers"]
    assert len(customers["edges"]) == 50 and customers["pageInfo"]["hasNextPage"]
    assert fast["next page"]["data"]["customers"]["edges"]
    assert len(fast["invoices"]["data"]["invoices"]["edges"]) > 0
    assert fast["aging by customer"]["data"]["aging"]["lines"]
    nodes = fast["a node, a missing node, a malformed id"]["data"]
    assert nodes["node"]["code"] and nodes["missing"] is None and nodes["bad"] is None
    partial = fast["a forbidden field: error, the field null, the rest kept"]
    assert partial["data"]["viewer"] == {"subject": "alice"}
    assert partial["data"]["customer"]["auditTrail"] is None
    assert partial["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    listed = fast["a forbidden field in a list: null in each item only"]
    nodes = [edge["node"] for edge in listed["data"]["customers"]["edges"]]
    assert len(nodes) == 3 and all(n["code"] and n["auditTrail"] is None for n in nodes)
    assert {e["path"][-1] for e in listed["errors"]} == {"auditTrail"}
    assert fast["no token"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    refused = fast["a refused mutation"]["data"]["createCustomer"]
    assert refused["userErrors"] and refused["customer"] is None
    assert "errors" in fast["invalid query"] and "errors" in fast["a page too large"]
