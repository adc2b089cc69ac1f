"""checkCredit's input rules (pure, no database): the amount ceiling every job can carry,
and an unknown currency that does not hide the amount's own fault."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.errors import ValidationFailed
from services.credit.check import CheckRequest, _validate
from services.inputs import MoneyIn


def refused(amount: str, currency: str = "CNY", ttl: int = 900) -> list[tuple[str | None, str]]:
    with pytest.raises(ValidationFailed) as caught:
        _validate(CheckRequest(uuid4(), MoneyIn(amount, currency), ttl_seconds=ttl))
    return sorted((e.field, e.code) for e in caught.value.errors)


def test_the_amount_ceiling_is_the_documents() -> None:
    # 10,000,000,000,000.00 CNY is the ceiling (10^15 fen); a fen more is too large
    money, _ = _validate(CheckRequest(uuid4(), MoneyIn("10000000000000.00", "CNY")))
    assert money.minor == 10**15
    assert refused("10000000000000.01") == [("amount", "AMOUNT_TOO_LARGE")]
    assert refused("100000000000000") == [("amount", "AMOUNT_TOO_LARGE")]


def test_an_unknown_currency_does_not_hide_the_amount_or_the_ttl() -> None:
    assert refused("0", "QQQ", ttl=0) == [
        ("amount", "AMOUNT_NOT_POSITIVE"),
        ("currency", "UNKNOWN_CURRENCY"),
        ("ttlSeconds", "INVALID_TTL"),
    ]
    assert refused("-1.5", "QQQ") == [
        ("amount", "AMOUNT_NOT_POSITIVE"),
        ("currency", "UNKNOWN_CURRENCY"),
    ]
    assert refused("1,5", "QQQ") == [("amount", "INVALID_AMOUNT"), ("currency", "UNKNOWN_CURRENCY")]
    assert refused("5", "QQQ") == [("currency", "UNKNOWN_CURRENCY")]
