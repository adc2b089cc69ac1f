"""The net retained risk waterfall: order, caps, weights, never below zero."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.risk.guarantees import GuaranteeKind
from domain.risk.waterfall import (
    DEFAULT_WEIGHTS,
    Cover,
    Layer,
    apply,
    explain,
    parse_weights,
    total,
)


def test_layers_apply_in_order_each_capped_by_what_is_left() -> None:
    covers = [
        Cover(Layer.COLLATERAL, "c1", "equipment mortgage", 500_000),
        Cover(Layer.GUARANTEE, "g1", "general guarantee", 400_000, Decimal(50)),
        Cover(Layer.INSURED, None, "insured", 300_000),
        Cover(Layer.NON_RECOURSE, None, "factored without recourse", 200_000),
    ]
    result = apply("CNY", 1_000_000, covers)
    assert [line.layer for line in result.lines] == [
        Layer.NON_RECOURSE, Layer.INSURED, Layer.GUARANTEE, Layer.COLLATERAL,
    ]  # fmt: skip
    assert [line.applied_minor for line in result.lines] == [200_000, 300_000, 200_000, 300_000]
    assert result.net_minor == 0
    assert result.lines[-1].capped
    assert "capped by what was left" in explain(result.lines[-1], "CNY")
    assert "x 50% = CNY 2,000.00" in explain(result.lines[2], "CNY")


def test_default_weights_and_tenant_overrides() -> None:
    assert DEFAULT_WEIGHTS[GuaranteeKind.BANK_GUARANTEE] == 100
    assert DEFAULT_WEIGHTS[GuaranteeKind.JOINT_AND_SEVERAL] == 80
    assert DEFAULT_WEIGHTS[GuaranteeKind.GENERAL] == 50
    weights = parse_weights({"GENERAL": "40"})
    assert weights[GuaranteeKind.GENERAL] == 40
    assert weights[GuaranteeKind.STANDBY_LC] == 100
    for bad in ({"GENERAL": "101"}, {"GENERAL": "-1"}, {"NOPE": "10"}, {"GENERAL": "1.234"}):
        with pytest.raises(DomainError):
            parse_weights(bad)


covers_st = st.lists(
    st.builds(
        Cover,
        st.sampled_from(list(Layer)),
        st.one_of(st.none(), st.text(max_size=3)),
        st.just("cover"),
        st.integers(0, 10**12),
        st.decimals(0, 100, places=2),
    ),
    max_size=8,
)


@given(st.integers(-(10**6), 10**12), covers_st)
def test_net_is_never_negative_nor_above_gross_and_everything_adds_up(
    gross: int, covers: list[Cover]
) -> None:
    result = apply("CNY", gross, covers)
    assert 0 <= result.net_minor <= max(gross, 0)
    applied = sum(line.applied_minor for line in result.lines)
    assert applied + result.net_minor == result.gross_minor
    assert all(0 <= line.applied_minor <= line.weighted_minor for line in result.lines)


@given(st.integers(0, 10**12), covers_st, covers_st)
def test_more_cover_never_raises_the_net(gross: int, some: list[Cover], more: list[Cover]) -> None:
    assert apply("CNY", gross, [*some, *more]).net_minor <= apply("CNY", gross, some).net_minor


def test_portfolio_total_sums_customers() -> None:
    one = apply("CNY", 100, [Cover(Layer.INSURED, None, "insured", 30)])
    two = apply("CNY", 50, [Cover(Layer.COLLATERAL, "c", "deposit", 80)])
    summed = total("CNY", [one, two])
    assert (summed.customers, summed.gross_minor, summed.net_minor) == (2, 150, 70)
    assert dict(summed.by_layer)[Layer.COLLATERAL] == 50
