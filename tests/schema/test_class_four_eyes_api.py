"""An upgrade by hand waits for a second credit manager, whichever path files it; every class
change is a logged CLASS decision that replays."""

from __future__ import annotations

from typing import Any

from tests.conftest import gql, token
from tests.schema.test_credit_applications_api import DECIDE, _setup, with_opinions

REVIEW = """mutation R($input: RecordCreditReviewInput!) { recordCreditReview(input: $input) {
  customer { ratingClass } review { outcome outcomeDetail } userErrors { field code } } }"""
OVERRIDES = """query O($id: ID) { classOverrides(customerId: $id) { edges { node {
  id status toClass requestedBy reason } } } }"""
APPROVE = """mutation A($input: DecideClassOverrideInput!) { decideClassOverride(input: $input) {
  override { status decidedBy } classChange { toClass source reason }
  userErrors { field code } } }"""
DECISIONS = """query D($id: ID) { creditDecisions(customerId: $id, kind: CLASS) {
  edges { node { id } } } }"""
REPLAY = """query R($id: ID!) { replayCreditDecision(id: $id) { replayable equal } }"""
CLASS = """query C($id: ID!) { node(id: $id) { ... on Customer { ratingClass } } }"""


async def _class(client: Any, customer: str, bearer: str) -> str | None:
    return (await gql(client, CLASS, {"id": customer}, bearer))["data"]["node"]["ratingClass"]  # type: ignore[no-any-return]


async def test_a_review_upgrade_by_an_analyst_waits_for_a_credit_manager(
    client, settings, database
):
    # given a class C customer
    manager, customer = await _setup(client, settings)
    database.query("UPDATE customers SET rating_class = 'C'")
    analyst = token(settings, roles=["credit_analyst"], sub="ana")
    # when an analyst records a review that upgrades it to A
    body = await gql(
        client, REVIEW,
        {"input": {"customerId": customer, "outcome": "UPGRADE", "ratingClass": "A",
                   "reason": "visited, three good years"}}, analyst,
    )  # fmt: skip
    # then the review is recorded, the class stays C and an override request awaits approval
    payload = body["data"]["recordCreditReview"]
    assert payload["userErrors"] == []
    assert payload["customer"]["ratingClass"] == "C"
    asked = (await gql(client, OVERRIDES, {"id": customer}, manager))["data"]["classOverrides"]
    [node] = [e["node"] for e in asked["edges"]]
    assert (node["status"], node["toClass"], node["requestedBy"]) == ("PENDING", "A", "ana")
    assert node["reason"] == "review: visited, three good years"
    detail = payload["review"]["outcomeDetail"]
    assert detail["classOverrideId"] == node["id"] and detail["limitRequestId"] is None
    assert database.query("SELECT count(*) FROM credit_class_history") == [(0,)]
    # and the analyst cannot approve their own request, whatever their roles
    both = token(settings, roles=["credit_manager", "credit_analyst"], sub="ana")
    own = await gql(client, APPROVE, {"input": {"id": node["id"], "approve": True}}, both)
    assert own["data"]["decideClassOverride"]["userErrors"][0]["code"] == "SELF_APPROVAL"
    assert await _class(client, customer, manager) == "C"
    # when a credit manager approves it
    done = await gql(client, APPROVE, {"input": {"id": node["id"], "approve": True}}, manager)
    # then the class moves, with its reason, and the change is a CLASS decision that replays
    applied = done["data"]["decideClassOverride"]
    assert applied["userErrors"] == []
    assert applied["classChange"]["toClass"] == "A"
    assert applied["classChange"]["reason"] == "override: review: visited, three good years"
    assert await _class(client, customer, manager) == "A"
    logged = (await gql(client, DECISIONS, {"id": customer}, manager))["data"]
    [decision] = [e["node"]["id"] for e in logged["creditDecisions"]["edges"]]
    replay = (await gql(client, REPLAY, {"id": decision}, manager))["data"]["replayCreditDecision"]
    assert replay == {"replayable": True, "equal": True}


