"""Claims: the indemnity, its caps and deductibles, the status, and recovery sharing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.risk import claims
from domain.risk.claims import ClaimStatus
from domain.risk.insurance_policy import DeductibleKind, PolicyInput, check_policy

TERMS = check_policy(
    PolicyInput(
        insurer="PICC",
        policy_number="P-1",
        currency="CNY",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        max_liability_minor=1_000_000,
        premium_rate_percent="0.3",
        deductible_minor=10_000,
    )
)


def test_indemnity_is_the_percentage_of_the_loss_after_the_deductible() -> None:
    result = claims.indemnity(
        110_000, TERMS, cover_cap_minor=500_000, deductible_used_minor=0, claimed_before_minor=0
    )
    assert result.deductible_minor == 10_000
    assert result.indemnity_minor == 90_000  # 90% of 100,000
    assert result.capped_by is None


def test_the_cover_and_the_maximum_liability_cap_it() -> None:
    by_cover = claims.indemnity(1_010_000, TERMS, 300_000, 0, 0)
    assert (by_cover.indemnity_minor, by_cover.capped_by) == (300_000, "COVER")
    by_liability = claims.indemnity(1_010_000, TERMS, 2_000_000, 0, 950_000)
    assert (by_liability.indemnity_minor, by_liability.capped_by) == (50_000, "MAX_LIABILITY")


def test_an_aggregate_deductible_is_used_up_across_claims() -> None:
    aggregate = replace(TERMS, deductible_kind=DeductibleKind.AGGREGATE)
    first = claims.indemnity(6_000, aggregate, 10**9, 0, 0)
    second = claims.indemnity(6_000, aggregate, 10**9, first.deductible_minor, 0)
    assert (first.deductible_minor, second.deductible_minor) == (6_000, 4_000)
    per_claim = claims.indemnity(6_000, TERMS, 10**9, 6_000, 0)
    assert per_claim.deductible_minor == 6_000


@given(
    st.integers(0, 10**12),
    st.integers(0, 10**12),
    st.integers(0, 10**12),
    st.sampled_from([Decimal("0"), Decimal("80"), Decimal("90.5"), Decimal("100")]),
)
def test_indemnity_never_exceeds_its_percentage_cover_or_liability(
    loss: int, cap: int, before: int, pct: Decimal
) -> None:
    terms = replace(TERMS, indemnity_percent=pct)
    result = claims.indemnity(loss, terms, cap, 0, before)
    assert 0 <= result.indemnity_minor <= cap
    assert result.indemnity_minor <= max(0, terms.max_liability_minor - before)
    assert result.indemnity_minor * 100 <= pct * max(0, loss - terms.deductible_minor)
    bigger = claims.indemnity(loss + 1, terms, cap, 0, before)
    assert bigger.indemnity_minor >= result.indemnity_minor


def test_payments_move_the_status_and_never_exceed_the_indemnity() -> None:
    assert claims.after_payment(ClaimStatus.FILED, 100, 0, 40) is ClaimStatus.PARTLY_PAID
    assert claims.after_payment(ClaimStatus.PARTLY_PAID, 100, 40, 60) is ClaimStatus.PAID
    with pytest.raises(DomainError) as refused:
        claims.after_payment(ClaimStatus.PARTLY_PAID, 100, 40, 61)
    assert refused.value.code == "EXCEEDS_INDEMNITY"
    with pytest.raises(DomainError):
        claims.after_payment(ClaimStatus.REJECTED, 100, 0, 1)
    with pytest.raises(DomainError):
        claims.check_rejectable(ClaimStatus.PARTLY_PAID)


@given(st.lists(st.integers(1, 10**9), max_size=20), st.integers(1, 10**10))
def test_recoveries_are_shared_but_never_beyond_the_indemnity_paid(
    recoveries: list[int], paid: int
) -> None:
    shared = 0
    for amount in recoveries:
        split = claims.recovery_split(amount, Decimal("90"), paid, shared)
        assert split.insurer_minor + split.ours_minor == amount
        assert split.insurer_minor >= 0 and split.ours_minor >= 0
        shared += split.insurer_minor
    assert shared <= paid


def test_no_sharing_before_an_indemnity() -> None:
    with pytest.raises(DomainError) as refused:
        claims.recovery_split(100, Decimal("90"), 0, 0)
    assert refused.value.code == "NO_INDEMNITY_PAID"
