"""An id in a list is refused at its own place in the input (`statementIds.1`), whether it is
malformed or names nothing of the customer's, so a portal marks the right attachment; a
repeated invoice does not shift the places of those after it."""

from __future__ import annotations

import uuid
from typing import Any

from domain.roles import ALL_ROLES
from schema.relay import to_global_id
from tests.conftest import gql, token
from tests.schema.any_mutation import mutate
from tests.schema.test_customers_api import create
from tests.schema.test_ledger_api import invoice_input

APPLICATION_ROWS = "SELECT count(*) FROM credit_applications"


def _codes(payload: dict[str, Any]) -> set[tuple[str | None, str]]:
    return {(e["field"], e["code"]) for e in payload["userErrors"]}


def _application(customer: str, statements: list[str]) -> dict[str, Any]:
    return {
        "customerId": customer,
        "requestedLimit": {"amount": "100000.00", "currency": "CNY"},
        "validFrom": "2026-10-01",
        "validTo": "2027-09-30",
        "purpose": "new orders",
        "statementIds": statements,
        "externalRecordIds": [to_global_id("ExternalCreditRecord", uuid.uuid4())],
    }


async def test_application_attachments_are_refused_each_at_its_place(client, settings, database):
    # given
    bearer = token(settings, roles=["sales"], sub="sam")
    customer = (await create(client, token(settings, roles=["credit_analyst"]), "LP-1"))[
        "customer"
    ]["id"]
    unknown = [str(to_global_id("FinancialStatement", uuid.uuid4())) for _ in range(2)]
    # when
    unknown_both = await mutate(
        client, bearer, "submitCreditApplication", _application(customer, unknown)
    )
    malformed_second = await mutate(
        client, bearer, "submitCreditApplication", _application(customer, [unknown[0], "nope"])
    )
    # then every unknown attachment is named at its index, and a malformed one too
    assert _codes(unknown_both) == {
        ("statementIds.0", "NOT_FOUND"),
        ("statementIds.1", "NOT_FOUND"),
        ("externalRecordIds.0", "NOT_FOUND"),
    }
    assert ("statementIds.1", "INVALID_ID") in _codes(malformed_second)
    assert database.query(APPLICATION_ROWS) == [(0,)]


async def test_a_repeated_invoice_does_not_shift_the_place_of_an_unknown_one(client, settings):
    # given a guarantee naming the customer's invoice twice, then an invoice of nothing
    bearer = token(settings, roles=sorted(ALL_ROLES), sub="gia")
    customer = (await create(client, bearer, "LP-2"))["customer"]["id"]
    posted = await mutate(
        client, bearer, "createInvoice", invoice_input(customer, "LP-INV"), "invoice { id }"
    )
    own = posted["invoice"]["id"]
    nothing = str(to_global_id("Invoice", uuid.uuid4()))
    guarantee = {
        "reference": "LP-G",
        "guarantorId": to_global_id("Guarantor", uuid.uuid4()),
        "customerId": customer,
        "kind": "BANK_GUARANTEE",
        "scope": "NAMED_INVOICES",
        "amount": {"amount": "100.00", "currency": "CNY"},
        "validFrom": "2026-01-01",
        "validTo": "2026-12-31",
        "invoiceIds": [own, own, nothing],
    }
    # when
    payload = await gql(
        client,
        "mutation G($input: CreateGuaranteeInput!) { createGuarantee(input: $input) { "
        "userErrors { field code } } }",
        {"input": guarantee},
        bearer,
    )
    # then the unknown invoice is the third of the input
    assert ("invoiceIds.2", "NOT_FOUND") in _codes(payload["data"]["createGuarantee"])
