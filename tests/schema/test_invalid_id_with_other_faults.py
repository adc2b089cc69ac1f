"""A malformed or mistyped id is one fault among the others: a mutation reports it (INVALID_ID
at the id's path) together with every other refusal of the request, leaves out what follows
from it (that field's NOT_FOUND, any NOT_FOUND, refusals of the objects the request names),
and writes nothing; alone it answers as before. Refusal mode never commits, nested or not."""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa

from dbschema.ledger_tables import idempotency_keys
from domain.roles import ALL_ROLES
from schema.customers.errors import CUSTOMERS
from schema.mutation import decode, respond
from schema.relay import to_global_id
from services.uow import UnitOfWork
from tests.conftest import gql, token
from tests.schema.any_mutation import mutate
from tests.schema.test_customers_api import create
from tests.schema.test_ledger_api import invoice_input

#: not base64 of `Type:uuid`: no id this API ever hands out
MALFORMED = "not-an-id"
#: what the written tables hold after a refused request: nothing
WRITTEN = """SELECT (SELECT count(*) FROM invoices), (SELECT count(*) FROM payments),
  (SELECT count(*) FROM idempotency_keys), (SELECT count(*) FROM credit_limit_requests),
  (SELECT count(*) FROM guarantees), (SELECT count(*) FROM insurance_claims),
  (SELECT count(*) FROM credit_decisions WHERE kind <> 'CLASS'),
  (SELECT count(*) FROM audit_log)"""


