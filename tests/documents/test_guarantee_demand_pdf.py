"""The guarantee demand letter: both languages, grouped amounts with the symbol, the 大写 total,
and the part of the debts beyond the guarantee shown as not demanded."""

from __future__ import annotations

from documents.guarantee_demand import Debt, DemandLetter, render_demand_pdf
from tests.documents.pdf_tools import pdf_text

LETTER = DemandLetter(
    on="2026-04-01", seller="上海示例机械有限公司", address="上海市浦东新区 1 号",
    phone="021-1234", email="ar@example.cn", contact="李经理", logo=None, seal=None,
    accounts=("中国银行 浦东支行 · 上海示例机械有限公司 · 6222 0000 1111 (CNY)",),
    guarantor="担保集团有限公司", debtor="客户公司", reference="BG-1",
    kind="JOINT_AND_SEVERAL", guaranteed_minor=10_000_000, valid_from="2026-01-01",
    valid_to="2026-12-31", currency="CNY",
    debts=(Debt("INV-1", "2026-02-10", 6_000_000), Debt("INV-2", "2026-03-10", 7_000_000)),
    demanded_minor=10_000_000,
)  # fmt: skip


def test_zh_cn_letter_carries_the_total_in_capitals():
    text = pdf_text(render_demand_pdf(LETTER, "zh-CN"))
    assert "履行保证责任通知书" in text
    assert "连带责任保证" in text
    assert "¥100,000.00" in text and "¥130,000.00" in text
    assert "人民币壹拾万元整" in text
    assert "上海示例机械有限公司" in text and "6222 0000 1111" in text


def test_en_letter():
    text = pdf_text(render_demand_pdf(LETTER, "en"))
    assert "Demand for payment under guarantee" in text
    assert "Joint and several guarantee" in text
    assert "¥60,000.00" in text and "Total demanded" in text
