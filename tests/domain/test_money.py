"""Money is exact: parsing, formatting and arithmetic never go through floats."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.currencies import MINOR_UNITS
from domain.errors import DomainError
from domain.money import MAX_DOCUMENT_MINOR, Money, document_amount_error, totals


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        ("1234.50", "CNY", 123450),
        ("0", "USD", 0),
        ("7", "JPY", 7),
        ("1.234", "KWD", 1234),
        ("-5.00", "EUR", -500),
        ("12.3", "CNY", 1230),
        ("+.5", "CNY", 50),
        ("7.", "JPY", 7),
    ],
)
def test_parse_exact(amount: str, currency: str, minor: int) -> None:
    assert Money.parse(amount, currency) == Money(minor, currency)


@pytest.mark.parametrize(
    ("amount", "currency", "code"),
    [
        ("1.005", "CNY", "INVALID_AMOUNT"),
        ("1.5", "JPY", "INVALID_AMOUNT"),
        ("abc", "CNY", "INVALID_AMOUNT"),
        ("1e3", "CNY", "INVALID_AMOUNT"),
        ("NaN", "CNY", "INVALID_AMOUNT"),
        ("Infinity", "USD", "INVALID_AMOUNT"),
        ("10", "XXZ", "UNKNOWN_CURRENCY"),
        ("10", "cnyx", "UNKNOWN_CURRENCY"),
        ("99999999999999999999", "CNY", "AMOUNT_TOO_LARGE"),
        ("-99999999999999999999", "CNY", "INVALID_AMOUNT"),
        ("1_000", "CNY", "INVALID_AMOUNT"),
        ("١٢٣", "CNY", "INVALID_AMOUNT"),
        ("1e5", "CNY", "INVALID_AMOUNT"),
        (" 1", "CNY", "INVALID_AMOUNT"),
        ("1 ", "CNY", "INVALID_AMOUNT"),
        ("sNaN", "CNY", "INVALID_AMOUNT"),
        ("-Infinity", "CNY", "INVALID_AMOUNT"),
        ("1.2.3", "CNY", "INVALID_AMOUNT"),
        ("--1", "CNY", "INVALID_AMOUNT"),
        ("", "CNY", "INVALID_AMOUNT"),
        ("1" * 41, "CNY", "INVALID_AMOUNT"),
    ],
)
def test_parse_refuses(amount: str, currency: str, code: str) -> None:
    with pytest.raises(DomainError) as info:
        Money.parse(amount, currency)
    assert info.value.code == code


@pytest.mark.parametrize(
    ("amount", "currency", "ceiling"),
    [
        ("99999999999999999999.99", "CNY", "10000000000000.00 CNY"),
        ("1000000000000000000.00", "USD", "10000000000000.00 USD"),
        ("9223372036854775.808", "KWD", "1000000000000.000 KWD"),
    ],
)
def test_an_amount_no_bigint_holds_is_too_large_naming_the_ceiling(
    amount: str, currency: str, ceiling: str
) -> None:
    # an amount above the document ceiling is one fault whatever its size: the same code and
    # message as one a fen above it (malformed text stays INVALID_AMOUNT)
    with pytest.raises(DomainError) as info:
        Money.parse(amount, currency, "limit")
    assert (info.value.code, info.value.field) == ("AMOUNT_TOO_LARGE", "limit.amount")
    assert info.value.message == f"at most {ceiling} per document"
    just_above = document_amount_error(Money(MAX_DOCUMENT_MINOR + 1, currency), "limit.amount")
    assert just_above is not None and just_above.message == info.value.message


def test_float_is_not_money() -> None:
    with pytest.raises(TypeError):
        Money(1.5, "CNY")  # type: ignore[arg-type]


def test_no_mixing_currencies() -> None:
    with pytest.raises(DomainError) as info:
        Money(1, "CNY") + Money(1, "USD")
    assert info.value.code == "CURRENCY_MISMATCH"


@given(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.sampled_from(["CNY", "USD", "JPY", "KWD", "EUR"]),
)
def test_format_then_parse_round_trips(minor: int, currency: str) -> None:
    money = Money(minor, currency)
    assert Money.parse(money.to_decimal_string(), currency) == money


@given(st.integers(-(10**12), 10**12), st.integers(-(10**12), 10**12))
def test_addition_is_exact(a: int, b: int) -> None:
    assert (Money(a, "CNY") + Money(b, "CNY")).minor == a + b
    assert (Money(a, "CNY") - Money(b, "CNY")).minor == a - b


CURRENCIES = st.sampled_from(sorted(MINOR_UNITS))
MINORS = st.integers(min_value=-(2**63) + 1, max_value=2**63 - 1)
PLAIN = re.compile(r"-?[0-9]+(\.[0-9]+)?")


@given(MINORS, CURRENCIES)
def test_every_currency_formats_plainly_and_parses_back(minor: int, currency: str) -> None:
    text = Money(minor, currency).to_decimal_string()
    assert PLAIN.fullmatch(text)
    assert len(text.partition(".")[2]) == MINOR_UNITS[currency]
    assert Money.parse(text, currency) == Money(minor, currency)


@given(MINORS, CURRENCIES)
def test_parse_reads_decimal_text_exactly(minor: int, currency: str) -> None:
    digits = MINOR_UNITS[currency]
    units, cents = divmod(abs(minor), 10**digits)
    sign = "-" if minor < 0 else ""
    text = sign + str(units) + ("." + str(cents).zfill(digits) if digits else "")
    assert Money.parse(text, currency) == Money(minor, currency)
    assert Money(minor, currency).to_decimal_string() == text
    if digits:  # fewer written decimals mean the same amount
        short = text.rstrip("0").rstrip(".")
        assert Money.parse(short, currency) == Money(minor, currency)


@given(st.floats(allow_nan=True, allow_infinity=True), CURRENCIES)
def test_a_float_is_never_money(value: float, currency: str) -> None:
    with pytest.raises(TypeError):
        Money(value, currency)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money.parse(value, currency)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "module",
    ["money", "interest", "provisions", "kpis", "terms", "writeoff", "currencies"],
)
def test_no_float_in_the_money_rules(module: str) -> None:
    """No float literal, float() conversion or float annotation in the rules money passes."""
    source = (Path(__file__).resolve().parents[2] / "domain" / f"{module}.py").read_text()
    tree = ast.parse(source)
    annotations = [
        ast.unparse(a)
        for node in ast.walk(tree)
        for a in (
            [node.annotation]
            if isinstance(node, ast.AnnAssign | ast.arg) and node.annotation
            else [node.returns]
            if isinstance(node, ast.FunctionDef) and node.returns
            else []
        )
    ]
    assert not [
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.Constant) and isinstance(node.value, float))
        or (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "float")
    ]
    assert not [a for a in annotations if re.search(r"\bfloat\b", a)]


@given(st.lists(st.tuples(st.integers(-(10**15), 10**15), CURRENCIES), max_size=40))
def test_sums_are_exact_per_currency_and_never_mix(items: list[tuple[int, str]]) -> None:
    amounts = [Money(minor, currency) for minor, currency in items]
    expected: Counter[str] = Counter()
    for minor, currency in items:
        expected[currency] += minor
    got = totals(amounts)
    assert got == {c: Money(m, c) for c, m in expected.items()}
    assert list(got) == sorted(got)
    assert totals(reversed(amounts)) == got
    for currency, money in got.items():
        same = [a for a in amounts if a.currency == currency]
        running = Money(0, currency)
        for a in same:
            running = running + a
        assert running == money


def test_a_currency_code_in_any_case_is_its_upper_case_code() -> None:
    assert Money.parse("10.50", " cny") == Money(1050, "CNY")
