"""The one-group-limit rule through HTTP GraphQL at approval: two groups joined by a partner
link after a group limit was asked are caught by approveCreditLimit, which writes nothing."""

from __future__ import annotations

from typing import Any

from tests.conftest import gql, token
from tests.schema.test_credit_limit_rules_api import LINK, _approve, _asked, _customer, _request

GROUP = {"scope": "GROUP"}


async def _link(client: Any, settings: Any, one: str, other: str) -> None:
    linked = await gql(
        client,
        LINK,
        {"input": {"customerId": one, "relatedId": other, "kind": "SUBSIDIARY"}},
        token(settings),
    )
    assert linked["data"]["linkPartner"]["userErrors"] == []


async def test_a_link_added_between_request_and_approval_is_caught(client, settings, database):
    # given two groups (a parent and its subsidiary each), the second with its group limit
    first, first_child, second, second_child = [
        await _customer(client, settings, code) for code in ("GA-P", "GA-C", "GB-P", "GB-C")
    ]
    await _link(client, settings, first, first_child)
    await _link(client, settings, second, second_child)
    anchor = await _request(client, settings, "ana", _asked(second, "400000.00", **GROUP))
    assert (await _approve(client, settings, "max", anchor["request"]["id"]))["userErrors"] == []
    # and a group limit asked for the first group while the groups were apart
    asked = await _request(client, settings, "ana", _asked(first, "300000.00", **GROUP))
    assert asked["userErrors"] == []
    request_id = asked["request"]["id"]
    # when a partner link joins the two groups before it is approved
    await _link(client, settings, first_child, second_child)
    refused = await _approve(client, settings, "max", request_id)
    # then the approval is refused on the request, naming the group's anchor
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        ("id", "GROUP_LIMIT_EXISTS")
    ]
    assert "GB-P" in refused["userErrors"][0]["message"]
    # and nothing of it was written: still pending, no approval, limit or decision
    assert database.query(
        "SELECT c.code, q.status FROM credit_limit_requests q JOIN customers c"
        " ON c.id = q.customer_id WHERE q.scope = 'GROUP' ORDER BY q.created_at"
    ) == [("GB-P", "APPROVED"), ("GA-P", "PENDING")]
    assert database.query("SELECT count(*) FROM credit_limit_approvals") == [(1,)]
    assert database.query("SELECT count(*) FROM credit_limits") == [(1,)]
    assert database.query("SELECT count(*) FROM credit_decisions WHERE kind = 'LIMIT'") == [(1,)]
    # the refused request can still be rejected, with a reason
    rejected = await gql(
        client,
        """mutation R($input: RejectCreditLimitInput!) { rejectCreditLimit(input: $input) {
          request { status } userErrors { code } } }""",
        {"input": {"id": request_id, "reason": "the group's limit is on GB-P"}},
        token(settings, sub="max"),
    )
    assert rejected["data"]["rejectCreditLimit"] == {
        "request": {"status": "REJECTED"},
        "userErrors": [],
    }
