"""Time-ordered row ids for bulk inserts.

A random (version 4) primary key sends each of 5,000 new rows to a different leaf of the
primary-key index (and of every unique index on the id): on a million-row ledger that is
thousands of pages read, dirtied and logged per batch. Version 7 ids (RFC 9562: a millisecond
timestamp, then random bits) land side by side at one end, so a batch touches a few pages.
They are generated here rather than by the column default because `uuidv7()` needs
PostgreSQL 18 and production runs 14 or newer.
"""

from __future__ import annotations

import os
import time
from uuid import UUID

_RANDOM_BITS = 74  #: what RFC 9562 leaves random in a version 7 id
_VERSION_7 = 0x7 << 76
_VARIANT = 0b10 << 62


def _with_noise(high: int, noise: bytes) -> int:
    """One id: the timestamp, version and variant in `high`, 74 random bits from `noise`."""
    bits = int.from_bytes(noise, "big") >> (80 - _RANDOM_BITS)
    # 12 random bits after the version nibble, 62 after the variant
    return high | (bits >> 62) << 64 | (bits & ((1 << 62) - 1))


def time_ordered_ids(count: int) -> list[UUID]:
    """`count` distinct version 7 ids, ascending: the order to insert rows in."""
    millis = time.time_ns() // 1_000_000
    high = (millis & 0xFFFF_FFFF_FFFF) << 80 | _VERSION_7 | _VARIANT
    noise = os.urandom(10 * count)
    ids = {_with_noise(high, noise[10 * n : 10 * n + 10]) for n in range(count)}
    while len(ids) < count:  # a repeat among 2**74: practically never, but never a duplicate
        ids.add(_with_noise(high, os.urandom(10)))
    return [UUID(int=value) for value in sorted(ids)]
