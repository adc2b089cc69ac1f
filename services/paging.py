"""Where a keyset page starts, for every list: beyond a row (its id) or before it."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True, slots=True)
class Seek:
    """A page's start: the rows after `row_id` in the list's order, or (`backward`) the rows
    just before it; no row: from the list's start (or, backward, from its end)."""

    row_id: UUID | None = None
    backward: bool = False
