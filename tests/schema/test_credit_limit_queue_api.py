"""The limit queue through HTTP GraphQL: a pending request a later limit of its customer and
scope overtook reads STALE (approving it is refused), as CreditApplication.limitStatus does;
the status filter tells PENDING from STALE, `node` agrees, and a page costs the same
statements whatever its size (no query per row)."""

from __future__ import annotations

from typing import Any

from dbschema.engine import add_statement_listener
from tests.conftest import gql, token
from tests.schema.test_credit_limit_rules_api import (
    LINK,
    REJECT,
    _approve,
    _asked,
    _customer,
    _request,
)

QUEUE = """query Q($status: CreditLimitRequestStatus, $first: Int) {
  creditLimitRequests(status: $status, first: $first) {
    edges { node { id status scope note } } } }"""
NODE = """query N($id: ID!) { node(id: $id) { ... on CreditLimitRequest { status } } }"""


async def _queue(client: Any, settings: Any, **variables: Any) -> list[tuple[str, str, str]]:
    body = await gql(client, QUEUE, variables, token(settings))
    assert "errors" not in body, body
    return [
        (e["node"]["note"], e["node"]["scope"], e["node"]["status"])
        for e in body["data"]["creditLimitRequests"]["edges"]
    ]


async def _scenario(client: Any, settings: Any, database: Any) -> dict[str, str]:
    """A raise overtaken by a cut approved after it (STALE), the cut (APPROVED), a raise of an
    earlier style (its snapshot without the number its filer saw, STALE too), a group limit
    asked before a customer limit of its anchor was approved (another scope: PENDING), and a
    fresh request of another customer (PENDING). Returns the request ids by note."""
    first = await _customer(client, settings, "QS-1")
    other = await _customer(client, settings, "QS-2")
    anchor = await _customer(client, settings, "QS-3")
    child = await _customer(client, settings, "QS-4")
    linked = await gql(
        client,
        LINK,
        {"input": {"customerId": anchor, "relatedId": child, "kind": "SUBSIDIARY"}},
        token(settings),
    )
    assert linked["data"]["linkPartner"]["userErrors"] == []
    ids: dict[str, str] = {}
    for note, customer, amount, extra in (
        ("raise", first, "200000.00", {}),
        ("old raise", first, "150000.00", {}),
        ("cut", first, "50000.00", {}),
        ("group", anchor, "300000.00", {"scope": "GROUP"}),
        ("own", anchor, "90000.00", {}),
        ("fresh", other, "80000.00", {}),
    ):
        asked = await _request(
            client, settings, "ana", _asked(customer, amount, note=note, **extra)
        )
        assert asked["userErrors"] == [], asked
        ids[note] = asked["request"]["id"]
    for note in ("cut", "own"):
        assert (await _approve(client, settings, "max", ids[note]))["userErrors"] == []
    database.query(
        "UPDATE credit_limit_requests SET snapshot = snapshot - 'lastLimitSeq' WHERE note = %s",
        "old raise",
    )
    return ids


async def test_a_request_a_later_limit_overtook_reads_stale(client, settings, database):
    # given requests pending, overtaken, approved, of two scopes
    ids = await _scenario(client, settings, database)
    # when the queue is read, then the overtaken ones read STALE, newest first
    assert await _queue(client, settings) == [
        ("fresh", "CUSTOMER", "PENDING"),
        ("own", "CUSTOMER", "APPROVED"),
        ("group", "GROUP", "PENDING"),
        ("cut", "CUSTOMER", "APPROVED"),
        ("old raise", "CUSTOMER", "STALE"),
        ("raise", "CUSTOMER", "STALE"),
    ]
    # and the filter tells them apart: PENDING is what may still be approved
    assert [n for n, _, _ in await _queue(client, settings, status="PENDING")] == [
        "fresh",
        "group",
    ]
    assert [n for n, _, _ in await _queue(client, settings, status="STALE")] == [
        "old raise",
        "raise",
    ]
    assert [n for n, _, _ in await _queue(client, settings, status="APPROVED")] == ["own", "cut"]
    # and `node` reads the same
    for note, status in (("raise", "STALE"), ("old raise", "STALE"), ("fresh", "PENDING")):
        body = await gql(client, NODE, {"id": ids[note]}, token(settings))
        assert body["data"]["node"] == {"status": status}, note
    # the stored status is untouched: a stale request is still pending in the database
    assert database.query(
        "SELECT count(*) FROM credit_limit_requests WHERE status = 'PENDING'"
    ) == [(4,)]


async def test_a_stale_request_is_refused_on_approval_and_may_be_rejected(
    client, settings, database
):
    ids = await _scenario(client, settings, database)
    refused = await _approve(client, settings, "mia", ids["raise"])
    assert [e["code"] for e in refused["userErrors"]] == ["STALE_REQUEST"]
    rejected = await gql(
        client,
        REJECT,
        {"input": {"id": ids["raise"], "reason": "overtaken by the cut"}},
        token(settings, sub="mia"),
    )
    assert rejected["data"]["rejectCreditLimit"]["request"] == {"status": "REJECTED"}
    assert [n for n, _, _ in await _queue(client, settings, status="STALE")] == ["old raise"]
    assert ("raise", "CUSTOMER", "REJECTED") in await _queue(client, settings)


async def test_the_queue_costs_the_same_statements_whatever_its_size(client, settings, database):
    await _scenario(client, settings, database)
    counts = {}
    for size in (1, 6):
        await _queue(client, settings, first=size)  # warm caches
        seen: list[str] = []
        remove = add_statement_listener(seen.append)
        try:
            assert len(await _queue(client, settings, first=size)) == size
        finally:
            remove()
        counts[size] = len(seen)
    assert counts[1] == counts[6], counts
