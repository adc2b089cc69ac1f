"""Limits, rates, policy, orders and the credit check through HTTP GraphQL."""

from __future__ import annotations

import base64
import uuid
from typing import Any

from tests.conftest import gql, token
from tests.schema.rating import rate
from tests.schema.test_customers_api import create

RATE = """mutation R($input: SetExchangeRateInput!) { setExchangeRate(input: $input) {
  rate { id base quote rate effectiveOn } userErrors { field code } } }"""
POLICY = """mutation P($input: UpdateCreditPolicyInput!) { updateCreditPolicy(input: $input) {
  policy { version overdueBlockDays overridden
           classes { ratingClass reviewIntervalMonths orderHandling limitFactor } }
  userErrors { field code } } }"""
READ_POLICY = """{ creditPolicy { version baseCurrency analystUpTo managerUpTo
  classes { ratingClass paymentTermsCode reviewIntervalMonths orderHandling requiredSecurity
            reminderDaysBeforeDue } } }"""
REQUEST = """mutation Q($input: RequestCreditLimitInput!) { requestCreditLimit(input: $input) {
  request { id tier approvalsRequired status amount { amount currency } limitId }
  userErrors { field code } } }"""
APPROVE = """mutation A($input: ApproveCreditLimitInput!) { approveCreditLimit(input: $input) {
  request { status limitId approvals { approver verdict } } userErrors { field code } } }"""
CHECK = """mutation C($input: CheckCreditInput!) { checkCredit(input: $input) {
  check { id outcome reasons { code detail } prepayment { amount currency }
          available { amount } headroom { amount currency }
          standing { limit { amount } utilisation exposure { total { amount }
            receivables { amount { amount } original { amount currency } rate rateDate } } }
          reservation { id status amount { amount } expiresAt } policyVersion }
  userErrors { field code message } } }"""
ORDER = """mutation O($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) {
  order { orderRef status open { amount } } replayed userErrors { field code } } }"""
HOLD = """mutation H($input: SetCreditHoldInput!) { setCreditHold(input: $input) {
  hold { held reason setBy } userErrors { field code } } }"""
EXPOSURE = """query E($id: ID!) { creditExposure(customerId: $id) {
  exposure { exposure { currency total { amount } ordersTotal { amount }
                        receivablesTotal { amount } }
             standing { headroom { amount } utilisation } limitExpired onHold }
  userErrors { field code } } }"""
RECOMMEND = """query R($id: ID!, $currency: String) {
  recommendedCreditLimit(customerId: $id, currency: $currency) {
    recommendation { amount { amount currency } capitalBasis { amount } missing termsDays }
    userErrors { field code } } }"""
REPLAY = """query R($id: ID!) { replayCreditDecision(id: $id) {
  replayable equal differences { path } decision { kind outcome versions } } }"""
DECISIONS = """query D($id: ID) { creditDecisions(customerId: $id) {
  edges { cursor node { kind } } pageInfo { hasNextPage } } }"""
INVOICE = """mutation I($input: CreateInvoiceInput!) { createInvoice(input: $input) {
  userErrors { field code } } }"""


async def _customer(client: Any, settings: Any, code: str, rating: str = "B") -> str:
    manager = token(settings)
    customer = (await create(client, manager, code))["customer"]
    await rate(client, settings, customer["id"], customer["version"], rating)
    return str(customer["id"])


async def _limit(client: Any, settings: Any, customer: str, amount: str) -> dict[str, Any]:
    analyst = token(settings, roles=["credit_analyst"], sub="ana")
    asked = await gql(
        client,
        REQUEST,
        {
            "input": {
                "customerId": customer,
                "amount": {"amount": amount, "currency": "CNY"},
                "validFrom": "2026-01-01",
            }
        },
        analyst,
    )
    request = asked["data"]["requestCreditLimit"]["request"]
    approved = await gql(
        client, APPROVE, {"input": {"id": request["id"]}}, token(settings, sub="max")
    )
    return approved["data"]["approveCreditLimit"]  # type: ignore[no-any-return]


