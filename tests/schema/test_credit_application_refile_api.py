"""An application's stale limit request through HTTP GraphQL: limitStatus STALE, re-filed with
refileCreditApplicationLimit, and the new request's approval brings the granted terms."""

from __future__ import annotations

import uuid
from typing import Any

from schema.relay import to_global_id
from tests.conftest import gql, token
from tests.schema.test_credit_application_grants_api import (
    APPROVE_LIMIT,
    DECIDE,
    MANAGER,
    READ,
    _customer,
    _terms,
    _with_opinions,
)
from tests.schema.test_credit_limit_rules_api import _approve, _asked, _request

REFILE = """mutation F($input: RefileCreditApplicationLimitInput!) {
  refileCreditApplicationLimit(input: $input) {
    application { limitStatus limitRequestId granted { limit { amount } } }
    userErrors { field code message } } }"""


async def _refile(client: Any, bearer: str, app_id: str, **extra: Any) -> dict[str, Any]:
    body = await gql(client, REFILE, {"input": {"id": app_id, **extra}}, bearer)
    return body


async def _stale(client: Any, settings: Any, code: str) -> tuple[str, str, str]:
    """A granted application (80,000.00 on CLASS_B) whose request a later limit overtook."""
    customer = await _customer(client, settings, code)
    app_id = await _with_opinions(client, settings, customer)
    decided = await gql(
        client,
        DECIDE,
        {"input": {"id": app_id, "verdict": "APPROVE", "reason": "sound"}},
        token(settings, sub=MANAGER),
    )
    request_id = decided["data"]["decideCreditApplication"]["application"]["limitRequestId"]
    cut = await _request(client, settings, "ana", _asked(customer, "50000.00", note="cut"))
    assert (await _approve(client, settings, "mgr2", cut["request"]["id"]))["userErrors"] == []
    return customer, app_id, request_id


async def test_a_stale_grant_shows_stale_and_is_refiled_with_its_terms(client, settings, database):
    # given a granted application whose limit request a later cut overtook
    _, app_id, old_request = await _stale(client, settings, "RFA-1")
    stale = await _approve(client, settings, "mgr2", old_request)
    assert [e["code"] for e in stale["userErrors"]] == ["STALE_REQUEST"]
    assert "refileCreditApplicationLimit" in stale["userErrors"][0]["message"]
    # then the portal sees it as stale
    read = await gql(client, READ, {"id": app_id}, token(settings, sub=MANAGER))
    assert read["data"]["node"]["limitStatus"] == "STALE"
    # when sales tries to re-file it: not theirs to do
    refused = await _refile(client, token(settings, roles=["sales"], sub="sam"), app_id)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # when an analyst re-files it, with a remark
    analyst = token(settings, roles=["credit_analyst"], sub="ana")
    body = await _refile(client, analyst, app_id, reason="the cut came first")
    # then the application links a new request for the granted limit, pending
    payload = body["data"]["refileCreditApplicationLimit"]
    assert payload["userErrors"] == []
    application = payload["application"]
    assert application["limitStatus"] == "PENDING"
    assert application["granted"] == {"limit": {"amount": "80000.00"}}
    new_request = application["limitRequestId"]
    assert new_request != old_request
    # and re-filing it again is refused, nothing written
    again = (await _refile(client, analyst, app_id))["data"]["refileCreditApplicationLimit"]
    assert [(e["field"], e["code"]) for e in again["userErrors"]] == [("id", "INVALID_STATUS")]
    assert database.query("SELECT count(*) FROM credit_limit_requests") == [(3,)]
    # when the manager who granted it approves it: four eyes refuse
    own = await gql(
        client, APPROVE_LIMIT, {"input": {"id": new_request}}, token(settings, sub=MANAGER)
    )
    assert [e["code"] for e in own["data"]["approveCreditLimit"]["userErrors"]] == ["SELF_APPROVAL"]
    assert _terms(database) == [(None,)]
    # when another manager approves it, the grant is in force with its terms
    approved = await _approve(client, settings, "mgr2", new_request)
    assert approved["userErrors"] == [] and approved["request"]["status"] == "APPROVED"
    read = await gql(client, READ, {"id": app_id}, token(settings, sub=MANAGER))
    assert read["data"]["node"]["limitStatus"] == "APPROVED"
    assert _terms(database) == [("CLASS_B",)]
    assert database.query(
        "SELECT amount_minor, basis FROM credit_limits ORDER BY seq DESC LIMIT 1"
    ) == [(8_000_000, "APPLICATION")]
    assert database.query(
        "SELECT actor, changes->'reason'->>'after' FROM audit_log"
        " WHERE action = 'REFILE_APPLICATION_LIMIT'"
    ) == [("ana", "the cut came first")]


async def test_a_refusal_names_the_input_and_writes_nothing(client, settings, database):
    customer, app_id, _ = await _stale(client, settings, "RFA-2")
    analyst = token(settings, roles=["credit_analyst"], sub="ana")
    before = database.query("SELECT count(*) FROM credit_limit_requests")
    cases = [
        ({"id": customer}, [("id", "INVALID_ID")]),
        ({"id": to_global_id("CreditApplication", uuid.uuid4())}, [("id", "NOT_FOUND")]),
        ({"id": app_id, "reason": "x" * 2001}, [("reason", "TOO_LONG")]),
    ]
    for given, expected in cases:
        body = await gql(client, REFILE, {"input": given}, analyst)
        errors = body["data"]["refileCreditApplicationLimit"]["userErrors"]
        assert [(e["field"], e["code"]) for e in errors] == expected, given
    assert database.query("SELECT count(*) FROM credit_limit_requests") == before
    assert database.query(
        "SELECT count(*) FROM audit_log WHERE action = 'REFILE_APPLICATION_LIMIT'"
    ) == [(0,)]
