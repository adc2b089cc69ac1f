"""The probe's findings through the API: two approvals from two people, malformed values,
cursors of the wrong shape, loose amounts, overlong texts and the maximum per document are
each refused with a code, never a crash, and nothing is written."""

from __future__ import annotations

import base64
import json
from typing import Any

import psycopg
import pytest

from domain.roles import ALL_ROLES
from tests.conftest import gql, token
from tests.schema.any_mutation import mutate
from tests.schema.test_boundary_dates_api import _counts
from tests.schema.test_customers_api import create
from tests.schema.test_imports_api import post_csv
from tests.schema.test_ledger_api import invoice_input

MEGABYTE = "欠" * (1 << 20)
PROPOSAL = "proposal { id status } userErrors { field code }"


@pytest.fixture
async def customer(client, settings) -> str:
    """A customer (code HARD-1) with one open invoice of 60,000.00 CNY."""
    manager = token(settings, sub="mia")
    customer_id = (await create(client, manager, "HARD-1"))["customer"]["id"]
    await mutate(
        client,
        token(settings, roles=["finance"], sub="fiona"),
        "createInvoice",
        invoice_input(customer_id, "HARD-INV", "60000.00"),
    )
    return str(customer_id)


async def _invoice_id(client: Any, bearer: str) -> str:
    body = await gql(client, "{ invoices(first: 1) { edges { node { id } } } }", None, bearer)
    return str(body["data"]["invoices"]["edges"][0]["node"]["id"])


async def test_one_person_holding_both_roles_gives_one_approval_only(
    client, settings, database, customer
):
    # given a 60,000.00 write-off (finance and the credit manager must approve) by carl
    one_person = token(settings, roles=["finance", "credit_manager"], sub="one-person")
    invoice = await _invoice_id(client, one_person)
    proposed = await mutate(
        client,
        token(settings, roles=["collector"], sub="carl"),
        "proposeWriteOff",
        {
            "customerId": customer,
            "reason": "insolvent",
            "lines": [{"invoiceId": invoice, "amount": "60000.00"}],
            "idempotencyKey": "four-eyes",
        },
        PROPOSAL,
    )
    decide = {"id": proposed["proposal"]["id"], "approve": True}
    # when one person holding both roles approves twice
    first = await mutate(client, one_person, "decideWriteOff", decide, PROPOSAL)
    second = await mutate(client, one_person, "decideWriteOff", decide, PROPOSAL)
    # then the second approval is refused: it needs another person
    assert first["proposal"]["status"] == "PROPOSED"
    assert second["userErrors"] == [{"field": "id", "code": "SAME_APPROVER"}]
    assert database.query("SELECT status FROM write_off_proposals") == [("PROPOSED",)]
    assert database.query("SELECT approver FROM write_off_approvals") == [("one-person",)]
    # and the proposer may not give it either, while someone else completes it
    own = await mutate(
        client, token(settings, roles=["credit_manager"], sub="carl"), "decideWriteOff", decide
    )
    other = await mutate(
        client,
        token(settings, roles=["finance", "credit_manager"], sub="fay"),
        "decideWriteOff",
        decide,
        PROPOSAL,
    )
    assert own["userErrors"] == [{"field": "id", "code": "SELF_APPROVAL"}]
    assert other["proposal"]["status"] == "APPROVED"


TERMS_WITH = {"code": "HALF", "name": "Half and half", "kind": "INSTALMENTS"}


