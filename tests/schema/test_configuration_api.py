"""Tenant receivables policy, terms templates and customer credit terms through GraphQL."""

from __future__ import annotations

from tests.conftest import gql, token
from tests.schema.test_customers_api import create
from tests.schema.test_ledger_api import INVOICE, invoice_input

SETTINGS = """{ receivablesSettings { agingBuckets { label minDays maxDays }
  ageBuckets { label } escalationLadder { key minDays maxDays ownerRole }
  provisionMatrix { basis bands { minDays rate } } lateInterestDailyRate graceDays
  reminderDaysBeforeDue writeOffDualApprovalMinorUnits overridden } }"""
UPDATE = """mutation U($input: UpdateReceivablesSettingsInput!) {
  updateReceivablesSettings(input: $input) {
    settings { agingBuckets { label } reminderDaysBeforeDue lateInterestDailyRate overridden }
    userErrors { field code } } }"""
TERMS = """mutation T($input: SavePaymentTermsInput!) { savePaymentTerms(input: $input) {
  template { code name terms { kind netDays instalments { percent offsetDays } } }
  userErrors { field code } } }"""
CATALOGUE = """{ paymentTerms { templates { code }
  classDefaults { ratingClass terms { kind netDays } } } }"""
CREDIT = """mutation C($input: SetCustomerCreditTermsInput!) {
  setCustomerCreditTerms(input: $input) {
  customer { version ratingClass paymentTermsCode lateInterestDailyRate
             auditTrail { mutation changes } }
  classOverride { id status fromClass toClass }
  userErrors { field code } } }"""
APPROVE = """mutation A($input: DecideClassOverrideInput!) { decideClassOverride(input: $input) {
  userErrors { field code } } }"""
AGING = """{ aging(asOf: "2026-11-24") { totals { buckets { label amount { amount } } } } }"""


async def test_defaults_are_the_source_practice(client, settings):
    body = await gql(client, SETTINGS, None, token(settings, roles=["viewer"]))
    s = body["data"]["receivablesSettings"]
    assert [b["label"] for b in s["agingBuckets"]] == [
        "CURRENT",
        "1-30",
        "31-60",
        "61-90",
        "91-180",
        "181-365",
        "365+",
    ]
    assert [b["label"] for b in s["ageBuckets"]] == ["<1Y", "1-2Y", "2-3Y", ">3Y"]
    assert [(x["key"], x["minDays"], x["ownerRole"]) for x in s["escalationLadder"]] == [
        ("SALES_CALL", 1, "sales"),
        ("CREDIT_MANAGER", 31, "credit_manager"),
        ("LAWYER_LETTER", 61, "legal"),
        ("LITIGATION", 91, "legal"),
    ]
    assert s["provisionMatrix"]["basis"] == "AGE"
    assert [b["rate"] for b in s["provisionMatrix"]["bands"]] == ["0.05", "0.30", "0.50", "1.00"]
    assert (s["lateInterestDailyRate"], s["reminderDaysBeforeDue"], s["overridden"]) == (
        "0.0005",
        7,
        [],
    )


async def test_custom_buckets_drive_aging_and_reset_restores_defaults(client, settings, database):
    # given: an invoice 40 days past due
    manager = token(settings)
    customer = (await create(client, manager, "CFG-1"))["customer"]["id"]
    await gql(
        client,
        INVOICE,
        {"input": {**invoice_input(customer), "issueDate": "2026-09-01", "dueDate": "2026-10-15"}},
        token(settings, roles=["finance"]),
    )
    buckets = [
        {"label": "NOT DUE", "minDays": 0, "maxDays": 0},
        {"label": "1-45", "minDays": 1, "maxDays": 45},
        {"label": "46+", "minDays": 46},
    ]
    # when
    changed = await gql(
        client,
        UPDATE,
        {
            "input": {
                "agingBuckets": buckets,
                "reminderDaysBeforeDue": 10,
                "lateInterestDailyRate": "0.0003",
            }
        },
        manager,
    )
    aged = await gql(client, AGING, None, manager)
    reset = await gql(client, UPDATE, {"input": {"agingBuckets": None}}, manager)
    # then
    result = changed["data"]["updateReceivablesSettings"]
    assert result["userErrors"] == []
    assert result["settings"]["overridden"] == [
        "agingBuckets",
        "lateInterestDailyRate",
        "reminderDaysBeforeDue",
    ]
    totals = aged["data"]["aging"]["totals"][0]["buckets"]
    assert [(b["label"], b["amount"]["amount"]) for b in totals] == [
        ("NOT DUE", "0.00"),
        ("1-45", "1000.00"),
        ("46+", "0.00"),
    ]
    after = reset["data"]["updateReceivablesSettings"]["settings"]
    assert after["agingBuckets"][0]["label"] == "CURRENT"
    assert after["reminderDaysBeforeDue"] == 10
    assert database.query(
        "SELECT action, changes ? 'agingBuckets' FROM audit_log WHERE entity_type = 'Tenant'"
    ) == [("UPDATE_RECEIVABLES_SETTINGS", True), ("UPDATE_RECEIVABLES_SETTINGS", True)]


