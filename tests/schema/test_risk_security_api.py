"""Guarantees, collateral and the net retained risk through HTTP GraphQL."""

from __future__ import annotations

from typing import Any

from tests.conftest import gql, token
from tests.schema.test_customers_api import create

GUARANTOR = """mutation G($input: CreateGuarantorInput!) { createGuarantor(input: $input) {
  guarantor { id name identityNumber identityMasked netWorth { amount currency } }
  userErrors { field code } } }"""
GUARANTEE = """mutation G($input: CreateGuaranteeInput!) { createGuarantee(input: $input) {
  guarantee { id reference kind scope status version amount { amount currency }
              guarantor { name } customer { id } }
  userErrors { field code message } } }"""
CALL = """mutation C($input: CallGuaranteeInput!) { callGuarantee(input: $input) {
  guarantee { status call { calledOn demanded { amount currency } activityId
                            letterPdfBase64(lang: "en") } }
  userErrors { field code } } }"""
RELEASE = """mutation R($input: ReleaseGuaranteeInput!) { releaseGuarantee(input: $input) {
  guarantee { status statusNote } userErrors { field code } } }"""
COLLATERAL = """mutation C($input: CreateCollateralInput!) { createCollateral(input: $input) {
  collateral { id coverageValue { amount currency } haircutPercent reappraisalDueOn }
  userErrors { field code } } }"""
WATERFALL = """query W($id: ID!, $asOf: Date) { riskWaterfall(customerId: $id, asOf: $asOf) {
  currency gross { amount } net { amount }
  lines { layer label offered { amount } weightPercent weighted { amount } applied { amount }
          remaining { amount } capped explanation } } }"""
PORTFOLIO = """query P($asOf: Date) { portfolioRiskWaterfall(asOf: $asOf) {
  currency customers gross { amount } net { amount } layers { layer amount { amount } } } }"""
LIST = """query L($id: ID!) { guarantees(customerId: $id) { totalCount
  edges { node { reference status notices { kind } } } }
  collateral(customerId: $id) { totalCount edges { node { reference } } } }"""
INVOICE = """mutation I($input: CreateInvoiceInput!) { createInvoice(input: $input) {
  userErrors { field code } } }"""


async def _setup(client: Any, settings: Any) -> tuple[str, str, str]:
    manager = token(settings)
    customer = (await create(client, manager, "C-1"))["customer"]["id"]
    finance = token(settings, roles=["finance"], sub="fin")
    posted = await gql(client, INVOICE, {"input": {
        "number": "INV-1", "customerId": customer, "issueDate": "2026-01-10",
        "dueDate": "2026-02-10", "amount": {"amount": "100000.00", "currency": "CNY"},
        "externalId": "ERP-INV-1",
    }}, finance)  # fmt: skip
    assert posted["data"]["createInvoice"]["userErrors"] == [], posted
    body = await gql(client, GUARANTOR, {"input": {
        "kind": "COMPANY", "name": "担保集团有限公司", "identityNumber": "91110000100000000X",
        "netWorth": {"amount": "9000000.00", "currency": "CNY"},
    }}, manager)  # fmt: skip
    return manager, customer, body["data"]["createGuarantor"]["guarantor"]["id"]


def _guarantee(guarantor: str, customer: str, **extra: Any) -> dict[str, Any]:
    return {
        "reference": "BG-1", "guarantorId": guarantor, "customerId": customer,
        "kind": "BANK_GUARANTEE", "scope": "ALL_DEBTS",
        "amount": {"amount": "30000.00", "currency": "CNY"},
        "validFrom": "2026-01-01", "validTo": "2026-12-31", **extra,
    }  # fmt: skip


async def test_guarantee_collateral_and_the_waterfall(client, settings, database):
    # given
    manager, customer, guarantor = await _setup(client, settings)
    # when
    made = await gql(client, GUARANTEE, {"input": _guarantee(guarantor, customer)}, manager)
    pledged = await gql(client, COLLATERAL, {"input": {
        "reference": "M-1", "customerId": customer, "form": "MORTGAGE", "assetKind": "PROPERTY",
        "description": "厂房", "appraisedValue": {"amount": "50000.00", "currency": "CNY"},
        "appraisedOn": "2026-01-01", "haircutPercent": "40", "validFrom": "2026-01-01",
    }}, manager)  # fmt: skip
    waterfall = await gql(client, WATERFALL, {"id": customer, "asOf": "2026-03-01"}, manager)
    portfolio = await gql(client, PORTFOLIO, {"asOf": "2026-03-01"}, manager)
    listed = await gql(client, LIST, {"id": customer}, manager)
    # then
    payload = made["data"]["createGuarantee"]
    assert payload["userErrors"] == []
    assert payload["guarantee"]["status"] == "ACTIVE"
    assert payload["guarantee"]["guarantor"]["name"] == "担保集团有限公司"
    assert pledged["data"]["createCollateral"]["collateral"]["coverageValue"] == {
        "amount": "30000.00", "currency": "CNY",
    }  # fmt: skip
    view = waterfall["data"]["riskWaterfall"]
    assert view["gross"]["amount"] == "100000.00"
    assert [line["applied"]["amount"] for line in view["lines"]] == ["30000.00", "30000.00"]
    assert view["net"]["amount"] == "40000.00"
    assert all(line["explanation"] for line in view["lines"])
    total = portfolio["data"]["portfolioRiskWaterfall"]
    assert (total["customers"], total["net"]["amount"]) == (1, "40000.00")
    assert listed["data"]["guarantees"]["totalCount"] == 1
    assert listed["data"]["collateral"]["totalCount"] == 1
    assert database.query("SELECT count(*) FROM guarantees")[0][0] == 1


