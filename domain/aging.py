"""Aging: which bucket an open item falls in, by days past due or by age since issue."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from domain.errors import DomainError

NOT_YET_DUE = -(10**6)  #: lower bound of the CURRENT bucket: anything not yet past due


@dataclass(frozen=True)
class Bucket:
    """An inclusive range of days; the last bucket is open-ended (max_days None)."""

    label: str
    min_days: int
    max_days: int | None


#: Days past due, the usual receivables ladder: current, then 30-day steps to 90, then wider.
DEFAULT_DPD_BUCKETS: tuple[Bucket, ...] = (
    Bucket("CURRENT", NOT_YET_DUE, 0),
    Bucket("1-30", 1, 30),
    Bucket("31-60", 31, 60),
    Bucket("61-90", 61, 90),
    Bucket("91-180", 91, 180),
    Bucket("181-365", 181, 365),
    Bucket("365+", 366, None),
)

#: Age since issue, the source practice's provisioning bands: under 1 year, 1-2, 2-3, over 3.
DEFAULT_AGE_BUCKETS: tuple[Bucket, ...] = (
    Bucket("<1Y", 0, 364),
    Bucket("1-2Y", 365, 729),
    Bucket("2-3Y", 730, 1094),
    Bucket(">3Y", 1095, None),
)


def validate_buckets(buckets: Sequence[Bucket]) -> tuple[Bucket, ...]:
    """Contiguous, non-overlapping, ascending, the last open-ended; else a DomainError."""
    if not buckets:
        raise DomainError("INVALID_BUCKETS", "at least one bucket is needed", "buckets")
    for before, after in pairwise(buckets):
        if before.max_days is None or after.min_days != before.max_days + 1:
            raise DomainError(
                "INVALID_BUCKETS",
                f"{after.label!r} must start the day after {before.label!r} ends",
                "buckets",
            )
    for bucket in buckets:
        if bucket.max_days is not None and bucket.max_days < bucket.min_days:
            raise DomainError(
                "INVALID_BUCKETS", f"{bucket.label!r} ends before it starts", "buckets"
            )
    if buckets[-1].max_days is not None:
        raise DomainError("INVALID_BUCKETS", "the last bucket must be open-ended", "buckets")
    if len({b.label for b in buckets}) != len(buckets):
        raise DomainError("INVALID_BUCKETS", "bucket labels must be unique", "buckets")
    return tuple(buckets)


def days_past_due(due_date: date, as_of: date) -> int:
    """Days after the due date (zero or negative while not yet due)."""
    return (as_of - due_date).days


def age_days(issue_date: date, as_of: date) -> int:
    """Days since issue."""
    return (as_of - issue_date).days


def bucket_for(days: int, buckets: Sequence[Bucket]) -> str:
    """The label of the bucket holding `days` (below the first bucket counts as the first)."""
    for bucket in buckets:
        if bucket.max_days is None or days <= bucket.max_days:
            return bucket.label
    return buckets[-1].label


@dataclass(frozen=True)
class OpenItem:
    """An open amount on a date, keyed by whatever the report groups by."""

    key: str
    currency: str
    open_minor: int
    issue_date: date
    due_date: date


def aging(
    items: Iterable[OpenItem],
    as_of: date,
    buckets: Sequence[Bucket] = DEFAULT_DPD_BUCKETS,
    by: str = "dpd",
) -> dict[tuple[str, str], dict[str, int]]:
    """Totals per (key, currency) per bucket; currencies are never added together."""
    out: dict[tuple[str, str], dict[str, int]] = {}
    for item in items:
        days = (
            days_past_due(item.due_date, as_of) if by == "dpd" else age_days(item.issue_date, as_of)
        )
        row = out.setdefault((item.key, item.currency), {b.label: 0 for b in buckets})
        row[bucket_for(days, buckets)] += item.open_minor
    return out
