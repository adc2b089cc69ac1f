"""Fixed risk-transfer and credit documents for their reference images: the content a service
freezes (amounts in minor units, dates as ISO text) and the seller's letterhead, no database.

The letters go to an insurer (overdue notification, claim pack), a debtor (notice of
assignment) and a guarantor (demand); the decision and the agreement go to the customer.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from documents.credit_letters import AgreementDoc, DecisionDoc
from documents.guarantee_demand import Debt, DemandLetter
from documents.risk_transfer import Letterhead
from tests.documents.samples import LOGO, SEAL, SELLER

RISK_HEAD = Letterhead(
    legal_name=SELLER.name,
    address=SELLER.address,
    phone=SELLER.phone,
    email=SELLER.email,
    contact_person=SELLER.contact_person,
    logo=LOGO.data_url,
    seal=SEAL.data_url,
    bank_accounts=[
        {
            "bank": "中国工商银行",
            "branch": "上海浦东支行",
            "account_name": SELLER.name,
            "account_number": "1001 2345 6789 0123 456",
            "currency": "CNY",
        }
    ],
)
POLICY = {
    "insurer": "中国出口信用保险公司上海分公司",
    "policyNumber": "SINO-2026-0188",
    "currency": "CNY",
    "startsOn": "2026-01-01",
    "endsOn": "2026-12-31",
    "indemnityPercent": "90",
    "deductibleKind": "PER_CLAIM",
    "deductibleMinor": 500_000,
    "maxLiabilityMinor": 500_000_000,
}
BUYER = {
    "code": "C-1001",
    "legalName": "上海华东机电设备有限公司",
    "country": "CN",
    "registrationNumber": "91310115MA1K3Y5X0U",
}
#: The seller's account as the demand letter prints it.
ACCOUNT = "中国工商银行 上海浦东支行 · 上海演示贸易有限公司 · 1001 2345 6789 0123 456 (CNY)"
INVOICES = [
    ("INV-2026-0702", "2026-07-02", "2026-08-31", 12_800_000, 12_800_000),
    ("INV-2026-0716", "2026-07-16", "2026-09-14", 6_450_000, 4_450_000),
    ("INV-2026-0805", "2026-08-05", "2026-10-04", 9_300_000, 9_300_000),
]


def overdue_notification() -> dict[str, Any]:
    """Three insured invoices overdue, told to the insurer on 2026-11-20."""
    return {
        "notificationId": "7d0c6a1e-0000-4000-8000-000000000001",
        "notifiedOn": "2026-11-20",
        "policy": POLICY,
        "buyer": BUYER,
        "currency": "CNY",
        "coverLimitMinor": 30_000_000,
        "invoices": [
            {"number": n, "issueDate": i, "dueDate": d, "amountMinor": a, "openMinor": o}
            for n, i, d, a, o in INVOICES
        ],
        "totalMinor": sum(o for *_, o in INVOICES),
    }


def claim_pack() -> dict[str, Any]:
    """The claim on the same invoices, with the evidence on file."""
    covered = sum(o for *_, o in INVOICES)
    return {
        "claimId": "7d0c6a1e-0000-4000-8000-000000000002",
        "filedOn": "2026-12-15",
        "policy": POLICY,
        "buyer": BUYER,
        "currency": "CNY",
        "invoices": [
            {
                "number": n,
                "issueDate": i,
                "dueDate": d,
                "amountMinor": a,
                "openMinor": o,
                "coveredMinor": o,
            }
            for n, i, d, a, o in INVOICES
        ],
        "indemnity": {
            "coveredLossMinor": covered,
            "deductibleMinor": 500_000,
            "indemnityPercent": "90",
            "beforeCapsMinor": (covered - 500_000) * 9 // 10,
            "coverCapMinor": 30_000_000,
            "liabilityLeftMinor": 500_000_000,
            "indemnityMinor": (covered - 500_000) * 9 // 10,
            "cappedBy": None,
        },
        "evidence": {
            "notifications": [
                {
                    "notifiedOn": "2026-11-20",
                    "totalMinor": covered,
                    "currency": "CNY",
                    "invoices": [n for n, *_ in INVOICES],
                }
            ],
            "statements": [
                {
                    "period": "2026-09",
                    "currency": "CNY",
                    "closingMinor": 28_550_000,
                    "status": "SENT",
                    "statusAt": "2026-10-01",
                },
                {
                    "period": "2026-10",
                    "currency": "CNY",
                    "closingMinor": 26_550_000,
                    "status": "SENT",
                    "statusAt": "2026-11-01",
                },
            ],
            "activities": [
                {
                    "occurredAt": "2026-09-10",
                    "kind": "CALL",
                    "outcome": "答应九月底付款",
                    "notes": "财务部王经理",
                },
                {
                    "occurredAt": "2026-10-12",
                    "kind": "DUNNING_LETTER",
                    "outcome": "催款函",
                    "notes": "DM-2026-0004",
                },
                {
                    "occurredAt": "2026-11-18",
                    "kind": "VISIT",
                    "outcome": "无力支付",
                    "notes": "工厂停产",
                },
            ],
        },
    }


def assignment_notice() -> dict[str, Any]:
    """Two invoices assigned to a disclosed factor, the debtor told where to pay."""
    return {
        "batchId": "7d0c6a1e-0000-4000-8000-000000000003",
        "assignedOn": "2026-11-02",
        "factor": {
            "name": "浦江商业保理有限公司",
            "reference": "FA-2026-017",
            "remittance": {
                "bank": "招商银行上海分行",
                "accountName": "浦江商业保理有限公司",
                "accountNumber": "1219 0456 7810 001",
            },
        },
        "debtor": {"code": BUYER["code"], "legalName": BUYER["legalName"]},
        "invoices": [
            {
                "number": "INV-2026-1005",
                "issueDate": "2026-10-05",
                "dueDate": "2026-12-04",
                "currency": "CNY",
                "faceMinor": 5_000_000,
            },
            {
                "number": "INV-2026-1020",
                "issueDate": "2026-10-20",
                "dueDate": "2026-12-19",
                "currency": "CNY",
                "faceMinor": 3_000_000,
            },
        ],
    }


def demand() -> DemandLetter:
    """A joint-and-several guarantee called for two debts beyond its amount."""
    return DemandLetter(
        on="2026-11-25", seller=SELLER.name, address=SELLER.address or "",
        phone=SELLER.phone or "", email=SELLER.email or "", contact=SELLER.contact_person or "",
        logo=LOGO.data_url, seal=SEAL.data_url, accounts=(ACCOUNT,),
        guarantor="华东控股集团有限公司", debtor=BUYER["legalName"], reference="BG-2026-009",
        kind="JOINT_AND_SEVERAL", guaranteed_minor=20_000_000, valid_from="2026-01-01",
        valid_to="2027-06-30", currency="CNY",
        debts=(Debt("INV-2026-0702", "2026-08-31", 12_800_000),
               Debt("INV-2026-0805", "2026-10-04", 9_300_000)),
        demanded_minor=20_000_000,
    )  # fmt: skip


def agreement() -> AgreementDoc:
    """A signed agreement: limit, terms, interest, a guarantee, arbitration, validity."""
    return AgreementDoc(
        letterhead=SELLER,
        number="CA-2026-0042",
        customer_name=BUYER["legalName"],
        customer_code=BUYER["code"],
        registration_number=BUYER["registrationNumber"],
        limit="¥500,000.00",
        terms_code="NET60",
        terms_name="月结60天",
        late_interest_percent="0.05",
        guarantees=[("THIRD_PARTY_GUARANTEE", "华东控股集团有限公司连带责任保证", "¥200,000.00")],
        venue="ARBITRATION",
        venue_name="上海国际经济贸易仲裁委员会",
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 12, 31),
        signed_on=date(2025, 12, 20),
        status="SIGNED",
        document_ref="合同档案 2025-118",
        seal=SEAL,
    )


def decision() -> DecisionDoc:
    """An application counter-offered after the group's three opinions."""
    return DecisionDoc(
        letterhead=SELLER,
        application_ref="APP-2026-0031",
        customer_name=BUYER["legalName"],
        customer_code=BUYER["code"],
        submitted_on=date(2026, 3, 2),
        submitted_by="王伟",
        requested_limit="¥800,000.00",
        requested_terms="NET90",
        purpose="新增自动化生产线设备采购，预计年采购额 600 万元。",
        opinions=[
            ("FINANCE", "SUPPORT_WITH_CONDITIONS", "流动比率偏低，建议额度不超过 50 万元"),
            ("SALES", "SUPPORT", "合作十年，付款记录良好"),
            ("LEGAL", "SUPPORT", None),
        ],
        status="COUNTER_OFFERED",
        verdict="COUNTER_OFFER",
        decided_by="张敏",
        decided_on=date(2026, 3, 9),
        reason="按财务意见调整额度与付款条件，须提供第三方保证。",
        granted_limit="¥500,000.00",
        granted_terms="NET60",
        granted_valid_to=date(2026, 12, 31),
    )
