"""The credit-file PDF: real glyphs (checked on rendered pixels), both languages, escaping."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from documents.models import (
    ContactLine,
    CreditFileReport,
    EntryLine,
    MissingLine,
    PartnerLine,
    WarningLine,
)
from documents.render import render_credit_file_pdf, render_html_pdf
from tests.documents.pdf_tools import (
    difference,
    ink,
    page_count,
    pdf_fonts,
    pdf_text,
    render_page,
)

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def report(entries: int = 3, name: str = "上海华东机电设备有限公司") -> CreditFileReport:
    """A report with Chinese data, like a demo customer's."""
    return CreditFileReport(
        tenant_name="演示贸易有限公司",
        generated_at=NOW,
        generated_by="alice",
        code="C-1001",
        legal_name=name,
        country="CN",
        registration_number="91310000607206953D",
        industry="Machinery",
        status="ACTIVE",
        founded_on=date(2008, 3, 1),
        registered_capital="5000000.00 CNY",
        annual_sales="82000000.00 CNY",
        business_model="分销 + 维保服务",
        company_history="2008年成立于上海浦东。",
        salesperson="王伟",
        last_reviewed_on=date(2026, 8, 1),
        next_review_due_on=date(2027, 8, 1),
        completeness_ratio=Decimal("0.8182"),
        contacts=[ContactLine("李娜", "财务经理", "+86 21 5555 0101", "lina@example.cn")],
        partners=[PartnerLine("GUARANTOR", "C-1002", "广州南方建材贸易有限公司", "连带担保")],
        timeline=[
            EntryLine(
                date(2026, 1, 1),
                "FINANCIAL_STATEMENT",
                f"年度财务报表 {i}",
                "审计报告",
                f"dms://{i}",
            )
            for i in range(entries)
        ],
        missing=[
            MissingLine("LEGAL_RECORD", "ABSENT"),
            MissingLine("CREDIT_REPORT", "STALE", date(2025, 1, 1)),
        ],
        warnings=[WarningLine("CREDIT_FILE_INCOMPLETE", "LIGHT", NOW)],
    )


def test_zh_cn_text_and_only_the_cjk_font_is_embedded():
    pdf = render_credit_file_pdf(report(), "zh-CN")
    text = pdf_text(pdf)
    assert "客户信用档案" in text
    assert "上海华东机电设备有限公司" in text
    assert "担保人" in text and "法律记录" in text
    fonts = pdf_fonts(pdf)
    assert fonts and all("Noto-Sans-CJK-SC" in f for f in fonts), fonts


def test_chinese_glyphs_really_render():
    # two different Chinese strings of equal length: real glyphs differ, .notdef boxes do not
    def line(text: str) -> bytes:
        return render_html_pdf(
            "<html><body style='font-family: \"Noto Sans CJK SC\"; font-size: 40pt'>"
            f"{text}</body></html>"
        )

    first = render_page(line("客户信用档案"), dpi=40)
    second = render_page(line("应收账款逾期"), dpi=40)
    assert ink(first) > 0.005 and ink(second) > 0.005
    assert difference(first, second) > 0.004
    page = render_page(render_credit_file_pdf(report(), "zh-CN"))
    assert ink(page) > 0.02


def test_english_labels_and_escaping():
    pdf = render_credit_file_pdf(report(name="Nordic <script>alert(1)</script> & Co"), "en")
    text = pdf_text(pdf)
    assert "Credit file" in text and "Registration number" in text and "Guarantor" in text
    assert "Nordic <script>alert(1)</script> & Co" in text


def test_long_file_paginates_with_page_numbers():
    pdf = render_credit_file_pdf(report(entries=120), "en")
    pages = page_count(pdf)
    assert pages > 1
    text = pdf_text(pdf)
    assert f"1 / {pages}" in text and f"{pages} / {pages}" in text


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language"):
        render_credit_file_pdf(report(), "fr")
