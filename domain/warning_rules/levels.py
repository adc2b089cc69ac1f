"""Warning levels and what a rule returns when it fires."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Level(StrEnum):
    """How serious a signal is; MEDIUM is the practice's "moderate" (the API's stored name)."""

    LIGHT = "LIGHT"
    MEDIUM = "MEDIUM"
    SEVERE = "SEVERE"

    @property
    def rank(self) -> int:
        """0 for light, 2 for severe: levels compare by rank."""
        return LEVEL_ORDER.index(self)


LEVEL_ORDER = (Level.LIGHT, Level.MEDIUM, Level.SEVERE)


def higher(a: Level | None, b: Level | None) -> Level | None:
    """The more serious of two levels (None counts as below light)."""
    if a is None:
        return b
    if b is None:
        return a
    return a if a.rank >= b.rank else b


@dataclass(frozen=True)
class Finding:
    """A rule that fired: on which customer, how seriously, in which window, and why.

    `window` deduplicates (one warning per customer, rule and window); `per_fact` rules (the
    limitation clock, one per invoice) are open once per window, the others once per rule.
    """

    customer_id: str
    rule: str
    level: Level
    window: str
    facts: dict[str, Any] = field(default_factory=dict)
    per_fact: bool = False

    @property
    def dedupe_key(self) -> str:
        """What an open warning is matched on besides customer and rule."""
        return self.window if self.per_fact else ""
