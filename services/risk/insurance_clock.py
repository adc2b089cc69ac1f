"""The policy clock: the daily sweep, each invoice's insurance, and the insured amounts.

The sweep is one set-wise statement over every open invoice insured at delivery
(dbschema.queries.risk_insurance); it records each deadline's warning and each miss once, so
a second run the same day raises nothing. Warnings go through services.warnings, one per
customer and kind, listing the invoices concerned.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.ledger_tables import allocations, invoices
from dbschema.queries import risk_insurance as q
from dbschema.risk_claim_tables import claim_lines, insurance_claims
from dbschema.risk_insurance_tables import (
    buyer_covers,
    cover_decisions,
    insurance_policies,
    insurer_actions,
    insurer_notification_lines,
    insurer_notifications,
)
from domain.risk import insurance_clock as rules
from domain.risk.insurance_clock import Clock, InvoiceFacts, Reason
from domain.risk.insurance_covers import CoverDecision, CoverStatus, limit_on
from domain.risk.insurance_policy import insured_part
from services.read_session import ReadSession
from services.risk.insurance import terms_of
from services.uow import UnitOfWork
from services.warnings.signals import raise_warnings

#: The warning each recorded notice raises: (deadline, stage) -> (kind, level).
WARNING_OF: dict[tuple[str, str], tuple[str, str]] = {
    ("NOTIFICATION", "WARNED"): ("INSURANCE_NOTIFICATION_DUE", "MEDIUM"),
    ("STOP_DELIVERY", "WARNED"): ("INSURANCE_STOP_DELIVERY_DUE", "MEDIUM"),
    ("CLAIM", "WARNED"): ("INSURANCE_CLAIM_DUE", "MEDIUM"),
    ("STOP_DELIVERY", "MISSED"): ("INSURANCE_STOP_DELIVERY", "SEVERE"),
    ("NOTIFICATION", "MISSED"): ("INSURANCE_LAPSED", "SEVERE"),
    ("CLAIM", "MISSED"): ("INSURANCE_LAPSED", "SEVERE"),
    ("DELIVERY", "MISSED"): ("INSURANCE_LAPSED", "SEVERE"),
}
#: Why an invoice lapsed, by the deadline it missed.
LAPSE_REASON = {
    "NOTIFICATION": Reason.NOTIFICATION_MISSED.value,
    "CLAIM": Reason.CLAIM_DEADLINE_MISSED.value,
    "DELIVERY": Reason.DELIVERED_AFTER_STOP.value,
}
EVIDENCE_INVOICES = 20  #: invoices a warning lists by number (the count says the rest)


@dataclass(frozen=True, slots=True)
class SweepResult:
    """What a day's sweep recorded: notices by deadline and stage, warnings raised."""

    as_of: date
    notices: dict[str, int]
    warnings_raised: int
    actions_warned: int