def _check(customer: str, amount: str, **extra: Any) -> dict[str, Any]:
    return {"input": {"customerId": customer, "amount": amount, "currency": "CNY", **extra}}


async def test_a_limit_approved_under_four_eyes_then_checked_and_reserved(
    client, settings, database
):
    # given: a class B customer with a 10,000.00 limit (analyst asks, manager approves)
    customer = await _customer(client, settings, "API-1")
    analyst = token(settings, roles=["credit_analyst"], sub="ana")
    asked = await gql(
        client,
        REQUEST,
        {
            "input": {
                "customerId": customer,
                "amount": {"amount": "10000.00", "currency": "CNY"},
                "validFrom": "2026-01-01",
                "basis": "MANUAL",
            }
        },
        analyst,
    )
    request = asked["data"]["requestCreditLimit"]["request"]
    own = await gql(client, APPROVE, {"input": {"id": request["id"]}}, token(settings, sub="ana"))
    approved = await gql(client, APPROVE, {"input": {"id": request["id"]}}, token(settings))
    sales = token(settings, roles=["sales"], sub="sam")
    # when: a check reserves 8,000.00 for order SO-1, and a second order asks 5,000.00
    first = await gql(
        client, CHECK, _check(customer, "8000.00", orderRef="SO-1", reserve=True), sales
    )
    second = await gql(client, CHECK, _check(customer, "5000.00", orderRef="SO-2"), sales)
    # then
    assert (request["tier"], request["status"]) == ("ANALYST", "PENDING")
    assert own["data"]["approveCreditLimit"]["userErrors"] == [
        {"field": "id", "code": "SELF_APPROVAL"}
    ]
    assert approved["data"]["approveCreditLimit"]["request"]["status"] == "APPROVED"
    check_1 = first["data"]["checkCredit"]["check"]
    assert check_1["outcome"] == "APPROVED" and check_1["reasons"] == []
    assert check_1["reservation"]["amount"]["amount"] == "8000.00"
    assert check_1["reservation"]["status"] == "ACTIVE"
    check_2 = second["data"]["checkCredit"]["check"]
    assert check_2["outcome"] == "PREPAYMENT_REQUIRED"
    assert check_2["prepayment"] == {"amount": "3000.00", "currency": "CNY"}
    assert check_2["headroom"] == {"amount": "2000.00", "currency": "CNY"}
    assert [r["code"] for r in check_2["reasons"]] == ["OVER_LIMIT"]
    assert database.query(
        "SELECT count(*), sum(amount_minor) FROM credit_reservations WHERE status = 'ACTIVE'"
    ) == [(1, 800_000)]
    # and every check replays equal from its snapshot
    replay = await gql(client, REPLAY, {"id": check_2["id"]}, token(settings))
    assert replay["data"]["replayCreditDecision"]["equal"] is True
    assert replay["data"]["replayCreditDecision"]["decision"]["versions"]["creditPolicy"] == 0


async def test_bad_check_input_is_refused_and_nothing_written(client, settings, database):
    # given
    customer = await _customer(client, settings, "API-2")
    sales = token(settings, roles=["sales"])
    # when
    zero = await gql(client, CHECK, _check(customer, "0"), sales)
    negative = await gql(client, CHECK, _check(customer, "-5.00"), sales)
    ttl_zero = await gql(
        client, CHECK, _check(customer, "5.00", orderRef="X", reserve=True, ttlSeconds=0), sales
    )
    ttl_long = await gql(
        client,
        CHECK,
        _check(customer, "5.00", orderRef="X", reserve=True, ttlSeconds=86_401),
        sales,
    )
    no_ref = await gql(client, CHECK, _check(customer, "5.00", reserve=True), sales)
    bad_currency = await gql(
        client, CHECK, {"input": {"customerId": customer, "amount": "5", "currency": "XYZ"}}, sales
    )
    unknown = await gql(client, CHECK, _check("Q3VzdG9tZXI6MA==", "5.00"), sales)
    # then
    codes = [
        [(e["field"], e["code"]) for e in body["data"]["checkCredit"]["userErrors"]]
        for body in (zero, negative, ttl_zero, ttl_long, no_ref, bad_currency, unknown)
    ]
    assert codes == [
        [("amount", "AMOUNT_NOT_POSITIVE")],
        [("amount", "AMOUNT_NOT_POSITIVE")],
        [("ttlSeconds", "INVALID_TTL")],
        [("ttlSeconds", "INVALID_TTL")],
        [("orderRef", "REQUIRED")],
        [("currency", "UNKNOWN_CURRENCY")],
        [("customerId", "INVALID_ID")],  # "Customer:0" is no id this API hands out
    ]
    assert database.query(
        "SELECT (SELECT count(*) FROM credit_decisions WHERE kind <> 'CLASS'),"
        " (SELECT count(*) FROM credit_reservations)"
    ) == [(0, 0)]


