"""Compiled documents answer exactly as the standard execution does.

Every registered document below (the customers pages of the benchmarks, the suite's other
registered document, and pages with variables, aliases, fragments, directives, backward
paging, filters, orders and dossiers) is sent by its hash to two apps on one database, one
with COMPILED_DOCUMENTS on and one with it off, and the two responses must be equal, errors
included (bad variables, page sizes over the cap, conflicting or malformed cursors, another
tenant's cursor, overlong filters, no token). The compiled app must have answered the
compilable ones with its one statement, and the standard app never. The same documents sent
as text, never registered, are compiled too and answer alike.
"""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from api.app import create_app
from benchmarks.graphql_http import PAGE_QUERY
from benchmarks.peer import LIKE_QUERY
from dbschema.engine import add_statement_listener
from infra.runtime import Runtime
from infra.settings import Settings
from schema import cost_limits
from schema.engine import compiled as compiled_module
from schema.identity_memo import IdentityMemo
from schema.relay import encode_cursor, row_cursor
from schema.throttle import Buckets
from tests.conftest import Database, token
from tests.schema.compiled_seed import seed_dossiers

REGISTER = """mutation R($input: RegisterTrustedDocumentInput!) {
  registerTrustedDocument(input: $input) {
    document { id compiled } userErrors { field code message } } }"""
FULL = """
query Full($first: Int, $after: String, $last: Int, $before: String,
           $filter: CustomerFilter, $order: CustomerOrder,
           $withDossier: Boolean!, $skipPartners: Boolean = false) {
  __typename
  page: customers(first: $first, after: $after, last: $last, before: $before,
                  filter: $filter, orderBy: $order) {
    __typename
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor __typename }
    edges { __typename cursor node { ...Row ... on Customer { code } } }
  }
}
fragment Row on Customer {
  __typename id code name: legalName country registrationNumber industry status foundedOn
  salesperson version businessModel ratingClass paymentTermsCode
  creditFile @include(if: $withDossier) {
    __typename companyHistory lastReviewedOn
    completeness { __typename ratio missing { key reason asOf __typename } }
    partners @skip(if: $skipPartners) {
      id kind note relatedId relatedCode relatedName __typename
    }
    ... on CreditFile { sameAgain: completeness { ratio } }
  }
  ... on Node { id }
}
"""
NODES = """query Nodes { customers(first: 7, orderBy: {field: CODE, direction: DESC}) {
  nodes { code creditFile { partners { relatedName } completeness { ratio } } }
  totalCount pageInfo { endCursor } } }"""
