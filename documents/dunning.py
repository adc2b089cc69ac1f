"""Dunning letters: friendly reminder (催款函), formal demand, lawyer's letter."""

from __future__ import annotations

from documents.labels import add, labeller
from documents.models import DunningLetter
from documents.render import render_template_pdf

KINDS = ("REMINDER", "DEMAND", "LAWYER")

add(
    {
        "dunning.REMINDER": {"zh-CN": "催款函", "en": "Payment reminder"},
        "dunning.DEMAND": {"zh-CN": "正式催告函", "en": "Formal demand for payment"},
        "dunning.LAWYER": {"zh-CN": "律师函", "en": "Lawyer's letter"},
        "dunning.to": {"zh-CN": "致", "en": "To"},
        "dunning.date": {"zh-CN": "日期", "en": "Date"},
        "dunning.body.REMINDER": {
            "zh-CN": "贵司以下款项已逾期，烦请尽快安排付款。如已付款，请忽略本函。",
            "en": "The amounts below are overdue. Please arrange payment promptly; if you have "
            "already paid, please disregard this letter.",
        },
        "dunning.body.DEMAND": {
            "zh-CN": "尽管我司多次提醒，以下款项仍未支付。"
            "请于收到本函后 7 日内付清全部欠款及逾期利息，"
            "否则我司将采取进一步措施。",
            "en": "Despite our reminders the amounts below remain unpaid. Please pay the full "
            "balance and the late interest within 7 days of this letter, failing which we "
            "will take further steps.",
        },
        "dunning.body.LAWYER": {
            "zh-CN": "受委托人委托，特此函告：贵司拖欠下列款项及逾期利息。"
            "请于收到本函后 5 日内清偿，"
            "逾期我方将依法提起诉讼，由此产生的一切费用由贵司承担。",
            "en": "On behalf of our client we give notice that you owe the amounts below and the "
            "late interest. Unless paid within 5 days of this letter, proceedings will be "
            "issued without further notice, at your cost.",
        },
        "dunning.interest": {"zh-CN": "逾期利息（截至今日）", "en": "Late interest to date"},
        "dunning.total": {"zh-CN": "合计", "en": "Total"},
        "dunning.days": {"zh-CN": "逾期天数", "en": "Days overdue"},
    }
)


def render_dunning_pdf(letter: DunningLetter, lang: str) -> bytes:
    """A letter of one kind with the customer's overdue items and accrued interest."""
    if letter.kind not in KINDS:
        raise ValueError(f"unknown letter kind {letter.kind!r}")
    labels = labeller(lang)
    footer = f"{letter.tenant_name} · {labels['dunning.' + letter.kind]}"
    return render_template_pdf("dunning.html", lang, footer, d=letter)
