"""Dunning letters: the friendly reminder (催款函), the formal demand (催告函) and the lawyer's
letter (律师函), in zh-CN and en with the same content."""

from __future__ import annotations

import dataclasses

from documents.images import letterhead_ready, print_ready
from documents.labels import add, labeller
from documents.models import DunningLetter
from documents.render import render_template_pdf

KINDS = ("REMINDER", "DEMAND", "LAWYER")

add(
    {
        "dunning.REMINDER": {"zh-CN": "催款函", "en": "Payment reminder"},
        "dunning.DEMAND": {"zh-CN": "催告函", "en": "Formal demand for payment"},
        "dunning.LAWYER": {"zh-CN": "律师函", "en": "Lawyer's letter"},
        # the friendly reminder
        "reminder.thanks": {
            "zh-CN": "承蒙贵司长期以来的支持与合作，谨致谢意。",
            "en": "Thank you for your continued business with us.",
        },
        "reminder.orders": {
            "zh-CN": "根据双方签订的合同及订单（{refs}），我司已按约定向贵司供货并开具发票。",
            "en": "Under our contracts and orders ({refs}) we delivered the goods as agreed "
            "and invoiced them.",
        },
        "reminder.no_orders": {
            "zh-CN": "根据双方的交易约定，我司已向贵司供货并开具发票。",
            "en": "We delivered the goods as agreed and invoiced them.",
        },
        "reminder.overdue": {
            "zh-CN": "经核对，截至{as_of}，贵司尚有下列款项逾期未付：",
            "en": " Our records show that on {as_of} the following amounts were overdue:",
        },
        "reminder.deadline": {
            "zh-CN": "请贵司于{deadline}前将上述款项汇入我司以下账户：",
            "en": "Please pay these amounts by {deadline} into the following account:",
        },
        "reminder.paid": {
            "zh-CN": "如贵司已安排付款，请忽略本函，并将付款凭证发送我司以便核对；"
            "如对上述款项有异议，请于收到本函后3日内与我司联系。",
            "en": "If you have already paid, please disregard this letter and send us the "
            "remittance advice so that we can match it; if you dispute any item, please tell "
            "us within 3 days of receiving this letter.",
        },
        # the formal demand
        "demand.prior_intro": {"zh-CN": "我司已于", "en": "We wrote to you on "},
        "demand.prior_item": {
            "zh-CN": "{on}向贵司发出{kind}（函号：{number}）",
            "en": "{on} ({kind}, ref. {number})",
        },
        "demand.prior_outro": {
            "zh-CN": "，催请贵司付款，",
            "en": " asking for payment. ",
        },
        "demand.no_prior": {
            "zh-CN": "我司此前已多次提醒贵司支付到期款项，",
            "en": "We have reminded you several times of the amounts due. ",
        },
        "demand.unpaid": {
            "zh-CN": "但截至{as_of}，贵司仍未支付下列款项：",
            "en": "On {as_of} the following amounts were still unpaid:",
        },
        "demand.deadline": {
            "zh-CN": "现正式催告贵司于{deadline}前付清上述全部欠款及逾期利息，汇入我司以下账户：",
            "en": "We hereby formally demand that you pay the full balance and the late "
            "interest by {deadline} into the following account:",
        },
        "demand.consequence": {
            "zh-CN": "逾期仍未付清的，我司将暂停对贵司的赊销供货，并保留委托律师通过诉讼等"
            "法律途径追讨欠款及逾期利息的权利，由此产生的律师费、诉讼费等一切费用由贵司承担。",
            "en": "If the balance is not paid by then, we will suspend deliveries on credit "
            "and reserve the right to instruct lawyers to recover the debt and the interest "
            "through the courts, with all legal and court costs at your charge.",
        },
        "demand.claim": {
            "zh-CN": "本函构成我司对上述债权的书面主张。",
            "en": "This letter is our written claim to the debt set out above.",
        },
        # the lawyer's letter
        "lawyer.our_lawyers": {"zh-CN": "本所", "en": "our"},
        "lawyer.retained": {
            "zh-CN": "{firm}（以下简称“本所”）接受{client}（以下简称“委托人”）的委托，"
            "指派{lawyer}律师，就贵司拖欠委托人货款一事，特致函贵司。",
            "en": "{firm} (\u201cwe\u201d) act for {client} (\u201cour client\u201d) and write, "
            "through {lawyer} (lawyer), about the amounts you owe our client for goods supplied.",
        },
        "lawyer.facts": {
            "zh-CN": "根据委托人提供的合同、订单、发票及对账资料，委托人已依约向贵司履行了"
            "供货义务，截至{as_of}，贵司尚欠委托人下列到期款项：",
            "en": "The contracts, orders, invoices and statements our client has provided "
            "show that our client performed its obligations to supply, and that on {as_of} "
            "you owed our client the following amounts, all of them due:",
        },
        "lawyer.law": {
            "zh-CN": "贵司的上述行为已构成违约。根据《中华人民共和国民法典》第五百零九条、"
            "第五百七十七条及第五百七十九条的规定，贵司应当依约支付价款并承担违约责任。",
            "en": "Your failure to pay is a breach of contract. Under Articles 509, 577 and "
            "579 of the Civil Code of the People's Republic of China you must pay the price "
            "as agreed and are liable for the breach.",
        },
        "lawyer.deadline": {
            "zh-CN": "本所律师特此函告：请贵司最迟于{deadline}前将上述全部款项支付至委托人"
            "以下账户：",
            "en": "We therefore give you notice to pay the full amount by {deadline} at the "
            "latest into our client's following account:",
        },
        "lawyer.consequence": {
            "zh-CN": "如贵司逾期仍未履行付款义务，本所将建议委托人依法向有管辖权的人民法院"
            "提起诉讼并申请财产保全，由此产生的诉讼费、保全费、律师费等全部费用将由贵司承担。",
            "en": "If you do not pay by then, we shall advise our client to bring proceedings "
            "before the competent People's Court without further notice and to apply for the "
            "preservation of your assets, with all court, preservation and legal costs at "
            "your charge.",
        },
        "lawyer.contact": {
            "zh-CN": "如贵司对上述事项有异议，请于收到本函后3日内与{lawyer}律师联系"
            "（电话：{phone}）。",
            "en": "If you dispute any of the above, please contact {lawyer} within 3 days of "
            "receiving this letter (telephone {phone}).",
        },
        "lawyer.signed": {"zh-CN": "经办律师：", "en": "Lawyer: "},
    }
)


def render_dunning_pdf(letter: DunningLetter, lang: str) -> bytes:
    """A letter of one kind with the customer's overdue items, interest and where to pay."""
    if letter.kind not in KINDS:
        raise ValueError(f"unknown letter kind {letter.kind!r}")
    if letter.kind == "LAWYER" and letter.law_firm is None:
        raise ValueError("a lawyer's letter needs the law firm")
    labels = labeller(lang)
    writer = letter.law_firm.name if letter.law_firm and letter.kind == "LAWYER" else None
    title = f"{labels['dunning.' + letter.kind]} {letter.number or labels['letter.draft_number']}"
    footer = f"{writer or letter.seller.name} · {title}"
    ready = dataclasses.replace(
        letter, seller=letterhead_ready(letter.seller), seal=print_ready(letter.seal)
    )
    return render_template_pdf("dunning.html", lang, footer, d=ready)