async def test_a_review_downgrade_applies_at_once_and_is_logged(client, settings, database):
    _, customer = await _setup(client, settings)
    database.query("UPDATE customers SET rating_class = 'B'")
    analyst = token(settings, roles=["credit_analyst"], sub="ana")
    body = await gql(
        client, REVIEW,
        {"input": {"customerId": customer, "outcome": "DOWNGRADE", "ratingClass": "C",
                   "reason": "two months late"}}, analyst,
    )  # fmt: skip
    assert body["data"]["recordCreditReview"]["customer"]["ratingClass"] == "C"
    assert database.query("SELECT count(*) FROM class_overrides") == [(0,)]
    assert database.query(
        "SELECT snapshot->>'from', snapshot->>'to', snapshot->>'source', outcome->>'direction' "
        "FROM credit_decisions WHERE kind = 'CLASS'"
    ) == [("B", "C", "REVIEW", "DOWNGRADE")]


async def test_an_application_decision_cannot_upgrade_alone(client, settings, database):
    # given a class B customer whose application has every opinion
    manager, customer = await _setup(client, settings)
    database.query("UPDATE customers SET rating_class = 'B'")
    sales = token(settings, roles=["sales"], sub="sam")
    app_id = await with_opinions(client, settings, customer, sales)
    # when the credit manager counter-offers with class A
    decided = await gql(
        client, DECIDE,
        {"input": {"id": app_id, "verdict": "COUNTER_OFFER", "reason": "smaller, but A",
                   "ratingClass": "A", "limit": {"amount": "60000.00", "currency": "CNY"}}},
        manager,
    )  # fmt: skip
    # then the decision stands, but the class waits for a second credit manager
    assert decided["data"]["decideCreditApplication"]["userErrors"] == []
    assert await _class(client, customer, manager) == "B"
    assert database.query("SELECT status, to_class, requested_by FROM class_overrides") == [
        ("PENDING", "A", "max")
    ]


SUBMIT_BAD = """mutation S($input: SubmitCreditApplicationInput!) {
  submitCreditApplication(input: $input) { userErrors { field code } } }"""
AGREE_BAD = """mutation A($input: CreateCreditAgreementInput!) {
  createCreditAgreement(input: $input) { userErrors { field code } } }"""


async def test_a_money_input_error_names_the_field_the_client_wrote(client, settings, database):
    """`requestedLimit.currency`, `limit.currency`, `limit.amount`: the path into the input."""
    manager, customer = await _setup(client, settings)
    qqq = {"amount": "1000.00", "currency": "QQQ"}
    asked = {
        "customerId": customer, "requestedLimit": qqq, "paymentTermsCode": "NET30",
        "purpose": "first orders", "validFrom": "2026-01-01",
    }  # fmt: skip
    body = await gql(client, SUBMIT_BAD, {"input": asked}, manager)
    assert body["data"]["submitCreditApplication"]["userErrors"] == [
        {"field": "requestedLimit.currency", "code": "UNKNOWN_CURRENCY"}
    ]
    agreement = {
        "customerId": customer, "limit": qqq, "paymentTermsCode": "NET30",
        "disputeVenue": "COURT", "venueName": "Pudong court", "validFrom": "2026-01-01",
    }  # fmt: skip
    body = await gql(client, AGREE_BAD, {"input": agreement}, manager)
    assert body["data"]["createCreditAgreement"]["userErrors"] == [
        {"field": "limit.currency", "code": "UNKNOWN_CURRENCY"}
    ]
    negative = {
        "customerId": customer, "outcome": "CHANGE_LIMIT", "reason": "smaller",
        "limit": {"amount": "-5.00", "currency": "CNY"},
    }  # fmt: skip
    body = await gql(client, REVIEW, {"input": negative}, manager)
    assert body["data"]["recordCreditReview"]["userErrors"] == [
        {"field": "limit.amount", "code": "NEGATIVE_AMOUNT"}
    ]
    assert database.query(
        "SELECT (SELECT count(*) FROM credit_applications) + (SELECT count(*) FROM "
        "credit_agreements) + (SELECT count(*) FROM credit_reviews)"
    ) == [(0,)]


TERMS = """mutation S($input: SetCustomerCreditTermsInput!) {
  setCustomerCreditTerms(input: $input) {
  customer { version ratingClass lateInterestDailyRate } classOverride { id status toClass }
  userErrors { field code } } }"""


async def _version(client: Any, customer: str, bearer: str) -> int:
    q = """query V($id: ID!) { node(id: $id) { ... on Customer { version } } }"""
    return (await gql(client, q, {"id": customer}, bearer))["data"]["node"]["version"]  # type: ignore[no-any-return]


