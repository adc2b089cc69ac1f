"""Applications, agreements, reviews and the credit-file policy through HTTP GraphQL."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.conftest import gql, token
from tests.schema.test_customers_api import create

TERMS = """mutation T($input: SavePaymentTermsInput!) { savePaymentTerms(input: $input) {
  userErrors { code } } }"""
SUBMIT = """mutation S($input: SubmitCreditApplicationInput!) {
  submitCreditApplication(input: $input) {
    application { id status slaDueOn submittedBy requested { limit { amount currency } } }
    userErrors { field code } } }"""
OPINION = """mutation O($input: GiveCreditApplicationOpinionInput!) {
  giveCreditApplicationOpinion(input: $input) {
    application { opinions { role recommendation givenBy } } userErrors { field code } } }"""
DECIDE = """mutation D($input: DecideCreditApplicationInput!) {
  decideCreditApplication(input: $input) {
    application { status verdict decidedBy granted { limit { amount } paymentTermsCode }
                  decisionId limitRequestId }
    userErrors { field code } } }"""
AGREE = """mutation A($input: CreateCreditAgreementInput!) { createCreditAgreement(input: $input) {
  agreement { id status lateInterestDailyRate validTo disputeVenue guarantees { kind }
              documentUrl }
  userErrors { field code } } }"""
REVIEW = """mutation R($input: RecordCreditReviewInput!) { recordCreditReview(input: $input) {
  customer { ratingClass } review { outcome done checklist { visitDone } trigger }
  userErrors { field code } } }"""
FILE_POLICY = """mutation P($input: UpdateCreditFilePolicyInput!) {
  updateCreditFilePolicy(input: $input) {
    policy { reviewIntervalDays items { key maxAgeDays } } userErrors { field code } } }"""
LISTS = """query L($id: ID!) {
  creditApplications(customerId: $id) { edges { node { status } } pageInfo { hasNextPage } }
  creditAgreements(customerId: $id) { edges { node { status } } }
  creditReviews(customerId: $id) { edges { node { outcome } } }
  creditFilePolicy { reviewIntervalDays } }"""
SIGN = """mutation G($input: SignCreditAgreementInput!) { signCreditAgreement(input: $input) {
  agreement { id status signedOn validFrom } userErrors { field code } } }"""
AGREEMENTS_ON = """query A($id: ID!, $asOf: Date) {
  creditAgreements(customerId: $id, asOf: $asOf) { edges { node { id status } } } }"""
AGREEMENT_NODE = """query N($id: ID!) { node(id: $id) { ... on CreditAgreement { status } } }"""
TODAY = date.today()


async def _setup(client: Any, settings: Any) -> tuple[str, str]:
    manager = token(settings, sub="max")
    terms = {"code": "NET30", "name": "Net 30", "kind": "NET", "netDays": 30}
    assert (await gql(client, TERMS, {"input": terms}, token(settings, roles=["admin"])))["data"][
        "savePaymentTerms"
    ]["userErrors"] == []
    customer = (await create(client, manager, "CA-1"))["customer"]["id"]
    return manager, customer


def _application(customer: str) -> dict[str, Any]:
    return {
        "customerId": customer,
        "requestedLimit": {"amount": "500000.00", "currency": "CNY"},
        "paymentTermsCode": "NET30",
        "validFrom": TODAY.isoformat(),
        "purpose": "first season's orders",
    }


async def with_opinions(client: Any, settings: Any, customer: str, bearer: str) -> str:
    """An application filed by `bearer`, with finance's, another salesperson's and legal's
    support; its global id."""
    submitted = await gql(client, SUBMIT, {"input": _application(customer)}, bearer)
    app_id: str = submitted["data"]["submitCreditApplication"]["application"]["id"]
    for role, sub in (("finance", "fay"), ("sales", "sue"), ("legal", "leo")):
        await gql(
            client, OPINION,
            {"input": {"id": app_id, "role": role.upper(), "recommendation": "SUPPORT"}},
            token(settings, roles=[role], sub=sub),
        )  # fmt: skip
    return app_id


async def test_an_application_from_submission_to_approval(client, settings, database):
    # given a customer and an application by sales
    manager, customer = await _setup(client, settings)
    sales = token(settings, roles=["sales"], sub="sam")
    submitted = await gql(client, SUBMIT, {"input": _application(customer)}, sales)
    payload = submitted["data"]["submitCreditApplication"]
    assert payload["userErrors"] == []
    app_id = payload["application"]["id"]
    assert payload["application"]["slaDueOn"] == (TODAY + timedelta(days=5)).isoformat()
    # when finance, another salesperson and legal give their opinions
    for role, sub in (("finance", "fay"), ("sales", "sue"), ("legal", "leo")):
        body = await gql(
            client, OPINION,
            {"input": {"id": app_id, "role": role.upper(), "recommendation": "SUPPORT"}},
            token(settings, roles=[role], sub=sub),
        )  # fmt: skip
        assert body["data"]["giveCreditApplicationOpinion"]["userErrors"] == []
    # and the credit manager approves
    decided = await gql(
        client, DECIDE, {"input": {"id": app_id, "verdict": "APPROVE", "reason": "sound"}}, manager
    )
    # then the grant is filed as a limit request; its terms wait for that limit's approval
    done = decided["data"]["decideCreditApplication"]
    assert done["userErrors"] == []
    assert done["application"]["status"] == "APPROVED"
    assert done["application"]["granted"] == {
        "limit": {"amount": "500000.00"},
        "paymentTermsCode": "NET30",
    }
    assert database.query("SELECT basis, status FROM credit_limit_requests") == [
        ("APPLICATION", "PENDING")
    ]
    assert database.query("SELECT payment_terms_code FROM customers") == [(None,)]


async def test_the_applicant_cannot_decide_their_own_application(client, settings, database):
    # given an application the manager filed themself, with all opinions
    manager, customer = await _setup(client, settings)
    app_id = await with_opinions(client, settings, customer, manager)
    # when they decide it
    body = await gql(
        client, DECIDE, {"input": {"id": app_id, "verdict": "APPROVE", "reason": "mine"}}, manager
    )
    # then SELF_APPROVAL, and nothing was decided or filed
    assert body["data"]["decideCreditApplication"]["userErrors"] == [
        {"field": "id", "code": "SELF_APPROVAL"}
    ]
    assert database.query("SELECT status FROM credit_applications") == [("PENDING",)]
    assert database.query("SELECT count(*) FROM credit_limit_requests") == [(0,)]


async def test_an_unknown_customer_is_refused(client, settings, database):
    manager, _ = await _setup(client, settings)
    other = (await create(client, token(settings, tenant="globex"), "THEIRS"))["customer"]["id"]
    body = await gql(client, SUBMIT, {"input": _application(other)}, manager)
    assert body["data"]["submitCreditApplication"]["userErrors"] == [
        {"field": "customerId", "code": "NOT_FOUND"}
    ]
    assert database.query("SELECT count(*) FROM credit_applications") == [(0,)]


async def test_agreements_default_and_refuse_bad_terms(client, settings, database):
    manager, customer = await _setup(client, settings)
    base = {
        "customerId": customer,
        "limit": {"amount": "300000.00", "currency": "CNY"},
        "paymentTermsCode": "NET30",
        "disputeVenue": "ARBITRATION",
        "venueName": "Shanghai International Arbitration Center",
        "validFrom": TODAY.isoformat(),
        "guarantees": [{"kind": "BANK_GUARANTEE", "description": "ICBC letter"}],
    }
    # when the agreement is drawn up with defaults
    made = (await gql(client, AGREE, {"input": base}, manager))["data"]["createCreditAgreement"]
    # then 0.05% a day for a year, a draft until signed
    assert made["userErrors"] == []
    assert made["agreement"]["lateInterestDailyRate"] == "0.0005"
    assert made["agreement"]["status"] == "DRAFT"
    # when it would end before it starts, or charge 5% a day: refused, nothing more written
    ends_early = {**base, "validTo": (TODAY - timedelta(days=1)).isoformat()}
    usurious = {**base, "lateInterestDailyRate": "0.05"}
    for bad, field in ((ends_early, "validTo"), (usurious, "lateInterestDailyRate")):
        body = await gql(client, AGREE, {"input": bad}, manager)
        errors = body["data"]["createCreditAgreement"]["userErrors"]
        assert field in {e["field"] for e in errors}
    # a limit above the ceiling is too large whatever its size (a BIGINT's overflow too)
    for huge in ("10000000000000.01", "1000000000000000000.00", "99999999999999999999.99"):
        big = {**base, "limit": {"amount": huge, "currency": "CNY"}}
        body = await gql(client, AGREE, {"input": big}, manager)
        assert body["data"]["createCreditAgreement"]["userErrors"] == [
            {"field": "limit.amount", "code": "AMOUNT_TOO_LARGE"}
        ]
    assert database.query("SELECT count(*) FROM credit_agreements") == [(1,)]


async def _statuses(client: Any, bearer: str, customer: str, as_of: date | None) -> Any:
    on = {"id": customer, "asOf": as_of.isoformat() if as_of else None}
    body = await gql(client, AGREEMENTS_ON, on, bearer)
    return {e["node"]["id"]: e["node"]["status"] for e in body["data"]["creditAgreements"]["edges"]}


async def test_a_signed_agreement_is_not_in_force_before_its_first_day(client, settings, database):
    # given the agreement in force, and its renewal drawn up to start in 10 days
    manager, customer = await _setup(client, settings)
    began, starts = TODAY - timedelta(days=300), TODAY + timedelta(days=10)
    base = {
        "customerId": customer,
        "limit": {"amount": "300000.00", "currency": "CNY"},
        "paymentTermsCode": "NET30",
        "disputeVenue": "COURT",
        "venueName": "Shanghai Pudong People's Court",
    }
    signed_earlier = {**base, "validFrom": began.isoformat(), "signedOn": began.isoformat()}
    made = await gql(client, AGREE, {"input": signed_earlier}, manager)
    current = made["data"]["createCreditAgreement"]["agreement"]
    assert current["status"] == "ACTIVE"
    draft = {**base, "validFrom": starts.isoformat(), "number": "SA-2"}
    renewal = (await gql(client, AGREE, {"input": draft}, manager))["data"][
        "createCreditAgreement"
    ]["agreement"]["id"]
    # when the renewal is signed today
    body = await gql(
        client, SIGN, {"input": {"id": renewal, "signedOn": TODAY.isoformat()}}, manager
    )
    # then it is signed but not yet in force, in the payload, the list and by id
    assert body["data"]["signCreditAgreement"] == {
        "agreement": {
            "id": renewal, "status": "NOT_YET_IN_FORCE", "signedOn": TODAY.isoformat(),
            "validFrom": starts.isoformat(),
        },
        "userErrors": [],
    }  # fmt: skip
    listed = await _statuses(client, manager, customer, None)
    assert listed == {current["id"]: "ACTIVE", renewal: "NOT_YET_IN_FORCE"}
    node = await gql(client, AGREEMENT_NODE, {"id": renewal}, manager)
    assert node["data"]["node"] == {"status": "NOT_YET_IN_FORCE"}
    # and as of its first day it is in force, the earlier one superseded
    on_start = await _statuses(client, manager, customer, starts)
    assert on_start == {current["id"]: "SUPERSEDED", renewal: "ACTIVE"}
    # the database holds both as signed: the earlier one still binds until the renewal starts
    assert database.query(
        "SELECT status, signed_on, valid_from FROM credit_agreements ORDER BY valid_from"
    ) == [("ACTIVE", began, began), ("ACTIVE", TODAY, starts)]


async def test_a_review_with_checklist_and_outcome(client, settings, database):
    manager, customer = await _setup(client, settings)
    analyst = token(settings, roles=["credit_analyst"], sub="ana")
    # when CHANGE_LIMIT comes without a limit: refused, nothing written
    bad = await gql(
        client, REVIEW, {"input": {"customerId": customer, "outcome": "CHANGE_LIMIT",
                                   "reason": "bigger orders"}}, analyst,
    )  # fmt: skip
    assert bad["data"]["recordCreditReview"]["userErrors"] == [
        {"field": "limit", "code": "REQUIRED"}
    ]
    assert database.query("SELECT count(*) FROM credit_reviews") == [(0,)]
    assert database.query("SELECT last_reviewed_on FROM customers") == [(None,)]
    # when a KEEP review is recorded with its checklist
    body = await gql(
        client, REVIEW,
        {"input": {"customerId": customer, "checklist": {"visitDone": True}}}, analyst,
    )  # fmt: skip
    review = body["data"]["recordCreditReview"]
    assert review["userErrors"] == []
    assert review["review"] == {
        "outcome": "KEEP", "done": True, "checklist": {"visitDone": True}, "trigger": "MANUAL",
    }  # fmt: skip
    lists = (await gql(client, LISTS, {"id": customer}, manager))["data"]
    assert lists["creditReviews"]["edges"] == [{"node": {"outcome": "KEEP"}}]


async def test_the_credit_file_policy_is_settable(client, settings, database):
    manager, _ = await _setup(client, settings)
    items = [{"key": "industry"}, {"key": "CREDIT_REPORT", "maxAgeDays": 180}]
    body = await gql(
        client, FILE_POLICY, {"input": {"items": items, "reviewIntervalDays": 180}}, manager
    )
    assert body["data"]["updateCreditFilePolicy"] == {
        "policy": {
            "reviewIntervalDays": 180,
            "items": [{"key": "INDUSTRY", "maxAgeDays": None},
                      {"key": "CREDIT_REPORT", "maxAgeDays": 180}],
        },
        "userErrors": [],
    }  # fmt: skip
    bad = await gql(client, FILE_POLICY, {"input": {"reviewIntervalDays": 0}}, manager)
    assert bad["data"]["updateCreditFilePolicy"]["userErrors"] == [
        {"field": "reviewIntervalDays", "code": "INVALID_INPUT"}
    ]
    assert database.query(
        "SELECT settings->'reviewIntervalDays' FROM tenants WHERE slug = 'acme'"
    ) == [(180,)]
    sales = token(settings, roles=["sales"], sub="sam")
    refused = await gql(client, FILE_POLICY, {"input": {"reviewIntervalDays": 30}}, sales)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_agreement_and_decision_pdfs_in_both_languages(client, settings, database):
    # given a signed agreement and a decided application
    from tests.documents.pdf_tools import pdf_text

    manager, customer = await _setup(client, settings)
    agreement = {
        "customerId": customer,
        "limit": {"amount": "300000.00", "currency": "CNY"},
        "paymentTermsCode": "NET30",
        "disputeVenue": "COURT",
        "venueName": "上海市浦东新区人民法院",
        "validFrom": TODAY.isoformat(),
        "signedOn": TODAY.isoformat(),
        "number": "SA-2026-001",
    }
    made = await gql(client, AGREE, {"input": agreement}, manager)
    url = made["data"]["createCreditAgreement"]["agreement"]["documentUrl"]
    submitted = await gql(
        client, SUBMIT, {"input": _application(customer)}, token(settings, roles=["sales"])
    )
    app_id = submitted["data"]["submitCreditApplication"]["application"]["id"]
    headers = {"Authorization": f"Bearer {manager}"}
    # when both are fetched in both languages
    zh = await client.get(url, params={"lang": "zh-CN"}, headers=headers)
    en = await client.get(url, params={"lang": "en"}, headers=headers)
    letter = f"/documents/credit-applications/{app_id}/decision.pdf"
    decision = await client.get(letter, params={"lang": "en"}, headers=headers)
    # then the texts are there, each in its language, and the interest is 0.05% a day
    assert zh.status_code == 200 and zh.headers["content-type"] == "application/pdf"
    zh_text = pdf_text(zh.content)
    assert "赊销协议" in zh_text and "SA-2026-001" in zh_text and "0.05" in zh_text
    assert "上海市浦东新区人民法院" in zh_text
    assert "Credit agreement" in pdf_text(en.content)
    assert decision.status_code == 200
    assert "Credit application decision" in pdf_text(decision.content)
    # and each file name carries the customer's code and the document's date
    [(submitted_on,)] = database.query("SELECT submitted_on FROM credit_applications")
    assert zh.headers["content-disposition"] == (
        f'inline; filename="credit-agreement-CA-1-{TODAY.isoformat()}-zh-CN.pdf"'
    )
    assert decision.headers["content-disposition"] == (
        f'inline; filename="credit-decision-CA-1-{submitted_on.isoformat()}-en.pdf"'
    )
    viewer = token(settings, roles=["viewer"])
    refused = await client.get(url, headers={"Authorization": f"Bearer {viewer}"})
    assert refused.status_code == 403


async def test_the_credit_file_pdf_shows_the_limit_history_and_sections(
    client, settings, runtime, tenants
):
    # given a customer with an approved limit
    from schema.relay import from_global_id
    from tests.documents.pdf_tools import pdf_text
    from tests.services.credit_limits_helpers import approved_limit

    manager, customer = await _setup(client, settings)
    raw = from_global_id(customer, "Customer")[1]
    await approved_limit(runtime, tenants["acme"], raw, "123456.00")
    headers = {"Authorization": f"Bearer {manager}"}
    # when the credit file is fetched in both languages
    path = f"/documents/customers/{customer}/credit-file.pdf"
    zh = pdf_text((await client.get(path, params={"lang": "zh-CN"}, headers=headers)).content)
    en = pdf_text((await client.get(path, params={"lang": "en"}, headers=headers)).content)
    # then the three credit sections are there, with the limit in the history
    for title in ("财务分析", "信用评分", "信用额度历史"):
        assert title in zh
    assert "Credit limit history" in en and "123456.00 CNY" in en
