"""The rules run: every customer's facts through the rules, the limitation clock over open
invoices, contagion through the partners graph; raised set-wise, responded to, escalated.

Re-running for the same date raises nothing new: findings dedupe against active warnings
(per customer, rule and key) and against closed ones in the same window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from dbschema.queries import limitation as clock_queries
from dbschema.queries import warning_facts as fact_queries
from dbschema.queries import warning_store as store
from dbschema.queries.events import record_events
from domain.warning_rules import contagion, limitation, rules
from domain.warning_rules import thresholds as t
from domain.warning_rules.levels import Finding, Level
from domain.warning_rules.lifecycle import OWNER, Status, escalation, sla_hours
from services.uow import UnitOfWork
from services.warnings import facts as fact_service
from services.warnings.respond import respond
from services.warnings.settings import WarningSettings, load_in
from services.warnings.signals import TOPIC_RAISED

CHUNK = 20_000  #: findings raised per statement: bounded memory on the largest tenants
TOPIC_ESCALATED = "warning.escalated"


@dataclass(frozen=True)
class RunTally:
    """What a rules run did."""

    as_of: date
    customers: int
    findings: int
    raised: int
    level_raised: int
    responses: int
    held: int
    escalated: int


def _row(f: Finding, as_of: date, settings: WarningSettings) -> dict[str, Any]:
    evidence = {**f.facts, "rule": f.rule, "window": f.window, "asOf": as_of.isoformat()}
    return {
        "customer_id": f.customer_id,
        "kind": f.rule,
        "level": f.level.value,
        "rule_key": f.dedupe_key,
        "window_key": f.window,
        "evidence": evidence,
        "owner_role": OWNER[f.level],
        "sla_hours": sla_hours(f.level, settings.sla_hours),
    }


def _payload(r: Any, evidence: dict[str, Any]) -> dict[str, Any]:
    """The warning.raised snapshot (the shape signals.event_payload gives), built from the
    finding's own facts so the statement need not send the evidence back."""
    if r.previous_level is not None:
        evidence = {**evidence, "previousLevel": r.previous_level}
    return {
        "id": str(r.id),
        "customerId": str(r.customer_id),
        "kind": r.kind,
        "level": r.level,
        "status": r.status,
        "evidence": evidence,
        "raisedAt": r.raised_at.isoformat(),
        "customer": {"code": r.customer_code, "legalName": r.customer_name},
        "levelRaised": r.level_raised,
    }


async def raise_all(
    uow: UnitOfWork, findings: Sequence[Finding], as_of: date, settings: WarningSettings
) -> list[Any]:
    """Raise findings in chunks, publish one event per warning raised or raised in level."""
    changed: list[Any] = []
    for start in range(0, len(findings), CHUNK):
        rows = [_row(f, as_of, settings) for f in findings[start : start + CHUNK]]
        evidence = {(r["customer_id"], r["kind"], r["rule_key"]): r["evidence"] for r in rows}
        done = await store.raise_findings(uow.conn, uow.tenant_id, rows)
        payloads = [_payload(r, evidence[(str(r.customer_id), r.kind, r.rule_key)]) for r in done]
        await record_events(uow.conn, uow.tenant_id, TOPIC_RAISED, payloads)
        changed.extend(done)
    return changed


async def _limitation(
    uow: UnitOfWork, as_of: date, settings: WarningSettings, only: Sequence[UUID] | None
) -> list[Finding]:
    th = settings.thresholds[t.LIMITATION]
    rows = await clock_queries.summaries(
        uow.conn, as_of, th["firstDays"], limitation.MAX_LISTED, only
    )
    listed: dict[str, list[limitation.Clock]] = {}
    counts: dict[str, tuple[int, int]] = {}
    # soonest first per customer; each row carries its customer's counts
    for invoice, customer, due, started_on, started_by, lapses_on, total, lapsed in rows:
        key = str(customer)
        clock = limitation.Clock(str(invoice), key, due, started_on, started_by, lapses_on)
        listed.setdefault(key, []).append(clock)
        counts[key] = (total, lapsed)
    found = {
        key: limitation.Summary(key, tuple(clocks), *counts[key]) for key, clocks in listed.items()
    }
    return limitation.warnings_of(found.values(), as_of, th)


async def _contagion(uow: UnitOfWork, as_of: date, settings: WarningSettings) -> list[Finding]:
    severe = {
        str(r.customer_id): list(r.kinds)
        for r in await store.severe_customers(uow.conn, [contagion.RULE])
    }
    if not severe:
        return []
    relations = [
        contagion.Relation(str(r.customer_id), str(r.related_customer_id), r.kind)
        for r in await fact_queries.relations(uow.conn)
    ]
    return contagion.spread(severe, relations, as_of, settings.thresholds[t.CONTAGION])


async def _news(uow: UnitOfWork, findings: list[Finding]) -> list[Finding]:
    """Findings an active warning does not already cover at their level or above (a night
    with nothing new sends nothing to the raise statement)."""
    active = await store.active_levels(uow.conn)
    return [
        f
        for f in findings
        if (level := active.get((f.customer_id, f.rule, f.dedupe_key))) is None
        or Level(level).rank < f.level.rank
    ]


async def run_rules(
    uow: UnitOfWork,
    as_of: date,
    only: Sequence[UUID] | None = None,
    now: datetime | None = None,
) -> RunTally:
    """Run every rule for every active customer (or `only` some, on an event) as of a date."""
    settings = await load_in(uow.conn)
    facts = await fact_service.gather(uow, as_of, settings.thresholds, only)
    disabled = set(settings.disabled)
    findings: list[Finding] = []
    for customer in facts:
        findings.extend(
            rules.evaluate(
                customer, settings.thresholds, as_of, settings.downturn_industries, disabled
            )
        )
    if t.LIMITATION not in disabled:
        findings.extend(await _limitation(uow, as_of, settings, only))
    changed = await raise_all(uow, await _news(uow, findings), as_of, settings)
    spread: list[Finding] = []
    if t.CONTAGION not in disabled:
        spread = await _contagion(uow, as_of, settings)
        changed.extend(await raise_all(uow, await _news(uow, spread), as_of, settings))
    answered = await respond(uow, changed, as_of, settings)
    escalated = 0 if only is not None else await escalate(uow, now or datetime.now(UTC), settings)
    return RunTally(
        as_of=as_of,
        customers=len(facts),
        findings=len(findings) + len(spread),
        raised=sum(1 for r in changed if not r.level_raised),
        level_raised=sum(1 for r in changed if r.level_raised),
        responses=answered.responses,
        held=answered.held,
        escalated=escalated,
    )


async def escalate(uow: UnitOfWork, now: datetime, settings: WarningSettings) -> int:
    """Hand open warnings past their SLA one rung up the ladder; how many moved."""
    moved = []
    for row in await store.breached(uow.conn, now):
        hours = sla_hours(Level(row.level), settings.sla_hours)
        step = escalation(Status(row.status), row.owner_role or "", row.sla_due_at, now, hours)
        if step is not None:
            moved.append(
                {
                    "id": str(row.id),
                    "customerId": str(row.customer_id),
                    "role": step[0],
                    "from": row.owner_role,
                    "due": step[1].isoformat(),
                }
            )
    await store.escalate(uow.conn, moved)
    await record_events(
        uow.conn,
        uow.tenant_id,
        TOPIC_ESCALATED,
        [
            {"id": m["id"], "customerId": m["customerId"], "from": m["from"], "to": m["role"]}
            for m in moved
        ],
    )
    return len(moved)
