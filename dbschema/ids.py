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
from uuid import UUID, SafeUUID

_RANDOM_BITS = 74  #: what RFC 9562 leaves random in a version 7 id
_VERSION_7 = 0x7 << 76
_VARIANT = 0b10 << 62
_LOW_62 = (1 << 62) - 1


def _laid_out(high: int, bits: int) -> int:
    """One id: the timestamp, version and variant in `high`, 74 bits from `bits`: 12 after
    the version nibble, 62 after the variant."""
    return high | (bits >> 62) << 64 | (bits & _LOW_62)


def _uuid(value: int) -> UUID:
    """A UUID of a 128-bit int known to be in range, without UUID()'s argument checks (an
    import makes ~11,000 of them)."""
    made = object.__new__(UUID)
    object.__setattr__(made, "int", value)
    object.__setattr__(made, "is_safe", SafeUUID.unknown)
    return made


def time_ordered_ids(count: int) -> list[UUID]:
    """`count` distinct version 7 ids, ascending: the order to insert rows in. They share the
    millisecond and count up from a random 73-bit start (RFC 9562's monotonic random: a
    batch's ids are one run of the 74 bits, and two batches in the same millisecond overlap
    with a chance of about count / 2**73)."""
    if count >= 1 << 72:
        raise ValueError("too many ids for one millisecond")
    millis = time.time_ns() // 1_000_000
    high = (millis & 0xFFFF_FFFF_FFFF) << 80 | _VERSION_7 | _VARIANT
    start = int.from_bytes(os.urandom(10), "big") >> (80 - _RANDOM_BITS + 1)  # 73 bits
    return [_uuid(_laid_out(high, start + n)) for n in range(count)]
