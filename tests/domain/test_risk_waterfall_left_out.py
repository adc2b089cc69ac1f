"""Figures no rate converts: left out of the waterfall's totals, listed, summed for the
portfolio; a net check takes off only the relief that converts (a cover no rate converts
gives none)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from domain.money import Money
from domain.risk.waterfall import (
    Cover,
    Figure,
    Layer,
    LeftOut,
    apply,
    relief,
    total,
)

USD_GUARANTEE = LeftOut(Figure.GUARANTEE, "g1", "general guarantee G-1",
                        Money(100_000, "USD"), "CNY", Decimal(50))  # fmt: skip
USD_DEBT = LeftOut(Figure.RECEIVABLES, None, "open receivables", Money(10_000, "USD"), "CNY")


def test_a_left_out_figure_names_its_pair_and_what_a_cover_would_count_for() -> None:
    assert (USD_GUARANTEE.pair, USD_GUARANTEE.is_cover) == ("USD/CNY", True)
    assert USD_GUARANTEE.weighted == Money(50_000, "USD")
    assert (USD_DEBT.pair, USD_DEBT.is_cover) == ("USD/CNY", False)


def test_left_out_figures_change_no_total_and_are_kept() -> None:
    covers = [Cover(Layer.INSURED, None, "insured", 30_000)]
    kept = apply("CNY", 100_000, covers, [USD_DEBT, USD_GUARANTEE])
    assert (kept.gross_minor, kept.net_minor) == (100_000, 70_000)
    assert kept.lines == apply("CNY", 100_000, covers).lines
    assert kept.unconverted == (USD_DEBT, USD_GUARANTEE)


def test_a_net_check_subtracts_only_the_relief_that_converts() -> None:
    other = LeftOut(Figure.COLLATERAL, "c1", "deposit", Money(20_000, "USD"), "CNY")
    euro = LeftOut(Figure.INSURED, None, "insured", Money(7_000, "EUR"), "CNY")
    result = apply("CNY", 100_000, [Cover(Layer.INSURED, None, "insured", 30_000)],
                   [USD_DEBT, USD_GUARANTEE, other, euro])  # fmt: skip
    # the relief in CNY alone: a cover no rate converts can only lower exposure, so leaving
    # it out is the cautious side (it stays listed in the waterfall's unconverted)
    assert relief(result) == (Money(-30_000, "CNY"),)
    assert result.unconverted == (USD_DEBT, USD_GUARANTEE, other, euro)


def test_no_converted_cover_means_no_entry() -> None:
    assert relief(apply("CNY", 100_000, [], [USD_DEBT])) == ()
    assert relief(apply("CNY", 100_000, [], [USD_GUARANTEE])) == ()
    zero = LeftOut(Figure.GUARANTEE, "g0", "general", Money(1, "USD"), "CNY", Decimal(50))
    assert relief(apply("CNY", 0, [], [zero])) == ()


def test_the_portfolio_sums_left_out_figures_per_kind_and_currency() -> None:
    one = apply("CNY", 100, [], [USD_DEBT, USD_GUARANTEE, USD_GUARANTEE])
    two = apply("CNY", 50, [], [USD_GUARANTEE])
    summed = total("CNY", [one, two, apply("CNY", 10, [])])
    assert [(t.figure, t.source, t.pair, t.customers) for t in summed.unconverted] == [
        (Figure.RECEIVABLES, Money(10_000, "USD"), "USD/CNY", 1),
        (Figure.GUARANTEE, Money(300_000, "USD"), "USD/CNY", 2),
    ]
    assert (summed.customers, summed.gross_minor, summed.net_minor) == (3, 160, 160)


@given(st.integers(0, 10**12), st.integers(0, 10**12), st.integers(1, 10**9))
def test_relief_is_in_the_waterfalls_currency_and_never_exceeds_the_gross(
    gross: int, offered: int, foreign: int
) -> None:
    left = LeftOut(Figure.COLLATERAL, "c", "deposit", Money(foreign, "USD"), "CNY")
    entries = relief(apply("CNY", gross, [Cover(Layer.COLLATERAL, "d", "deposit", offered)],
                           [left]))  # fmt: skip
    assert {m.currency for m in entries} <= {"CNY"}
    assert -gross <= sum(m.minor for m in entries) <= 0
