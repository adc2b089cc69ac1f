"""Every date a mutation or an argument carries lies in 1900-01-01..2199-12-31: a boundary date
is INVALID_DATE at the field as the client wrote it, and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import (
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    get_named_type,
)

import dbschema.closing_tables
import dbschema.collections_tables
import dbschema.credit_analysis_tables
import dbschema.credit_limit_tables
import dbschema.delivery_tables
import dbschema.ledger_tables  # noqa: F401  every table on the metadata
from dbschema.tables import metadata
from domain.roles import ALL_ROLES
from tests.conftest import gql, token
from tests.schema.any_mutation import SCHEMA, document, input_type
from tests.schema.boundary_inputs import FAKE, credit_applications, risk_security, risk_transfer
from tests.schema.test_customers_api import create
from tests.schema.test_ledger_api import INVOICE, invoice_input

#: What the probe sent (the days just outside the range are tested in tests/domain).
BOUNDARIES = ["0001-01-01", "9999-12-31"]
PAID = """mutation P($input: CreatePaymentInput!) { createPayment(input: $input) {
  payment { id allocations { id } } userErrors { field code } } }"""


def _fill(value: Any, path: str, replacement: Any) -> Any:
    """A copy of an input with the value at a dotted path replaced."""
    head, _, rest = path.partition(".")
    if isinstance(value, list):
        copy = list(value)
        copy[int(head)] = _fill(copy[int(head)], rest, replacement) if rest else replacement
        return copy
    copy = dict(value)
    copy[head] = _fill(copy[head], rest, replacement) if rest else replacement
    return copy


#: mutation -> (a valid input built from the world's ids, the date fields it carries)
def inputs(world: dict[str, str]) -> dict[str, tuple[dict[str, Any], list[str]]]:
    customer, invoice, payment = world["customer"], world["invoice"], world["payment"]
    money = {"amount": "10.00", "currency": "CNY"}
    return {
        "createInvoice": (invoice_input(customer, "BD-1"), ["issueDate", "dueDate"]),
        "createCreditNote": (
            {
                "number": "BD-CN",
                "invoiceId": invoice,
                "issueDate": "2026-10-02",
                "amount": money,
                "reason": "price",
                "idempotencyKey": "bd-cn",
            },
            ["issueDate"],
        ),
        "createPayment": (
            {
                "customerId": customer,
                "receivedOn": "2026-10-03",
                "amount": money,
                "idempotencyKey": "bd-p",
            },
            ["receivedOn"],
        ),
        "allocatePayment": (
            {"paymentId": payment, "effectiveOn": "2026-10-04", "idempotencyKey": "bd-a"},
            ["effectiveOn"],
        ),
        "reversePayment": (
            {
                "paymentId": payment,
                "reason": "bounced",
                "effectiveOn": "2026-10-04",
                "idempotencyKey": "bd-r",
            },
            ["effectiveOn"],
        ),
        "reverseAllocation": (
            {
                "allocationId": world["allocation"],
                "effectiveOn": "2026-10-04",
                "idempotencyKey": "bd-ra",
            },
            ["effectiveOn"],
        ),
        "postWriteOff": (
            {"id": FAKE, "effectiveOn": "2026-10-04", "idempotencyKey": "bd-w"},
            ["effectiveOn"],
        ),
        "recordRecovery": (
            {
                "caseId": FAKE,
                "amount": "1.00",
                "receivedOn": "2026-10-04",
                "idempotencyKey": "bd-rc",
            },
            ["receivedOn"],
        ),
        "promiseToPay": (
            {"customerId": customer, "amount": money, "promisedOn": "2030-01-01"},
            ["promisedOn"],
        ),
        "createPaymentPlan": (
            {
                "customerId": customer,
                "currency": "CNY",
                "instalments": [{"dueOn": "2030-01-01", "amount": "5.00"}],
            },
            ["instalments.0.dueOn"],
        ),
        "recordActivity": (
            {"customerId": customer, "kind": "CALL", "occurredAt": "2026-10-01T10:00:00+08:00"},
            ["occurredAt"],
        ),
        "addCreditFileEntry": (
            {"customerId": customer, "occurredOn": "2026-10-01", "kind": "NOTE", "title": "t"},
            ["occurredOn"],
        ),
        "recordCreditReview": (
            {
                "customerId": customer,
                "reviewedOn": "2026-10-01",
                "outcome": "KEEP",
                "limitValidTo": "2027-09-30",
            },
            ["reviewedOn", "limitValidTo"],
        ),
        "createCustomer": (
            {"code": "BD-C", "legalName": "边界", "country": "CN", "foundedOn": "2001-01-01"},
            ["foundedOn"],
        ),
        "updateCustomer": (
            {"id": customer, "version": 1, "foundedOn": "2001-01-01"},
            ["foundedOn"],
        ),
        "runProvisions": ({"period": "2026-09-30"}, ["period", "periodEnd"]),
        "closeProvisionRun": ({"period": "2026-09-30"}, ["period", "periodEnd"]),
        "runStatements": ({"period": "2026-09-01"}, ["period"]),
        "runCollections": ({"asOf": "2026-10-05"}, ["asOf"]),
        "runCreditFileReview": ({"asOf": "2026-10-05"}, ["asOf"]),
        "sendDunningLetter": (
            {
                "customerId": customer,
                "kind": "REMINDER",
                "channel": "POST",
                "asOf": "2026-10-05",
                "deadline": "2026-10-15",
            },
            ["asOf", "deadline"],
        ),
        "recordFinancialStatement": (
            {
                "customerId": customer,
                "periodStart": "2025-01-01",
                "periodEnd": "2025-12-31",
                "kind": "ANNUAL",
                "source": "AUDITED",
                "currency": "CNY",
                "unit": "YUAN",
                "lines": [{"line": "CASH", "amount": "100"}],
            },
            ["periodStart", "periodEnd"],
        ),
        "recordExternalCreditRecord": (
            {
                "customerId": customer,
                "kind": "LEGAL_RECORD",
                "source": "court",
                "sourceRef": "BD-1",
                "recordedOn": "2026-10-01",
                "filedOn": "2026-09-01",
                "closedOn": "2026-09-30",
                "evidence": "judgment",
            },
            ["recordedOn", "filedOn", "closedOn"],
        ),
        "scoreCustomer": ({"customerId": customer, "asOf": "2026-10-05"}, ["asOf"]),
        "overrideCreditClass": (
            {
                "customerId": customer,
                "ratingClass": "B",
                "reason": "audited accounts",
                "validUntil": "2027-10-05",
            },
            ["validUntil"],
        ),
        "setExchangeRate": (
            {"base": "USD", "quote": "CNY", "rate": "7.1", "effectiveOn": "2026-10-01"},
            ["effectiveOn"],
        ),
        "requestCreditLimit": (
            {
                "customerId": customer,
                "amount": money,
                "validFrom": "2026-10-01",
                "validTo": "2027-09-30",
            },
            ["validFrom", "validTo"],
        ),
        "createSalesOrder": (
            {
                "orderRef": "BD-SO",
                "customerId": customer,
                "amount": money,
                "orderedOn": "2026-10-01",
            },
            ["orderedOn"],
        ),
        "shipSalesOrder": ({"orderRef": "BD-SO", "shippedOn": "2026-10-02"}, ["shippedOn"]),
        **risk_transfer(customer, invoice, money),
        **risk_security(customer, invoice, money),
        **credit_applications(customer, money),
    }


def _date_paths(input_type: Any, prefix: str = "") -> list[str]:
    """Every path to a Date or DateTime field under an input type (lists as index 0)."""
    paths = []
    for name, field in input_type.fields.items():
        inner = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        step = f"{prefix}{name}" + (".0" if isinstance(inner, GraphQLList) else "")
        named = get_named_type(field.type)
        if named.name in ("Date", "DateTime"):
            paths.append(step)
        elif isinstance(named, GraphQLInputObjectType):
            paths += _date_paths(named, f"{step}.")
    return paths


def test_every_mutation_date_is_covered_here():
    """The class, not a sample: each mutation field holding a date appears in `inputs`, with
    each of its date paths (the SDL says which; imports carry dates as text, tested below)."""
    world = {k: FAKE for k in ("customer", "invoice", "payment", "allocation")}
    table = inputs(world)
    for name in SCHEMA.mutation_type.fields:
        args = SCHEMA.mutation_type.fields[name].args
        if "input" not in args:
            continue
        paths = _date_paths(input_type(name))
        if paths:
            assert name in table, name
            assert sorted(table[name][1]) == sorted(paths), name


def _counts(database: Any) -> dict[str, int]:
    tables = [t.name for t in metadata.sorted_tables]
    row = database.query("SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in tables))[0]
    return dict(zip(tables, row, strict=True))


@pytest.fixture
async def world(client, settings) -> dict[str, str]:
    """A customer with an invoice and a payment allocated to it."""
    bearer = token(settings, roles=sorted(ALL_ROLES), sub="dora")
    customer = (await create(client, bearer, "BD-WORLD"))["customer"]["id"]
    invoice = await gql(client, INVOICE, {"input": invoice_input(customer, "BD-0")}, bearer)
    payment = await gql(
        client,
        PAID,
        {
            "input": {
                "customerId": customer,
                "receivedOn": "2026-10-02",
                "amount": {"amount": "100.00", "currency": "CNY"},
                "idempotencyKey": "bd-0",
            }
        },
        bearer,
    )
    paid = payment["data"]["createPayment"]["payment"]
    return {
        "customer": customer,
        "invoice": invoice["data"]["createInvoice"]["invoice"]["id"],
        "payment": paid["id"],
        "allocation": paid["allocations"][0]["id"],
    }


@pytest.mark.parametrize("boundary", BOUNDARIES)
async def test_each_mutation_refuses_a_boundary_date_and_writes_nothing(
    client, settings, database, world, boundary
):
    # given every mutation's valid input, and a token that may call them all
    bearer = token(settings, roles=sorted(ALL_ROLES), sub="dora")
    before = _counts(database)
    for mutation, (valid, paths) in inputs(world).items():
        for path in paths:
            value = f"{boundary}T00:00:00+14:00" if path == "occurredAt" else boundary
            # when the date is a boundary date
            body = await gql(
                client, document(mutation), {"input": _fill(valid, path, value)}, bearer
            )
            # then the mutation answers INVALID_DATE at that path
            assert "errors" not in body, (mutation, body)
            errors = body["data"][mutation]["userErrors"]
            assert {"field": path, "code": "INVALID_DATE"} in errors, (mutation, path, errors)
    # and nothing was written anywhere
    assert _counts(database) == before


QUERIES = [
    ('{ aging(asOf: "%s") { asOf } }', "asOf"),
    ('{ receivablesKpis(from: "2026-01-01", to: "%s") { currency } }', "to"),
    ('{ receivablesKpis(from: "%s", to: "2026-01-31") { currency } }', "from"),
    ('{ agingTrend(from: "%s", to: "2026-01-31") { asOf } }', "from"),
    ('{ statements(period: "%s") { id } }', "period"),
    ('{ provisionRuns(periodEnd: "%s") { id } }', "periodEnd"),
    ('{ provisionRuns(period: "%s") { id } }', "period"),
    ('{ invoices(first: 1) { edges { node { openAmount(asOf: "%s") { amount } } } } }', "asOf"),
    ('{ invoices(first: 1) { edges { node { status(asOf: "%s") } } } }', "asOf"),
    ('{ invoices(first: 1) { edges { node { daysPastDue(asOf: "%s") } } } }', "asOf"),
    (
        '{ invoices(first: 1) { edges { node { accruedInterest(asOf: "%s") { amount } } } } }',
        "asOf",
    ),
]


@pytest.mark.parametrize("boundary", BOUNDARIES)
@pytest.mark.parametrize(("query", "field"), QUERIES)
async def test_reads_refuse_a_boundary_date_with_a_coded_error(
    client, settings, world, boundary, query, field
):
    body = await gql(client, query % boundary, None, token(settings, roles=["finance"]))
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", body
    assert error["extensions"]["field"] == field
    assert "Unexpected" not in error["message"]


async def test_accrued_interest_refuses_a_boundary_date(client, settings, world):
    body = await gql(
        client,
        'query Q($id: ID!) { accruedInterest(customerId: $id, asOf: "9999-12-31") { amount } }',
        {"id": world["customer"]},
        token(settings, roles=["finance"]),
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
