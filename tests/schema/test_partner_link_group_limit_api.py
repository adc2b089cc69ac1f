"""linkPartner through HTTP GraphQL: a group link joining two groups that each have a group
limit is a userError (GROUP_LIMIT_EXISTS on relatedId) and writes nothing."""

from __future__ import annotations

from tests.conftest import gql, token
from tests.schema.test_credit_group_limit_approval_api import GROUP, _link
from tests.schema.test_credit_limit_rules_api import LINK, _approve, _asked, _customer, _request


async def test_a_link_joining_two_anchored_groups_is_refused(client, settings, database):
    # given two groups (a parent and its subsidiary each), each with its group limit
    first, first_child, second, second_child = [
        await _customer(client, settings, code) for code in ("LA-P", "LA-C", "LB-P", "LB-C")
    ]
    await _link(client, settings, first, first_child)
    await _link(client, settings, second, second_child)
    for anchor in (first, second):
        asked = await _request(client, settings, "ana", _asked(anchor, "400000.00", **GROUP))
        assert (await _approve(client, settings, "max", asked["request"]["id"]))["userErrors"] == []
    links = database.query("SELECT count(*) FROM customer_relations")
    # when a link would join the two groups
    body = await gql(
        client,
        LINK.replace("userErrors { field code }", "userErrors { field code message }"),
        {"input": {"customerId": first_child, "relatedId": second_child, "kind": "SUBSIDIARY"}},
        token(settings),
    )
    # then it is refused on the related party, naming both anchors, and nothing is written
    errors = body["data"]["linkPartner"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [("relatedId", "GROUP_LIMIT_EXISTS")]
    assert "LA-P" in errors[0]["message"] and "LB-P" in errors[0]["message"]
    assert database.query("SELECT count(*) FROM customer_relations") == links
    # while a link of a kind that makes no group passes
    supplier = await gql(
        client,
        LINK,
        {"input": {"customerId": first_child, "relatedId": second_child, "kind": "KEY_SUPPLIER"}},
        token(settings),
    )
    assert supplier["data"]["linkPartner"]["userErrors"] == []
