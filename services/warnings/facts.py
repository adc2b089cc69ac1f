"""Every customer's rule facts, read set-wise (one statement per fact family)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from dbschema.queries import warning_facts as q
from domain.warning_rules import thresholds as t
from domain.warning_rules.facts import (
    Amount,
    CustomerFacts,
    Downgrade,
    LegalRecord,
    News,
    OrderVolume,
    Utilisation,
)
from services.uow import UnitOfWork


def _add(found: dict[str, dict[str, Any]], customer: Any, **values: Any) -> None:
    key = str(customer)
    if key in found:
        found[key].update(values)


def _append(found: dict[str, dict[str, Any]], customer: Any, name: str, item: Any) -> None:
    key = str(customer)
    if key in found:
        found[key][name] = (*found[key].get(name, ()), item)


async def gather(
    uow: UnitOfWork,
    as_of: date,
    th: dict[str, dict[str, int]],
    only: Sequence[UUID] | None = None,
) -> list[CustomerFacts]:
    """The facts of every active customer (or of `only`), as of a date."""
    conn = uow.conn
    found: dict[str, dict[str, Any]] = {
        str(r.id): {"industry": r.industry} for r in await q.customers(conn, only)
    }
    for r in await q.overdue(conn, as_of, only):
        key = str(r.customer_id)
        if key in found:
            found[key]["days_overdue"] = max(found[key].get("days_overdue", 0), int(r.days))
            _append(found, key, "overdue", Amount(r.currency.strip(), int(r.minor)))
    dtp = th[t.DAYS_TO_PAY]["lookbackDays"]
    for r in await q.days_past_due(conn, as_of, dtp, only):
        _add(found, r.customer_id, days_past_due_now=r.now, days_past_due_then=r.then)
    for r in await q.scores(conn, as_of, th[t.SCORE_DROP]["lookbackDays"], only):
        _add(found, r.customer_id, score_now=Decimal(r.now), score_then=Decimal(r.then))
    for r in await q.downgrades(conn, as_of, th[t.SCORE_DROP]["downgradeDays"], only):
        down = Downgrade(r.from_class, r.to_class, r.on_day.isoformat())
        _add(found, r.customer_id, downgrade=down)
    for r in await q.utilisation(conn, as_of, only):
        use = Utilisation(r.currency.strip(), int(r.exposure_minor), int(r.limit_minor))
        _append(found, r.customer_id, "utilisation", use)
    op = th[t.ORDER_PATTERN]
    for r in await q.orders(conn, as_of, op["windowDays"], op["trailingDays"], only):
        volume = OrderVolume(
            r.currency.strip(),
            int(r.recent_count),
            int(r.recent_minor),
            int(r.trailing_count),
            int(r.trailing_minor),
        )
        _append(found, r.customer_id, "orders", volume)
    promise_days = th[t.BROKEN_PROMISES]["lookbackDays"]
    plan_days = th[t.MISSED_INSTALMENTS]["lookbackDays"]
    for r in await q.agreements(conn, as_of, promise_days, plan_days, only):
        _add(
            found, r.customer_id, broken_promises=int(r.broken), missed_instalments=int(r.defaulted)
        )
    for r in await q.reversals(conn, as_of, th[t.REVERSED_PAYMENTS]["lookbackDays"], only):
        _add(found, r.customer_id, reversed_payments=tuple(r.refs))
    for r in await q.contact_churn(conn, as_of, th[t.CONTACT_CHURN]["lookbackDays"], only):
        _add(found, r.customer_id, contacts_removed=int(r.removed or 0))
    legal_days = th[t.LEGAL_RECORD]["lookbackDays"]
    news_days = th[t.NEGATIVE_NEWS]["lookbackDays"]
    for r in await q.legal_and_news(conn, as_of, legal_days, news_days, only):
        if r.kind == "LEGAL_RECORD":
            item: Any = LegalRecord(r.ref, r.legal_kind, r.on_day.isoformat())
            _append(found, r.customer_id, "legal", item)
        else:
            _append(
                found, r.customer_id, "news", News(r.ref, r.severity or "", r.on_day.isoformat())
            )
    base = CustomerFacts("")
    return [replace(base, customer_id=key, **values) for key, values in found.items()]
