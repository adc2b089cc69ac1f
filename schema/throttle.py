"""A leaky bucket of cost points per tenant and token, restored at a steady rate.

Each API process keeps its own buckets (a client spread over N processes gets up to N times
the budget); the bucket size and restore rate are the tenant's `apiLimits` or the defaults.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

DEFAULT_MAX_COST = 5_000  #: the most one operation may cost
DEFAULT_BUCKET = 10_000  #: points a token can spend in a burst
DEFAULT_RESTORE = 500  #: points restored each second
MAX_BUCKETS = 50_000  #: distinct (tenant, token subject) buckets kept per process


@dataclass(frozen=True)
class Limits:
    """A tenant's API limits."""

    max_cost: int = DEFAULT_MAX_COST
    bucket: int = DEFAULT_BUCKET
    restore_rate: int = DEFAULT_RESTORE

    @classmethod
    def of(cls, raw: object) -> Limits:
        """From a tenant's `apiLimits` setting; anything missing or malformed is the default."""
        if not isinstance(raw, dict):
            return cls()

        def pick(key: str, default: int) -> int:
            value = raw.get(key)
            return value if isinstance(value, int) and 0 < value <= 10**9 else default

        return cls(
            pick("maxCost", DEFAULT_MAX_COST),
            pick("bucketSize", DEFAULT_BUCKET),
            pick("restoreRate", DEFAULT_RESTORE),
        )


class Bucket:
    """Points available now; taking more than there is tells how long to wait."""

    __slots__ = ("available", "capacity", "rate", "updated")

    def __init__(self, capacity: int, rate: int) -> None:
        self.capacity = capacity
        self.rate = rate
        self.available = float(capacity)
        self.updated = time.monotonic()

    def _refill(self) -> None:
        now = time.monotonic()
        self.available = min(self.capacity, self.available + (now - self.updated) * self.rate)
        self.updated = now

    def take(self, points: int) -> float:
        """Spend points: 0.0 when taken, else the seconds to wait before it would succeed."""
        self._refill()
        if points <= self.available:
            self.available -= points
            return 0.0
        return math.ceil((points - self.available) / self.rate * 10) / 10

    def give_back(self, points: int) -> None:
        """Refund what an operation did not use (requested minus actual cost)."""
        self._refill()
        self.available = min(self.capacity, self.available + max(points, 0))


class Buckets:
    """Every bucket of this process, by tenant and token subject."""

    def __init__(self) -> None:
        self._buckets: dict[tuple[str, str], Bucket] = {}

    def get(self, tenant: str, subject: str, limits: Limits) -> Bucket:
        """The bucket of one caller, created full; resized when the tenant's limits change."""
        key = (tenant, subject)
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= MAX_BUCKETS:
                self._buckets.clear()  # a full bucket for everyone is the safe side
            bucket = self._buckets[key] = Bucket(limits.bucket, limits.restore_rate)
        elif (bucket.capacity, bucket.rate) != (limits.bucket, limits.restore_rate):
            bucket.capacity, bucket.rate = limits.bucket, limits.restore_rate
            bucket.available = min(bucket.available, limits.bucket)
        return bucket
