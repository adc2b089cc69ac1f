"""Rule quality for the credit manager: per rule, how often it fired, was confirmed or
dismissed as a false alarm, and how early it saw the customers later written off."""

from __future__ import annotations

from datetime import date

from dbschema.queries import warnings as q
from domain.warning_rules import quality as rules_quality
from domain.warning_rules.quality import RuleQuality
from domain.warning_rules.thresholds import RULES
from services.read_session import ReadSession


async def rule_quality(session: ReadSession) -> list[RuleQuality]:
    """Every rule (and every other warning kind raised), with its record."""
    counts = {
        r.kind: (int(r.fired), int(r.confirmed), int(r.false_alarms))
        for r in await session.run(q.rule_counts)
    }
    first: dict[tuple[str, str], date] = {}
    written_off: dict[str, date] = {}
    for r in await session.run(q.first_fired_before_write_off):
        written_off[str(r.customer_id)] = r.written_off_on
        if r.kind is not None:
            first[(r.kind, str(r.customer_id))] = r.first_on
    kinds = [*RULES, *sorted(set(counts) - set(RULES))]
    return rules_quality.quality(kinds, counts, first, written_off)
