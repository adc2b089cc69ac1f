"""Dunning letters and statements as a credit manager reads them: checked by their text, their
figures' alignment, their size, and the same content in zh-CN and en."""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict

import pytest
from weasyprint import HTML

from documents.dunning import render_dunning_pdf
from documents.fonts import compact_fonts
from documents.statements import render_statement_pdf
from tests.documents.pdf_tools import (
    difference,
    ink,
    page_count,
    pdf_fonts,
    pdf_text,
    render_page,
    words_with_boxes,
)
from tests.documents.samples import letter, statement

AMOUNT = re.compile(r"-?¥[\d,]+\.\d\d")


def flat(pdf: bytes) -> str:
    """The text with all white space removed (lines wrap differently per language)."""
    return re.sub(r"\s+", "", pdf_text(pdf))


def images(pdf: bytes) -> int:
    """How many images the pages draw (the seal, the logo)."""
    from io import BytesIO

    from pypdf import PdfReader

    return sum(len(page.images) for page in PdfReader(BytesIO(pdf)).pages)


def test_the_reminder_is_a_real_letter() -> None:
    text = flat(render_dunning_pdf(letter("REMINDER"), "zh-CN"))
    for expected in (
        "上海演示贸易有限公司",  # letterhead
        "催款函",
        "函号：DL-2026-0007",
        "日期：2026年11月30日",
        "上海华东机电设备有限公司：",  # the salutation
        "PO-88321、PO-88407",  # the orders the invoices belong to
        "INV-2026-0902",
        "¥158,000.00",  # thousands separators and the symbol
        "¥180,216.17",
        "日万分之五（0.05%）",
        "¥5,348.53",
        "人民币壹拾捌万伍仟伍佰陆拾肆元柒角",  # the total due in capitals
        "2026年12月10日前",  # the deadline
        "中国工商银行上海浦东支行",
        "100123456789012345",
        "此致敬礼！",
        "（盖章）",
    ):
        assert expected in text, expected


def test_the_demand_cites_the_earlier_letter_and_claims_the_debt() -> None:
    text = flat(render_dunning_pdf(letter("DEMAND"), "zh-CN"))
    assert "催告函" in text and "函号：DM-2026-0004" in text
    assert "2026年10月20日向贵司发出催款函（函号：DL-2026-0003）" in text
    assert "2026年12月7日" not in text and "本函构成我司对上述债权的书面主张" in text


def test_the_lawyers_letter_names_the_firm_and_the_lawyer() -> None:
    pdf = render_dunning_pdf(letter("LAWYER"), "zh-CN")
    text = flat(pdf)
    assert text.startswith("上海明理律师事务所")  # the firm's own letterhead
    assert "律师函" in text and "LL-2026-0002" in text
    assert "接受上海演示贸易有限公司（以下简称“委托人”）的委托，指派刘明律师" in text
    assert "《中华人民共和国民法典》第五百零九条" in text
    assert "经办律师：刘明" in text
    assert images(pdf) == 0  # the client's seal is not the firm's


@pytest.mark.parametrize("kind", ["REMINDER", "DEMAND", "LAWYER"])
def test_english_letters_say_the_same(kind: str) -> None:
    zh = pdf_text(render_dunning_pdf(letter(kind), "zh-CN"))
    en = pdf_text(render_dunning_pdf(letter(kind), "en"))
    assert sorted(AMOUNT.findall(zh)) == sorted(AMOUNT.findall(en))
    assert set(re.findall(r"[A-Z]{2}-2026-\d{4}", zh)) == set(
        re.findall(r"[A-Z]{2}-2026-\d{4}", en)
    )
    words = " ".join(en.split()).replace("- ", "-")  # a hyphen may end a line
    assert "SAY RMB ONE HUNDRED AND EIGHTY-FIVE THOUSAND FIVE HUNDRED AND SIXTY-FOUR AND " in words
    assert "10 December 2026" in words or kind != "REMINDER"
    assert "To: 上海华东机电设备有限公司" in words and "Yours faithfully," in words


def test_a_draft_says_so_and_carries_no_number_and_no_seal() -> None:
    pdf = render_dunning_pdf(letter("REMINDER", draft=True), "zh-CN")
    text = flat(pdf)
    sent = render_dunning_pdf(letter("REMINDER"), "zh-CN")
    assert "函号：（草稿）" in text and "DL-2026" not in text
    assert images(pdf) == 1 and images(sent) == 2  # the logo only; the logo and the seal
    assert difference(render_page(pdf), render_page(sent), 10) > 0.01  # the watermark


def test_the_statement_carries_what_the_practice_requires() -> None:
    pdf = render_statement_pdf(statement(), "zh-CN")
    text = flat(pdf)
    for expected in (
        "对账单",
        "C-1001-202610-CNY",
        "2026-11-0109:00(Asia/Shanghai)",  # issued 01:00 UTC, printed as Shanghai's clock
        "INV-2026-1005PO-8851030天2026-11-04¥50,000.00",  # invoice, order, terms, due, amount
        "¥208,000.00",
        "¥2,001.00",  # late interest to the period's end
        "人民币贰拾壹万柒仟元整",
        "回执",
        "相符。截至2026年10月31日，我司尚欠贵司¥217,000.00",
        "不符。差异如下",
        "客户（盖章）：上海华东机电设备有限公司",
        "经办人（签字）：",
    ):
        assert expected in text, expected
    en = " ".join(pdf_text(render_statement_pdf(statement(), "en")).split())
    assert "Statement of account" in en and "Confirmation slip" in en and "30 days" in en
    assert sorted(AMOUNT.findall(text)) == sorted(AMOUNT.findall(en.replace(" ", "")))


def test_figures_line_up_on_the_right() -> None:
    pdf = render_statement_pdf(statement(), "zh-CN")
    right_edges: dict[int, set[float]] = defaultdict(set)
    for word, _x0, y0, x1, _y1 in words_with_boxes(pdf):
        if AMOUNT.fullmatch(word) and y0 > 380:  # the open items' table and below
            right_edges[round(x1 / 20)].add(round(x1, 1))
    columns = [edges for edges in right_edges.values() if len(edges) >= 1]
    assert len(columns) >= 3  # amount, unpaid, interest
    for edges in columns:
        assert max(edges) - min(edges) < 0.6, edges


def test_chinese_renders_from_compact_fonts_and_statements_stay_small() -> None:
    plain = dataclasses.replace(
        statement(), seal=None, seller=dataclasses.replace(statement().seller, logo=None)
    )
    pdf = render_statement_pdf(plain, "zh-CN")
    assert len(pdf) <= 60 * 1024, len(pdf)
    assert len(render_statement_pdf(statement(), "zh-CN")) <= 80 * 1024  # logo and seal too
    assert all("Noto-Sans-CJK-SC" in f for f in pdf_fonts(pdf))
    assert ink(render_page(pdf)) > 0.02 and page_count(pdf) == 2


def test_compacting_fonts_changes_no_pixel() -> None:
    html = (
        "<html><body style='font-family: \"Noto Sans CJK SC\"; font-size: 16pt'>"
        "<p>对账单 回执 逾期利息 催款函 此致敬礼</p><p><b>合计 ¥12,345.67 Statement</b></p>"
        "</body></html>"
    )
    full = HTML(string=html).write_pdf()
    small = HTML(string=html).write_pdf(finisher=compact_fonts)
    assert len(small) * 4 < len(full)
    assert pdf_text(small) == pdf_text(full)
    assert difference(render_page(full, dpi=100), render_page(small, dpi=100), 0) == 0
