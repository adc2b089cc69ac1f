"""A page's dossiers: a fixed number of statements whatever its size, and the same answers
as a customer read one at a time (through the DataLoaders). The resolvers' way is the one
counted: compiled documents, which answer these pages in one statement, are off here."""

from __future__ import annotations

import dataclasses
from typing import Any
from uuid import UUID

import pytest

from dbschema.engine import add_statement_listener
from infra.settings import Settings
from tests.conftest import gql, token


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The resolvers' way: compiled documents off."""
    return dataclasses.replace(settings, compiled_documents=False)


PAGE = """query Page($n: Int) { customers(first: $n, orderBy: {field: CODE}) { edges { node {
  id code contacts { name role } creditFile { completeness { ratio missing { key reason } }
  partners { id kind note relatedId relatedCode relatedName } } } } } }"""
BACKWARD = """query Back($n: Int, $before: String) { customers(last: $n, before: $before,
  orderBy: {field: CODE}) { pageInfo { startCursor } edges { node { code creditFile {
  completeness { ratio } partners { relatedCode } } } } } }"""
PARTNERS_ONLY = """query Page($n: Int) { customers(first: $n, orderBy: {field: CODE}) {
  edges { node { code creditFile { partners { relatedCode } } } } } }"""
ONE = """query One($id: ID!) { customer(id: $id) { id code contacts { name role } creditFile {
  completeness { ratio missing { key reason } }
  partners { id kind note relatedId relatedCode relatedName } } } }"""


def _seed(database: Any, tenant: UUID, count: int) -> None:
    database.query(
        """INSERT INTO customers (tenant_id, code, legal_name, country, industry, contacts)
           SELECT %s, 'D-' || lpad(g::text, 3, '0'), 'Dossier ' || g, 'CN',
                  CASE WHEN g %% 2 = 0 THEN 'Textiles' END,
                  CASE WHEN g %% 3 = 0 THEN '[{"name": "王伟"}]' ELSE '[]' END::jsonb
             FROM generate_series(1, %s) g""",
        tenant,
        count,
    )
    # every third customer has two partners (linked in a known order), one has a note
    database.query(
        """INSERT INTO customer_relations (tenant_id, customer_id, related_customer_id, kind,
                                           note, created_at)
           SELECT c.tenant_id, c.id, r.id, k.kind, k.note, now() + k.n * interval '1 second'
             FROM customers c
             JOIN customers r ON r.tenant_id = c.tenant_id AND r.code = 'D-002'
             CROSS JOIN (VALUES (1, 'KEY_BUYER', NULL), (2, 'GUARANTOR', '担保')) k(n, kind, note)
            WHERE c.tenant_id = %s AND right(c.code, 3)::int %% 3 = 1""",
        tenant,
    )
    database.query(
        """INSERT INTO credit_file_entries (tenant_id, customer_id, occurred_on, kind, title,
                                            created_by)
           SELECT tenant_id, id, current_date - 20, 'CREDIT_REPORT', 'report', 't'
             FROM customers WHERE tenant_id = %s AND right(code, 3)::int %% 4 = 0""",
        tenant,
    )


async def test_page_dossiers_fixed_statements_and_same_answers(
    client: Any, settings: Any, tenants: dict[str, UUID], database: Any
) -> None:
    _seed(database, tenants["acme"], 30)
    bearer = token(settings)
    seen: list[str] = []
    remove = add_statement_listener(seen.append)
    counts = {}
    pages = {}
    try:
        for size in (5, 30):
            await gql(client, PAGE, {"n": size}, bearer)  # warm caches
            seen.clear()
            body = await gql(client, PAGE, {"n": size}, bearer)
            counts[size] = len(seen)
            pages[size] = body["data"]["customers"]["edges"]
        seen.clear()
        partners_only = await gql(client, PARTNERS_ONLY, {"n": 30}, bearer)
        partners_only_count = len(seen)
        tail = await gql(client, BACKWARD, {"n": 5}, bearer)
        seen.clear()  # a backward page from a cursor: the cursor row's key is read in the page
        before = tail["data"]["customers"]["pageInfo"]["startCursor"]
        back = await gql(client, BACKWARD, {"n": 5, "before": before}, bearer)
        backward_count = len(seen)
    finally:
        remove()
    assert counts[5] == counts[30] == 3  # tenant + page + the dossiers (facts with partners)
    assert partners_only_count == backward_count == 3
    back_codes = [e["node"]["code"] for e in back["data"]["customers"]["edges"]]
    assert back_codes == [f"D-{n:03d}" for n in range(21, 26)]
    nodes = [e["node"] for e in pages[30]]
    assert len(nodes) == 30
    for node in nodes:  # the same as one at a time, through the loaders
        one = await gql(client, ONE, {"id": node["id"]}, bearer)
        assert one["data"]["customer"] == node
    linked = [n for n in nodes if n["creditFile"]["partners"]]
    assert len(linked) == 10
    assert [p["kind"] for p in linked[0]["creditFile"]["partners"]] == ["KEY_BUYER", "GUARANTOR"]
    assert linked[0]["creditFile"]["partners"][1]["note"] == "担保"
    assert {
        e["node"]["code"]
        for e in partners_only["data"]["customers"]["edges"]
        if e["node"]["creditFile"]["partners"]
    } == {n["code"] for n in linked}
    assert sum(1 for n in nodes if n["contacts"] == [{"name": "王伟", "role": None}]) == 10
