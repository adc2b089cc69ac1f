"""The credit agreement (赊销协议) and the application decision (授信审批决定) as PDFs.

Services gather plain data (these models) with the tenant's letterhead, printed by the letters'
shared macro; this module only renders. Both come in zh-CN and en from documents/templates.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date

from documents.images import letterhead_ready, print_ready
from documents.labels import add, labeller
from documents.models import Letterhead, Picture
from documents.render import render_template_pdf


@dataclass(frozen=True)
class AgreementDoc:
    """What the agreement states."""

    letterhead: Letterhead
    number: str
    customer_name: str
    customer_code: str
    registration_number: str | None
    limit: str
    terms_code: str
    terms_name: str
    late_interest_percent: str
    guarantees: list[tuple[str, str, str | None]]
    venue: str
    venue_name: str
    valid_from: date
    valid_to: date
    signed_on: date | None
    status: str
    document_ref: str | None
    seal: Picture | None = None


@dataclass(frozen=True)
class DecisionDoc:
    """What the decision letter states."""

    letterhead: Letterhead
    application_ref: str
    customer_name: str
    customer_code: str
    submitted_on: date
    submitted_by: str
    requested_limit: str
    requested_terms: str | None
    purpose: str
    opinions: list[tuple[str, str, str | None]]
    status: str
    verdict: str | None
    decided_by: str | None
    decided_on: date | None
    reason: str | None
    granted_limit: str | None
    granted_terms: str | None
    granted_valid_to: date | None
    notes: list[str] = field(default_factory=list)
    #: the granted limit's request (PENDING, APPROVED, REJECTED): a grant whose limit still
    #: awaits the authority matrix, or was refused, must not read as credit in force
    limit_status: str | None = None


add(
    {
        "title.agreement": {"zh-CN": "赊销协议", "en": "Credit agreement"},
        "title.decision": {"zh-CN": "赊销申请审批决定", "en": "Credit application decision"},
        "agreement.number": {"zh-CN": "协议编号", "en": "Agreement no."},
        "seller": {"zh-CN": "供方（甲方）", "en": "Seller"},
        "buyer": {"zh-CN": "需方（乙方）", "en": "Buyer"},
        "clause.limit": {"zh-CN": "一、信用额度", "en": "1. Credit limit"},
        "clause.terms": {"zh-CN": "二、付款条件", "en": "2. Payment terms"},
        "clause.interest": {"zh-CN": "三、逾期利息", "en": "3. Late-payment interest"},
        "clause.guarantees": {"zh-CN": "四、担保", "en": "4. Guarantees"},
        "clause.disputes": {"zh-CN": "五、争议解决", "en": "5. Disputes"},
        "clause.validity": {"zh-CN": "六、有效期", "en": "6. Validity"},
        "text.limit": {
            "zh-CN": "甲方给予乙方的最高赊销信用额度为 {limit}。超出额度的订单须预付货款。",
            "en": "The seller grants the buyer credit up to {limit}. Orders above the limit "
            "are paid in advance.",
        },
        "text.terms": {
            "zh-CN": "乙方按付款条件 {terms} 支付货款。",
            "en": "The buyer pays on the terms {terms}.",
        },
        "text.interest": {
            "zh-CN": "乙方逾期付款的，按逾期金额每日 {rate}% 支付逾期利息。",
            "en": "Overdue amounts bear interest of {rate}% a day until paid.",
        },
        "text.no_guarantee": {"zh-CN": "本协议不要求担保。", "en": "No guarantee is required."},
        "text.ARBITRATION": {
            "zh-CN": "因本协议发生的争议，提交 {venue} 仲裁，仲裁裁决是终局的。",
            "en": "Disputes under this agreement are settled by arbitration at {venue}; the "
            "award is final.",
        },
        "text.COURT": {
            "zh-CN": "因本协议发生的争议，由 {venue} 管辖。",
            "en": "Disputes under this agreement are settled by {venue}.",
        },
        "text.validity": {
            "zh-CN": "本协议自 {start} 起至 {end} 止有效。",
            "en": "This agreement is in force from {start} to {end}.",
        },
        "signed_on": {"zh-CN": "签署日期", "en": "Signed on"},
        "agreement.signature": {"zh-CN": "签章", "en": "Signature and seal"},
        "unsigned": {"zh-CN": "草稿，未签署", "en": "Draft, not signed"},
        "THIRD_PARTY_GUARANTEE": {"zh-CN": "第三方保证", "en": "Third-party guarantee"},
        "BANK_GUARANTEE": {"zh-CN": "银行保函", "en": "Bank guarantee"},
        "COLLATERAL": {"zh-CN": "抵押", "en": "Collateral"},
        "application.ref": {"zh-CN": "申请编号", "en": "Application"},
        "customer": {"zh-CN": "客户", "en": "Customer"},
        "submitted": {"zh-CN": "申请日期", "en": "Submitted"},
        "applicant": {"zh-CN": "申请人", "en": "Applicant"},
        "requested": {"zh-CN": "申请额度", "en": "Requested limit"},
        "requested_terms": {"zh-CN": "申请付款条件", "en": "Requested terms"},
        "purpose": {"zh-CN": "用途", "en": "Purpose"},
        "section.opinions": {"zh-CN": "审批小组意见", "en": "Opinions of the approval group"},
        "section.decision": {"zh-CN": "审批决定", "en": "Decision"},
        "recommendation": {"zh-CN": "意见", "en": "Recommendation"},
        "comment": {"zh-CN": "说明", "en": "Comment"},
        "FINANCE": {"zh-CN": "财务", "en": "Finance"},
        "SALES": {"zh-CN": "销售", "en": "Sales"},
        "LEGAL": {"zh-CN": "法务", "en": "Legal"},
        "SUPPORT": {"zh-CN": "同意", "en": "Support"},
        "SUPPORT_WITH_CONDITIONS": {"zh-CN": "有条件同意", "en": "Support with conditions"},
        "OPPOSE": {"zh-CN": "不同意", "en": "Oppose"},
        "PENDING": {"zh-CN": "待审批", "en": "Pending"},
        "APPROVED": {"zh-CN": "批准", "en": "Approved"},
        "COUNTER_OFFERED": {"zh-CN": "调整后批准", "en": "Counter-offered"},
        "REJECTED": {"zh-CN": "拒绝", "en": "Rejected"},
        "decided_by": {"zh-CN": "审批人", "en": "Decided by"},
        "decided_on": {"zh-CN": "审批日期", "en": "Decided on"},
        "reason": {"zh-CN": "理由", "en": "Reason"},
        "granted": {"zh-CN": "核定额度", "en": "Granted limit"},
        "granted_terms": {"zh-CN": "核定付款条件", "en": "Granted terms"},
        "valid_to": {"zh-CN": "有效期至", "en": "Valid to"},
        "open_ended": {"zh-CN": "长期", "en": "open-ended"},
        "pending_note": {
            "zh-CN": "本申请尚未审批，本文件仅供内部参考。",
            "en": "Not decided yet; for internal reference only.",
        },
    }
)


def _footer(letterhead: Letterhead, lang: str, what: str) -> str:
    return f"{letterhead.name} · {labeller(lang)[what]}"


def render_agreement_pdf(doc: AgreementDoc, lang: str) -> bytes:
    """The agreement in zh-CN or en (logo and seal at print resolution)."""
    doc = dataclasses.replace(
        doc, letterhead=letterhead_ready(doc.letterhead), seal=print_ready(doc.seal)
    )
    return render_template_pdf(
        "credit_agreement.html", lang, _footer(doc.letterhead, lang, "title.agreement"), d=doc
    )


def render_decision_pdf(doc: DecisionDoc, lang: str) -> bytes:
    """The decision letter in zh-CN or en."""
    doc = dataclasses.replace(doc, letterhead=letterhead_ready(doc.letterhead))
    return render_template_pdf(
        "credit_decision.html", lang, _footer(doc.letterhead, lang, "title.decision"), d=doc
    )
