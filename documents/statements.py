"""The monthly statement (对账单 / Statement of account) as a PDF, with the confirmation slip
(回执) the customer signs, stamps and returns: the reconciliation the source practice asks for
by the 5th of each month, with order number, invoice number, amount, agreed terms and due date
on every line."""

from __future__ import annotations

import dataclasses

from documents.images import letterhead_ready, print_ready
from documents.labels import add, labeller
from documents.models import StatementDocument
from documents.render import render_template_pdf

add(
    {
        "title.statement": {"zh-CN": "对账单", "en": "Statement of account"},
        "statement.customer": {"zh-CN": "客户", "en": "Customer"},
        "statement.reference": {"zh-CN": "对账单号", "en": "Statement no."},
        "statement.period": {"zh-CN": "对账期间", "en": "Period"},
        "statement.currency": {"zh-CN": "币种", "en": "Currency"},
        "statement.generated": {"zh-CN": "出具时间", "en": "Issued"},
        "statement.opening": {"zh-CN": "期初余额", "en": "Opening balance"},
        "statement.invoiced": {"zh-CN": "本期开票", "en": "Invoiced"},
        "statement.received": {"zh-CN": "本期收款", "en": "Received"},
        "statement.credited": {"zh-CN": "本期折让/核销", "en": "Credits, write-offs"},
        "statement.closing": {"zh-CN": "期末余额", "en": "Closing balance"},
        "statement.movements": {"zh-CN": "本期发生额明细", "en": "Movements in the period"},
        "statement.open_at": {
            "zh-CN": "截至{day}未结清款项",
            "en": "Open items at {day}",
        },
        "statement.ref": {"zh-CN": "单据号", "en": "Reference"},
        "statement.invoice": {"zh-CN": "发票号", "en": "Invoice"},
        "statement.order": {"zh-CN": "订单号", "en": "Order no."},
        "statement.issued": {"zh-CN": "开票日期", "en": "Issued"},
        "statement.terms": {"zh-CN": "约定账期", "en": "Terms"},
        "statement.days": {"zh-CN": "{days}天", "en": "{days} days"},
        "statement.due": {"zh-CN": "到期日", "en": "Due"},
        "statement.amount": {"zh-CN": "金额", "en": "Amount"},
        "statement.overdue_days": {"zh-CN": "逾期天数", "en": "Days late"},
        "statement.open": {"zh-CN": "未付金额", "en": "Unpaid"},
        "statement.interest": {"zh-CN": "逾期利息", "en": "Interest"},
        "statement.balance": {
            "zh-CN": "截至{day}，贵司尚欠我司{closing}，其中已逾期{overdue}；"
            "逾期利息计至期末为{interest}（未计入上述余额）。",
            "en": "On {day} you owed us {closing}, of which {overdue} was overdue; late "
            "interest to that day comes to {interest} (not included in the balance).",
        },
        "statement.in_words": {"zh-CN": "期末余额（大写）：", "en": "Closing balance in words: "},
        "statement.pay_into": {
            "zh-CN": "请将到期款项汇入我司以下账户：",
            "en": "Please pay the amounts due into the following account:",
        },
        "statement.confirm": {
            "zh-CN": "请贵司收到本对账单后核对，并于10日内在下方回执签字盖章后寄回或扫描发送"
            "至{email}；逾期未回复的，视为贵司对本对账单所列款项无异议。",
            "en": "Please check this statement and return the slip below, signed and stamped, "
            "within 10 days (by post or scanned to {email}); if we hear nothing by then we "
            "shall take it that you agree with the amounts stated.",
        },
        "statement.issuer": {"zh-CN": "（出具单位盖章）", "en": "(issuer's seal)"},
        "slip.cut": {
            "zh-CN": "（请沿虚线剪下回执，签字盖章后寄回）",
            "en": "(cut along the line and return)",
        },
        "slip.title": {"zh-CN": "回 执", "en": "Confirmation slip"},
        "slip.received": {
            "zh-CN": "贵司发来的{period}至{to}对账单（编号：{reference}）已收悉。经我司核对：",
            "en": "We have received your statement for {period} to {to} (no. {reference}) "
            "and checked it against our books:",
        },
        "slip.agree_owe": {
            "zh-CN": "相符。截至{day}，我司尚欠贵司{amount}（大写：{words}）。",
            "en": "It agrees. On {day} we owed you {amount} ({words}).",
        },
        "slip.agree_owed": {
            "zh-CN": "相符。截至{day}，贵司尚欠我司{amount}（大写：{words}）。",
            "en": "It agrees. On {day} you owed us {amount} ({words}).",
        },
        "slip.disagree": {
            "zh-CN": "不符。差异如下（请附明细）：",
            "en": "It does not agree. The differences are (details attached): ",
        },
        "slip.customer": {"zh-CN": "客户（盖章）：", "en": "Customer (seal): "},
        "slip.signed": {"zh-CN": "经办人（签字）：", "en": "Signed by: "},
        "slip.date": {"zh-CN": "日期：______年____月____日", "en": "Date: ______________"},
        "slip.phone": {"zh-CN": "联系电话：", "en": "Telephone: "},
        "INVOICE": {"zh-CN": "发票", "en": "Invoice"},
        "PAYMENT": {"zh-CN": "收款", "en": "Payment"},
        "PAYMENT_REVERSED": {"zh-CN": "收款冲回", "en": "Payment reversed"},
        "CREDIT_NOTE": {"zh-CN": "折让/退货", "en": "Credit note"},
        "WRITE_OFF": {"zh-CN": "核销", "en": "Write-off"},
        "CURRENT": {"zh-CN": "未到期", "en": "Not yet due"},
        "statement.remittance": {
            "zh-CN": "付款指示（保理）",
            "en": "Payment instruction (factoring)",
        },
        "statement.remittance.body": {
            "zh-CN": "下列发票的债权已转让，请付款至保理商",
            "en": "These invoices were assigned; please pay them to the factor",
        },
    }
)


def render_statement_pdf(statement: StatementDocument, lang: str) -> bytes:
    """A statement with its confirmation slip, in zh-CN or en."""
    labels = labeller(lang)
    footer = f"{statement.seller.name} · {labels['title.statement']} {statement.reference}"
    ready = dataclasses.replace(
        statement, seller=letterhead_ready(statement.seller), seal=print_ready(statement.seal)
    )
    return render_template_pdf("statement.html", lang, footer, stylesheet="letter.css", s=ready)
