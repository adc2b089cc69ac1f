"""Risk-transfer letters: the overdue notification to the insurer (逾期通知/可能损失通知), the
claim pack (索赔申请) and the notice of assignment to a debtor (债权转让通知书), in zh-CN and en.

The service hands over the document's stored content (amounts in minor units) and the
seller's letterhead; this module formats amounts (separators, symbol, 大写) and renders.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from documents.labels import add, labeller
from documents.render import render_template_pdf
from domain.money import Money
from domain.money_text import chinese_capital, with_symbol


def money(minor: int, currency: str) -> str:
    """`¥1,234,567.89`: the symbol (or the code) and the amount with thousands separators."""
    return with_symbol(Money(minor, currency))


def capital(minor: int, currency: str) -> str:
    """The amount in Chinese financial capitals: 人民币壹万贰仟叁佰肆拾伍元陆角柒分."""
    return chinese_capital(Money(minor, currency))


KINDS = {
    "OVERDUE_NOTIFICATION": ("overdue_notification.html", "risk.notification.title"),
    "CLAIM_PACK": ("claim_pack.html", "risk.claim.title"),
    "ASSIGNMENT_NOTICE": ("assignment_notice.html", "risk.notice.title"),
}
EXTRA_CSS = """
.letterhead { border-bottom: 0.8pt solid #0b3d6b; padding-bottom: 2mm; margin-bottom: 5mm; }
.letterhead .logo { height: 12mm; float: right; }
.lh-name { font-size: 13pt; font-weight: bold; color: #0b3d6b; }
.lh-lines { color: #555; font-size: 8.5pt; }
h3 { font-size: 10pt; margin: 4mm 0 1.5mm 0; color: #0b3d6b; }
.capital { margin: 2mm 0; }
.signature { margin-top: 12mm; margin-left: 55%; position: relative; min-height: 30mm; }
.signature .seal { width: 32mm; height: 32mm; opacity: 0.85; }
.seal-box { width: 30mm; height: 30mm; border: 0.6pt dashed #b33; color: #b33;
            text-align: center; line-height: 30mm; }
"""

add(
    {
        "risk.notification.title": {
            "zh-CN": "应收账款逾期通知书",
            "en": "Notification of overdue account",
        },
        "risk.notification.body": {
            "zh-CN": "根据上述保单的约定，我司特此通知：下列已投保的应收账款已逾期未付。"
            "我司将继续催收，并按保单要求配合贵司后续处理。",
            "en": "Under the policy above we notify you that the insured receivables below are "
            "overdue and unpaid. We continue to collect them and will act as the policy requires.",
        },
        "risk.claim.title": {"zh-CN": "信用保险索赔申请书", "en": "Credit insurance claim"},
        "risk.claim.body": {
            "zh-CN": "上述买方拖欠下列已投保应收账款，经催收仍未清偿。"
            "我司依保单约定提出索赔，附发票、对账单、催收记录及逾期通知等证据。",
            "en": "The buyer above has not paid the insured receivables below despite our "
            "collection efforts. We claim under the policy and attach the invoices, statements, "
            "collection activities and notifications as evidence.",
        },
        "risk.claim.invoices": {"zh-CN": "索赔发票", "en": "Invoices claimed"},
        "risk.claim.computation": {"zh-CN": "赔款计算", "en": "Indemnity computation"},
        "risk.claim.amount": {"zh-CN": "申请赔款金额", "en": "Indemnity claimed"},
        "risk.notice.title": {"zh-CN": "债权转让通知书", "en": "Notice of assignment"},
        "risk.notice.body": {
            "zh-CN": "我司已将对贵司享有的下列应收账款债权转让给上述保理商。"
            "自收到本通知之日起，请将下列款项直接支付至保理商指定账户，"
            "向我司付款不再产生清偿效力。",
            "en": "We have assigned our receivables from you listed below to the factor named "
            "above. From receipt of this notice please pay these amounts only into the factor's "
            "account below; payment to us will no longer discharge them.",
        },
        "risk.notice.closing": {
            "zh-CN": "特此通知。如有疑问，请与我司或保理商联系。",
            "en": "Please contact us or the factor with any question.",
        },
        "risk.to": {"zh-CN": "致", "en": "To"},
        "risk.policy": {"zh-CN": "保单号", "en": "Policy"},
        "risk.buyer": {"zh-CN": "买方", "en": "Buyer"},
        "risk.cover": {"zh-CN": "信用限额", "en": "Credit limit"},
        "risk.notified_on": {"zh-CN": "通知日期", "en": "Notified on"},
        "risk.filed_on": {"zh-CN": "索赔日期", "en": "Filed on"},
        "risk.invoice": {"zh-CN": "发票号", "en": "Invoice"},
        "risk.issued": {"zh-CN": "开票日", "en": "Issued"},
        "risk.due": {"zh-CN": "到期日", "en": "Due"},
        "risk.days_overdue": {"zh-CN": "逾期天数", "en": "Days overdue"},
        "risk.amount": {"zh-CN": "发票金额", "en": "Amount"},
        "risk.open": {"zh-CN": "未付金额", "en": "Open"},
        "risk.covered": {"zh-CN": "限额内金额", "en": "Within cover"},
        "risk.total": {"zh-CN": "合计", "en": "Total"},
        "risk.in_words": {"zh-CN": "大写", "en": "In words"},
        "risk.covered_loss": {"zh-CN": "限额内损失", "en": "Covered loss"},
        "risk.deductible": {"zh-CN": "免赔额", "en": "Deductible"},
        "risk.PER_CLAIM": {"zh-CN": "每次索赔", "en": "per claim"},
        "risk.AGGREGATE": {"zh-CN": "累计", "en": "aggregate"},
        "risk.indemnity_percent": {"zh-CN": "赔偿比例", "en": "Indemnity percentage"},
        "risk.before_caps": {"zh-CN": "按比例计算的赔款", "en": "Indemnity before caps"},
        "risk.cover_cap": {"zh-CN": "信用限额上限", "en": "Cap: credit limit"},
        "risk.liability_left": {"zh-CN": "剩余最高赔偿限额", "en": "Cap: maximum liability left"},
        "risk.capped.COVER": {"zh-CN": "以信用限额为限", "en": "capped by the credit limit"},
        "risk.capped.MAX_LIABILITY": {
            "zh-CN": "以最高赔偿限额为限",
            "en": "capped by the maximum liability",
        },
        "risk.evidence": {"zh-CN": "证据材料", "en": "Evidence"},
        "risk.evidence.notifications": {"zh-CN": "逾期通知", "en": "Overdue notifications"},
        "risk.evidence.statements": {"zh-CN": "对账单", "en": "Statements of account"},
        "risk.evidence.activities": {"zh-CN": "催收记录", "en": "Collection activities"},
        "risk.outcome": {"zh-CN": "结果", "en": "Outcome"},
        "risk.period": {"zh-CN": "对账期间", "en": "Period"},
        "risk.closing": {"zh-CN": "期末余额", "en": "Closing balance"},
        "risk.pay_to": {"zh-CN": "收款账户", "en": "Pay to"},
        "risk.account_name": {"zh-CN": "户名", "en": "Account name"},
        "risk.bank": {"zh-CN": "开户行", "en": "Bank"},
        "risk.account_number": {"zh-CN": "账号", "en": "Account number"},
        "risk.factor": {"zh-CN": "保理商（受让人）", "en": "Factor (assignee)"},
        "risk.agreement": {"zh-CN": "保理合同编号", "en": "Factoring agreement"},
        "risk.assigned_on": {"zh-CN": "转让日期", "en": "Assigned on"},
        "risk.assigned_amount": {"zh-CN": "转让金额", "en": "Amount assigned"},
        "risk.phone": {"zh-CN": "电话", "en": "Tel."},
        "risk.seal": {"zh-CN": "（盖章）", "en": "(seal)"},
        "risk.date": {"zh-CN": "日期", "en": "Date"},
    }
)


@dataclass(frozen=True)
class Letterhead:
    """The seller's particulars as its letters print them (images as data URIs)."""

    legal_name: str
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    contact_person: str | None = None
    logo: str | None = None
    seal: str | None = None
    bank_accounts: list[dict[str, Any]] = field(default_factory=list)


def data_uri(media_type: str, data: bytes) -> str:
    """An image embedded in the HTML (documents never fetch anything)."""
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def _days(due: str, on: str) -> int:
    return max(0, (date.fromisoformat(on) - date.fromisoformat(due)).days)


def formatted(kind: str, c: dict[str, Any], head: Letterhead) -> dict[str, Any]:
    """The figures a template prints, formatted from the stored minor units."""
    cur = c.get("currency", "CNY")
    if kind == "OVERDUE_NOTIFICATION":
        return {
            "cover": money(c["coverLimitMinor"], cur),
            "total": money(c["totalMinor"], cur),
            "total_words": capital(c["totalMinor"], cur),
            "invoices": [
                {
                    **i,
                    "amount": money(i["amountMinor"], cur),
                    "open": money(i["openMinor"], cur),
                    "daysOverdue": _days(i["dueDate"], c["notifiedOn"]),
                }
                for i in c["invoices"]
            ],
        }
    if kind == "CLAIM_PACK":
        ind = c["indemnity"]
        evidence = c["evidence"]
        return {
            "indemnity": money(ind["indemnityMinor"], cur),
            "indemnity_words": capital(ind["indemnityMinor"], cur),
            "covered_loss": money(ind["coveredLossMinor"], cur),
            "deductible": money(ind["deductibleMinor"], cur),
            "before_caps": money(ind["beforeCapsMinor"], cur),
            "cover_cap": money(ind["coverCapMinor"], cur),
            "liability_left": money(ind["liabilityLeftMinor"], cur),
            "invoices": [
                {
                    **i,
                    "amount": money(i["amountMinor"], cur),
                    "open": money(i["openMinor"], cur),
                    "covered": money(i["coveredMinor"], cur),
                }
                for i in c["invoices"]
            ],
            "notifications": [
                {**n, "total": money(n["totalMinor"], n["currency"])}
                for n in evidence["notifications"]
            ],
            "statements": [
                {**s, "closing": money(s["closingMinor"], s["currency"])}
                for s in evidence["statements"]
            ],
            "activities": evidence["activities"],
            "accounts": [a for a in head.bank_accounts if a.get("currency") == cur]
            or head.bank_accounts,
        }
    totals: dict[str, int] = {}
    for i in c["invoices"]:
        totals[i["currency"]] = totals.get(i["currency"], 0) + i["faceMinor"]
    return {
        "invoices": [{**i, "face": money(i["faceMinor"], i["currency"])} for i in c["invoices"]],
        "totals": [
            {"currency": k, "total": money(v, k), "words": capital(v, k)}
            for k, v in sorted(totals.items())
        ],
    }


def render_risk_pdf(kind: str, content: dict[str, Any], head: Letterhead, lang: str) -> bytes:
    """One risk-transfer document in one language."""
    template, title = KINDS[kind]
    labels = labeller(lang)
    footer = f"{head.legal_name} · {labels[title]}"
    return render_template_pdf(
        template,
        lang,
        footer,
        c=content,
        f=formatted(kind, content, head),
        h=head,
        extra_css=EXTRA_CSS,
    )
