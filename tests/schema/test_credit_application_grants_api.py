"""An application's grant through HTTP GraphQL: it takes effect only with its limit, and the
decision's controls (counter-offer, four eyes on opinions, period, ceiling, field paths)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.conftest import gql, token
from tests.schema.test_customers_api import create

TERMS = """mutation T($input: SavePaymentTermsInput!) { savePaymentTerms(input: $input) {
  userErrors { code } } }"""
SUBMIT = """mutation S($input: SubmitCreditApplicationInput!) {
  submitCreditApplication(input: $input) {
    application { id status } userErrors { field code message } } }"""
OPINION = """mutation O($input: GiveCreditApplicationOpinionInput!) {
  giveCreditApplicationOpinion(input: $input) { userErrors { field code } } }"""
DECIDE = """mutation D($input: DecideCreditApplicationInput!) {
  decideCreditApplication(input: $input) {
    application { status verdict granted { limit { amount currency } paymentTermsCode }
                  limitRequestId limitStatus }
    userErrors { field code message } } }"""
REJECT_LIMIT = """mutation R($input: RejectCreditLimitInput!) { rejectCreditLimit(input: $input) {
  request { status } userErrors { field code } } }"""
APPROVE_LIMIT = """mutation A($input: ApproveCreditLimitInput!) {
  approveCreditLimit(input: $input) { request { status tier } userErrors { field code } } }"""
READ = """query R($id: ID!) { node(id: $id) { ... on CreditApplication {
  status granted { limit { amount } paymentTermsCode } limitStatus } } }"""
TODAY = date.today()
MANAGER = "max"
FINANCE = "fay"


async def _customer(client: Any, settings: Any, code: str) -> str:
    admin = token(settings, roles=["admin"])
    for terms in ("NET30", "CLASS_B"):
        saved = await gql(
            client,
            TERMS,
            {"input": {"code": terms, "name": terms, "kind": "NET", "netDays": 30}},
            admin,
        )
        assert saved["data"]["savePaymentTerms"]["userErrors"] == []
    return str((await create(client, token(settings, sub=MANAGER), code))["customer"]["id"])


def _asked(customer: str, **changes: Any) -> dict[str, Any]:
    return {
        "customerId": customer,
        "requestedLimit": {"amount": "80000.00", "currency": "CNY"},
        "paymentTermsCode": "CLASS_B",
        "validFrom": TODAY.isoformat(),
        "purpose": "the new season's orders",
        **changes,
    }


async def _with_opinions(client: Any, settings: Any, customer: str) -> str:
    """Filed by sales (sam); finance (fay), sales (sue) and legal (leo) support it."""
    body = await gql(
        client, SUBMIT, {"input": _asked(customer)}, token(settings, roles=["sales"], sub="sam")
    )
    app_id: str = body["data"]["submitCreditApplication"]["application"]["id"]
    for role, sub in (("finance", FINANCE), ("sales", "sue"), ("legal", "leo")):
        given = await gql(
            client,
            OPINION,
            {"input": {"id": app_id, "role": role.upper(), "recommendation": "SUPPORT"}},
            token(settings, roles=[role], sub=sub),
        )
        assert given["data"]["giveCreditApplicationOpinion"]["userErrors"] == []
    return app_id


def _terms(database: Any) -> list[Any]:
    return database.query("SELECT payment_terms_code FROM customers")  # type: ignore[no-any-return]


async def test_a_grant_awaits_its_limit_and_a_rejected_limit_leaves_the_terms(
    client, settings, database
):
    # given an application for 80,000.00 CNY on CLASS_B with the three opinions
    customer = await _customer(client, settings, "GR-1")
    app_id = await _with_opinions(client, settings, customer)
    # when the credit manager approves it
    decided = await gql(
        client,
        DECIDE,
        {"input": {"id": app_id, "verdict": "APPROVE", "reason": "sound"}},
        token(settings, sub=MANAGER),
    )
    # then it is approved, but its limit awaits approval and the terms are not set yet
    done = decided["data"]["decideCreditApplication"]
    assert done["userErrors"] == []
    application = done["application"]
    assert (application["status"], application["limitStatus"]) == ("APPROVED", "PENDING")
    assert application["granted"] == {
        "limit": {"amount": "80000.00", "currency": "CNY"},
        "paymentTermsCode": "CLASS_B",
    }
    assert database.query("SELECT tier, status, basis FROM credit_limit_requests") == [
        ("ANALYST", "PENDING", "APPLICATION")
    ]
    assert _terms(database) == [(None,)]
    # when an analyst rejects the limit
    rejected = await gql(
        client,
        REJECT_LIMIT,
        {"input": {"id": application["limitRequestId"], "reason": "bureau report is weak"}},
        token(settings, roles=["credit_analyst"], sub="ana"),
    )
    assert rejected["data"]["rejectCreditLimit"] == {
        "request": {"status": "REJECTED"},
        "userErrors": [],
    }
    # then the application shows the rejected limit; nothing it granted took effect, and its
    # decision stays as it was taken (history is not edited)
    read = await gql(client, READ, {"id": app_id}, token(settings, sub=MANAGER))
    assert read["data"]["node"] == {
        "status": "APPROVED",
        "granted": {"limit": {"amount": "80000.00"}, "paymentTermsCode": "CLASS_B"},
        "limitStatus": "REJECTED",
    }
    assert _terms(database) == [(None,)]
    assert database.query("SELECT count(*) FROM credit_limits") == [(0,)]
    assert database.query(
        "SELECT status, verdict, granted->>'termsCode' FROM credit_applications"
    ) == [("APPROVED", "APPROVE", "CLASS_B")]


async def test_an_approved_limit_brings_the_granted_terms(client, settings, database):
    # given an approved application whose limit awaits approval
    customer = await _customer(client, settings, "GR-2")
    app_id = await _with_opinions(client, settings, customer)
    decided = await gql(
        client,
        DECIDE,
        {"input": {"id": app_id, "verdict": "APPROVE", "reason": "sound"}},
        token(settings, sub=MANAGER),
    )
    request_id = decided["data"]["decideCreditApplication"]["application"]["limitRequestId"]
    # when an analyst approves the limit
    approved = await gql(
        client,
        APPROVE_LIMIT,
        {"input": {"id": request_id}},
        token(settings, roles=["credit_analyst"], sub="ana"),
    )
    # then the limit is in force and the terms come with it, audited as a terms change
    assert approved["data"]["approveCreditLimit"] == {
        "request": {"status": "APPROVED", "tier": "ANALYST"},
        "userErrors": [],
    }
    read = await gql(client, READ, {"id": app_id}, token(settings, sub=MANAGER))
    assert read["data"]["node"]["limitStatus"] == "APPROVED"
    assert _terms(database) == [("CLASS_B",)]
    assert database.query("SELECT amount_minor, basis FROM credit_limits") == [
        (8_000_000, "APPLICATION")
    ]
    assert database.query(
        "SELECT actor FROM audit_log WHERE action = 'SET_CREDIT_TERMS' ORDER BY id DESC LIMIT 1"
    ) == [("ana",)]


def _unchanged(database: Any, status: str = "PENDING") -> None:
    """Nothing of a refused decision was written."""
    assert database.query("SELECT status FROM credit_applications") == [(status,)]
    assert database.query("SELECT count(*) FROM credit_limit_requests") == [(0,)]
    assert database.query("SELECT count(*) FROM credit_decisions WHERE kind = 'APPLICATION'") == [
        (0,)
    ]
    assert _terms(database) == [(None,)]


async def test_a_counter_offer_never_grants_more_than_asked(client, settings, database):
    customer = await _customer(client, settings, "GR-3")
    app_id = await _with_opinions(client, settings, customer)
    manager = token(settings, sub=MANAGER)
    cases = [
        ({"amount": "90000.00", "currency": "CNY"}, "limit.amount", "ABOVE_REQUESTED"),
        ({"amount": "10000000000000.01", "currency": "CNY"}, "limit.amount", "AMOUNT_TOO_LARGE"),
        ({"amount": "5000.00", "currency": "USD"}, "limit.currency", "CURRENCY_MISMATCH"),
    ]
    for limit, field, code in cases:
        # when a counter-offer grants more than asked (or beyond any document, or in another
        # currency than asked)
        body = await gql(
            client,
            DECIDE,
            {"input": {"id": app_id, "verdict": "COUNTER_OFFER", "reason": "x", "limit": limit}},
            manager,
        )
        # then it is refused on the limit, and nothing was written
        errors = body["data"]["decideCreditApplication"]["userErrors"]
        assert [(e["field"], e["code"]) for e in errors] == [(field, code)], errors
        _unchanged(database)
    # a lower one is a counter-offer
    lower = await gql(
        client,
        DECIDE,
        {
            "input": {
                "id": app_id,
                "verdict": "COUNTER_OFFER",
                "reason": "start lower",
                "limit": {"amount": "50000.00", "currency": "CNY"},
            }
        },
        manager,
    )
    done = lower["data"]["decideCreditApplication"]
    assert done["userErrors"] == []
    assert done["application"]["status"] == "COUNTER_OFFERED"
    assert done["application"]["limitStatus"] == "PENDING"


async def test_an_opinion_giver_does_not_decide(client, settings, database):
    # given an application finance (fay) gave its opinion on
    customer = await _customer(client, settings, "GR-4")
    app_id = await _with_opinions(client, settings, customer)
    # when fay decides it with a credit manager's token
    body = await gql(
        client,
        DECIDE,
        {"input": {"id": app_id, "verdict": "APPROVE", "reason": "fine by me"}},
        token(settings, roles=["credit_manager"], sub=FINANCE),
    )
    # then four eyes refuse it, and nothing was written
    errors = body["data"]["decideCreditApplication"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [("id", "SAME_APPROVER")]
    assert "FINANCE" in errors[0]["message"]
    _unchanged(database)


async def test_an_application_that_could_never_be_granted_is_refused_at_submit(
    client, settings, database
):
    customer = await _customer(client, settings, "GR-5")
    sales = token(settings, roles=["sales"], sub="sam")
    cases = [
        (
            {"validFrom": "2019-12-02", "validTo": "2020-01-01"},
            [("validTo", "INVALID_PERIOD")],
        ),
        (
            {"requestedLimit": {"amount": "10000000000000.01", "currency": "CNY"}},
            [("requestedLimit.amount", "AMOUNT_TOO_LARGE")],
        ),
    ]
    for changes, expected in cases:
        body = await gql(client, SUBMIT, {"input": _asked(customer, **changes)}, sales)
        errors = body["data"]["submitCreditApplication"]["userErrors"]
        assert [(e["field"], e["code"]) for e in errors] == expected
    assert database.query("SELECT count(*) FROM credit_applications") == [(0,)]
    # the ceiling itself is accepted
    at_ceiling = {"requestedLimit": {"amount": "10000000000000.00", "currency": "CNY"}}
    body = await gql(client, SUBMIT, {"input": _asked(customer, **at_ceiling)}, sales)
    assert body["data"]["submitCreditApplication"]["userErrors"] == []


async def test_refusals_name_the_field_that_was_given(client, settings, database):
    customer = await _customer(client, settings, "GR-6")
    app_id = await _with_opinions(client, settings, customer)
    manager = token(settings, sub=MANAGER)
    cases = [
        ({"verdict": "REJECT", "ratingClass": "A"}, "ratingClass"),
        ({"verdict": "APPROVE", "paymentTermsCode": "NET30"}, "paymentTermsCode"),
        ({"verdict": "APPROVE", "limit": {"amount": "70000.00", "currency": "CNY"}}, "limit"),
    ]
    for changes, field in cases:
        body = await gql(
            client, DECIDE, {"input": {"id": app_id, "reason": "x", **changes}}, manager
        )
        errors = body["data"]["decideCreditApplication"]["userErrors"]
        assert [(e["field"], e["code"]) for e in errors] == [(field, "INVALID_INPUT")], changes
        _unchanged(database)
    # an approval granting a class with what was asked is accepted
    body = await gql(
        client,
        DECIDE,
        {"input": {"id": app_id, "verdict": "APPROVE", "reason": "x", "ratingClass": "A"}},
        manager,
    )
    assert body["data"]["decideCreditApplication"]["userErrors"] == []
