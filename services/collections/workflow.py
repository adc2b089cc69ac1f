"""The daily collections run: pre-due reminders, then escalation, promises and plans.

Idempotent per date: reminders are keyed per invoice, a case moves only forward (a task for
its new owner each time), and promises and plans change status once; so a second run on the
same day writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.agreements import AgreementStatus
from services.collections.agreements import settle_plan, settle_promise
from services.collections.escalation import apply_case, load_facts, plan_day
from services.collections.reminders import send_reminders
from services.configuration import policy as receivables_config
from services.uow import UnitOfWork


@dataclass(frozen=True)
class PromiseCounts:
    """Promises whose date passed today: kept or broken."""

    kept: int
    broken: int


@dataclass(frozen=True)
class PlanCounts:
    """Payment plans that ended today: paid in full or defaulted."""

    completed: int
    defaulted: int


@dataclass(frozen=True)
class DailyRun:
    """What one day's run did."""

    as_of: date
    reminders: int
    opened: int
    escalated: int
    closed: int
    promises: PromiseCounts
    plans: PlanCounts


async def daily_run(uow: UnitOfWork, as_of: date) -> DailyRun:
    """Reminders, escalation, promises and plans for one day (safe to run twice)."""
    policy = await receivables_config.load(uow.conn)
    reminders = await send_reminders(uow, as_of, policy.reminder_days_before_due)
    facts = await load_facts(uow, as_of)
    plans = plan_day(facts, policy.escalation_ladder, as_of)
    for plan in plans:
        await apply_case(uow, plan, facts.case_ids.get(plan.customer_id), as_of)
    for plan in plans:
        for outcome in plan.promises:
            await settle_promise(uow, facts.promises[outcome.id], outcome)
    for plan in plans:
        for outcome in plan.plans:
            await settle_plan(uow, facts.plans[outcome.id], outcome, as_of)
    promises = [o.status for p in plans for o in p.promises]
    ended = [o.status for p in plans for o in p.plans]
    return DailyRun(
        as_of=as_of,
        reminders=reminders,
        opened=sum(p.opens for p in plans),
        escalated=sum(p.escalates for p in plans),
        closed=sum(p.closes for p in plans),
        promises=PromiseCounts(
            kept=promises.count(AgreementStatus.KEPT),
            broken=promises.count(AgreementStatus.BROKEN),
        ),
        plans=PlanCounts(
            completed=ended.count(AgreementStatus.COMPLETED),
            defaulted=ended.count(AgreementStatus.DEFAULTED),
        ),
    )