async def test_credit_terms_cannot_upgrade_a_class_alone(client, settings, database):
    # given a class C customer
    manager, customer = await _setup(client, settings)
    database.query("UPDATE customers SET rating_class = 'C'")
    analyst = token(settings, roles=["credit_analyst"], sub="ana")
    version = await _version(client, customer, manager)
    # when an analyst sets class A with the credit terms
    body = await gql(
        client, TERMS,
        {"input": {"id": customer, "version": version, "ratingClass": "A",
                   "reason": "strong statements", "lateInterestDailyRate": "0.0003"}}, analyst,
    )  # fmt: skip
    # then the rate applies, the class stays C, and the upgrade awaits a credit manager
    payload = body["data"]["setCustomerCreditTerms"]
    assert payload["userErrors"] == []
    assert payload["customer"]["ratingClass"] == "C"
    assert payload["customer"]["lateInterestDailyRate"] == "0.0003"
    assert (payload["classOverride"]["status"], payload["classOverride"]["toClass"]) == (
        "PENDING",
        "A",
    )
    assert database.query("SELECT rating_class FROM customers") == [("C",)]
    assert database.query("SELECT count(*) FROM credit_class_history") == [(0,)]
    # and the analyst cannot approve it; a credit manager can, and the class moves with history
    both = token(settings, roles=["credit_manager", "credit_analyst"], sub="ana")
    override = payload["classOverride"]["id"]
    own = await gql(client, APPROVE, {"input": {"id": override, "approve": True}}, both)
    assert own["data"]["decideClassOverride"]["userErrors"][0]["code"] == "SELF_APPROVAL"
    done = await gql(client, APPROVE, {"input": {"id": override, "approve": True}}, manager)
    assert done["data"]["decideClassOverride"]["classChange"]["reason"] == (
        "override: manual: strong statements"
    )
    assert await _class(client, customer, manager) == "A"


async def test_credit_terms_downgrade_applies_at_once_as_a_logged_decision(
    client, settings, database
):
    manager, customer = await _setup(client, settings)
    database.query("UPDATE customers SET rating_class = 'B'")
    version = await _version(client, customer, manager)
    body = await gql(
        client, TERMS,
        {"input": {"id": customer, "version": version, "ratingClass": "D",
                   "reason": "cheque bounced"}}, manager,
    )  # fmt: skip
    payload = body["data"]["setCustomerCreditTerms"]
    assert payload["userErrors"] == [] and payload["classOverride"] is None
    assert payload["customer"]["ratingClass"] == "D"
    assert payload["customer"]["version"] == version + 1
    assert database.query(
        "SELECT h.from_class, h.to_class, h.source, h.reason, d.outcome->>'direction' "
        "FROM credit_class_history h JOIN credit_decisions d ON d.kind = 'CLASS'"
    ) == [("B", "D", "MANUAL", "cheque bounced", "DOWNGRADE")]
    assert database.query("SELECT count(*) FROM events WHERE topic = 'credit.class_changed'") == [
        (1,)
    ]


async def test_a_class_by_hand_needs_a_reason_and_cannot_be_reset(client, settings, database):
    manager, customer = await _setup(client, settings)
    database.query("UPDATE customers SET rating_class = 'B'")
    version = await _version(client, customer, manager)
    body = await gql(
        client, TERMS,
        {"input": {"id": customer, "version": version, "ratingClass": "C",
                   "lateInterestDailyRate": "abc"}}, manager,
    )  # fmt: skip
    assert body["data"]["setCustomerCreditTerms"]["userErrors"] == [
        {"field": "lateInterestDailyRate", "code": "INVALID_AMOUNT"},
        {"field": "reason", "code": "REQUIRED"},
    ]
    reset = await gql(
        client, TERMS,
        {"input": {"id": customer, "version": version, "ratingClass": None, "reason": "r"}},
        manager,
    )  # fmt: skip
    assert reset["data"]["setCustomerCreditTerms"]["userErrors"] == [
        {"field": "ratingClass", "code": "INVALID_INPUT"}
    ]
    assert database.query(
        "SELECT rating_class, late_interest_daily_rate, version FROM customers"
    ) == [("B", None, version)]
    assert database.query(
        "SELECT (SELECT count(*) FROM class_overrides) + (SELECT count(*) FROM "
        "credit_class_history) + (SELECT count(*) FROM credit_decisions)"
    ) == [(0,)]