async def test_foreign_currency_limit_needs_a_rate_and_the_figures_name_it(
    client, settings, database
):
    # given: a USD invoice, no rate yet
    customer = await _customer(client, settings, "API-3")
    finance = token(settings, roles=["finance"])
    await gql(
        client,
        INVOICE,
        {
            "input": {
                "number": "USD-1",
                "customerId": customer,
                "issueDate": "2026-10-01",
                "dueDate": "2099-01-01",
                "amount": {"amount": "100.00", "currency": "USD"},
                "idempotencyKey": "usd-1",
            }
        },
        finance,
    )
    analyst = token(settings, roles=["credit_analyst"], sub="ana")
    no_rate = await gql(
        client,
        REQUEST,
        {
            "input": {
                "customerId": customer,
                "amount": {"amount": "100.00", "currency": "EUR"},
                "validFrom": "2026-01-01",
            }
        },
        analyst,
    )
    bad_rate = await gql(
        client,
        RATE,
        {"input": {"base": "USD", "quote": "USD", "rate": "0", "effectiveOn": "1899-12-31"}},
        finance,
    )
    # when: finance records USD/CNY, the limit is set in CNY and a check runs
    rate = await gql(
        client,
        RATE,
        {"input": {"base": "USD", "quote": "CNY", "rate": "7.1", "effectiveOn": "2026-01-05"}},
        finance,
    )
    await _limit(client, settings, customer, "5000.00")
    checked = await gql(client, CHECK, _check(customer, "10.00"), token(settings))
    # then
    assert no_rate["data"]["requestCreditLimit"]["userErrors"] == [
        {"field": "amount.currency", "code": "NO_EXCHANGE_RATE"}
    ]
    assert sorted(
        (e["field"], e["code"]) for e in bad_rate["data"]["setExchangeRate"]["userErrors"]
    ) == [("effectiveOn", "INVALID_DATE"), ("quote", "SAME_CURRENCY"), ("rate", "INVALID_RATE")]
    assert rate["data"]["setExchangeRate"]["rate"]["rate"] == "7.1"
    receivable = checked["data"]["checkCredit"]["check"]["standing"]["exposure"]["receivables"]
    assert receivable == [
        {
            "amount": {"amount": "710.00"},
            "original": {"amount": "100.00", "currency": "USD"},
            "rate": "7.1",
            "rateDate": "2026-01-05",
        }
    ]
    assert database.query("SELECT count(*) FROM credit_limit_requests") == [(1,)]


