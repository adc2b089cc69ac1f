"""Extreme but valid receivables rows through the public mutations: a customer with every
text at its limit, invoices and payments at both ends of the date range in JPY, CNY and KWD,
and the promises, credit note, dispute, write-off, plan, activity and terms on them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from domain import texts
from tests.jobs.extreme_values import (
    CURRENCIES,
    EARLIEST,
    ID,
    LARGEST,
    LATEST,
    longest,
    ok,
    token_for,
    unique,
)


def customer_input(code: str) -> dict[str, Any]:
    email = "e" * (texts.EMAIL.max_chars - len("@example.com")) + "@example.com"
    return {
        "code": code,
        "legalName": longest(texts.LEGAL_NAME),
        "country": "SE",
        "registrationNumber": "R" * texts.CODE.max_chars,
        "industry": longest(texts.SHORT),
        "foundedOn": EARLIEST,
        "registeredCapital": {"amount": LARGEST["KWD"], "currency": "KWD"},
        "annualSales": {"amount": LARGEST["JPY"], "currency": "JPY"},
        "businessModel": longest(texts.SUMMARY),
        "companyHistory": longest(texts.TEXT),
        "salesperson": longest(texts.NAME),
        "contacts": [
            {
                "name": longest(texts.NAME),
                "role": longest(texts.SHORT),
                "phone": "8" * texts.PHONE.max_chars,
                "email": email,
            }
        ]
        * texts.MAX_CONTACTS,
    }


async def seed_extremes(client: Any, bearer: str) -> str:
    """The extreme rows, each through its mutation; the customer's id."""
    customer = (
        await ok(
            client,
            bearer,
            "createCustomer",
            customer_input(unique(texts.CODE, "EXT")),
            "customer { id } userErrors { field code }",
        )
    )["customer"]["id"]
    invoices = []
    for currency in CURRENCIES:
        for n, (issue, due) in enumerate(
            [(EARLIEST, EARLIEST), (LATEST, LATEST), (EARLIEST, LATEST), (LATEST, None)]
        ):
            tag = f"{currency}{n}"
            value = {
                "number": unique(texts.REFERENCE, tag),
                "customerId": customer,
                "issueDate": issue,
                "amount": {"amount": LARGEST[currency], "currency": currency},
                "orderRef": longest(texts.REFERENCE),
                "externalId": unique(texts.REFERENCE, "ext" + tag),
                "salesperson": longest(texts.NAME),
                "idempotencyKey": unique(texts.REFERENCE, "key" + tag),
            }
            if due:
                value["dueDate"] = due
            invoices.append(
                (
                    await ok(
                        client,
                        bearer,
                        "createInvoice",
                        value,
                        "invoice { id } userErrors { field code }",
                    )
                )["invoice"]["id"]
            )
        for on in (EARLIEST, LATEST):
            await ok(
                client,
                bearer,
                "createPayment",
                {
                    "customerId": customer,
                    "receivedOn": on,
                    "amount": {"amount": LARGEST[currency], "currency": currency},
                    "reference": longest(texts.REFERENCE),
                    "idempotencyKey": unique(texts.REFERENCE, f"pay{currency}{on}"),
                },
                "payment { id } userErrors { field code }",
            )
        await ok(
            client,
            bearer,
            "promiseToPay",
            {
                "customerId": customer,
                "promisedOn": LATEST,
                "amount": {"amount": LARGEST[currency], "currency": currency},
            },
            ID,
        )
    # the 2199 invoices are still open: a credit note, a dispute and a write-off on them
    jpy_late, cny_late, kwd_late = invoices[1], invoices[5], invoices[9]
    await ok(
        client,
        bearer,
        "createCreditNote",
        {
            "number": unique(texts.REFERENCE, "CN"),
            "invoiceId": jpy_late,
            "issueDate": LATEST,
            "amount": {"amount": "1", "currency": "JPY"},
            "reason": longest(texts.NOTE),
            "externalId": unique(texts.REFERENCE, "cn-ext"),
            "idempotencyKey": unique(texts.REFERENCE, "cn"),
        },
        "invoice { id } userErrors { field code }",
    )
    await ok(
        client,
        bearer,
        "openDispute",
        {"invoiceId": kwd_late, "amount": "0.001", "reason": longest(texts.NOTE)},
        "userErrors { field code }",
    )
    proposal = (
        await ok(
            client,
            token_for("carl"),
            "proposeWriteOff",
            {
                "customerId": customer,
                "reason": longest(texts.NOTE),
                "evidence": [longest(texts.EVIDENCE)] * texts.MAX_EVIDENCE,
                "lines": [{"invoiceId": cny_late, "amount": "0.01"}],
                "idempotencyKey": unique(texts.REFERENCE, "wo"),
            },
            "proposal { id } userErrors { field code }",
        )
    )["proposal"]["id"]
    for approver in ("fay",):  # 0.01 needs finance only
        await ok(
            client,
            token_for(approver),
            "decideWriteOff",
            {"id": proposal, "approve": True, "note": longest(texts.NOTE)},
            "userErrors { field code }",
        )
    case = (
        await ok(
            client,
            bearer,
            "postWriteOff",
            {
                "id": proposal,
                "effectiveOn": LATEST,
                "idempotencyKey": unique(texts.REFERENCE, "post"),
            },
            "case { id } userErrors { field code }",
        )
    )["case"]["id"]
    await ok(
        client,
        bearer,
        "recordRecovery",
        {
            "caseId": case,
            "amount": "0.01",
            "receivedOn": LATEST,
            "reference": longest(texts.REFERENCE),
            "idempotencyKey": unique(texts.REFERENCE, "rec"),
        },
        "userErrors { field code }",
    )
    await ok(
        client,
        bearer,
        "recordBadDebtLessons",
        {
            "caseId": case,
            "lessons": longest(texts.NOTE),
            "cause": longest(texts.NOTE),
        },
        "userErrors { field code }",
    )
    await ok(
        client,
        bearer,
        "createPaymentPlan",
        {
            "customerId": customer,
            "currency": "CNY",
            "instalments": [
                {"dueOn": (date(2199, 1, 1) + timedelta(days=n)).isoformat(), "amount": "1.00"}
                for n in range(120)
            ],
        },
        ID,
    )
    await ok(
        client,
        bearer,
        "recordActivity",
        {
            "customerId": customer,
            "kind": "CALL",
            "occurredAt": f"{EARLIEST}T00:00:00+00:00",
            "outcome": longest(texts.SHORT),
            "notes": longest(texts.NOTE),
            "documentRef": longest(texts.REFERENCE),
        },
        ID,
    )
    await ok(
        client,
        bearer,
        "addCreditFileEntry",
        {
            "customerId": customer,
            "occurredOn": EARLIEST,
            "kind": "NOTE",
            "title": longest(texts.NAME),
            "body": longest(texts.TEXT),
            "documentRef": longest(texts.REFERENCE),
        },
        "userErrors { field code }",
    )
    terms = unique(texts.CODE, "T")[:32].upper()
    await ok(
        client,
        bearer,
        "savePaymentTerms",
        {
            "code": terms,
            "name": longest(texts.NAME),
            "kind": "INSTALMENTS",
            "instalments": [{"percent": "1", "offsetDays": 3650 - 99 + n} for n in range(59)]
            + [{"percent": "41", "offsetDays": 3650}],
        },
        "userErrors { field code }",
    )
    await ok(
        client,
        bearer,
        "setCustomerCreditTerms",
        {
            "id": customer,
            "version": 1,
            "paymentTermsCode": terms,
            "lateInterestDailyRate": "0.00999999",
        },
        "userErrors { field code }",
    )
    await ok(
        client,
        bearer,
        "createInvoice",
        {
            "number": unique(texts.REFERENCE, "split"),
            "customerId": customer,
            "issueDate": LATEST,
            "amount": {"amount": LARGEST["KWD"], "currency": "KWD"},
            "idempotencyKey": unique(texts.REFERENCE, "split"),
        },
        "userErrors { field code }",
    )
    return str(customer)
