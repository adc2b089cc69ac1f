"""Labels for the PDFs in zh-CN and en: field names, kinds, levels, policy items."""

from __future__ import annotations

LANGUAGES = ("zh-CN", "en")

_LABELS: dict[str, dict[str, str]] = {
    "title.credit_file": {"zh-CN": "客户信用档案", "en": "Credit file"},
    "section.identity": {"zh-CN": "基本信息", "en": "Identity"},
    "section.business": {"zh-CN": "经营情况", "en": "Business"},
    "section.contacts": {"zh-CN": "联系人", "en": "Contacts"},
    "section.partners": {"zh-CN": "合作伙伴与关联方", "en": "Partners and related parties"},
    "section.timeline": {"zh-CN": "档案记录", "en": "Timeline"},
    "section.completeness": {"zh-CN": "档案完整性", "en": "Completeness"},
    "section.warnings": {"zh-CN": "未处理预警", "en": "Open warnings"},
    "section.review": {"zh-CN": "复核", "en": "Review"},
    "code": {"zh-CN": "客户编号", "en": "Code"},
    "legal_name": {"zh-CN": "企业名称", "en": "Legal name"},
    "country": {"zh-CN": "国家/地区", "en": "Country"},
    "registration_number": {"zh-CN": "统一社会信用代码/注册号", "en": "Registration number"},
    "industry": {"zh-CN": "行业", "en": "Industry"},
    "status": {"zh-CN": "状态", "en": "Status"},
    "founded_on": {"zh-CN": "成立日期", "en": "Founded"},
    "registered_capital": {"zh-CN": "注册资本", "en": "Registered capital"},
    "annual_sales": {"zh-CN": "年销售额", "en": "Annual sales"},
    "salesperson": {"zh-CN": "业务员", "en": "Salesperson"},
    "business_model": {"zh-CN": "经营模式", "en": "Business model"},
    "company_history": {"zh-CN": "企业历史", "en": "Company history"},
    "name": {"zh-CN": "姓名", "en": "Name"},
    "role": {"zh-CN": "职务", "en": "Role"},
    "phone": {"zh-CN": "电话", "en": "Phone"},
    "email": {"zh-CN": "邮箱", "en": "E-mail"},
    "relation": {"zh-CN": "关系", "en": "Relation"},
    "note": {"zh-CN": "备注", "en": "Note"},
    "date": {"zh-CN": "日期", "en": "Date"},
    "kind": {"zh-CN": "类型", "en": "Kind"},
    "title": {"zh-CN": "标题", "en": "Title"},
    "reference": {"zh-CN": "文档位置", "en": "Reference"},
    "ratio": {"zh-CN": "完整度", "en": "Complete"},
    "missing": {"zh-CN": "缺失或过期项目", "en": "Missing or stale items"},
    "level": {"zh-CN": "级别", "en": "Level"},
    "raised_at": {"zh-CN": "发出时间", "en": "Raised"},
    "last_reviewed_on": {"zh-CN": "上次复核", "en": "Last reviewed"},
    "next_review_due_on": {"zh-CN": "下次复核到期", "en": "Next review due"},
    "none": {"zh-CN": "无", "en": "None"},
    "statement.ref": {"zh-CN": "单据号", "en": "Reference"},
    "statement.due": {"zh-CN": "到期日", "en": "Due"},
    "statement.open": {"zh-CN": "未付金额", "en": "Open"},
    "page": {"zh-CN": "第 {page} 页 / 共 {pages} 页", "en": "page {page} of {pages}"},
    "generated": {"zh-CN": "生成于", "en": "Generated"},
    "by": {"zh-CN": "操作人", "en": "by"},
    "ABSENT": {"zh-CN": "缺失", "en": "absent"},
    "STALE": {"zh-CN": "已过期", "en": "stale"},
    "ACTIVE": {"zh-CN": "正常", "en": "Active"},
    "ARCHIVED": {"zh-CN": "已归档", "en": "Archived"},
    # relation kinds
    "PARENT": {"zh-CN": "母公司", "en": "Parent"},
    "SUBSIDIARY": {"zh-CN": "子公司", "en": "Subsidiary"},
    "SHAREHOLDER": {"zh-CN": "股东", "en": "Shareholder"},
    "KEY_SUPPLIER": {"zh-CN": "主要供应商", "en": "Key supplier"},
    "KEY_BUYER": {"zh-CN": "主要客户", "en": "Key buyer"},
    "GUARANTOR": {"zh-CN": "担保人", "en": "Guarantor"},
    # entry kinds and policy keys
    "NOTE": {"zh-CN": "备注", "en": "Note"},
    "FINANCIAL_STATEMENT": {"zh-CN": "财务报表", "en": "Financial statements"},
    "CREDIT_REPORT": {"zh-CN": "信用记录", "en": "Credit record"},
    "LEGAL_RECORD": {"zh-CN": "法律记录", "en": "Legal record"},
    "SITE_VISIT": {"zh-CN": "实地拜访", "en": "Site visit"},
    "CONTRACT": {"zh-CN": "合同", "en": "Contract"},
    "OTHER": {"zh-CN": "其他", "en": "Other"},
    "registrationNumber": {"zh-CN": "注册号", "en": "Registration number"},
    "registeredCapital": {"zh-CN": "注册资本", "en": "Registered capital"},
    "annualSales": {"zh-CN": "年销售额", "en": "Annual sales"},
    "contacts": {"zh-CN": "联系人", "en": "Contacts"},
    "companyHistory": {"zh-CN": "企业历史", "en": "Company history"},
    "businessModel": {"zh-CN": "经营模式", "en": "Business model"},
    "partners": {"zh-CN": "合作伙伴", "en": "Partners"},
    # warnings
    "LIGHT": {"zh-CN": "轻度", "en": "Light"},
    "MEDIUM": {"zh-CN": "中度", "en": "Medium"},
    "SEVERE": {"zh-CN": "严重", "en": "Severe"},
    "CREDIT_FILE_STALE": {"zh-CN": "档案复核逾期", "en": "Credit file review overdue"},
    "CREDIT_FILE_INCOMPLETE": {"zh-CN": "档案不完整", "en": "Credit file incomplete"},
}