async def test_invalid_policy_is_refused_whole_and_writes_nothing(client, settings, database):
    body = await gql(
        client,
        UPDATE,
        {
            "input": {
                "agingBuckets": [
                    {"label": "A", "minDays": 0, "maxDays": 10},
                    {"label": "B", "minDays": 20},
                ],
                "escalationLadder": [
                    {"key": "X", "minDays": 1, "ownerRole": "janitor", "action": "sweep"}
                ],
                "lateInterestDailyRate": "0.5",
                "provisionMatrix": {"basis": "AGE", "bands": [{"minDays": 0, "rate": "1.5"}]},
                "reminderDaysBeforeDue": -1,
            }
        },
        token(settings),
    )
    errors = body["data"]["updateReceivablesSettings"]["userErrors"]
    assert {(e["field"], e["code"]) for e in errors} == {
        ("agingBuckets", "INVALID_BUCKETS"),
        ("escalationLadder.0.ownerRole", "INVALID_LADDER"),
        ("lateInterestDailyRate", "INVALID_INPUT"),
        ("provisionMatrix", "INVALID_MATRIX"),
        ("reminderDaysBeforeDue", "INVALID_INPUT"),
    }
    assert database.query("SELECT settings FROM tenants WHERE slug = 'acme'") == [({},)]
    assert database.query("SELECT count(*) FROM audit_log") == [(0,)]
    sales = await gql(client, UPDATE, {"input": {"graceDays": 3}}, token(settings, roles=["sales"]))
    assert sales["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_class_template_and_customer_terms_set_due_dates(client, settings, database):
    # given: class B now pays in 45 days; an instalment template exists
    manager, finance = token(settings), token(settings, roles=["finance"])
    saved = await gql(
        client,
        TERMS,
        {"input": {"code": "class_b", "name": "Class B, 45 days", "kind": "NET", "netDays": 45}},
        manager,
    )
    split = await gql(
        client,
        TERMS,
        {
            "input": {
                "code": "HALF-HALF",
                "name": "50% at 30, 50% at 60",
                "kind": "INSTALMENTS",
                "instalments": [
                    {"percent": "50", "offsetDays": 30},
                    {"percent": "50", "offsetDays": 60},
                ],
            }
        },
        manager,
    )
    bad = await gql(
        client,
        TERMS,
        {
            "input": {
                "code": "BAD",
                "name": "does not add up",
                "kind": "INSTALMENTS",
                "instalments": [{"percent": "60", "offsetDays": 30}],
            }
        },
        manager,
    )
    assert saved["data"]["savePaymentTerms"]["template"]["code"] == "CLASS_B"
    assert split["data"]["savePaymentTerms"]["userErrors"] == []
    assert bad["data"]["savePaymentTerms"]["userErrors"] == [
        {"field": "instalments", "code": "INVALID_TERMS"}
    ]
    catalogue = (await gql(client, CATALOGUE, None, manager))["data"]["paymentTerms"]
    assert [t["code"] for t in catalogue["templates"]] == ["CLASS_B", "HALF-HALF"]
    assert {c["ratingClass"]: c["terms"]["netDays"] for c in catalogue["classDefaults"]} == {
        "A": 60,
        "B": 45,
        "C": 15,
        "D": 0,
    }
    # when: one unrated customer (class B), one set to class C with an agreed interest rate
    b = (await create(client, manager, "TB"))["customer"]
    c = (await create(client, manager, "TC"))["customer"]
    set_c = await gql(
        client,
        CREDIT,
        {
            "input": {
                "id": c["id"],
                "version": c["version"],
                "ratingClass": "C",
                "reason": "new customer, short terms",
                "lateInterestDailyRate": "0.0002",
            }
        },
        manager,
    )
    pending = set_c["data"]["setCustomerCreditTerms"]["classOverride"]
    bob = token(settings, sub="bob")
    approved = await gql(client, APPROVE, {"input": {"id": pending["id"], "approve": True}}, bob)
    stale = await gql(
        client,
        CREDIT,
        {"input": {"id": c["id"], "version": 1, "ratingClass": "A", "reason": "r"}},
        manager,
    )
    unknown = await gql(
        client,
        CREDIT,
        {"input": {"id": c["id"], "version": 3, "paymentTermsCode": "NOPE"}},
        manager,
    )
    by_sales = await gql(
        client,
        CREDIT,
        {"input": {"id": c["id"], "version": 3, "ratingClass": "A", "reason": "r"}},
        token(settings, roles=["sales"]),
    )
    due = {}
    for code, customer in (("B", b["id"]), ("C", c["id"])):
        body = await gql(
            client, INVOICE, {"input": invoice_input(customer, f"INV-{code}")}, finance
        )
        due[code] = body["data"]["createInvoice"]["invoice"]["dueDate"]
    # then
    # (a first class better than D waits for a second credit manager; the rate applies now)
    updated = set_c["data"]["setCustomerCreditTerms"]["customer"]
    assert (updated["ratingClass"], updated["lateInterestDailyRate"]) == (None, "0.0002")
    assert (pending["status"], pending["fromClass"], pending["toClass"]) == ("PENDING", None, "C")
    assert approved["data"]["decideClassOverride"]["userErrors"] == []
    [terms] = [e for e in updated["auditTrail"] if e["mutation"] == "setCustomerCreditTerms"]
    assert terms["changes"]["lateInterestDailyRate"]["after"] == "0.0002"
    assert stale["data"]["setCustomerCreditTerms"]["userErrors"][0]["code"] == "STALE_VERSION"
    assert unknown["data"]["setCustomerCreditTerms"]["userErrors"] == [
        {"field": "paymentTermsCode", "code": "NOT_FOUND"}
    ]
    assert by_sales["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert due == {"B": "2026-11-15", "C": "2026-10-16"}  # issued 2026-10-01: 45 and 15 days
    assert database.query("SELECT rating_class FROM customers WHERE code = 'TC'") == [("C",)]