NOT_COMPILED = "query Audit { customers(first: 3) { edges { node { code createdAt } } } }"
VIEWER = "query Me { viewer { subject tenant } }"
#: The compiled path's statement starts so (services/compiled/customers_sql.py).
COMPILED_SQL = "WITH fetched"


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
async def apps(
    settings: Settings, runtime: Runtime, tenants: dict[str, uuid.UUID]
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """The API with compiled documents on, and with them off, on one database."""
    clients = []
    managers = []
    for on in (True, False):
        app = create_app(dataclasses.replace(settings, compiled_documents=on), runtime)
        manager = LifespanManager(app)
        await manager.__aenter__()
        managers.append(manager)
        transport = httpx.ASGITransport(app=manager.app)
        clients.append(httpx.AsyncClient(transport=transport, base_url="http://test"))
    try:
        yield clients[0], clients[1]
    finally:
        for client in clients:
            await client.aclose()
        for manager in reversed(managers):
            await manager.__aexit__(None, None, None)


def _comparable(answer: dict[str, Any]) -> dict[str, Any]:
    """The response without the bucket's level (refilled by the clock between requests)."""
    cost = (answer.get("extensions") or {}).get("cost")
    if cost is not None:
        cost["throttleStatus"].pop("currentlyAvailable", None)
    return answer


async def _post(
    client: httpx.AsyncClient,
    text: str,
    variables: dict[str, Any],
    bearer: str | None,
    by_text: bool = False,
) -> tuple[int, Any]:
    cost_limits.BUCKETS = Buckets()  # each request meets a full bucket, as on a fresh server
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    sent = {"query": text} if by_text else {"documentId": "sha256:" + _hash(text)}
    response = await client.post("/graphql", json=sent | {"variables": variables}, headers=headers)
    try:
        return response.status_code, _comparable(response.json())
    except ValueError:
        return response.status_code, response.text


async def both_ways(
    apps: tuple[httpx.AsyncClient, httpx.AsyncClient],
    text: str,
    variables: dict[str, Any],
    bearer: str | None,
    by_text: bool = False,
) -> tuple[Any, int]:
    """The one answer both apps give, and how many compiled statements the first ran."""
    sent: list[str] = []
    remove = add_statement_listener(sent.append)
    try:
        on = await _post(apps[0], text, variables, bearer, by_text)
        compiled = sum(s.startswith(COMPILED_SQL) for s in sent)
        sent.clear()
        off = await _post(apps[1], text, variables, bearer, by_text)
        assert not any(s.startswith(COMPILED_SQL) for s in sent)
    finally:
        remove()
    assert on == off, (variables, on, off)
    return on[1], compiled


async def _register(client: httpx.AsyncClient, bearer: str, text: str) -> bool:
    body = (
        await client.post(
            "/graphql",
            json={"query": REGISTER, "variables": {"input": {"document": text, "name": "t"}}},
            headers={"Authorization": f"Bearer {bearer}"},
        )
    ).json()
    payload = body["data"]["registerTrustedDocument"]
    assert payload["userErrors"] == [], payload
    return bool(payload["document"]["compiled"])


async def test_registered_documents_answer_alike_compiled_or_not(
    apps: tuple[httpx.AsyncClient, httpx.AsyncClient],
    settings: Settings,
    tenants: dict[str, uuid.UUID],
    database: Database,
) -> None:
    # given dossiers of every shape, and the documents registered (the decision recorded)
    seed_dossiers(database, tenants["acme"], 40)
    seed_dossiers(database, tenants["globex"], 3)
    integrator = token(settings, roles=["integrator"])
    texts = (PAGE_QUERY, LIKE_QUERY, FULL, NODES, NOT_COMPILED, VIEWER)
    decided = {text: await _register(apps[0], integrator, text) for text in texts}
    assert decided == {
        PAGE_QUERY: True,
        LIKE_QUERY: True,
        FULL: True,
        NODES: True,
        NOT_COMPILED: False,
        VIEWER: False,
    }
    # and with COMPILED_DOCUMENTS off, nothing is compiled
    assert await _register(apps[1], integrator, PAGE_QUERY) is False
    bearer = token(settings)
    # when each is sent by hash, then both apps answer alike
    for text in (PAGE_QUERY, LIKE_QUERY, NODES):
        answer, compiled = await both_ways(apps, text, {}, bearer)
        assert "errors" not in answer, answer
        assert compiled == 1
    for text in (NOT_COMPILED, VIEWER):
        answer, compiled = await both_ways(apps, text, {}, bearer)
        assert compiled == 0 and "errors" not in answer
    first, compiled = await both_ways(apps, FULL, {"first": 6, "withDossier": True}, bearer)
    assert compiled == 1 and len(first["data"]["page"]["edges"]) == 6
    end = first["data"]["page"]["pageInfo"]["endCursor"]
    other = database.query("SELECT id FROM customers WHERE tenant_id = %s", tenants["globex"])[0][0]
    pages = [
        {"first": 6, "after": end, "withDossier": True},
        {"last": 4, "before": end, "withDossier": True},
        {"last": 3, "withDossier": True},
        {"first": 3, "withDossier": False},
        {"first": 5, "withDossier": True, "skipPartners": True},
        {"first": 40, "filter": {"text": "50%_"}, "withDossier": True},
        {"first": 40, "filter": {"text": "ACME"}, "withDossier": False},
        {"first": 9, "filter": {"industry": "Energy", "status": "ARCHIVED"}, "withDossier": True},
        {"first": 8, "order": {"field": "CODE", "direction": "DESC"}, "withDossier": True},
        {"first": 8, "order": {"field": "CREATED"}, "withDossier": False},
        {"last": 5, "order": {"field": "NAME", "direction": "DESC"}, "withDossier": True},
        {"first": 5, "after": row_cursor(other), "withDossier": True},  # another tenant's row
        {"first": 100, "withDossier": True},
    ]
    for variables in pages:
        answer, compiled = await both_ways(apps, FULL, variables, bearer)
        assert compiled == 1 and "errors" not in answer, (variables, answer)
    refused: list[dict[str, Any]] = [
        {"first": 500, "withDossier": True},
        {"first": 0, "withDossier": True},
        {"first": 2, "last": 2, "withDossier": True},
        {"first": "x", "withDossier": True},
        {"first": 2},
        {"after": "not-a-cursor", "withDossier": True},
        {"after": "W251bGwsICIwIl0=", "withDossier": True},
        {"after": encode_cursor("x", uuid.uuid4()), "withDossier": True},  # not a row cursor
        {"filter": {"text": "x" * 201}, "withDossier": True},
        {"filter": {"status": "NOPE"}, "withDossier": True},
        {"withDossier": "yes"},
    ]
    for variables in refused:
        answer, compiled = await both_ways(apps, FULL, variables, bearer)
        assert compiled == 0 and answer["errors"], (variables, answer)
    # and a request without a token is answered alike too (the hash is not even looked up)
    assert (await both_ways(apps, PAGE_QUERY, {}, None))[1] == 0


async def test_a_tenant_policy_grades_alike_compiled_or_not(
    apps: tuple[httpx.AsyncClient, httpx.AsyncClient],
    settings: Settings,
    tenants: dict[str, uuid.UUID],
    database: Database,
) -> None:
    # given a tenant's own checklist, in the older camelCase spelling among others
    seed_dossiers(database, tenants["acme"], 25)
    database.query(
        """UPDATE tenants SET settings = settings || '{"creditFilePolicy": [
             {"key": "registrationNumber"}, {"key": "CREDIT_REPORT", "maxAgeDays": 30},
             {"key": "legalRecord", "maxAgeDays": 3650}, {"key": "PARTNERS"},
             {"key": "SITE_VISIT", "maxAgeDays": 100}, {"key": "contacts"}]}'::jsonb
           WHERE id = %s""",
        tenants["acme"],
    )
    await _register(apps[0], token(settings, roles=["integrator"]), FULL)
    # when a dossier page is asked both ways, then the grades agree
    answer, compiled = await both_ways(
        apps, FULL, {"first": 25, "withDossier": True}, token(settings)
    )
    assert compiled == 1
    edges = answer["data"]["page"]["edges"]
    ratios = {e["node"]["creditFile"]["completeness"]["ratio"] for e in edges}
    assert len(ratios) > 1  # the seed gives dossiers of several grades


async def test_documents_sent_as_text_answer_alike_compiled_or_not(
    apps: tuple[httpx.AsyncClient, httpx.AsyncClient],
    settings: Settings,
    tenants: dict[str, uuid.UUID],
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given dossiers, and documents nobody registered
    seed_dossiers(database, tenants["acme"], 30)
    bearer = token(settings)
    compiles: list[str | None] = []
    compile_operation = compiled_module.compile_operation

    def counted(schema: Any, document: Any, operation: str | None) -> Any:
        compiles.append(operation)
        return compile_operation(schema, document, operation)

    monkeypatch.setattr(compiled_module, "compile_operation", counted)
    monkeypatch.setattr(compiled_module, "_TEXTS", IdentityMemo())
    # when each is sent as text, then the compiled app answers the compilable ones with its
    # one statement, and both apps answer alike
    for text in (PAGE_QUERY, LIKE_QUERY, NODES):
        answer, compiled = await both_ways(apps, text, {}, bearer, by_text=True)
        assert compiled == 1 and "errors" not in answer, answer
    for text in (NOT_COMPILED, VIEWER):
        answer, compiled = await both_ways(apps, text, {}, bearer, by_text=True)
        assert compiled == 0 and "errors" not in answer, answer
    first, compiled = await both_ways(
        apps, FULL, {"first": 7, "withDossier": True}, bearer, by_text=True
    )
    assert compiled == 1 and len(first["data"]["page"]["edges"]) == 7
    end = first["data"]["page"]["pageInfo"]["endCursor"]
    for variables in (
        {"first": 7, "after": end, "withDossier": True, "skipPartners": True},
        {"last": 4, "before": end, "withDossier": True},
        {"first": 9, "filter": {"industry": "Energy"}, "withDossier": False},
    ):
        answer, compiled = await both_ways(apps, FULL, variables, bearer, by_text=True)
        assert compiled == 1 and "errors" not in answer, (variables, answer)
    # and refusals, a text another operation name does not match and no token, alike too
    for variables in ({"first": 500, "withDossier": True}, {"first": 2}, {"withDossier": 1}):
        answer, compiled = await both_ways(apps, FULL, variables, bearer, by_text=True)
        assert compiled == 0 and answer["errors"], (variables, answer)
    assert (await both_ways(apps, PAGE_QUERY, {}, None, by_text=True))[1] == 0
    # and a text over the size the cache takes runs the standard way (a comment is no token)
    long = PAGE_QUERY + "\n#" + "x" * compiled_module.TEXT_COMPILE_MAX
    answer, compiled = await both_ways(apps, long, {}, bearer, by_text=True)
    assert compiled == 0 and "errors" not in answer, answer
    # and each text compiled once, however often it came (FULL came ten times)
    assert len(compiles) == 6, compiles


async def test_a_failing_statement_is_masked_alike_compiled_or_not(
    apps: tuple[httpx.AsyncClient, httpx.AsyncClient],
    settings: Settings,
    tenants: dict[str, uuid.UUID],
    database: Database,
) -> None:
    # given a database broken under the app (a column both ways read is renamed)
    seed_dossiers(database, tenants["acme"], 5)
    database.query("ALTER TABLE customers RENAME COLUMN industry TO industry_x")
    twice = "{ customers(first: 2) { nodes { industry } }\n customers(first: 2) { totalCount } }"
    skipped = (
        "query($s: Boolean = true) { customers(first: 2) @skip(if: $s) { totalCount }\n"
        " customers(first: 2) { nodes { industry } } }"
    )
    # when each page is asked both ways, then both give the page null and one masked error
    # at its path, located where the document writes the fields that ran, with no SQL
    for text, variables, locations in (
        (FULL, {"first": 3, "withDossier": True}, 1),
        (twice, {}, 2),
        (skipped, {}, 1),
    ):
        answers = []
        for client in apps:
            status, body = await _post(client, text, variables, token(settings), by_text=True)
            assert status == 200 and "industry" not in str(body), body
            for error in body["errors"]:
                assert error["extensions"].pop("requestId")
            answers.append(body)
        assert answers[0] == answers[1], (text, answers)
        errors = answers[0]["errors"]
        assert [e["extensions"]["code"] for e in errors] == ["INTERNAL_SERVER_ERROR"]
        assert len(errors[0]["locations"]) == locations, errors
    assert answers[0]["data"] == {"customers": None}


async def test_operation_names_are_refused_alike_compiled_or_not(
    apps: tuple[httpx.AsyncClient, httpx.AsyncClient], settings: Settings
) -> None:
    # given a text with two operations, one of them a compilable page
    two = PAGE_QUERY + "\nquery Other { viewer { subject } }"
    headers = {"Authorization": f"Bearer {token(settings)}"}
    # when it is sent with no operation name, an unknown one, or each of its own, then both
    # apps answer alike
    for body in (
        {"query": two},
        {"query": two, "operationName": "Nope"},
        {"query": two, "operationName": "Page"},
        {"query": two, "operationName": "Other"},
        {"query": PAGE_QUERY, "operationName": "Other"},
    ):
        answers = []
        for client in apps:
            cost_limits.BUCKETS = Buckets()
            response = await client.post("/graphql", json=body, headers=headers)
            is_json = response.headers["content-type"].startswith("application/json")
            answer = _comparable(response.json()) if is_json else response.text
            answers.append((response.status_code, answer))
        assert answers[0] == answers[1], (body, answers)
