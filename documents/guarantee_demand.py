"""The guarantee demand letter (履行保证责任通知书 / Demand under guarantee), zh-CN and en.

The service freezes the letter's content when the guarantee is called; this module only
renders it: the seller's letterhead, the guarantee, the debts demanded with their amounts
grouped and with the currency symbol, the total in Chinese capital numerals (大写), the
deadline the law sets for the claim, and the seller's bank accounts and seal.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from documents.labels import add, labeller
from documents.render import render_template_pdf
from domain.money import Money
from domain.money_text import chinese_capital, with_symbol

add(
    {
        "gd.title": {"zh-CN": "履行保证责任通知书", "en": "Demand for payment under guarantee"},
        "gd.to": {"zh-CN": "致", "en": "To"},
        "gd.date": {"zh-CN": "日期", "en": "Date"},
        "gd.reference": {"zh-CN": "保证合同编号", "en": "Guarantee reference"},
        "gd.kind": {"zh-CN": "保证方式", "en": "Type of guarantee"},
        "gd.kind.GENERAL": {"zh-CN": "一般保证", "en": "General guarantee"},
        "gd.kind.JOINT_AND_SEVERAL": {
            "zh-CN": "连带责任保证",
            "en": "Joint and several guarantee",
        },
        "gd.kind.BANK_GUARANTEE": {"zh-CN": "保函", "en": "Bank guarantee"},
        "gd.kind.STANDBY_LC": {"zh-CN": "备用信用证", "en": "Standby letter of credit"},
        "gd.debtor": {"zh-CN": "债务人", "en": "Debtor"},
        "gd.max": {"zh-CN": "保证金额", "en": "Amount guaranteed"},
        "gd.valid": {"zh-CN": "保证有效期", "en": "Valid"},
        "gd.body": {
            "zh-CN": "贵方为上述债务人对我司所负债务提供保证。债务人未按约定清偿下列到期债务，"
            "根据保证合同及《中华人民共和国民法典》相关规定，现要求贵方在保证范围内履行保证责任，"
            "于收到本通知之日起 {days} 日内向我司支付下列款项。",
            "en": "You guaranteed the debts of the debtor named above to us. The debtor has not "
            "paid the debts below when due. Under the guarantee and the PRC Civil Code we "
            "demand that you pay the amount below, within the guarantee, within {days} days of "
            "receiving this notice.",
        },
        "gd.invoice": {"zh-CN": "发票号", "en": "Invoice"},
        "gd.due": {"zh-CN": "到期日", "en": "Due"},
        "gd.open": {"zh-CN": "未付金额", "en": "Unpaid"},
        "gd.total": {"zh-CN": "要求支付金额", "en": "Total demanded"},
        "gd.open_total": {
            "zh-CN": "未付合计（超出保证金额部分不在本次要求之内）",
            "en": "Unpaid in all (beyond the amount guaranteed, not demanded here)",
        },
        "gd.capital": {"zh-CN": "大写", "en": "In Chinese capitals"},
        "gd.period": {
            "zh-CN": "本通知系在保证期间内提出的保证责任请求。",
            "en": "This demand is made within the guarantee period.",
        },
        "gd.pay_to": {"zh-CN": "收款账户", "en": "Pay to"},
        "gd.seal": {"zh-CN": "（盖章）", "en": "(seal)"},
        "gd.phone": {"zh-CN": "电话", "en": "Tel."},
    }
)
#: Days the guarantor is given to pay, as the letter states them.
PAY_WITHIN_DAYS = 7


@dataclass(frozen=True)
class Debt:
    """One debt demanded."""

    number: str
    due: str
    open_minor: int


@dataclass(frozen=True)
class DemandLetter:
    """What the letter says, frozen when the guarantee was called."""

    on: str
    seller: str
    address: str | None
    phone: str | None
    email: str | None
    contact: str | None
    logo: str | None  #: a data URI
    seal: str | None  #: a data URI
    accounts: tuple[str, ...]
    guarantor: str
    debtor: str
    reference: str
    kind: str
    guaranteed_minor: int
    valid_from: str
    valid_to: str
    currency: str
    debts: tuple[Debt, ...]
    demanded_minor: int


def data_uri(media_type: str, data: bytes) -> str:
    """An image embedded in the HTML (a document never fetches anything)."""
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def money(minor: int, currency: str) -> str:
    """Grouped, with the currency's symbol (domain.money_text)."""
    return with_symbol(Money(minor, currency))


def render_demand_pdf(letter: DemandLetter, lang: str) -> bytes:
    """The demand letter in zh-CN or en."""
    labels = labeller(lang)
    body = labels["gd.body"].replace("{days}", str(PAY_WITHIN_DAYS))
    rows = [(d.number, d.due, money(d.open_minor, letter.currency)) for d in letter.debts]
    return render_template_pdf(
        "guarantee_demand.html", lang, f"{letter.seller} · {labels['gd.title']}",
        d=letter, body=body, rows=rows,
        guaranteed=money(letter.guaranteed_minor, letter.currency),
        total=money(letter.demanded_minor, letter.currency),
        open_total=money(sum(d.open_minor for d in letter.debts), letter.currency),
        capital=chinese_capital(Money(letter.demanded_minor, letter.currency)),
    )  # fmt: skip
