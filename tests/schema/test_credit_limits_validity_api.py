"""Through HTTP GraphQL: a back-dated limit leaves the one in force alone, a request that has
already ended is refused, every input error comes back at once, and amounts have a ceiling."""

from __future__ import annotations

import base64
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from tests.conftest import gql, token
from tests.schema.rating import rate
from tests.schema.test_customers_api import create
from tests.services.credit_limits_helpers import approved_limit

REQUEST = """mutation Q($input: RequestCreditLimitInput!) { requestCreditLimit(input: $input) {
  request { id status } userErrors { field code message } } }"""
APPROVE = """mutation A($input: ApproveCreditLimitInput!) { approveCreditLimit(input: $input) {
  request { status limitId } userErrors { field code } } }"""
CHECK = """mutation C($input: CheckCreditInput!) { checkCredit(input: $input) {
  check { id outcome reasons { code detail } headroom { amount currency } }
  userErrors { field code message } } }"""
EXPOSURE = """query E($id: ID!) { creditExposure(customerId: $id) {
  exposure { limitExpired standing { headroom { amount } } } userErrors { field code } } }"""
REPLAY = """query R($id: ID!) { replayCreditDecision(id: $id) { equal } }"""
#: What a refused credit mutation must leave untouched.
WRITTEN = (
    "SELECT (SELECT count(*) FROM credit_limit_requests), (SELECT count(*) FROM credit_limits),"
    " (SELECT count(*) FROM credit_decisions), (SELECT count(*) FROM credit_reservations),"
    " (SELECT count(*) FROM events)"
)


async def _customer(client: Any, settings: Any, code: str) -> str:
    manager = token(settings)
    customer = (await create(client, manager, code))["customer"]
    await rate(client, settings, customer["id"], customer["version"], "B")
    return str(customer["id"])


def _uuid(global_id: str) -> UUID:
    return UUID(base64.b64decode(global_id).decode().split(":", 1)[1])


def _limit(customer: str, amount: str, currency: str = "CNY", **dates: str) -> dict[str, Any]:
    return {
        "input": {
            "customerId": customer,
            "amount": {"amount": amount, "currency": currency},
            "validFrom": "2025-01-01",
            **dates,
        }
    }


def _errors(body: dict[str, Any], mutation: str) -> list[tuple[str, str]]:
    return sorted((e["field"], e["code"]) for e in body["data"][mutation]["userErrors"])


async def test_a_back_dated_limit_leaves_the_current_one_in_force(
    client, settings, database, runtime, tenants
):
    # given: an open-ended 50,000.00 limit, and a 10,000.00 one for January 2020 approved later
    customer = await _customer(client, settings, "VAL-1")
    analyst = token(settings, roles=["credit_analyst"], sub="ana")
    asked = await gql(client, REQUEST, _limit(customer, "50000.00"), analyst)
    request = asked["data"]["requestCreditLimit"]["request"]
    await gql(client, APPROVE, {"input": {"id": request["id"]}}, token(settings, sub="max"))
    await approved_limit(
        runtime, tenants["acme"], _uuid(customer), "10000.00",
        valid_from=date(2020, 1, 1), valid_to=date(2020, 1, 31),
    )  # fmt: skip
    assert database.query("SELECT count(*) FROM credit_limits") == [(2,)]
    sales = token(settings, roles=["sales"], sub="sam")
    # when
    checked = await gql(
        client,
        CHECK,
        {"input": {"customerId": customer, "amount": "20000", "currency": "CNY"}},
        sales,
    )
    exposure = await gql(client, EXPOSURE, {"id": customer}, token(settings))
    # then: the 50,000.00 limit answers, nothing is expired
    check = checked["data"]["checkCredit"]["check"]
    assert (check["outcome"], check["reasons"]) == ("APPROVED", [])
    assert check["headroom"] == {"amount": "50000.00", "currency": "CNY"}
    view = exposure["data"]["creditExposure"]["exposure"]
    assert view["limitExpired"] is False
    assert view["standing"]["headroom"]["amount"] == "50000.00"
    replay = await gql(client, REPLAY, {"id": check["id"]}, token(settings))
    assert replay["data"]["replayCreditDecision"]["equal"] is True


