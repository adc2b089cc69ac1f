"""Allocating cash to open invoices: oldest due first, never beyond an amount or an item."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Receivable:
    """An open item that cash can be applied to."""

    id: str
    due_date: date
    issue_date: date
    open_minor: int


def allocate_oldest_first(amount_minor: int, items: Sequence[Receivable]) -> list[tuple[str, int]]:
    """Apply cash to the oldest due items first (ties: issue date, then id)."""
    remaining = amount_minor
    plan: list[tuple[str, int]] = []
    for item in sorted(items, key=lambda i: (i.due_date, i.issue_date, i.id)):
        if remaining <= 0:
            break
        if item.open_minor <= 0:
            continue
        take = min(item.open_minor, remaining)
        plan.append((item.id, take))
        remaining -= take
    return plan
