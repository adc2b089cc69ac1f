"""The daily guarantee and collateral clock: warnings before each covered debt's guarantee
period lapses and records of the lapse, expiry warnings and expiries, proposals to call (the
collection case reached litigation) and to release (the customer is restored), re-appraisal
warnings. Every notice is written once (a re-run of the same day adds nothing) and each new
one is published."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from dbschema.queries import guarantee_clock as clock
from dbschema.queries.events import record_event
from domain.risk import collateral as collateral_rules
from domain.risk import guarantees as rules
from services.risk import security_settings
from services.uow import UnitOfWork


@dataclass(frozen=True)
class SweepResult:
    """What one day's sweep recorded."""

    as_of: date
    period_lapsing: int
    period_lapsed: int
    expiring: int
    expired: int
    propose_call: int
    propose_release: int
    reappraisals: int


async def sweep(uow: UnitOfWork, as_of: date) -> SweepResult:
    """Run the day's clock; idempotent per date (notices are insert-once)."""
    conn = uow.conn
    settings = await security_settings.load(conn)
    periods = await clock.run(
        conn, clock.PERIOD_SQL, as_of=as_of, warning_days=settings.period_warning_days,
        statutory=rules.STATUTORY_PERIOD_MONTHS,
    )  # fmt: skip
    expiry = await clock.run(
        conn, clock.EXPIRY_SQL, as_of=as_of, warning_days=settings.expiry_warning_days
    )
    expired = await clock.run(conn, clock.EXPIRE_SQL, as_of=as_of)
    calls = await clock.run(conn, clock.PROPOSE_CALL_SQL, as_of=as_of)
    start = rules.months_after(as_of, -rules.RELEASE_WINDOW_MONTHS)
    candidates = await clock.run(
        conn, clock.RESTORED_SQL, as_of=as_of, window_start=start,
        classes=list(rules.RELEASE_CLASSES),
    )  # fmt: skip
    restored = [
        c.id for c in candidates
        if rules.restored(rules.RestoredFacts(c.rating_class, int(c.max_days)),
                          rules.RELEASE_CLASSES, rules.RELEASE_MAX_DAYS_PAST_DUE)
    ]  # fmt: skip
    releases = await clock.run(conn, clock.PROPOSE_RELEASE_SQL, as_of=as_of, ids=restored)
    months = {k.value: m for k, m in collateral_rules.REAPPRAISAL_MONTHS.items() if m}
    reappraisals = await clock.run(
        conn, clock.REAPPRAISAL_SQL, as_of=as_of, months=json.dumps(months),
        warning_days=collateral_rules.REAPPRAISAL_WARNING_DAYS,
    )  # fmt: skip
    for row in periods:
        await record_event(conn, uow.tenant_id, "risk.guarantee_period_lapsing", {
            "guaranteeId": str(row.guarantee_id), "invoiceId": str(row.invoice_id),
            "state": row.kind, "endsOn": row.ends_on.isoformat(),
        })  # fmt: skip
    for row in expired:
        await record_event(conn, uow.tenant_id, "risk.guarantee_changed", {
            "guaranteeId": str(row.id), "customerId": str(row.customer_id), "status": "EXPIRED",
        })  # fmt: skip
    lapsed = sum(1 for r in periods if r.kind == "PERIOD_LAPSED")
    return SweepResult(
        as_of, len(periods) - lapsed, lapsed, sum(1 for r in expiry if r.kind == "EXPIRING"),
        len(expired), len(calls), len(releases), len(reappraisals),
    )  # fmt: skip
