"""The daily guarantee and collateral clock: warnings before each covered debt's guarantee
period lapses and records of the lapse, expiry warnings and expiries, proposals to call (the
collection case reached litigation) and to release (the customer is restored), re-appraisal
warnings. Every notice is written once (a re-run of the same day adds nothing) and each new
one is published."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from dbschema.queries import guarantee_clock as clock
from dbschema.queries.events import record_events
from domain.risk import collateral as collateral_rules
from domain.risk import guarantees as rules
from services.risk import security_settings
from services.uow import UnitOfWork

#: Invoices one event lists (the notices table holds them all): a first sweep over years of
#: history records tens of thousands of lapses, which subscribers need per guarantee, not per
#: debt, and which go out in one statement.
EVENT_INVOICES = 20


def _per_guarantee(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """One event per guarantee and state with its new notices (the first 20 invoices)."""
    grouped: dict[tuple[str, str], list[Any]] = {}
    for row in rows:
        grouped.setdefault((str(row.guarantee_id), row.kind), []).append(row)
    return [
        {"guaranteeId": gid, "state": kind, "count": len(items),
         "invoices": [{"invoiceId": str(r.invoice_id), "endsOn": r.ends_on.isoformat()}
                      for r in sorted(items, key=lambda r: r.ends_on)[:EVENT_INVOICES]]}
        for (gid, kind), items in sorted(grouped.items())
    ]  # fmt: skip


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
    await record_events(conn, uow.tenant_id, "risk.guarantee_period_lapsing", _per_guarantee(
        periods))  # fmt: skip
    await record_events(conn, uow.tenant_id, "risk.guarantee_changed", [
        {"guaranteeId": str(r.id), "customerId": str(r.customer_id), "status": "EXPIRED"}
        for r in expired
    ])  # fmt: skip
    lapsed = sum(1 for r in periods if r.kind == "PERIOD_LAPSED")
    return SweepResult(
        as_of, len(periods) - lapsed, lapsed, sum(1 for r in expiry if r.kind == "EXPIRING"),
        len(expired), len(calls), len(releases), len(reappraisals),
    )  # fmt: skip
