"""Extreme but valid credit-insurance rows through the public mutations: a policy and a
cover with the longest texts, a cut, and an overdue notification to the insurer."""

from __future__ import annotations

from typing import Any

from domain import texts
from tests.jobs.extreme_values import longest, ok, unique


async def insure_and_notify(client: Any, bearer: str, customer: str, invoice: str) -> None:
    """A policy with the longest names, a cover, and the insurer told of the overdue invoice
    (its letter is rendered by a job)."""
    policy = (
        await ok(
            client,
            bearer,
            "createInsurancePolicy",
            {
                "insurer": longest(texts.NAME),
                "policyNumber": unique(texts.AGREEMENT_NUMBER, "POL"),
                "startsOn": "2026-01-01",
                "endsOn": "2026-12-31",
                "maxLiability": {"amount": "1000000.00", "currency": "CNY"},
                "premiumRatePercent": "0.35",
                "coverRequired": False,
            },
            "policy { id } userErrors { field code }",
        )
    )["policy"]["id"]
    cover = (
        await ok(
            client,
            bearer,
            "requestBuyerCover",
            {
                "policyId": policy,
                "customerId": customer,
                "amount": {"amount": "50000.00", "currency": "CNY"},
                "effectiveOn": "2026-01-10",
                "note": longest(texts.DESCRIPTION),
            },
            "cover { id version } userErrors { field code }",
        )
    )["cover"]
    granted = (
        await ok(
            client,
            bearer,
            "decideBuyerCover",
            {
                "id": cover["id"],
                "status": "GRANTED",
                "amount": {"amount": "50000.00", "currency": "CNY"},
                "effectiveOn": "2026-01-15",
                "version": cover["version"],
            },
            "cover { version } userErrors { field code }",
        )
    )["cover"]
    # a cut later in the year runs the customer's warning rules at once
    await ok(
        client,
        bearer,
        "decideBuyerCover",
        {
            "id": cover["id"],
            "status": "REDUCED",
            "amount": {"amount": "40000.00", "currency": "CNY"},
            "effectiveOn": "2026-06-01",
            "version": granted["version"],
            "note": longest(texts.DESCRIPTION),
        },
        "userErrors { field code }",
    )
    await ok(
        client,
        bearer,
        "notifyInsurer",
        {"customerId": customer, "invoiceIds": [invoice], "notifiedOn": "2026-05-02"},
        "userErrors { field code }",
    )