@pytest.mark.parametrize(
    ("mutation", "value", "field", "code"),
    [
        (
            "savePaymentTerms",
            {**TERMS_WITH, "instalments": [{"percent": "NaN", "offsetDays": 0}]},
            "instalments.0.percent",
            "INVALID_AMOUNT",
        ),
        (
            "savePaymentTerms",
            {**TERMS_WITH, "instalments": [{"percent": "sNaN", "offsetDays": 0}]},
            "instalments.0.percent",
            "INVALID_AMOUNT",
        ),
        (
            "savePaymentTerms",
            {**TERMS_WITH, "instalments": [{"percent": "1_00", "offsetDays": 0}]},
            "instalments.0.percent",
            "INVALID_AMOUNT",
        ),
        (
            "savePaymentTerms",
            {**TERMS_WITH, "instalments": [{"percent": "100", "offsetDays": 2_000_000_000}]},
            "instalments.0.offsetDays",
            "INVALID_TERMS",
        ),
        (
            "updateReceivablesSettings",
            {"lateInterestDailyRate": "5e-4"},
            "lateInterestDailyRate",
            "INVALID_AMOUNT",
        ),
        (
            "updateReceivablesSettings",
            {"provisionMatrix": {"basis": "AGE", "bands": [{"minDays": 0, "rate": "NaN"}]}},
            "provisionMatrix.bands.0.rate",
            "INVALID_MATRIX",
        ),
        (
            "updateReceivablesSettings",
            {"maxDocumentAmountMinorUnits": "1000000000000001"},
            "maxDocumentMinor",
            "INVALID_AMOUNT",
        ),
    ],
)
async def test_malformed_rates_and_percentages_are_user_errors(
    client, settings, database, mutation, value, field, code
):
    before = _counts(database)
    payload = await mutate(client, token(settings), mutation, value)
    assert {"field": field, "code": code} in payload["userErrors"], payload
    assert _counts(database) == before


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "2026-10-01T10:00:00"])
async def test_an_activity_at_year_one_or_without_an_offset_is_a_user_error(
    client, settings, database, customer, moment
):
    before = _counts(database)
    payload = await mutate(
        client,
        token(settings, roles=["collector"]),
        "recordActivity",
        {"customerId": customer, "kind": "CALL", "occurredAt": moment},
    )
    assert payload["userErrors"] == [{"field": "occurredAt", "code": "INVALID_DATE"}]
    assert _counts(database) == before


def _cursor(value: Any, row: Any = "00000000-0000-0000-0000-000000000000") -> str:
    return base64.urlsafe_b64encode(json.dumps([value, row]).encode()).decode()


CURSORS = {
    "list": _cursor([1, 2]),
    "boolean": _cursor(True),
    "huge integer": _cursor(2**200),
    "date": _cursor({"t": "9999-12-31", "dt": False}),
    "naive moment": _cursor({"t": "2026-01-01T00:00:00", "dt": True}),
    "object": _cursor({"x": 1}),
    "id as a list": _cursor("a", [1]),
    "bare number": base64.urlsafe_b64encode(b"12").decode(),
    "overlong": "A" * 12_001,
}
PAGES = {
    "invoices": "query Q($a: String) { invoices(first: 1, after: $a) { totalCount } }",
    "payments": "query Q($a: String) { payments(first: 1, after: $a) { totalCount } }",
    "customers": "query Q($a: String) { customers(first: 1, after: $a) { totalCount } }",
    "warnings": "query Q($a: String) { warnings(first: 1, after: $a) { totalCount } }",
    "aging": "query Q($a: String) { aging(first: 1, after: $a) { totalCount } }",
    "customers by date": (
        "query Q($a: String) { customers(first: 1, after: $a, "
        "orderBy: {field: CREATED}) { totalCount } }"
    ),
}


@pytest.mark.parametrize("shape", sorted(CURSORS))
async def test_cursors_of_the_wrong_shape_are_bad_user_input(client, settings, shape):
    bearer = token(settings, roles=["finance"])
    for name, query in PAGES.items():
        body = await gql(client, query, {"a": CURSORS[shape]}, bearer)
        assert body.get("data") in (None, {}) or body["errors"], (name, body)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", (name, body)


async def test_a_cursor_of_another_list_is_bad_user_input(client, settings):
    """A date cursor (invoices) where a name is sorted (customers), and the other way round."""
    bearer = token(settings, roles=["finance"])
    dated = _cursor({"t": "2026-01-01", "dt": False})
    named = _cursor("ACME")
    for query, cursor in ((PAGES["customers"], dated), (PAGES["invoices"], named)):
        body = await gql(client, query, {"a": cursor}, bearer)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body