def _codes(payload: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


@pytest.fixture
async def world(client, settings) -> dict[str, str]:
    """A token that may call every mutation, a customer and one of its invoices."""
    bearer = token(settings, roles=sorted(ALL_ROLES), sub="ida")
    customer = (await create(client, bearer, "IID-1"))["customer"]["id"]
    posted = await mutate(
        client, bearer, "createInvoice", invoice_input(customer, "IID-INV"), "invoice { id }"
    )
    return {"bearer": bearer, "customer": customer, "invoice": posted["invoice"]["id"]}


def _written(database: Any) -> tuple[Any, ...]:
    return database.query(WRITTEN)[0]


async def test_create_invoice_reports_a_malformed_customer_id_with_a_bad_amount(
    client, database, world
):
    # given an invoice whose customer id is malformed and whose amount is no plain decimal
    before = _written(database)
    bad = invoice_input(MALFORMED, "IID-2", "1e5")
    # when
    payload = await mutate(client, world["bearer"], "createInvoice", bad)
    # then both faults are reported, the id's first, and no NOT_FOUND beside its INVALID_ID
    assert _codes(payload) == [("customerId", "INVALID_ID"), ("amount.amount", "INVALID_AMOUNT")]
    assert _written(database) == before


async def test_create_invoice_reports_a_mistyped_customer_id_with_a_bad_due_date(
    client, database, world
):
    # given an invoice id where the customer's belongs, and a due date before the issue date
    before = _written(database)
    bad = invoice_input(world["invoice"], "IID-3", dueDate="2026-09-01")
    # when
    payload = await mutate(client, world["bearer"], "createInvoice", bad)
    # then
    assert _codes(payload) == [("customerId", "INVALID_ID"), ("dueDate", "DUE_BEFORE_ISSUE")]
    assert _written(database) == before


async def test_a_date_the_input_rules_refuse_comes_first_then_the_id_then_the_work(
    client, database, world
):
    # given an out-of-range due date (the input rules), a malformed id and a negative amount
    before = _written(database)
    bad = invoice_input(MALFORMED, "IID-4", "-1.00", dueDate="9999-12-31")
    # when
    payload = await mutate(client, world["bearer"], "createInvoice", bad)
    # then every fault at once, in that order, each once
    assert _codes(payload) == [
        ("dueDate", "INVALID_DATE"),
        ("customerId", "INVALID_ID"),
        ("amount.amount", "AMOUNT_NOT_POSITIVE"),
    ]
    assert _written(database) == before


async def test_a_malformed_id_alone_answers_exactly_as_before(client, database, world):
    # given inputs that are valid but for one malformed id each
    before = _written(database)
    bearer = world["bearer"]
    # when
    invoice = await mutate(client, bearer, "createInvoice", invoice_input(MALFORMED, "IID-5"))
    archive = await mutate(client, bearer, "archiveCustomer", {"id": MALFORMED, "version": 1})
    check = await mutate(
        client, bearer, "checkCredit", {"customerId": MALFORMED, "amount": "5", "currency": "CNY"}
    )
    # then each answers INVALID_ID on that field and nothing else
    assert _codes(invoice) == [("customerId", "INVALID_ID")]
    assert _codes(archive) == [("id", "INVALID_ID")]
    assert _codes(check) == [("customerId", "INVALID_ID")]
    assert _written(database) == before


async def test_create_payment_reports_every_bad_id_and_the_amount(client, database, world):
    # given a payment with a malformed customer id, an invoice's line naming a customer id,
    # and an amount of no plain decimal
    before = _written(database)
    payment = {
        "customerId": MALFORMED,
        "receivedOn": "2026-10-20",
        "amount": {"amount": "1_000", "currency": "CNY"},
        "allocation": "EXPLICIT",
        "lines": [
            {"invoiceId": world["invoice"], "amount": "10.00"},
            {"invoiceId": world["customer"], "amount": "10.00"},
        ],
        "idempotencyKey": "iid-pay",
    }
    # when
    payload = await mutate(client, world["bearer"], "createPayment", payment)
    # then
    assert _codes(payload) == [
        ("customerId", "INVALID_ID"),
        ("lines.1.invoiceId", "INVALID_ID"),
        ("amount.amount", "INVALID_AMOUNT"),
    ]
    assert _written(database) == before


async def test_a_credit_limit_request_reports_the_id_with_its_other_faults(client, database, world):
    # given a limit request for a malformed customer, of a negative amount, ending before
    # it begins
    before = _written(database)
    request = {
        "customerId": MALFORMED,
        "amount": {"amount": "-5.00", "currency": "CNY"},
        "validFrom": "2026-10-01",
        "validTo": "2026-09-30",
    }
    # when
    payload = await mutate(client, world["bearer"], "requestCreditLimit", request)
    # then
    assert _codes(payload) == [
        ("customerId", "INVALID_ID"),
        ("amount.amount", "NEGATIVE_AMOUNT"),
        ("validTo", "INVALID_PERIOD"),
    ]
    assert _written(database) == before


async def test_a_credit_check_reports_the_id_with_a_bad_currency(client, database, world):
    # given
    before = _written(database)
    check = {"customerId": MALFORMED, "amount": "5.00", "currency": "XYZ"}
    # when
    payload = await mutate(client, world["bearer"], "checkCredit", check)
    # then
    assert _codes(payload) == [("customerId", "INVALID_ID"), ("currency", "UNKNOWN_CURRENCY")]
    assert _written(database) == before


async def test_a_guarantee_reports_both_bad_ids_and_its_dates(client, database, world):
    # given a guarantee whose guarantor and customer ids are malformed and which ends before
    # it begins
    before = _written(database)
    guarantee = {
        "reference": "IID-G",
        "guarantorId": world["customer"],
        "customerId": MALFORMED,
        "kind": "BANK_GUARANTEE",
        "scope": "ALL_DEBTS",
        "amount": {"amount": "30000.00", "currency": "CNY"},
        "validFrom": "2026-12-31",
        "validTo": "2026-01-01",
    }
    # when
    payload = await mutate(client, world["bearer"], "createGuarantee", guarantee)
    # then
    assert _codes(payload) == [
        ("guarantorId", "INVALID_ID"),
        ("customerId", "INVALID_ID"),
        ("validTo", "ENDS_BEFORE_START"),
    ]
    assert _written(database) == before


async def test_what_follows_from_a_malformed_customer_id_is_not_reported(client, database, world):
    # given a guarantee naming the customer's own invoice, for a malformed customer id: with
    # no customer to own it, the invoice would be "another customer's"
    before = _written(database)
    named = {
        "reference": "IID-N",
        "guarantorId": to_global_id("Guarantor", uuid.uuid4()),
        "customerId": MALFORMED,
        "kind": "BANK_GUARANTEE",
        "scope": "NAMED_INVOICES",
        "amount": {"amount": "-1.00", "currency": "CNY"},
        "validFrom": "2026-01-01",
        "validTo": "2026-12-31",
        "invoiceIds": [world["invoice"]],
    }
    unknown = {**named, "customerId": to_global_id("Customer", uuid.uuid4())}
    # when
    payload = await mutate(client, world["bearer"], "createGuarantee", named)
    as_unknown = await mutate(client, world["bearer"], "createGuarantee", unknown)
    # then the id and the amount are refused; neither the invoice (INVOICE_OTHER_CUSTOMER)
    # nor the unknown guarantor (NOT_FOUND, which may echo the bad id) is reported yet,
    # though a well-formed unknown customer id meets them all
    assert _codes(payload) == [
        ("customerId", "INVALID_ID"),
        ("amount.amount", "AMOUNT_NOT_POSITIVE"),
    ]
    assert set(_codes(as_unknown)) == {
        ("customerId", "NOT_FOUND"),
        ("guarantorId", "NOT_FOUND"),
        ("invoiceIds.0", "INVOICE_OTHER_CUSTOMER"),
        ("amount.amount", "AMOUNT_NOT_POSITIVE"),
    }
    assert _written(database) == before


async def test_a_service_naming_the_missing_customer_otherwise_adds_nothing(
    client, database, world
):
    # given a credit file entry for a malformed customer id, dated in the future (its
    # service calls a missing customer NOT_FOUND on `id`, not on `customerId`)
    before = _written(database)
    entry = {
        "customerId": MALFORMED,
        "occurredOn": "2199-12-31",
        "kind": "NOTE",
        "title": "visit",
    }
    # when it is sent so, and with a date of the past
    payload = await mutate(client, world["bearer"], "addCreditFileEntry", entry)
    alone = await mutate(
        client, world["bearer"], "addCreditFileEntry", {**entry, "occurredOn": "2026-01-01"}
    )
    # then the date is refused beside the id; alone, the id is the only refusal
    assert _codes(payload) == [("customerId", "INVALID_ID"), ("occurredOn", "FUTURE_DATE")]
    assert _codes(alone) == [("customerId", "INVALID_ID")]
    assert _written(database) == before


async def test_a_claim_reports_a_bad_invoice_id_in_its_list_with_its_date(client, database, world):
    # given a claim on a malformed invoice id, filed on a date outside the range
    before = _written(database)
    claim = {
        "customerId": world["customer"],
        "invoiceIds": [MALFORMED],
        "filedOn": "0001-01-01",
        "idempotencyKey": "iid-claim",
    }
    # when
    payload = await mutate(client, world["bearer"], "fileClaim", claim)
    # then
    assert _codes(payload) == [("filedOn", "INVALID_DATE"), ("invoiceIds.0", "INVALID_ID")]
    assert _written(database) == before


async def test_queries_keep_a_coded_invalid_id_error(client, world):
    # when reads are given a malformed id
    one = await gql(
        client, "query Q($id: ID!) { customer(id: $id) { id } }", {"id": MALFORMED}, world["bearer"]
    )
    two = await gql(
        client,
        'query Q($id: ID!) { accruedInterest(customerId: $id, asOf: "2026-10-01") { amount } }',
        {"id": MALFORMED},
        world["bearer"],
    )
    # then each is a top-level error coded INVALID_ID, as before, and the field is null
    assert one["errors"][0]["extensions"] == {"code": "INVALID_ID", "field": "id"}
    assert two["errors"][0]["extensions"] == {"code": "INVALID_ID", "field": "customerId"}
    assert one["data"] == {"customer": None} and two["data"] == {"accruedInterest": None}


class _Payload:
    """A payload shaped as the capabilities' are, for driving `respond` directly."""

    catalogue = CUSTOMERS

    def __init__(self, user_errors: list[Any], **fields: Any) -> None:
        self.user_errors = user_errors
        self.fields = fields


def _info(runtime: Any, tenant: uuid.UUID) -> Any:
    return SimpleNamespace(
        context=SimpleNamespace(uow=lambda opening="": UnitOfWork(runtime.engine, tenant))
    )


async def _keys(runtime: Any, tenant: uuid.UUID) -> int:
    async with UnitOfWork(runtime.engine, tenant) as uow:
        return int(await uow.conn.scalar(sa.select(sa.func.count()).select_from(idempotency_keys)))


async def _claim_key(uow: UnitOfWork) -> None:
    await uow.conn.execute(
        idempotency_keys.insert().values(
            tenant_id=uow.tenant_id,
            operation="test",
            key=uuid.uuid4().hex,
            fingerprint="f",
            result={},
        )
    )


async def test_work_that_passes_on_the_stand_in_id_is_never_committed(runtime, tenants):
    # given a work that writes, then decodes a malformed id it would otherwise pass over
    info, tenant = _info(runtime, tenants["acme"]), tenants["acme"]

    async def work(uow: UnitOfWork) -> uuid.UUID:
        await _claim_key(uow)
        return decode(MALFORMED, "Customer", "customerId")

    # when
    payload = await respond(info, _Payload, work)
    # then the id is refused and neither run of the work was committed
    assert [(e.field, e.code.name) for e in payload.user_errors] == [("customerId", "INVALID_ID")]
    assert await _keys(runtime, tenant) == 0


async def test_a_mutation_resolved_inside_refusal_mode_never_commits(runtime, tenants):
    # given a work that (oddly) responds to an inner work of its own before a malformed id
    info, tenant = _info(runtime, tenants["acme"]), tenants["acme"]
    inner_errors: list[Any] = []

    async def work(uow: UnitOfWork) -> uuid.UUID:
        inner = await respond(info, _Payload, _claim_key)
        inner_errors.append(inner.user_errors)
        return decode(to_global_id("Invoice", uuid.uuid4()), "Customer", "customerId")

    # when
    payload = await respond(info, _Payload, work)
    # then only the first, ordinary run's inner work committed: the refusal run's did not
    assert [(e.field, e.code.name) for e in payload.user_errors] == [("customerId", "INVALID_ID")]
    assert inner_errors == [[], []]
    assert await _keys(runtime, tenant) == 1
