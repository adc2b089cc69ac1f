"""Valid inputs of the credit, risk-transfer and application mutations that carry dates, for
the boundary-date test (tests/schema/test_boundary_dates_api.py): each with its date paths."""

from __future__ import annotations

from typing import Any

#: a well-formed unknown id (base64 of "Fake:" and the nil UUID)
FAKE = "RmFrZTowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA="


def risk_transfer(
    customer: str, invoice: str, money: dict[str, str]
) -> dict[str, tuple[dict[str, Any], list[str]]]:
    """Credit insurance and factoring: their mutations' valid inputs and dates."""
    key = {"idempotencyKey": "bd-rt"}
    return {
        "createInsurancePolicy": (
            {
                "insurer": "中国信保",
                "policyNumber": "BD-POL",
                "startsOn": "2026-01-01",
                "endsOn": "2026-12-31",
                "maxLiability": {"amount": "1000000.00", "currency": "CNY"},
                "premiumRatePercent": "0.3",
                "coverRequired": False,
            },
            ["startsOn", "endsOn"],
        ),
        "requestBuyerCover": (
            {
                "policyId": FAKE,
                "customerId": customer,
                "amount": money,
                "effectiveOn": "2026-10-01",
            },
            ["effectiveOn"],
        ),
        "decideBuyerCover": (
            {"id": FAKE, "status": "GRANTED", "effectiveOn": "2026-10-01"},
            ["effectiveOn"],
        ),
        "addInsurerAction": (
            {"policyId": FAKE, "customerId": customer, "description": "d", "dueOn": "2026-11-01"},
            ["dueOn"],
        ),
        "completeInsurerAction": ({"id": FAKE, "completedOn": "2026-10-01"}, ["completedOn"]),
        "notifyInsurer": (
            {"customerId": customer, "invoiceIds": [invoice], "notifiedOn": "2026-10-01"},
            ["notifiedOn"],
        ),
        "declareInsuredTurnover": ({"period": "2026-09-01"}, ["period"]),
        "fileClaim": (
            {"customerId": customer, "invoiceIds": [invoice], "filedOn": "2026-10-01", **key},
            ["filedOn"],
        ),
        "recordClaimPayment": (
            {"claimId": FAKE, "amount": "1.00", "paidOn": "2026-10-01", **key},
            ["paidOn"],
        ),
        "recordClaimRecovery": (
            {"claimId": FAKE, "amount": "1.00", "receivedOn": "2026-10-01", **key},
            ["receivedOn"],
        ),
        "createFactoringAgreement": (
            {
                "factor": "工银保理",
                "reference": "BD-F",
                "recourse": True,
                "disclosed": True,
                "currencies": ["CNY"],
                "commissionPercent": "0.5",
                "interestPercent": "4.35",
                "startsOn": "2026-01-01",
            },
            ["startsOn"],
        ),
        "assignInvoices": (
            {"agreementId": FAKE, "invoiceIds": [invoice], "assignedOn": "2026-10-01", **key},
            ["assignedOn"],
        ),
        "recordFactoringCollection": (
            {
                "invoiceId": invoice,
                "amount": "1.00",
                "receivedOn": "2026-10-01",
                "receivedBy": "US",
                **key,
            },
            ["receivedOn"],
        ),
        "remitToFactor": ({"agreementId": FAKE, "on": "2026-10-01", **key}, ["on"]),
        "buyBackInvoice": ({"invoiceId": invoice, "on": "2026-10-01", **key}, ["on"]),
    }


def credit_applications(
    customer: str, money: dict[str, str]
) -> dict[str, tuple[dict[str, Any], list[str]]]:
    """Credit applications and agreements: their mutations' valid inputs and dates."""
    return {
        "submitCreditApplication": (
            {
                "customerId": customer,
                "requestedLimit": money,
                "validFrom": "2026-10-01",
                "validTo": "2027-09-30",
                "purpose": "new orders",
                "statementIds": [],
                "externalRecordIds": [],
            },
            ["validFrom", "validTo"],
        ),
        "decideCreditApplication": (
            {"id": FAKE, "verdict": "APPROVE", "reason": "sound", "validTo": "2027-09-30"},
            ["validTo"],
        ),
        "createCreditAgreement": (
            {
                "customerId": customer,
                "limit": money,
                "paymentTermsCode": "NET30",
                "guarantees": [],
                "disputeVenue": "ARBITRATION",
                "venueName": "上海国际仲裁中心",
                "validFrom": "2026-10-01",
                "validTo": "2027-09-30",
                "signedOn": "2026-09-30",
            },
            ["validFrom", "validTo", "signedOn"],
        ),
        "signCreditAgreement": ({"id": FAKE, "signedOn": "2026-10-01"}, ["signedOn"]),
    }


def risk_security(
    customer: str, invoice: str, money: dict[str, str]
) -> dict[str, tuple[dict[str, Any], list[str]]]:
    """Guarantees and collateral: their mutations' valid inputs and dates."""
    return {
        "createGuarantee": (
            {
                "reference": "BD-G",
                "guarantorId": FAKE,
                "customerId": customer,
                "kind": "GENERAL",
                "scope": "ALL_DEBTS",
                "amount": money,
                "validFrom": "2026-01-01",
                "validTo": "2027-12-31",
                "invoiceIds": [],
                "documents": [],
            },
            ["validFrom", "validTo"],
        ),
        "callGuarantee": ({"id": FAKE, "calledOn": "2026-10-01"}, ["calledOn"]),
        "releaseGuarantee": ({"id": FAKE, "releasedOn": "2026-10-01"}, ["releasedOn"]),
        "recordGuarantorPayment": (
            {
                "guaranteeId": FAKE,
                "receivedOn": "2026-10-01",
                "amount": money,
                "lines": [{"invoiceId": invoice, "amount": "10.00"}],
                "idempotencyKey": "bd-gp",
            },
            ["receivedOn"],
        ),
        "createCollateral": (
            {
                "reference": "BD-COL",
                "customerId": customer,
                "form": "MORTGAGE",
                "assetKind": "PROPERTY",
                "description": "厂房",
                "appraisedValue": money,
                "appraisedOn": "2026-09-01",
                "haircutPercent": "30",
                "validFrom": "2026-09-01",
                "validTo": "2030-08-31",
            },
            ["appraisedOn", "validFrom", "validTo"],
        ),
        "reappraiseCollateral": (
            {
                "id": FAKE,
                "appraisedValue": money,
                "appraisedOn": "2026-10-01",
                "haircutPercent": "30",
            },
            ["appraisedOn"],
        ),
    }