def labeller(lang: str) -> dict[str, str]:
    """All labels in one language; unknown keys fall back to the key itself in templates."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; use one of {LANGUAGES}")
    return {key: values[lang] for key, values in _LABELS.items()}


def add(labels: dict[str, dict[str, str]]) -> None:
    """Register more labels (other documents extend the table at import)."""
    _LABELS.update(labels)


add(
    {
        # what every letter and statement prints
        "letter.address": {"zh-CN": "地址：", "en": "Address: "},
        "letter.phone": {"zh-CN": "电话：", "en": "Tel. "},
        "letter.email": {"zh-CN": "邮箱：", "en": "E-mail "},
        "letter.number": {"zh-CN": "函号：", "en": "Our ref.: "},
        "letter.date": {"zh-CN": "日期：", "en": "Date: "},
        "letter.draft": {"zh-CN": "草稿 未发出", "en": "DRAFT · NOT SENT"},
        "letter.draft_number": {"zh-CN": "（草稿）", "en": "(draft)"},
        "letter.salutation": {"zh-CN": "{customer}：", "en": "To: {customer}"},
        "letter.dear": {"zh-CN": "", "en": "Dear Sir or Madam,"},
        "letter.list_sep": {"zh-CN": "、", "en": ", "},
        "letter.stop": {"zh-CN": "。", "en": "."},
        "letter.clause_sep": {"zh-CN": "，", "en": ", "},
        "letter.account_currency": {"zh-CN": "（{currency}）", "en": "({currency})"},
        "letter.invoice": {"zh-CN": "发票号", "en": "Invoice"},
        "letter.order": {"zh-CN": "订单/合同号", "en": "Order no."},
        "letter.issued": {"zh-CN": "开票日期", "en": "Issued"},
        "letter.due": {"zh-CN": "到期日", "en": "Due"},
        "letter.days": {"zh-CN": "逾期天数", "en": "Days overdue"},
        "letter.amount": {"zh-CN": "发票金额", "en": "Invoiced"},
        "letter.open": {"zh-CN": "未付金额", "en": "Unpaid"},
        "letter.interest": {"zh-CN": "逾期利息", "en": "Late interest"},
        "letter.subtotal": {"zh-CN": "合计（{currency}）", "en": "Total ({currency})"},
        "letter.totals": {
            "zh-CN": "上述逾期款项合计{open}；按{rate}计至{as_of}的逾期利息为{interest}；"
            "以上应付合计{total}。",
            "en": "The overdue amounts above total {open}; late interest at {rate} to "
            "{as_of} comes to {interest}; the total due is {total}.",
        },
        "letter.in_words": {"zh-CN": "应付合计（大写）：", "en": "Total due in words: "},
        "letter.account_name": {"zh-CN": "户名", "en": "Account name"},
        "letter.bank": {"zh-CN": "开户行", "en": "Bank"},
        "letter.account_number": {"zh-CN": "账号", "en": "Account no."},
        "letter.no_account": {
            "zh-CN": "（付款账户请向我司联系人确认。）",
            "en": "(Please ask our contact below for the account to pay into.)",
        },
        "letter.contact": {"zh-CN": "联系人：", "en": "Please contact "},
        "letter.hereby": {"zh-CN": "特此函告。", "en": "We look forward to your payment."},
        "letter.yours": {"zh-CN": "", "en": "Yours faithfully,"},
        "letter.sealed": {"zh-CN": "（盖章）", "en": "(company seal)"},
    }
)
