"""Rule quality: how often each rule fired, was confirmed or dismissed, and how early it saw
the customers later written off (the bad-debt case library)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Outcome:
    """One written-off customer against one rule: days of warning, or None if it never fired."""

    customer_id: str
    written_off_on: date
    days_before: int | None


@dataclass(frozen=True)
class RuleQuality:
    """A rule's record, the figures a credit manager tunes thresholds by."""

    rule: str
    fired: int
    confirmed: int
    false_alarms: int
    write_offs: tuple[Outcome, ...]

    @property
    def caught(self) -> int:
        """Write-offs the rule warned of beforehand."""
        return sum(1 for o in self.write_offs if o.days_before is not None)


def lead_time(first_fired: date | None, written_off_on: date) -> int | None:
    """Days between a rule's first firing and a write-off; None when it fired only after."""
    if first_fired is None or first_fired > written_off_on:
        return None
    return (written_off_on - first_fired).days


def quality(
    rules: Iterable[str],
    counts: Mapping[str, tuple[int, int, int]],
    first_fired: Mapping[tuple[str, str], date],
    write_offs: Mapping[str, date],
) -> list[RuleQuality]:
    """Per rule: (fired, confirmed, false alarms) from `counts`, and for each written-off
    customer (earliest write-off date) the lead time of the rule's first warning on it."""
    out = []
    for rule in rules:
        fired, confirmed, false_alarms = counts.get(rule, (0, 0, 0))
        outcomes = tuple(
            Outcome(c, on, lead_time(first_fired.get((rule, c)), on))
            for c, on in sorted(write_offs.items())
        )
        out.append(RuleQuality(rule, fired, confirmed, false_alarms, outcomes))
    return out
