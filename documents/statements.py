"""The monthly statement (对账单 / Statement of account) as a PDF."""

from __future__ import annotations

from documents.labels import add, labeller
from documents.models import StatementDocument
from documents.render import render_template_pdf

add(
    {
        "title.statement": {"zh-CN": "对账单", "en": "Statement of account"},
        "statement.period": {"zh-CN": "对账期间", "en": "Period"},
        "statement.customer": {"zh-CN": "客户", "en": "Customer"},
        "statement.currency": {"zh-CN": "币种", "en": "Currency"},
        "statement.opening": {"zh-CN": "期初余额", "en": "Opening balance"},
        "statement.closing": {"zh-CN": "期末余额", "en": "Closing balance"},
        "statement.movements": {"zh-CN": "本期发生额", "en": "Movements"},
        "statement.open_items": {"zh-CN": "未结清项目（账龄）", "en": "Open items with aging"},
        "statement.amount": {"zh-CN": "金额", "en": "Amount"},
        "statement.bucket": {"zh-CN": "账龄", "en": "Aging"},
        "statement.confirm": {
            "zh-CN": "请于收到后核对并确认；如有异议请在 10 日内书面告知。",
            "en": "Please check and confirm this statement; tell us in writing within 10 days "
            "if anything is wrong.",
        },
        "INVOICE": {"zh-CN": "发票", "en": "Invoice"},
        "PAYMENT": {"zh-CN": "收款", "en": "Payment"},
        "PAYMENT_REVERSED": {"zh-CN": "收款冲回", "en": "Payment reversed"},
        "CREDIT_NOTE": {"zh-CN": "贷项通知", "en": "Credit note"},
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
    """A stored statement (content, customer and tenant names) in zh-CN or en."""
    labels = labeller(lang)
    content = statement.content
    footer = f"{statement.tenant_name} · {labels['title.statement']} {content['period'][:7]}"
    return render_template_pdf("statement.html", lang, footer, s=statement, c=content)