async def test_policy_defaults_changes_resets_and_refusals(client, settings, database):
    # given
    manager = token(settings)
    # when
    defaults = await gql(client, READ_POLICY, None, token(settings, roles=["viewer"]))
    changed = await gql(
        client,
        POLICY,
        {"input": {"overdueBlockDays": 60, "classC": {"reviewIntervalMonths": 2}}},
        manager,
    )
    refused = await gql(
        client,
        POLICY,
        {
            "input": {
                "overdueReviewDays": 61,
                "classB": {"limitFactor": "2.5"},
                "approvalMatrix": {"analystUpTo": "-1"},
            }
        },
        manager,
    )
    reset = await gql(client, POLICY, {"input": {"classC": None}}, manager)
    forbidden = await gql(
        client, POLICY, {"input": {"overdueBlockDays": 1}}, token(settings, roles=["sales"])
    )
    # then
    policy = defaults["data"]["creditPolicy"]
    assert policy["version"] == 0 and policy["baseCurrency"] == "CNY"
    assert [
        (c["ratingClass"], c["reviewIntervalMonths"], c["orderHandling"]) for c in policy["classes"]
    ] == [
        ("A", 12, "STANDARD"),
        ("B", 6, "STANDARD"),
        ("C", 3, "CLOSE_TRACKING"),
        ("D", 1, "PREPAYMENT"),
    ]
    after = changed["data"]["updateCreditPolicy"]["policy"]
    assert (after["version"], after["overdueBlockDays"], after["overridden"]) == (
        1,
        60,
        ["overdueBlockDays", "classes"],
    )
    assert sorted(
        (e["field"], e["code"]) for e in refused["data"]["updateCreditPolicy"]["userErrors"]
    ) == [
        ("approvalMatrix.analystUpTo", "INVALID_POLICY"),
        ("classB.limitFactor", "INVALID_POLICY"),
        ("overdueReviewDays", "INVALID_POLICY"),
    ]
    classes = reset["data"]["updateCreditPolicy"]["policy"]["classes"]
    assert classes[2]["reviewIntervalMonths"] == 3
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert database.query("SELECT version FROM credit_policies ORDER BY version") == [(1,), (2,)]
    assert database.query("SELECT count(*) FROM audit_log WHERE entity_type = 'CreditPolicy'") == [
        (2,)
    ]


async def test_orders_and_holds_shape_exposure(client, settings, database):
    # given: a limit of 1,000.00 and an order of 400.00
    customer = await _customer(client, settings, "API-4")
    await _limit(client, settings, customer, "1000.00")
    erp = token(settings, roles=["integrator"], sub="erp")
    order = {
        "orderRef": "SO-9",
        "customerId": customer,
        "amount": {"amount": "400.00", "currency": "CNY"},
    }
    created = await gql(client, ORDER, {"input": order}, erp)
    replayed = await gql(client, ORDER, {"input": order}, erp)
    mismatch = await gql(
        client, ORDER, {"input": {**order, "amount": {"amount": "1.00", "currency": "CNY"}}}, erp
    )
    # when: a credit manager puts the customer on hold
    no_reason = await gql(
        client,
        HOLD,
        {"input": {"customerId": customer, "held": True, "reason": " "}},
        token(settings),
    )
    held = await gql(
        client,
        HOLD,
        {"input": {"customerId": customer, "held": True, "reason": "bounced cheque"}},
        token(settings),
    )
    exposure = await gql(client, EXPOSURE, {"id": customer}, token(settings, roles=["viewer"]))
    blocked = await gql(client, CHECK, _check(customer, "1.00"), erp)
    # then
    assert created["data"]["createSalesOrder"]["order"]["open"]["amount"] == "400.00"
    assert replayed["data"]["createSalesOrder"]["replayed"] is True
    assert mismatch["data"]["createSalesOrder"]["userErrors"] == [
        {"field": "orderRef", "code": "IDEMPOTENCY_MISMATCH"}
    ]
    assert no_reason["data"]["setCreditHold"]["userErrors"] == [
        {"field": "reason", "code": "REQUIRED"}
    ]
    assert held["data"]["setCreditHold"]["hold"] == {
        "held": True,
        "reason": "bounced cheque",
        "setBy": "alice",
    }
    view = exposure["data"]["creditExposure"]["exposure"]
    assert view["exposure"]["ordersTotal"]["amount"] == "400.00"
    assert (view["standing"]["headroom"]["amount"], view["standing"]["utilisation"]) == (
        "600.00",
        "0.4000",
    )
    assert view["onHold"] is True
    assert blocked["data"]["checkCredit"]["check"]["outcome"] == "BLOCKED"
    decisions = await gql(client, DECISIONS, {"id": customer}, token(settings))
    kinds = [e["node"]["kind"] for e in decisions["data"]["creditDecisions"]["edges"]]
    assert kinds == ["CREDIT_CHECK", "LIMIT", "CLASS"]  # the class the customer was given
    assert database.query("SELECT count(*) FROM sales_orders") == [(1,)]


