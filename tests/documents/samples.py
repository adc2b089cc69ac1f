"""Fixed documents for the document tests and their reference images: no clock, no database.

fixtures/seal.png and fixtures/logo.png were drawn once with Pillow and Noto Sans CJK SC Bold
(a red ring, a star, the company name on the arc and 财务专用章), as a tenant would upload them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from documents.models import (
    DunningLetter,
    LawFirm,
    LetterCurrency,
    Letterhead,
    LetterItem,
    OpenItem,
    PayInto,
    Picture,
    PriorLetter,
    StatementDocument,
    StatementLine,
)
from domain.money import Money

FIXTURES = Path(__file__).with_name("fixtures")
SEAL = Picture("image/png", (FIXTURES / "seal.png").read_bytes())
LOGO = Picture("image/png", (FIXTURES / "logo.png").read_bytes())
AS_OF = date(2026, 11, 30)


def cny(amount: str) -> Money:
    """An amount in CNY from a decimal string."""
    return Money.parse(amount, "CNY")


SELLER = Letterhead(
    name="上海演示贸易有限公司",
    address="上海市浦东新区世纪大道100号20楼",
    phone="+86 21 5555 0100",
    email="ar@demo-trading.cn",
    contact_person="张敏",
    logo=LOGO,
)
ACCOUNTS = [
    PayInto(
        "中国工商银行", "上海演示贸易有限公司", "1001 2345 6789 0123 456", "CNY", "上海浦东支行"
    )
]
FIRM = LawFirm("上海明理律师事务所", "刘明", "上海市黄浦区中山东一路18号", "+86 21 6333 0000")


NUMBERS = {"REMINDER": "DL-2026-0007", "DEMAND": "DM-2026-0004", "LAWYER": "LL-2026-0002"}


def letter(kind: str = "REMINDER", draft: bool = False) -> DunningLetter:
    """A letter to a Chinese customer with three overdue invoices, interest to date."""
    items = [
        LetterItem(
            "INV-2026-0815",
            "PO-88321",
            date(2026, 8, 15),
            date(2026, 9, 14),
            77,
            cny("12345.67"),
            cny("12345.67"),
            cny("475.31"),
        ),
        LetterItem(
            "INV-2026-0902",
            "PO-88407",
            date(2026, 9, 2),
            date(2026, 10, 2),
            59,
            cny("208000.00"),
            cny("158000.00"),
            cny("4661.00"),
        ),
        LetterItem(
            "INV-2026-0918",
            None,
            date(2026, 9, 18),
            date(2026, 10, 18),
            43,
            cny("9870.50"),
            cny("9870.50"),
            cny("212.22"),
        ),
    ]
    block = LetterCurrency(
        "CNY",
        items,
        open=cny("180216.17"),
        interest=cny("5348.53"),
        accounts=ACCOUNTS,
    )
    return DunningLetter(
        kind=kind,
        number=None if draft else NUMBERS[kind],
        as_of=AS_OF,
        deadline=date(2026, 12, 10),
        seller=SELLER,
        customer_code="C-1001",
        customer_name="上海华东机电设备有限公司",
        currencies=[block],
        daily_rate=Decimal("0.0005"),
        seal=SEAL,
        law_firm=FIRM,
        prior=[PriorLetter("REMINDER", "DL-2026-0003", date(2026, 10, 20))]
        if kind != "REMINDER"
        else [],
    )


def statement() -> StatementDocument:
    """October 2026 for a Chinese customer: invoices, a payment, a credit note, open items."""
    lines = [
        StatementLine(
            date(2026, 10, 5),
            "INVOICE",
            "INV-2026-1005",
            cny("50000.00"),
            "PO-88510",
            date(2026, 11, 4),
            30,
        ),
        StatementLine(date(2026, 10, 15), "PAYMENT", "BANK-20261015", cny("-70000.00")),
        StatementLine(
            date(2026, 10, 20),
            "INVOICE",
            "INV-2026-1020",
            cny("30000.00"),
            "PO-88577",
            date(2026, 11, 19),
            30,
        ),
        StatementLine(date(2026, 10, 25), "CREDIT_NOTE", "CN-2026-031", cny("-1000.00")),
    ]
    items = [
        OpenItem(
            "INV-2026-0902",
            "PO-88407",
            date(2026, 9, 2),
            date(2026, 10, 2),
            30,
            cny("208000.00"),
            cny("138000.00"),
            29,
            cny("2001.00"),
            "1-30",
        ),
        OpenItem(
            "INV-2026-1005",
            "PO-88510",
            date(2026, 10, 5),
            date(2026, 11, 4),
            30,
            cny("50000.00"),
            cny("50000.00"),
            0,
            cny("0.00"),
            "CURRENT",
        ),
        OpenItem(
            "INV-2026-1020",
            "PO-88577",
            date(2026, 10, 20),
            date(2026, 11, 19),
            30,
            cny("30000.00"),
            cny("29000.00"),
            0,
            cny("0.00"),
            "CURRENT",
        ),
    ]
    return StatementDocument(
        reference="C-1001-202610-CNY",
        seller=SELLER,
        customer_code="C-1001",
        customer_name="上海华东机电设备有限公司",
        period_from=date(2026, 10, 1),
        period_to=date(2026, 10, 31),
        currency="CNY",
        opening=cny("208000.00"),
        closing=cny("217000.00"),
        lines=lines,
        open_items=items,
        interest=cny("2001.00"),
        generated_at=datetime(2026, 11, 1, 1, 0, tzinfo=UTC),
        time_zone="Asia/Shanghai",
        accounts=ACCOUNTS,
        seal=SEAL,
    )