async def sweep(uow: UnitOfWork, as_of: date) -> SweepResult:
    """Run the day's policy clock; idempotent per date (notices and warnings are insert-once)."""
    rows = await q.sweep(uow.conn, uow.tenant_id, as_of, rules.WARN_DAYS)
    counts: dict[str, int] = defaultdict(int)
    grouped: dict[tuple[UUID, str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        counts[f"{row.deadline}:{row.stage}"] += 1
        kind, level = WARNING_OF[(row.deadline, row.stage)]
        item = {"number": row.number, "deadline": row.deadline, "dueOn": row.due_on.isoformat()}
        if row.stage == "MISSED" and row.deadline in LAPSE_REASON:
            item["reason"] = LAPSE_REASON[row.deadline]
        grouped[(row.customer_id, kind, level)].append({**item, "policyId": str(row.policy_id)})
    signals = [
        (
            customer,
            kind,
            level,
            {
                "count": len(items),
                "invoices": sorted(items, key=lambda i: (i["dueOn"], i["number"]))[
                    :EVIDENCE_INVOICES
                ],
            },
        )
        for (customer, kind, level), items in sorted(grouped.items())
    ]
    signals.extend(await _actions(uow, as_of))
    raised = await raise_warnings(uow, signals)
    return SweepResult(as_of, dict(counts), len(raised), len(signals) - len(grouped))


async def _actions(uow: UnitOfWork, as_of: date) -> list[tuple[UUID, str, str, dict[str, Any]]]:
    """The insurer's required actions coming due (warned once) or missed (recorded once)."""
    a = insurer_actions.c
    signals: list[tuple[UUID, str, str, dict[str, Any]]] = []
    for stage, column, kind, level, when in (
        ("MISSED", a.missed_on, "INSURER_ACTION_MISSED", "SEVERE", a.due_on < as_of),
        (
            "WARNED",
            a.warned_on,
            "INSURER_ACTION_DUE",
            "MEDIUM",
            a.due_on.between(as_of, as_of + timedelta(days=rules.WARN_DAYS)),
        ),
    ):
        marked = await uow.conn.execute(
            insurer_actions.update()
            .where(a.completed_on.is_(None), column.is_(None), when)
            .values({column.key: as_of})
            .returning(a.id, a.customer_id, a.policy_id, a.description, a.due_on)
        )
        for row in marked:
            evidence = {
                "actionId": str(row.id),
                "policyId": str(row.policy_id),
                "description": row.description,
                "dueOn": row.due_on.isoformat(),
                "stage": stage,
            }
            signals.append((row.customer_id, kind, level, evidence))
    return signals


@dataclass(frozen=True, slots=True)
class InvoiceInsurance:
    """Whether an invoice is insured on a date, why, and its policy clock."""

    invoice_id: UUID
    customer_id: UUID
    currency: str
    open_minor: int
    reason: Reason
    policy_id: UUID | None
    limit_at_delivery_minor: int | None
    clock: Clock | None
    notified_on: date | None
    claimed_on: date | None

    @property
    def insured(self) -> bool:
        """Insured now."""
        return self.reason is Reason.INSURED


async def invoice_insurance(
    session: ReadSession, invoice_ids: list[UUID], as_of: date
) -> list[InvoiceInsurance | None]:
    """Each invoice's insurance on `as_of` (None where not found), by the pure rules."""
    return await session.run(lambda conn: _insurance(conn, invoice_ids, as_of))


async def insurance_in(
    uow: UnitOfWork, invoice_ids: list[UUID], as_of: date
) -> list[InvoiceInsurance | None]:
    """The same inside a unit of work (claims and notifications check it before writing)."""
    return await _insurance(uow.conn, invoice_ids, as_of)


async def _insurance(
    conn: Any, invoice_ids: list[UUID], as_of: date
) -> list[InvoiceInsurance | None]:
    wanted = {
        r.id: r
        for r in await conn.execute(sa.select(invoices).where(invoices.c.id.in_(invoice_ids)))
    }
    customers = sorted({r.customer_id for r in wanted.values()})
    policies = [terms_row for terms_row in await conn.execute(sa.select(insurance_policies))]
    covers = {
        (r.policy_id, r.customer_id): r.id
        for r in await conn.execute(
            sa.select(buyer_covers).where(buyer_covers.c.customer_id.in_(customers))
        )
    }
    decisions: dict[UUID, list[CoverDecision]] = defaultdict(list)
    for r in await conn.execute(
        sa.select(cover_decisions).where(cover_decisions.c.cover_id.in_(list(covers.values())))
    ):
        decisions[r.cover_id].append(
            CoverDecision(CoverStatus(r.status), r.amount_minor, r.effective_on, r.seq)
        )
    mine = (
        await conn.execute(
            sa.select(invoices).where(
                invoices.c.customer_id.in_(customers), invoices.c.issue_date <= as_of
            )
        )
    ).all()
    ids = [r.id for r in mine]
    moves: dict[UUID, list[tuple[date, int]]] = defaultdict(list)
    for r in await conn.execute(
        sa.select(
            allocations.c.invoice_id, allocations.c.effective_on, allocations.c.amount_minor
        ).where(allocations.c.invoice_id.in_(ids))
    ):
        moves[r.invoice_id].append((r.effective_on, r.amount_minor))
    told, claimed = await _dates_told_and_claimed(conn, ids, as_of)

    def facts(r: Any) -> InvoiceFacts:
        done = [(d, a) for d, a in moves[r.id] if d <= as_of]
        open_at = r.amount_minor - sum(a for _, a in done)
        paid_off = max((d for d, _ in done), default=None) if open_at <= 0 else None
        return InvoiceFacts(
            str(r.id),
            str(r.customer_id),
            r.currency.strip(),
            r.issue_date,
            r.due_date,
            max(open_at, 0),
            paid_off,
            told.get(r.id),
            claimed.get(r.id),
        )

    def policy_for(r: Any) -> Any:
        return next(
            (
                p
                for p in policies
                if p.currency.strip() == r.currency.strip()
                and p.starts_on <= r.issue_date <= p.ends_on
            ),
            None,
        )

    def limit(r: Any, policy: Any) -> int | None:
        cover = covers.get((policy.id, r.customer_id)) if policy is not None else None
        return limit_on(decisions[cover], r.issue_date) if cover else None

    out: list[InvoiceInsurance | None] = []
    for invoice_id in invoice_ids:
        r = wanted.get(invoice_id)
        if r is None:
            out.append(None)
            continue
        policy = policy_for(r)
        terms = terms_of(policy) if policy is not None else None
        inv = facts(r)
        stops: list[tuple[date, date | None]] = []
        if terms is not None:
            for other in mine:
                if other.customer_id != r.customer_id or policy_for(other) is not policy:
                    continue
                o = facts(other)
                if rules.at_delivery(o, terms, limit(other, policy)) is Reason.INSURED:
                    stops.append((rules.clock(o.due_date, terms).stop_delivery_on, o.paid_off_on))
        lim = limit(r, policy)
        reason = rules.status(inv, terms, lim, stops, as_of)
        insured_at_delivery = rules.at_delivery(inv, terms, lim) is Reason.INSURED
        out.append(
            InvoiceInsurance(
                invoice_id=r.id,
                customer_id=r.customer_id,
                currency=inv.currency,
                open_minor=inv.open_minor,
                reason=reason,
                policy_id=policy.id if policy is not None else None,
                limit_at_delivery_minor=lim,
                clock=rules.clock(r.due_date, terms) if terms and insured_at_delivery else None,
                notified_on=inv.notified_on,
                claimed_on=inv.claimed_on,
            )
        )
    return out


async def _dates_told_and_claimed(
    conn: Any, ids: list[UUID], as_of: date
) -> tuple[dict[UUID, date], dict[UUID, date]]:
    """The first overdue notification and the first live claim naming each invoice."""
    n, l_ = insurer_notifications, insurer_notification_lines
    told = {
        r.invoice_id: r.first
        for r in await conn.execute(
            sa.select(l_.c.invoice_id, sa.func.min(n.c.notified_on).label("first"))
            .join(n, sa.and_(n.c.tenant_id == l_.c.tenant_id, n.c.id == l_.c.notification_id))
            .where(l_.c.invoice_id.in_(ids), n.c.notified_on <= as_of)
            .group_by(l_.c.invoice_id)
        )
    }
    c, cl = insurance_claims, claim_lines
    claimed = {
        r.invoice_id: r.first
        for r in await conn.execute(
            sa.select(cl.c.invoice_id, sa.func.min(c.c.filed_on).label("first"))
            .join(c, sa.and_(c.c.tenant_id == cl.c.tenant_id, c.c.id == cl.c.claim_id))
            .where(cl.c.invoice_id.in_(ids), ~cl.c.released, c.c.filed_on <= as_of)
            .group_by(cl.c.invoice_id)
        )
    }
    return told, claimed


async def insured_open_amounts(
    session: ReadSession, customer_ids: list[UUID], as_of: date
) -> dict[UUID, dict[str, int]]:
    """Per customer and currency, the open amount (minor units) still insured on `as_of`
    within the cover: each insured invoice takes what its limit at delivery leaves after the
    earlier deliveries (domain.risk.insurance_covers.covered_amounts). For the waterfall."""
    rows = await session.run(lambda conn: q.covered(conn, as_of, customer_ids))
    out: dict[UUID, dict[str, int]] = defaultdict(dict)
    for r in rows:
        currency = r.currency.strip()
        out[r.customer_id][currency] = out[r.customer_id].get(currency, 0) + int(r.covered_minor)
    return dict(out)


async def insured_parts(
    session: ReadSession, customer_ids: list[UUID], as_of: date
) -> dict[UUID, dict[str, int]]:
    """Per customer and currency, what the insurer would pay on the covered open amount today:
    its indemnity percentage after the deductible (domain.risk.insurance_policy.insured_part)."""
    rows = await session.run(lambda conn: q.covered(conn, as_of, customer_ids))
    policies = await session.run(lambda conn: conn.execute(sa.select(insurance_policies)))
    terms = {r.id: terms_of(r) for r in policies}
    out: dict[UUID, dict[str, int]] = defaultdict(dict)
    for r in rows:
        policy = terms[r.policy_id]
        part = insured_part(int(r.covered_minor), policy)
        out[r.customer_id][policy.currency] = out[r.customer_id].get(policy.currency, 0) + part
    return dict(out)