async def test_csv_with_a_nul_or_a_date_out_of_range(client, settings, database, customer):
    finance = token(settings, roles=["finance"])
    header = b"external_id,customer_code,received_on,amount,currency,method,reference\n"
    nul = await post_csv(
        client, finance, header + b"n-1,HARD-1,2026-10-02,1.00,CNY,CASH,ref\x00x\n", "payments"
    )
    late = await post_csv(
        client, finance, header + b"n-2,HARD-1,9999-12-31,1.00,CNY,CASH,ref\n", "payments"
    )
    invoices = await post_csv(
        client,
        finance,
        b"external_id,number,customer_code,issue_date,amount,currency\n"
        b"n-3,N-3,HARD-1,0001-01-01,1.00,CNY\n",
    )
    assert (nul.status_code, nul.json()["error"]["code"]) == (400, "MALFORMED_CSV")
    assert late.status_code == 200
    assert late.json()["results"][0]["userErrors"][0]["field"] == "receivedOn"
    assert late.json()["results"][0]["userErrors"][0]["code"] == "INVALID_DATE"
    assert invoices.json()["results"][0]["userErrors"][0]["code"] == "INVALID_DATE"
    assert database.query("SELECT count(*) FROM payments") == [(0,)]
    assert database.query("SELECT count(*) FROM invoices") == [(1,)]


async def test_a_megabyte_in_any_probed_text_is_too_long_and_writes_nothing(
    client, settings, database, customer
):
    bearer = token(settings, roles=sorted(ALL_ROLES), sub="dora")
    invoice = await _invoice_id(client, bearer)
    money = {"amount": "1.00", "currency": "CNY"}
    cases = [
        (
            "recordActivity",
            {
                "customerId": customer,
                "kind": "CALL",
                "occurredAt": "2026-10-01T10:00:00+08:00",
                "notes": MEGABYTE,
            },
            "notes",
        ),
        (
            "addCreditFileEntry",
            {
                "customerId": customer,
                "occurredOn": "2026-10-01",
                "kind": "NOTE",
                "title": "t",
                "body": MEGABYTE,
            },
            "body",
        ),
        (
            "createPayment",
            {
                "customerId": customer,
                "receivedOn": "2026-10-01",
                "amount": money,
                "reference": MEGABYTE,
                "idempotencyKey": "mb",
            },
            "reference",
        ),
        (
            "proposeWriteOff",
            {
                "customerId": customer,
                "reason": MEGABYTE,
                "idempotencyKey": "mb",
                "lines": [{"invoiceId": invoice, "amount": "1.00"}],
            },
            "reason",
        ),
        (
            "proposeWriteOff",
            {
                "customerId": customer,
                "reason": "r",
                "idempotencyKey": "mb2",
                "evidence": ["ok", MEGABYTE],
                "lines": [{"invoiceId": invoice, "amount": "1.00"}],
            },
            "evidence.1",
        ),
        ("openDispute", {"invoiceId": invoice, "amount": "1.00", "reason": MEGABYTE}, "reason"),
        ("createInvoice", invoice_input(customer, "X" * 201), "number"),
        (
            "createCustomer",
            {
                "code": "MB",
                "legalName": "n",
                "country": "CN",
                "contacts": [{"name": "a", "phone": "1" * 41}],
            },
            "contacts.0.phone",
        ),
    ]
    before = _counts(database)
    for mutation, value, field in cases:
        payload = await mutate(client, bearer, mutation, value)
        assert {"field": field, "code": "TOO_LONG"} in payload["userErrors"], (mutation, payload)
    assert _counts(database) == before