async def test_identity_number_is_masked_for_sales(client, settings, database):
    manager, _, guarantor = await _setup(client, settings)
    sales = token(settings, roles=["sales"], sub="sam")
    query = """query N($id: ID!) { node(id: $id) { ... on Guarantor { identityNumber
      identityMasked } } }"""
    seen = await gql(client, query, {"id": guarantor}, sales)
    full = await gql(client, query, {"id": guarantor}, manager)
    assert seen["data"]["node"] == {"identityNumber": "91************000X", "identityMasked": True}
    assert full["data"]["node"]["identityNumber"] == "91110000100000000X"


async def test_bad_input_is_refused_and_nothing_is_written(client, settings, database):
    # given
    manager, customer, guarantor = await _setup(client, settings)
    unknown = "Q3VzdG9tZXI6MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw"
    # when
    backwards = await gql(client, GUARANTEE, {"input": _guarantee(
        guarantor, customer, validFrom="2026-06-01", validTo="2026-01-01")}, manager)  # fmt: skip
    nobody = await gql(client, GUARANTEE, {"input": _guarantee(guarantor, unknown)}, manager)
    haircut = await gql(client, COLLATERAL, {"input": {
        "reference": "M-1", "customerId": customer, "form": "PLEDGE", "assetKind": "DEPOSIT",
        "description": "保证金", "appraisedValue": {"amount": "1.00", "currency": "CNY"},
        "appraisedOn": "2026-01-01", "haircutPercent": "120", "validFrom": "2026-01-01",
    }}, manager)  # fmt: skip
    # then
    assert {"field": "validTo", "code": "ENDS_BEFORE_START"} in [
        {"field": e["field"], "code": e["code"]}
        for e in backwards["data"]["createGuarantee"]["userErrors"]
    ]
    assert nobody["data"]["createGuarantee"]["userErrors"][0]["code"] == "NOT_FOUND"
    assert haircut["data"]["createCollateral"]["userErrors"] == [
        {"field": "haircutPercent", "code": "INVALID_HAIRCUT"}
    ]
    assert database.query("SELECT count(*) FROM guarantees")[0][0] == 0
    assert database.query("SELECT count(*) FROM collateral")[0][0] == 0


async def test_call_then_a_call_on_a_released_guarantee_is_refused(client, settings, database):
    # given
    manager, customer, guarantor = await _setup(client, settings)
    made = await gql(client, GUARANTEE, {"input": _guarantee(guarantor, customer)}, manager)
    first = made["data"]["createGuarantee"]["guarantee"]
    other = await gql(client, GUARANTEE, {"input": _guarantee(
        guarantor, customer, reference="BG-2")}, manager)  # fmt: skip
    second = other["data"]["createGuarantee"]["guarantee"]
    # when
    called = await gql(client, CALL, {"input": {"id": first["id"], "calledOn": "2026-03-01"}},
                       manager)  # fmt: skip
    released = await gql(client, RELEASE, {"input": {
        "id": second["id"], "releasedOn": "2026-03-01", "note": "restored"}}, manager)  # fmt: skip
    refused = await gql(client, CALL, {"input": {"id": second["id"], "calledOn": "2026-03-02"}},
                        manager)  # fmt: skip
    # then
    call = called["data"]["callGuarantee"]["guarantee"]
    assert call["status"] == "CALLED"
    assert call["call"]["demanded"] == {"amount": "30000.00", "currency": "CNY"}
    assert call["call"]["letterPdfBase64"].startswith("JVBERi")  # %PDF
    assert released["data"]["releaseGuarantee"]["guarantee"]["status"] == "RELEASED"
    assert refused["data"]["callGuarantee"]["userErrors"] == [
        {"field": "id", "code": "INVALID_STATUS"}
    ]
    assert database.query("SELECT count(*) FROM guarantee_calls")[0][0] == 1
    assert database.query(
        "SELECT status FROM guarantees WHERE reference = 'BG-2'")[0][0] == "RELEASED"  # fmt: skip


NO_RATE = """query N($id: ID!) { riskWaterfall(customerId: $id, currency: "USD") { net { amount } }
  portfolioRiskWaterfall(currency: "USD") { net { amount } } }"""


async def test_a_waterfall_in_a_currency_without_a_rate_is_refused_with_its_reason(
    client, settings
):
    # given: CNY debts and no CNY/USD rate
    manager, customer, _ = await _setup(client, settings)
    # when both waterfalls are asked in USD
    body = await gql(client, NO_RATE, {"id": customer}, manager)
    # then each is a coded refusal naming the missing rate, not an unexpected error
    assert body["data"] == {"riskWaterfall": None, "portfolioRiskWaterfall": None}
    assert [(e["extensions"]["code"], e["extensions"]["reason"]) for e in body["errors"]] == [
        ("BAD_USER_INPUT", "NO_EXCHANGE_RATE"),
        ("BAD_USER_INPUT", "NO_EXCHANGE_RATE"),
    ]
