"""Closed sets are enums, policy keys have one spelling, completeness is a decimal string."""

from __future__ import annotations

import json
from typing import Any

from dbschema.provision import downgrade, migrate
from infra.settings import Settings
from schema.build import build_schema
from tests.conftest import gql, token
from tests.schema.test_customers_api import create

PAYMENT = """mutation P($input: CreatePaymentInput!) { createPayment(input: $input) {
  payment { id method status } userErrors { field code } } }"""
REVERSE = """mutation R($input: ReversePaymentInput!) { reversePayment(input: $input) {
  payment { method status } userErrors { field code } } }"""
JOB = "mutation { runCreditFileReview { job { id status } userErrors { code } } }"
POLICY = """mutation P($input: UpdateCreditFilePolicyInput!) {
  updateCreditFilePolicy(input: $input) {
    policy { items { key maxAgeDays } } userErrors { field code } } }"""
FILE = """query F($id: ID!) { customer(id: $id) { creditFile {
  completeness { ratio missing { key reason } } } } }"""


def _payment(customer: str, method: str) -> dict[str, Any]:
    return {
        "input": {
            "customerId": customer,
            "receivedOn": "2026-10-20",
            "amount": {"amount": "10.00", "currency": "CNY"},
            "method": method,
            "allocation": "NONE",
            "idempotencyKey": f"pay-{method}",
        }
    }


def test_the_closed_sets_are_enums_with_a_description_per_value() -> None:
    # given the schema as served
    schema = build_schema(Settings())._schema
    # when the closed sets are looked up
    fields = {
        ("Payment", "method"): "PaymentMethod",
        ("Payment", "status"): "PaymentStatus",
        ("Statement", "status"): "StatementStatus",
        ("Job", "status"): "JobStatus",
        ("CreatePaymentInput", "method"): "PaymentMethod",
        ("SetStatementStatusInput", "status"): "StatementStatus",
    }
    # then each is its enum, every value described
    for (type_name, field), enum_name in fields.items():
        of = schema.type_map[type_name].fields[field].type  # type: ignore[union-attr]
        assert getattr(of, "of_type", of).name == enum_name, (type_name, field)
        values = schema.type_map[enum_name].values  # type: ignore[union-attr]
        assert values and all(v.description for v in values.values()), enum_name
    ratio = schema.type_map["Completeness"].fields["ratio"].type  # type: ignore[union-attr]
    assert ratio.of_type.name == "Decimal"


async def test_payment_method_and_status_are_enum_values(client, settings, database):
    # given a customer and finance
    customer = (await create(client, token(settings), "ENUM-1"))["customer"]["id"]
    finance = token(settings, roles=["finance"], sub="fiona")
    # when a cheque is posted, reversed, and a payment by pigeon is tried
    posted = await gql(client, PAYMENT, _payment(customer, "CHEQUE"), finance)
    payment = posted["data"]["createPayment"]["payment"]
    reverse = {"paymentId": payment["id"], "reason": "bounced", "idempotencyKey": "rev-1"}
    reversed_ = await gql(client, REVERSE, {"input": reverse}, finance)
    pigeon = await gql(client, PAYMENT, _payment(customer, "PIGEON"), finance)
    # then
    assert (payment["method"], payment["status"]) == ("CHEQUE", "POSTED")
    assert reversed_["data"]["reversePayment"]["payment"] == {
        "method": "CHEQUE",
        "status": "REVERSED",
    }
    assert pigeon["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert database.query("SELECT method, status FROM payments") == [("CHEQUE", "REVERSED")]


async def test_a_requested_job_reports_an_enum_status(client, settings):
    # when a review is requested
    body = await gql(client, JOB, None, token(settings))
    # then its status is one of the enum's values
    assert body["data"]["runCreditFileReview"]["job"]["status"] in {
        "PENDING",
        "DISPATCHED",
        "RUNNING",
        "SUCCEEDED",
    }


async def test_policy_keys_read_in_one_spelling_and_ratio_is_a_decimal_string(
    client, settings, database
):
    # given a customer with an industry and a registration number but nothing else on file
    manager = token(settings)
    customer = (await create(client, manager, "KEY-1", industry="Steel"))["customer"]["id"]
    # when the policy is set with the old camelCase spelling and the new one mixed
    items = [{"key": "registrationNumber"}, {"key": "INDUSTRY"}, {"key": "annualSales"}]
    policy = await gql(client, POLICY, {"input": {"items": items}}, manager)
    file = await gql(client, FILE, {"id": customer}, manager)
    # then keys come back and are stored SCREAMING_SNAKE, and the ratio is a decimal string
    assert policy["data"]["updateCreditFilePolicy"]["policy"]["items"] == [
        {"key": "REGISTRATION_NUMBER", "maxAgeDays": None},
        {"key": "INDUSTRY", "maxAgeDays": None},
        {"key": "ANNUAL_SALES", "maxAgeDays": None},
    ]
    assert file["data"]["customer"]["creditFile"]["completeness"] == {
        "ratio": "0.6667",
        "missing": [{"key": "ANNUAL_SALES", "reason": "ABSENT"}],
    }
    stored = database.query("SELECT settings->'creditFilePolicy' FROM tenants WHERE slug='acme'")
    assert [i["key"] for i in stored[0][0]] == ["REGISTRATION_NUMBER", "INDUSTRY", "ANNUAL_SALES"]
    # and the same key in both spellings is one item listed twice
    twice = [{"key": "industry"}, {"key": "INDUSTRY"}]
    dup = await gql(client, POLICY, {"input": {"items": twice}}, manager)
    assert dup["data"]["updateCreditFilePolicy"]["userErrors"] == [
        {"field": "items.1.key", "code": "INVALID_INPUT"}
    ]


def test_migration_0023_rewrites_stored_policy_keys_and_back(database, tenants):
    # given a tenant policy stored in camelCase before 0023
    downgrade(database.owner_url, "credit_app", "0020")
    old = [
        {"key": "registrationNumber", "maxAgeDays": None},
        {"key": "partners", "maxAgeDays": None},
        {"key": "FINANCIAL_STATEMENT", "maxAgeDays": 548},
    ]
    database.query(
        "UPDATE tenants SET settings = settings || %s::jsonb WHERE slug = 'acme'",
        json.dumps({"creditFilePolicy": old}),
    )
    # when the migration runs
    migrate(database.owner_url, "credit_app", "0023")
    # then the keys have their one spelling, in order, ages kept
    [(policy,)] = database.query(
        "SELECT settings->'creditFilePolicy' FROM tenants WHERE slug = 'acme'"
    )
    assert policy == [
        {"key": "REGISTRATION_NUMBER", "maxAgeDays": None},
        {"key": "PARTNERS", "maxAgeDays": None},
        {"key": "FINANCIAL_STATEMENT", "maxAgeDays": 548},
    ]
    # and going back restores the spelling the old code reads
    downgrade(database.owner_url, "credit_app", "0020")
    [(back,)] = database.query(
        "SELECT settings->'creditFilePolicy' FROM tenants WHERE slug = 'acme'"
    )
    assert back == old
    migrate(database.owner_url, "credit_app")


def test_the_schema_says_which_idempotency_key_is_required() -> None:
    # given the schema as served, then
    schema = build_schema(Settings())._schema
    fields = schema.type_map["CreateInvoiceInput"].fields  # type: ignore[union-attr]
    assert "Required unless externalId is given" in fields["idempotencyKey"].description
    assert "Required unless idempotencyKey is given" in fields["externalId"].description
