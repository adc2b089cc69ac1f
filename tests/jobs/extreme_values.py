"""The extremes a mutation accepts (first and last dates, largest amounts per currency
exponent, longest texts) and a mutation call that must succeed: shared by the extreme-rows
job tests."""

from __future__ import annotations

from typing import Any

from domain import texts
from domain.money import MAX_DOCUMENT_MINOR, Money
from tests.schema.any_mutation import mutate

EARLIEST, LATEST = "1900-01-01", "2199-12-31"
CURRENCIES = ("JPY", "CNY", "KWD")
LARGEST = {c: Money(MAX_DOCUMENT_MINOR, c).to_decimal_string() for c in CURRENCIES}
ID = "id userErrors { field code }"
ERRORS = "userErrors { field code }"


def longest(limit: texts.TextLimit, mark: str = "长") -> str:
    """A text of exactly its limit (CJK: each character is three bytes in UTF-8)."""
    return (mark * limit.max_chars)[: limit.max_chars]


def unique(limit: texts.TextLimit, tag: str) -> str:
    """A text of exactly its limit that differs by tag."""
    return (tag + "-" + "X" * limit.max_chars)[: limit.max_chars]


async def ok(client: Any, bearer: str, mutation: str, value: dict[str, Any], select: str) -> Any:
    """The payload of a mutation that must succeed (no userErrors)."""
    payload = await mutate(client, bearer, mutation, value, select)
    assert payload["userErrors"] == [], (mutation, payload["userErrors"])
    return payload


def token_for(subject: str) -> str:
    """Set by the test: a token for another person (proposer, approvers)."""
    return TOKENS[subject]


TOKENS: dict[str, str] = {}
