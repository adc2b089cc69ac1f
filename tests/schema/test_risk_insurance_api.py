"""Credit insurance through GraphQL: policy, cover, notification, claim, the kept PDFs; bad input
refused as userErrors with nothing written."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import gql, token
from tests.schema.test_customers_api import create
from tests.schema.test_ledger_api import INVOICE

POLICY = """mutation P($input: CreateInsurancePolicyInput!) { createInsurancePolicy(input: $input) {
  policy { id policyNumber indemnityPercent maxLiability { amount currency } deductibleKind
           notificationDays claimFilingDays recoverySharePercent }
  userErrors { field code message } } }"""
REQUEST = """mutation R($input: RequestBuyerCoverInput!) { requestBuyerCover(input: $input) {
  cover { id status version limit { amount } } userErrors { field code } } }"""
DECIDE = """mutation D($input: DecideBuyerCoverInput!) { decideBuyerCover(input: $input) {
  cover { id status version limit { amount } decisions { status amount { amount } effectiveOn } }
  userErrors { field code } } }"""
NOTIFY = """mutation N($input: NotifyInsurerInput!) { notifyInsurer(input: $input) {
  notification { id notifiedOn total { amount } document { id kind url(lang: "en") } }
  userErrors { field code message } } }"""
FILE = """mutation F($input: FileClaimInput!) { fileClaim(input: $input) {
  claim { id status coveredLoss { amount } deductible { amount } indemnity { amount currency }
          lines { number covered { amount } } document { id url } }
  replayed userErrors { field code message } } }"""
INSURANCE = """query I($ids: [ID!]!, $asOf: Date) {
  invoiceInsurance(invoiceIds: $ids, asOf: $asOf) {
  insured reason notificationDeadline stopDeliveryPoint claimDeadline
  limitAtDelivery { amount } invoice { number } policy { policyNumber } } }"""
CLAIMS = """{ insuranceClaims { totalCount edges { node { status indemnity { amount }
  customer { code } policy { policyNumber } } } } }"""


def policy_input(**extra: Any) -> dict[str, Any]:
    """A valid CreateInsurancePolicyInput."""
    return {
        "insurer": "中国出口信用保险公司",
        "policyNumber": "SINO-2026",
        "startsOn": "2026-01-01",
        "endsOn": "2026-12-31",
        "maxLiability": {"amount": "1000000.00", "currency": "CNY"},
        "premiumRatePercent": "0.35",
        "deductible": {"amount": "1000.00", "currency": "CNY"},
        **extra,
    }


@pytest.fixture
async def setup(client, settings) -> dict[str, Any]:
    """A credit manager, a finance token, two customers and an insured and an uninsured
    invoice each, due 31 March 2026."""
    manager = token(settings, roles=["credit_manager"])
    finance = token(settings, roles=["finance"], sub="fiona")
    covered = (await create(client, manager, "INS-A"))["customer"]["id"]
    bare = (await create(client, manager, "INS-B"))["customer"]["id"]
    invoices = {}
    for customer, number in ((covered, "A-1"), (bare, "B-1")):
        body = await gql(
            client,
            INVOICE,
            {
                "input": {
                    "number": number,
                    "customerId": customer,
                    "issueDate": "2026-03-01",
                    "dueDate": "2026-03-31",
                    "amount": {"amount": "20000.00", "currency": "CNY"},
                    "idempotencyKey": number,
                }
            },
            finance,
        )
        invoices[number] = body["data"]["createInvoice"]["invoice"]["id"]
    return {"manager": manager, "covered": covered, "bare": bare, "invoices": invoices}


async def test_a_policy_cover_notification_and_claim_end_to_end(client, setup, database):
    # given a policy and a cover granted in January
    bearer = setup["manager"]
    policy = (await gql(client, POLICY, {"input": policy_input()}, bearer))["data"]
    policy = policy["createInsurancePolicy"]["policy"]
    assert policy["indemnityPercent"] == "90" and policy["recoverySharePercent"] == "90"
    cover = (
        await gql(
            client,
            REQUEST,
            {
                "input": {
                    "policyId": policy["id"],
                    "customerId": setup["covered"],
                    "amount": {"amount": "50000.00", "currency": "CNY"},
                    "effectiveOn": "2026-01-10",
                }
            },
            bearer,
        )
    )["data"]["requestBuyerCover"]["cover"]
    granted = await gql(
        client,
        DECIDE,
        {
            "input": {
                "id": cover["id"],
                "status": "GRANTED",
                "amount": {"amount": "50000.00", "currency": "CNY"},
                "effectiveOn": "2026-01-15",
                "version": cover["version"],
            }
        },
        bearer,
    )
    assert granted["data"]["decideBuyerCover"]["cover"]["limit"] == {"amount": "50000.00"}
    # when the invoice's clock is read, the insurer told and a claim filed
    ids = [setup["invoices"]["A-1"], setup["invoices"]["B-1"]]
    clock = (await gql(client, INSURANCE, {"ids": ids, "asOf": "2026-04-15"}, bearer))["data"]
    notified = await gql(
        client,
        NOTIFY,
        {
            "input": {
                "customerId": setup["covered"],
                "invoiceIds": [setup["invoices"]["A-1"]],
                "notifiedOn": "2026-05-02",
            }
        },
        bearer,
    )
    claim_input = {
        "customerId": setup["covered"],
        "invoiceIds": [setup["invoices"]["A-1"]],
        "filedOn": "2026-06-01",
        "idempotencyKey": "claim-A-1",
    }
    filed = await gql(client, FILE, {"input": claim_input}, bearer)
    replay = await gql(client, FILE, {"input": claim_input}, bearer)
    # then the clock says insured or why not, with its deadlines
    assert clock["invoiceInsurance"] == [
        {
            "insured": True,
            "reason": "INSURED",
            "notificationDeadline": "2026-05-30",
            "stopDeliveryPoint": "2026-04-30",
            "claimDeadline": "2026-06-29",
            "limitAtDelivery": {"amount": "50000.00"},
            "invoice": {"number": "A-1"},
            "policy": {"policyNumber": "SINO-2026"},
        },
        {
            "insured": False,
            "reason": "NO_COVER",
            "notificationDeadline": None,
            "stopDeliveryPoint": None,
            "claimDeadline": None,
            "limitAtDelivery": None,
            "invoice": {"number": "B-1"},
            "policy": {"policyNumber": "SINO-2026"},
        },
    ]
    note = notified["data"]["notifyInsurer"]
    assert note["userErrors"] == [] and note["notification"]["total"] == {"amount": "20000.00"}
    # and the claim: 90% of (20,000.00 - 1,000.00 deductible)
    claim = filed["data"]["fileClaim"]
    assert claim["userErrors"] == [] and not claim["replayed"]
    assert claim["claim"]["indemnity"] == {"amount": "17100.00", "currency": "CNY"}
    assert replay["data"]["fileClaim"]["replayed"] is True
    assert database.query("SELECT count(*), min(indemnity_minor) FROM insurance_claims") == [
        (1, 1_710_000)
    ]
    # and the claim pack is served as the same bytes each time
    url = claim["claim"]["document"]["url"]
    first = await client.get(url, headers={"Authorization": f"Bearer {bearer}"})
    again = await client.get(url, headers={"Authorization": f"Bearer {bearer}"})
    assert first.status_code == 200 and first.headers["content-type"] == "application/pdf"
    assert first.content == again.content
    listed = (await gql(client, CLAIMS, None, bearer))["data"]["insuranceClaims"]
    assert listed["totalCount"] == 1
    assert listed["edges"][0]["node"]["customer"] == {"code": "INS-A"}


@pytest.mark.parametrize(
    ("override", "field", "code"),
    [
        ({"indemnityPercent": "100.01"}, "indemnityPercent", "INVALID_PERCENT"),
        ({"startsOn": "1899-12-31"}, "startsOn", "INVALID_DATE"),
        ({"endsOn": "2200-01-01"}, "endsOn", "INVALID_DATE"),
        ({"insurer": "保" * 201}, "insurer", "TOO_LONG"),
        ({"endsOn": "2025-12-31"}, "endsOn", "ENDS_BEFORE_START"),
        ({"deductible": {"amount": "1.00", "currency": "USD"}}, "deductible.currency", None),
    ],
)
async def test_bad_policies_are_refused_and_nothing_is_written(
    client, setup, database, override, field, code
):
    # when
    body = await gql(client, POLICY, {"input": policy_input(**override)}, setup["manager"])
    # then
    errors = body["data"]["createInsurancePolicy"]["userErrors"]
    assert field in [e["field"] for e in errors]
    if code:
        assert code in [e["code"] for e in errors]
    assert body["data"]["createInsurancePolicy"]["policy"] is None
    assert database.query("SELECT count(*) FROM insurance_policies") == [(0,)]
    assert database.query(
        "SELECT count(*) FROM audit_log WHERE entity_type = 'InsurancePolicy'"
    ) == [(0,)]


async def test_a_cover_for_an_unknown_customer_and_a_claim_on_an_uninsured_invoice(
    client, setup, database, settings
):
    # given a policy
    bearer = setup["manager"]
    policy = (await gql(client, POLICY, {"input": policy_input()}, bearer))["data"]
    policy_id = policy["createInsurancePolicy"]["policy"]["id"]
    # when a cover is asked for a customer of another tenant and with a note too long
    foreign = (await create(client, token(settings, tenant="globex"), "G-1"))["customer"]["id"]
    unknown = await gql(
        client,
        REQUEST,
        {
            "input": {
                "policyId": policy_id,
                "customerId": foreign,
                "amount": {"amount": "10.00", "currency": "CNY"},
                "effectiveOn": "2026-01-10",
                "note": "x" * 501,
            }
        },
        bearer,
    )
    # and a claim is filed on the uninsured customer's invoice
    uninsured = await gql(
        client,
        FILE,
        {
            "input": {
                "customerId": setup["bare"],
                "invoiceIds": [setup["invoices"]["B-1"]],
                "filedOn": "2026-06-01",
                "idempotencyKey": "claim-B",
            }
        },
        bearer,
    )
    # then both are refused with their reasons and nothing is written
    assert {
        (e["field"], e["code"]) for e in unknown["data"]["requestBuyerCover"]["userErrors"]
    } == {
        ("customerId", "NOT_FOUND"),
        ("note", "TOO_LONG"),
    }
    refused = uninsured["data"]["fileClaim"]["userErrors"]
    assert [(e["field"], e["code"]) for e in refused] == [("invoiceIds.0", "CLAIM_NOT_INSURED")]
    assert "NO_COVER" in refused[0]["message"]
    for table in ("buyer_covers", "cover_decisions", "insurance_claims", "claim_lines", "jobs"):
        assert database.query(f"SELECT count(*) FROM {table}") == [(0,)], table
    assert database.query("SELECT count(*) FROM idempotency_keys") == [(2,)]  # the invoices'


async def test_a_cut_cover_raises_a_severe_warning_and_sales_cannot_decide(
    client, setup, settings, database
):
    bearer = setup["manager"]
    policy_id = (await gql(client, POLICY, {"input": policy_input()}, bearer))["data"][
        "createInsurancePolicy"
    ]["policy"]["id"]
    cover = (
        await gql(
            client,
            REQUEST,
            {
                "input": {
                    "policyId": policy_id,
                    "customerId": setup["covered"],
                    "amount": {"amount": "50000.00", "currency": "CNY"},
                    "effectiveOn": "2026-01-10",
                }
            },
            bearer,
        )
    )["data"]["requestBuyerCover"]["cover"]
    decide = {
        "id": cover["id"],
        "status": "GRANTED",
        "amount": {"amount": "50000.00", "currency": "CNY"},
        "effectiveOn": "2026-01-15",
    }
    await gql(client, DECIDE, {"input": decide}, bearer)
    # when sales tries, and the credit manager cuts it
    forbidden = await gql(
        client,
        DECIDE,
        {"input": {**decide, "status": "CANCELLED"}},
        token(settings, roles=["sales"]),
    )
    cut = await gql(
        client,
        DECIDE,
        {
            "input": {
                **decide,
                "status": "REDUCED",
                "amount": {"amount": "10000.00", "currency": "CNY"},
                "effectiveOn": "2026-04-01",
            }
        },
        bearer,
    )
    # then
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    decisions = cut["data"]["decideBuyerCover"]["cover"]["decisions"]
    assert [d["status"] for d in decisions] == ["REQUESTED", "GRANTED", "REDUCED"]
    assert database.query("SELECT kind, level FROM warnings") == [("INSURANCE_COVER_CUT", "SEVERE")]
    assert database.query(
        "SELECT payload->>'limit' FROM events WHERE topic = 'risk.cover_changed' ORDER BY seq"
    ) == [("50000.00",), ("10000.00",)]


WATERFALL = """query W($id: ID!, $asOf: Date) { riskWaterfall(customerId: $id, asOf: $asOf) {
  currency gross { amount } net { amount } lines { layer applied { amount } } } }"""


async def test_the_waterfall_takes_the_insurers_share_off_the_risk(client, setup):
    # given the covered customer's 20,000.00 invoice insured under a granted cover
    bearer = setup["manager"]
    policy = (await gql(client, POLICY, {"input": policy_input()}, bearer))["data"]
    policy_id = policy["createInsurancePolicy"]["policy"]["id"]
    request = {
        "policyId": policy_id,
        "customerId": setup["covered"],
        "amount": {"amount": "50000.00", "currency": "CNY"},
        "effectiveOn": "2026-01-10",
    }
    cover = (await gql(client, REQUEST, {"input": request}, bearer))["data"]["requestBuyerCover"]
    decision = {
        "id": cover["cover"]["id"],
        "status": "GRANTED",
        "amount": {"amount": "50000.00", "currency": "CNY"},
        "effectiveOn": "2026-01-15",
        "version": cover["cover"]["version"],
    }
    await gql(client, DECIDE, {"input": decision}, bearer)
    # when its net retained risk is read while the invoice is insured
    body = await gql(client, WATERFALL, {"id": setup["covered"], "asOf": "2026-04-15"}, bearer)
    # then the insurer's share, 90% of (20,000.00 - 1,000.00 deductible), comes off
    view = body["data"]["riskWaterfall"]
    assert view["gross"] == {"amount": "20000.00"}
    assert {"layer": "INSURED", "applied": {"amount": "17100.00"}} in view["lines"]
    assert view["net"] == {"amount": "2900.00"}