async def test_a_limit_request_that_has_already_ended_is_refused(client, settings, database):
    # given
    customer = await _customer(client, settings, "VAL-2")
    analyst = token(settings, roles=["credit_analyst"], sub="ana")
    before = database.query(WRITTEN)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    # when: the reviewer's request (January 2020), and one that ended yesterday
    old = await gql(
        client,
        REQUEST,
        _limit(customer, "10000.00", validFrom="2020-01-01", validTo="2020-01-31"),
        analyst,
    )
    ended = await gql(client, REQUEST, _limit(customer, "10000.00", validTo=yesterday), analyst)
    # then
    for body in (old, ended):
        payload = body["data"]["requestCreditLimit"]
        assert payload["request"] is None
        assert _errors(body, "requestCreditLimit") == [("validTo", "INVALID_PERIOD")]
        assert "before today" in payload["userErrors"][0]["message"]
    assert database.query(WRITTEN) == before


async def test_a_bad_currency_does_not_hide_the_amount_or_the_period(client, settings, database):
    # given
    customer = await _customer(client, settings, "VAL-3")
    analyst = token(settings, roles=["credit_analyst"], sub="ana")
    before = database.query(WRITTEN)
    backwards = {"validFrom": "2027-02-01", "validTo": "2027-01-01"}
    # when
    body = await gql(client, REQUEST, _limit(customer, "-1.00", "QQQ", **backwards), analyst)
    only_period = await gql(client, REQUEST, _limit(customer, "5.00", "QQQ", **backwards), analyst)
    # then
    assert _errors(body, "requestCreditLimit") == [
        ("amount.amount", "NEGATIVE_AMOUNT"),
        ("amount.currency", "UNKNOWN_CURRENCY"),
        ("validTo", "INVALID_PERIOD"),
    ]
    assert _errors(only_period, "requestCreditLimit") == [
        ("amount.currency", "UNKNOWN_CURRENCY"),
        ("validTo", "INVALID_PERIOD"),
    ]
    assert database.query(WRITTEN) == before


async def test_amounts_above_the_document_ceiling_are_refused(client, settings, database):
    # given
    customer = await _customer(client, settings, "VAL-4")
    analyst = token(settings, roles=["credit_analyst"], sub="ana")
    sales = token(settings, roles=["sales"], sub="sam")
    before = database.query(WRITTEN)
    # when: a limit of 10^14 CNY, a check of a fen above 10^13 CNY
    limit = await gql(client, REQUEST, _limit(customer, "100000000000000"), analyst)
    checked = await gql(
        client,
        CHECK,
        {"input": {"customerId": customer, "amount": "10000000000000.01", "currency": "CNY"}},
        sales,
    )
    # then
    assert _errors(limit, "requestCreditLimit") == [("amount.amount", "AMOUNT_TOO_LARGE")]
    assert _errors(checked, "checkCredit") == [("amount", "AMOUNT_TOO_LARGE")]
    assert checked["data"]["checkCredit"]["check"] is None
    assert database.query(WRITTEN) == before


async def test_a_check_reports_amount_currency_and_ttl_together(client, settings, database):
    # given
    customer = await _customer(client, settings, "VAL-5")
    sales = token(settings, roles=["sales"], sub="sam")
    before = database.query(WRITTEN)
    bad = {
        "customerId": customer,
        "amount": "0",
        "currency": "QQQ",
        "orderRef": "SO-VAL-5",
        "reserve": True,
        "ttlSeconds": 0,
    }
    # when
    body = await gql(client, CHECK, {"input": bad}, sales)
    # then
    assert body["data"]["checkCredit"]["check"] is None
    assert _errors(body, "checkCredit") == [
        ("amount", "AMOUNT_NOT_POSITIVE"),
        ("currency", "UNKNOWN_CURRENCY"),
        ("ttlSeconds", "INVALID_TTL"),
    ]
    assert database.query(WRITTEN) == before
