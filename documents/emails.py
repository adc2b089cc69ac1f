"""The e-mails that carry documents, in zh-CN and en: a pre-due reminder (the notice itself),
and the covering notes of a dunning letter or a statement sent as a PDF attachment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from documents.dunning import KINDS
from documents.formatting import MONTHS, long_date, money
from documents.labels import labeller
from documents.models import Letterhead, PayInto
from domain.money import Money

TEXTS: dict[str, dict[str, str]] = {
    "greeting": {"zh-CN": "{customer}：\n\n您好！", "en": "Dear {customer},\n"},
    "pre_due.subject": {
        "zh-CN": "付款提醒：{seller}发票即将到期",
        "en": "Payment reminder: invoices from {seller} fall due soon",
    },
    "pre_due.body": {
        "zh-CN": "感谢贵司一直以来的合作。以下发票即将到期，请按约定于到期日前安排付款：",
        "en": "Thank you for your business. The following invoices fall due soon; please "
        "arrange payment by their due dates:",
    },
    "pre_due.line": {
        "zh-CN": "  发票 {number}{order}：{open}，到期日 {due}",
        "en": "  Invoice {number}{order}: {open}, due {due}",
    },
    "pre_due.order": {"zh-CN": "（订单 {order}）", "en": " (order {order})"},
    "pre_due.paid": {
        "zh-CN": "如已付款，请忽略本提醒。",
        "en": "If you have already paid, please disregard this reminder.",
    },
    "pay_into": {"zh-CN": "收款账户：", "en": "Please pay into:"},
    "account": {
        "zh-CN": "  户名：{name}  开户行：{bank}  账号：{number}（{currency}）",
        "en": "  {name}, {bank}, account {number} ({currency})",
    },
    "letter.subject": {
        "zh-CN": "{title}（函号：{number}）— {seller}",
        "en": "{title} {number} — {seller}",
    },
    "letter.body": {
        "zh-CN": "随函附上{seller}出具的{title}（函号：{number}），请查收，"
        "并于{deadline}前付清函中所列款项。",
        "en": "Please find attached our {title} (ref. {number}). Please pay the amounts it sets "
        "out by {deadline}.",
    },
    "statement.subject": {
        "zh-CN": "{seller}对账单（{period}）",
        "en": "Statement of account for {period} — {seller}",
    },
    "statement.body": {
        "zh-CN": "随函附上{period}对账单（编号：{reference}），"
        "请核对后于10日内在回执上签字盖章并回传。",
        "en": "Please find attached your statement of account for {period} (no. {reference}). "
        "Please check it and return the signed and stamped confirmation slip within 10 days.",
    },
    "contact": {
        "zh-CN": "如有疑问，请联系：{contact}",
        "en": "If you have any questions, please contact {contact}",
    },
    "signature": {"zh-CN": "此致\n敬礼！\n\n{seller}", "en": "Yours faithfully,\n\n{seller}"},
    "automatic": {
        "zh-CN": "（本邮件由系统发出，文件已存档。）",
        "en": "(Sent by our receivables system; the attached document is archived.)",
    },
}


@dataclass(frozen=True)
class NoticeLine:
    """An invoice a pre-due reminder names."""

    number: str
    order_ref: str | None
    due_on: date
    open: Money


@dataclass(frozen=True)
class PreDueNotice:
    """A pre-due reminder: the seller, the customer, the invoices falling due."""

    seller: Letterhead
    customer_name: str
    lines: list[NoticeLine]
    accounts: list[PayInto] = field(default_factory=list)


def _t(key: str, lang: str, **values: str) -> str:
    return TEXTS[key][lang].format(**values)


def _contact(seller: Letterhead) -> str:
    parts = [p for p in (seller.contact_person, seller.phone, seller.email) if p]
    return ", ".join(parts)


def _closing(seller: Letterhead, lang: str) -> list[str]:
    lines = []
    if _contact(seller):
        lines += ["", _t("contact", lang, contact=_contact(seller))]
    return [*lines, "", _t("signature", lang, seller=seller.name), "", _t("automatic", lang)]


def pre_due_notice(notice: PreDueNotice, lang: str) -> tuple[str, str]:
    """The reminder's subject and text (the text is the notice itself, archived as sent)."""
    lines = [_t("greeting", lang, customer=notice.customer_name), _t("pre_due.body", lang), ""]
    for line in notice.lines:
        order = _t("pre_due.order", lang, order=line.order_ref) if line.order_ref else ""
        lines.append(
            _t(
                "pre_due.line",
                lang,
                number=line.number,
                order=order,
                open=money(line.open),
                due=long_date(line.due_on, lang),
            )
        )
    if notice.accounts:
        lines += ["", _t("pay_into", lang)]
        lines += [
            _t(
                "account",
                lang,
                name=a.account_name,
                bank=f"{a.bank} {a.branch or ''}".strip(),
                number=a.account_number,
                currency=a.currency,
            )
            for a in notice.accounts
        ]
    lines += ["", _t("pre_due.paid", lang), *_closing(notice.seller, lang)]
    return _t("pre_due.subject", lang, seller=notice.seller.name), "\n".join(lines) + "\n"


def letter_cover(
    seller: Letterhead, customer_name: str, kind: str, number: str, deadline: date, lang: str
) -> tuple[str, str]:
    """The subject and covering note of an e-mailed dunning letter."""
    if kind not in KINDS:
        raise ValueError(f"unknown letter kind {kind!r}")
    title = labeller(lang)["dunning." + kind]
    subject = _t("letter.subject", lang, title=title, number=number, seller=seller.name)
    body = [
        _t("greeting", lang, customer=customer_name),
        _t(
            "letter.body",
            lang,
            seller=seller.name,
            title=title if lang == "zh-CN" else title.lower(),
            number=number,
            deadline=long_date(deadline, lang),
        ),
        *_closing(seller, lang),
    ]
    return subject, "\n".join(body) + "\n"


def statement_cover(
    seller: Letterhead, customer_name: str, period: date, reference: str, lang: str
) -> tuple[str, str]:
    """The subject and covering note of an e-mailed statement."""
    month = (
        f"{period.year}年{period.month}月"
        if lang == "zh-CN"
        else f"{MONTHS[period.month - 1]} {period.year}"
    )
    subject = _t("statement.subject", lang, seller=seller.name, period=month)
    body = [
        _t("greeting", lang, customer=customer_name),
        _t("statement.body", lang, period=month, reference=reference),
        *_closing(seller, lang),
    ]
    return subject, "\n".join(body) + "\n"