#: Well-formed ids of no object: base64 of `Customer:<uuid>` / `CreditDecision:<uuid>`.
NO_CUSTOMER = base64.urlsafe_b64encode(f"Customer:{uuid.UUID(int=1)}".encode()).decode()
NO_DECISION = base64.urlsafe_b64encode(f"CreditDecision:{uuid.UUID(int=1)}".encode()).decode()


async def test_reads_answer_unknown_ids_and_missing_rates_as_data(client, settings):
    # given
    customer = await _customer(client, settings, "API-5")
    viewer = token(settings, roles=["viewer"])
    # when
    unknown = await gql(client, EXPOSURE, {"id": NO_CUSTOMER}, viewer)
    malformed = await gql(client, EXPOSURE, {"id": "not-an-id"}, viewer)
    replay = await gql(client, REPLAY, {"id": NO_DECISION}, token(settings))
    recommended = await gql(client, RECOMMEND, {"id": customer}, viewer)
    in_usd = await gql(client, RECOMMEND, {"id": customer, "currency": "USD"}, viewer)
    # then: no top-level errors; refusals are userErrors
    assert "errors" not in unknown and "errors" not in replay and "errors" not in in_usd
    assert unknown["data"]["creditExposure"] == {
        "exposure": None,
        "userErrors": [{"field": "customerId", "code": "NOT_FOUND"}],
    }
    assert malformed["data"]["creditExposure"]["userErrors"] == [
        {"field": "customerId", "code": "INVALID_ID"}
    ]
    assert replay["data"]["replayCreditDecision"] is None
    # capital 5,000,000 x 20% x class B 0.70 = 700,000.00 (no sales figure)
    assert recommended["data"]["recommendedCreditLimit"]["recommendation"] == {
        "amount": {"amount": "700000.00", "currency": "CNY"},
        "capitalBasis": {"amount": "1000000.00"},
        "missing": ["annualSales"],
        "termsDays": 30,
    }
    assert in_usd["data"]["recommendedCreditLimit"]["userErrors"] == [
        {"field": "currency", "code": "NO_EXCHANGE_RATE"}
    ]


async def test_reservations_through_the_api_race_within_the_headroom(client, settings, database):
    """Checks that reserve take the customer's credit lock with their BEGIN (one round trip
    instead of two) and, racing through the API, still never exceed the headroom."""
    import asyncio

    from dbschema.engine import add_statement_listener

    # given: a limit of 1,000.00 and nothing owed
    customer = await _customer(client, settings, "API-RACE")
    await _limit(client, settings, customer, "1000.00")
    sales = token(settings, roles=["sales"], sub="sam")
    seen: list[str] = []
    remove = add_statement_listener(seen.append)
    try:
        # when: 24 checks of 100.00 reserve at once
        answers = await asyncio.gather(
            *[
                gql(
                    client,
                    CHECK,
                    _check(customer, "100.00", orderRef=f"R-{n}", reserve=True),
                    sales,
                )
                for n in range(24)
            ]
        )
    finally:
        remove()
    # then: ten fit, the others are asked to prepay, and nothing more is held
    outcomes = [a["data"]["checkCredit"]["check"]["outcome"] for a in answers]
    assert outcomes.count("APPROVED") == 10
    assert outcomes.count("PREPAYMENT_REQUIRED") == 14
    assert database.query(
        "SELECT count(*), sum(amount_minor) FROM credit_reservations WHERE status = 'ACTIVE'"
    ) == [(10, 100_000)]
    opened = [s for s in seen if "app.tenant_id" in s and "pg_advisory_xact_lock" in s]
    assert len(opened) == 24
    assert not [s for s in seen if "pg_advisory_xact_lock" in s and "$" in s]
