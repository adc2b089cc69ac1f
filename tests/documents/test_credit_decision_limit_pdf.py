"""The decision letter says when the granted limit still awaits approval or was rejected;
a limit approved (or a decision that granted none) reads as before."""

from __future__ import annotations

from datetime import date

import pytest

from documents.credit_letters import DecisionDoc, render_decision_pdf
from tests.documents.pdf_tools import pdf_text
from tests.documents.samples import SELLER


def _doc(status: str | None) -> DecisionDoc:
    fields = {
        "letterhead": SELLER,
        "application_ref": "APP-7",
        "customer_name": "上海测试贸易有限公司",
        "customer_code": "GR-1",
        "submitted_on": date(2026, 6, 1),
        "submitted_by": "sam",
        "requested_limit": "80000.00 CNY",
        "requested_terms": "CLASS_B",
        "purpose": "the new season's orders",
        "opinions": [("FINANCE", "SUPPORT", None)],
        "status": "APPROVED",
        "verdict": "APPROVE",
        "decided_by": "max",
        "decided_on": date(2026, 6, 2),
        "reason": "sound",
        "granted_limit": "80000.00 CNY",
        "granted_terms": "CLASS_B",
        "granted_valid_to": None,
    }
    return DecisionDoc(**fields, limit_status=status)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "zh", "en"),
    [
        ("PENDING", "额度待审批", "Awaiting approval"),
        ("REJECTED", "额度审批未通过", "Rejected: the limit and terms below never took effect"),
    ],
)
def test_a_grant_not_in_force_is_not_printed_as_final(status: str, zh: str, en: str) -> None:
    chinese = pdf_text(render_decision_pdf(_doc(status), "zh-CN"))
    english = " ".join(pdf_text(render_decision_pdf(_doc(status), "en")).split())
    assert zh in chinese and "核定额度" in chinese
    assert en in english


@pytest.mark.parametrize("status", ["APPROVED", None])
def test_a_grant_in_force_or_an_older_document_reads_as_before(status: str | None) -> None:
    text = pdf_text(render_decision_pdf(_doc(status), "zh-CN"))
    assert "批准" in text and "80000.00 CNY" in text
    assert "额度待审批" not in text and "额度审批未通过" not in text
