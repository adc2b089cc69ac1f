"""Limit requests through HTTP GraphQL: a stale request cannot undo a later limit, the tier
follows the credit left in force, and a group has one group limit."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from schema.relay import to_global_id
from tests.conftest import gql, token
from tests.schema.rating import rate
from tests.schema.test_customers_api import create

REQUEST = """mutation Q($input: RequestCreditLimitInput!) { requestCreditLimit(input: $input) {
  request { id tier approvalsRequired status } userErrors { field code message } } }"""
APPROVE = """mutation A($input: ApproveCreditLimitInput!) { approveCreditLimit(input: $input) {
  request { status limitId } userErrors { field code message } } }"""
REJECT = """mutation R($input: RejectCreditLimitInput!) { rejectCreditLimit(input: $input) {
  request { status } userErrors { field code } } }"""
LINK = """mutation L($input: LinkPartnerInput!) { linkPartner(input: $input) {
  userErrors { field code } } }"""
REPLAY = """query R($id: ID!) { replayCreditDecision(id: $id) {
  equal decision { outcome } } }"""
TODAY = date.today()
MONTH_END = TODAY.replace(day=calendar.monthrange(TODAY.year, TODAY.month)[1])


async def _customer(client: Any, settings: Any, code: str) -> str:
    created = (await create(client, token(settings), code))["customer"]
    await rate(client, settings, created["id"], created["version"], "B")
    return str(created["id"])


def _asked(customer: str, amount: str, **extra: Any) -> dict[str, Any]:
    return {
        "input": {
            "customerId": customer,
            "amount": {"amount": amount, "currency": "CNY"},
            "validFrom": TODAY.isoformat(),
            **extra,
        }
    }


async def _request(client: Any, settings: Any, who: str, variables: Any) -> dict[str, Any]:
    body = await gql(client, REQUEST, variables, token(settings, sub=who))
    return body["data"]["requestCreditLimit"]  # type: ignore[no-any-return]


async def _approve(client: Any, settings: Any, who: str, request_id: str) -> dict[str, Any]:
    body = await gql(client, APPROVE, {"input": {"id": request_id}}, token(settings, sub=who))
    return body["data"]["approveCreditLimit"]  # type: ignore[no-any-return]


async def test_approving_an_old_request_cannot_undo_a_later_cut(client, settings, database):
    # given a raise to 200,000.00 (mgr1), then a cut to 50,000.00 after bad news (mgr3)
    customer = await _customer(client, settings, "ST-1")
    raise_ = await _request(client, settings, "mgr1", _asked(customer, "200000.00", note="raise"))
    cut = await _request(
        client, settings, "mgr3", _asked(customer, "50000.00", note="cut after bad news")
    )
    # when mgr2 approves the cut first, then the raise
    first = await _approve(client, settings, "mgr2", cut["request"]["id"])
    second = await _approve(client, settings, "mgr2", raise_["request"]["id"])
    # then the cut is in force and the raise is refused as stale, nothing of it written
    assert first["userErrors"] == [] and first["request"]["status"] == "APPROVED"
    assert [(e["field"], e["code"]) for e in second["userErrors"]] == [("id", "STALE_REQUEST")]
    assert "request again" in second["userErrors"][0]["message"]
    assert database.query("SELECT amount_minor FROM credit_limits") == [(5_000_000,)]
    assert database.query("SELECT note, status FROM credit_limit_requests ORDER BY created_at") == [
        ("raise", "PENDING"),
        ("cut after bad news", "APPROVED"),
    ]
    assert database.query(
        "SELECT count(*) FROM credit_limit_approvals WHERE verdict = 'APPROVE'"
    ) == [(1,)]
    # and the stale request can still be rejected, and a fresh one approved
    rejected = await gql(
        client,
        REJECT,
        {"input": {"id": raise_["request"]["id"], "reason": "stale"}},
        token(settings, sub="mgr2"),
    )
    assert rejected["data"]["rejectCreditLimit"]["request"] == {"status": "REJECTED"}
    again = await _request(client, settings, "mgr1", _asked(customer, "60000.00"))
    assert (await _approve(client, settings, "mgr2", again["request"]["id"]))["userErrors"] == []
    assert database.query("SELECT amount_minor FROM credit_limits ORDER BY seq") == [
        (5_000_000,),
        (6_000_000,),
    ]


async def test_a_temporary_increase_is_tiered_on_the_limit_it_leaves(client, settings, database):
    # given a standard limit of 2,000,000.00 (two managers approved it)
    customer = await _customer(client, settings, "TI-1")
    standard = await _request(client, settings, "ana", _asked(customer, "2000000.00"))
    assert standard["request"]["tier"] == "TWO_MANAGERS"
    for who in ("max", "mia"):
        assert (await _approve(client, settings, who, standard["request"]["id"]))[
            "userErrors"
        ] == []
    # when a temporary increase of 1,000,000.00 to the month's end is requested
    increase = await _request(
        client,
        settings,
        "ana",
        _asked(customer, "1000000.00", kind="TEMPORARY", validTo=MONTH_END.isoformat()),
    )
    # then it takes two managers: it leaves 3,000,000.00 in force
    assert increase["userErrors"] == []
    assert (increase["request"]["tier"], increase["request"]["approvalsRequired"]) == (
        "TWO_MANAGERS",
        2,
    )
    assert database.query(
        "SELECT tier, approvals_required FROM credit_limit_requests WHERE kind = 'TEMPORARY'"
    ) == [("TWO_MANAGERS", 2)]
    one = await _approve(client, settings, "max", increase["request"]["id"])
    assert one["request"] == {"status": "PENDING", "limitId": None}
    assert database.query("SELECT count(*) FROM credit_limits WHERE kind = 'TEMPORARY'") == [(0,)]
    two = await _approve(client, settings, "mia", increase["request"]["id"])
    assert two["request"]["status"] == "APPROVED"
    # and the logged decision names the resulting limit and replays equal
    ((decision_id, outcome),) = database.query(
        "SELECT d.id, d.outcome FROM credit_decisions d JOIN credit_limit_requests q "
        "ON q.id = d.subject_id WHERE d.kind = 'LIMIT' AND q.kind = 'TEMPORARY'"
    )
    assert outcome["resultingInBase"] == {"minor": 300_000_000, "currency": "CNY"}
    assert outcome["tier"] == "TWO_MANAGERS"
    replay = await gql(
        client, REPLAY, {"id": to_global_id("CreditDecision", decision_id)}, token(settings)
    )
    assert replay["data"]["replayCreditDecision"]["equal"] is True


async def test_a_small_increase_on_a_small_limit_stays_with_one_approver(
    client, settings, database
):
    customer = await _customer(client, settings, "TI-2")
    standard = await _request(client, settings, "ana", _asked(customer, "60000.00"))
    assert (await _approve(client, settings, "max", standard["request"]["id"]))["userErrors"] == []
    increase = await _request(
        client,
        settings,
        "ana",
        _asked(customer, "30000.00", kind="TEMPORARY", validTo=MONTH_END.isoformat()),
    )
    # 60,000 + 30,000 is within an analyst's 100,000; 60,000 + 50,000 is not
    assert increase["request"]["tier"] == "ANALYST"
    larger = await _request(
        client,
        settings,
        "ana",
        _asked(customer, "50000.00", kind="TEMPORARY", validTo=MONTH_END.isoformat()),
    )
    assert larger["request"]["tier"] == "MANAGER"


async def test_a_group_has_one_group_limit_on_its_anchor(client, settings, database):
    # given a parent with its subsidiary, and a customer without any group
    parent = await _customer(client, settings, "GP-P")
    child = await _customer(client, settings, "GP-C")
    alone = await _customer(client, settings, "GP-X")
    linked = await gql(
        client,
        LINK,
        {"input": {"customerId": parent, "relatedId": child, "kind": "SUBSIDIARY"}},
        token(settings),
    )
    assert linked["data"]["linkPartner"]["userErrors"] == []
    group = {"scope": "GROUP"}
    # when a group limit is asked for the customer without a group: NO_GROUP
    lone = await _request(client, settings, "ana", _asked(alone, "100000.00", **group))
    assert [(e["field"], e["code"]) for e in lone["userErrors"]] == [("scope", "NO_GROUP")]
    # when the parent's group limit is pending, one on the subsidiary is refused, naming it
    anchor = await _request(client, settings, "ana", _asked(parent, "300000.00", **group))
    assert anchor["userErrors"] == []
    pending = await _request(client, settings, "ana", _asked(child, "200000.00", **group))
    assert [(e["field"], e["code"]) for e in pending["userErrors"]] == [
        ("customerId", "GROUP_LIMIT_EXISTS")
    ]
    assert "GP-P" in pending["userErrors"][0]["message"]
    assert "awaiting approval" in pending["userErrors"][0]["message"]
    # and once it is in force, too
    assert (await _approve(client, settings, "max", anchor["request"]["id"]))["userErrors"] == []
    in_force = await _request(client, settings, "ana", _asked(child, "200000.00", **group))
    assert [e["code"] for e in in_force["userErrors"]] == ["GROUP_LIMIT_EXISTS"]
    assert "in force" in in_force["userErrors"][0]["message"]
    # then only the anchor's requests were filed; the anchor may change its group limit
    assert database.query("SELECT count(*) FROM credit_limit_requests WHERE scope = 'GROUP'") == [
        (1,)
    ]
    renewed = await _request(client, settings, "ana", _asked(parent, "350000.00", **group))
    assert renewed["userErrors"] == []
    # a customer limit of the subsidiary is no group limit: still allowed
    own = await _request(client, settings, "ana", _asked(child, "80000.00"))
    assert own["userErrors"] == []
    assert database.query(
        "SELECT c.code, count(*) FROM credit_limit_requests q JOIN customers c "
        "ON c.id = q.customer_id WHERE q.scope = 'GROUP' GROUP BY c.code"
    ) == [("GP-P", 2)]