@pytest.mark.parametrize(
    "amount",
    [
        "1_000",
        "١٢٣",
        "1e5",
        " 1",
        "1 ",
        "NaN",
        "sNaN",
        "Infinity",
        "0x10",
        "1,000.00",
        "+-1",
        "٣.٠",
    ],
)
async def test_amounts_are_plain_ascii_decimals_only(client, settings, database, customer, amount):
    payload = await mutate(
        client,
        token(settings, roles=["finance"]),
        "createInvoice",
        invoice_input(customer, "LOOSE", amount),
    )
    assert payload["userErrors"] == [{"field": "amount.amount", "code": "INVALID_AMOUNT"}]
    assert database.query("SELECT count(*) FROM invoices") == [(1,)]


async def test_the_maximum_per_document_is_the_ceiling_or_what_the_tenant_set(
    client, settings, database, customer
):
    finance = token(settings, roles=["finance"])
    # the ceiling: 10^15 minor units (10,000,000,000,000.00 CNY) and not a unit more
    at = await mutate(
        client, finance, "createInvoice", invoice_input(customer, "MAX-1", "10000000000000.00")
    )
    above = await mutate(
        client, finance, "createInvoice", invoice_input(customer, "MAX-2", "10000000000000.01")
    )
    # a tenant may set less
    lowered = await mutate(
        client,
        token(settings),
        "updateReceivablesSettings",
        {"maxDocumentAmountMinorUnits": "100000"},
        "settings { maxDocumentAmountMinorUnits } userErrors { field code }",
    )
    small = await mutate(
        client, finance, "createInvoice", invoice_input(customer, "MAX-3", "1000.00")
    )
    big = await mutate(
        client, finance, "createInvoice", invoice_input(customer, "MAX-4", "1000.01")
    )
    payment = await mutate(
        client,
        finance,
        "createPayment",
        {
            "customerId": customer,
            "receivedOn": "2026-10-01",
            "idempotencyKey": "max-p",
            "amount": {"amount": "1000.01", "currency": "CNY"},
        },
    )
    assert at["userErrors"] == []
    assert above["userErrors"] == [{"field": "amount.amount", "code": "AMOUNT_TOO_LARGE"}]
    assert lowered["settings"]["maxDocumentAmountMinorUnits"] == "100000"
    assert small["userErrors"] == []
    assert big["userErrors"] == [{"field": "amount.amount", "code": "AMOUNT_TOO_LARGE"}]
    assert payment["userErrors"] == [{"field": "amount.amount", "code": "AMOUNT_TOO_LARGE"}]
    assert database.query("SELECT number FROM invoices ORDER BY number") == [
        ("HARD-INV",),
        ("MAX-1",),
        ("MAX-3",),
    ]


async def test_the_database_refuses_what_the_api_refuses(database, tenants, customer):
    """An import path that bypassed every Python check still could not store these."""
    inserts = [
        "INSERT INTO activities (tenant_id, customer_id, kind, occurred_at, notes, created_by) "
        "SELECT tenant_id, id, 'NOTE', now(), %s, 'x' FROM customers",
        "INSERT INTO invoices (tenant_id, number, customer_id, issue_date, due_date, currency, "
        "amount_minor, open_minor, fingerprint, created_by) SELECT tenant_id, 'DB-1', id, "
        "'9999-12-31', '9999-12-31', 'CNY', 1, 1, 'f', 'x' FROM customers WHERE %s = %s",
        "INSERT INTO invoices (tenant_id, number, customer_id, issue_date, due_date, currency, "
        "amount_minor, open_minor, fingerprint, created_by) SELECT tenant_id, 'DB-2', id, "
        "'2026-01-01', '2026-01-01', 'CNY', 1000000000000001, 1, 'f', 'x' FROM customers "
        "WHERE %s = %s",
    ]
    params = [(MEGABYTE,), ("a", "a"), ("a", "a")]
    for sql, values in zip(inserts, params, strict=True):
        with psycopg.connect(database.app_url) as conn:
            conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tenants["acme"]),))
            with pytest.raises(psycopg.errors.CheckViolation):
                conn.execute(sql, values)  # type: ignore[arg-type]
