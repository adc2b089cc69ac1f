"""Aging: days past due, buckets, and totals that never lose or invent an amount."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.aging import (
    DEFAULT_AGE_BUCKETS,
    DEFAULT_DPD_BUCKETS,
    NOT_YET_DUE,
    Bucket,
    OpenItem,
    aging,
    bucket_for,
    days_past_due,
    validate_buckets,
)

AS_OF = date(2026, 6, 30)


def test_days_past_due_counts_from_the_day_after_due():
    assert days_past_due(AS_OF, AS_OF) == 0
    assert days_past_due(AS_OF - timedelta(days=1), AS_OF) == 1
    assert days_past_due(AS_OF + timedelta(days=10), AS_OF) == -10


def test_default_ladders_put_each_day_where_a_credit_manager_expects():
    assert [bucket_for(d, DEFAULT_DPD_BUCKETS) for d in (-5, 0, 1, 30, 31, 365, 366)] == [
        "CURRENT", "CURRENT", "1-30", "1-30", "31-60", "181-365", "365+",
    ]  # fmt: skip
    assert [bucket_for(d, DEFAULT_AGE_BUCKETS) for d in (0, 364, 365, 1095)] == [
        "<1Y", "<1Y", "1-2Y", ">3Y",
    ]  # fmt: skip


@st.composite
def ladders(draw: st.DrawFn) -> tuple[Bucket, ...]:
    """Contiguous buckets, the first from 'not yet due', the last open-ended."""
    bounds = sorted(draw(st.sets(st.integers(0, 800), min_size=0, max_size=6)))
    starts = [NOT_YET_DUE, *(b + 1 for b in bounds)]
    ends: list[int | None] = [*bounds, None]
    pairs = enumerate(zip(starts, ends, strict=True))
    return validate_buckets([Bucket(f"b{n}", start, end) for n, (start, end) in pairs])


items = st.lists(
    st.builds(
        OpenItem,
        key=st.sampled_from(["A", "B", "C"]),
        currency=st.sampled_from(["CNY", "USD"]),
        open_minor=st.integers(1, 10**9),
        issue_date=st.integers(0, 2000).map(lambda d: AS_OF - timedelta(days=d)),
        due_date=st.integers(-200, 1500).map(lambda d: AS_OF - timedelta(days=d)),
    ),
    max_size=40,
)


@given(found=items, buckets=ladders(), by=st.sampled_from(["dpd", "age"]))
def test_bucket_totals_equal_open_totals_per_group_and_currency(found, buckets, by):
    report = aging(found, AS_OF, buckets, by)
    expected: dict[tuple[str, str], int] = defaultdict(int)
    for item in found:
        expected[(item.key, item.currency)] += item.open_minor
    assert {k: sum(v.values()) for k, v in report.items()} == expected
    assert all(list(v) == [b.label for b in buckets] for v in report.values())


@given(days=st.integers(-(10**5), 10**5), buckets=ladders())
def test_a_day_falls_in_exactly_the_bucket_that_holds_it(days, buckets):
    label = bucket_for(days, buckets)
    bucket = next(b for b in buckets if b.label == label)
    assert days <= (bucket.max_days if bucket.max_days is not None else days)
    assert bucket is buckets[0] or days >= bucket.min_days
