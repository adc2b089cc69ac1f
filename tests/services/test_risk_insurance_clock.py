"""The policy clock: covers at delivery, the daily sweep, and the set-wise SQL against its twin."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from uuid import UUID, uuid4

import sqlalchemy as sa

from dbschema.ledger_tables import allocations, invoices, payments
from dbschema.queries import risk_insurance as q
from dbschema.risk_claim_tables import claim_lines, insurance_claims
from dbschema.risk_insurance_tables import (
    buyer_covers,
    cover_decisions,
    insurance_policies,
    insurer_notification_lines,
    insurer_notifications,
)
from dbschema.tables import customers, events, warnings
from domain.risk import insurance_clock as rules
from domain.risk.insurance_clock import InvoiceFacts, Reason
from domain.risk.insurance_covers import CoverDecision, CoverStatus, covered_amounts, limit_on
from services.inputs import MoneyIn
from services.read_session import ReadSession
from services.risk import insurance_clock, insurance_covers
from services.risk.insurance import terms_of
from tests.services.risk_fixtures import cover, customer, invoice, policy, uow_for

JAN = date(2026, 1, 15)


async def test_a_cut_applies_to_later_deliveries_and_raises_a_severe_warning(runtime, tenants):
    # given a cover of 100,000.00 granted in January and an invoice delivered under it
    async with uow_for(runtime, tenants["acme"]) as uow:
        c = await customer(uow, "INS-1")
        p = await policy(uow)
        cover_id = await cover(uow, p, c, "100000.00", JAN)
        before = await invoice(uow, c, "I-1", date(2026, 3, 1), date(2026, 3, 31), "5000.00")
        # when the insurer cuts it to 20,000.00 from April and then cancels it from June
        cut = await insurance_covers.decide_cover(
            uow, cover_id, "REDUCED", MoneyIn("20000.00", "CNY"), date(2026, 4, 1), "行业风险", 2
        )
        after = await invoice(uow, c, "I-2", date(2026, 4, 2), date(2026, 5, 2), "5000.00")
        await insurance_covers.decide_cover(
            uow, cover_id, "CANCELLED", None, date(2026, 6, 1), None, None
        )
        gone = await invoice(uow, c, "I-3", date(2026, 6, 2), date(2026, 7, 2), "5000.00")
        await uow.commit()
    # then the earlier delivery keeps the old limit, the later ones the new
    session = ReadSession(runtime.engine, tenants["acme"])
    try:
        found = await insurance_clock.invoice_insurance(session, [before, after, gone], JAN)
    finally:
        await session.close()
    limits = [(f.limit_at_delivery_minor, f.reason) for f in found if f]
    assert limits == [
        (10_000_000, Reason.INSURED),
        (2_000_000, Reason.INSURED),
        (0, Reason.NO_COVER),
    ]
    assert cut.limit_minor == 2_000_000 and cut.status == "REDUCED"
    # and the cut and the cancellation each published risk.cover_changed; one SEVERE warning
    async with uow_for(runtime, tenants["acme"]) as uow:
        topics = (
            await uow.conn.execute(
                sa.select(events.c.payload["status"].astext).where(
                    events.c.topic == "risk.cover_changed"
                )
            )
        ).scalars()
        assert list(topics) == ["GRANTED", "REDUCED", "CANCELLED"]
        raised = (
            await uow.conn.execute(
                sa.select(warnings.c.kind, warnings.c.level).where(warnings.c.customer_id == c)
            )
        ).all()
        assert raised == [("INSURANCE_COVER_CUT", "SEVERE")]


async def test_the_sweep_warns_before_each_deadline_once_and_a_miss_lapses_the_cover(
    runtime, tenants
):
    # given an insured invoice due on 31 March (notification 60 days after, claim 90)
    async with uow_for(runtime, tenants["acme"]) as uow:
        c = await customer(uow, "INS-2")
        p = await policy(uow)
        await cover(uow, p, c, "100000.00", JAN)
        inv = await invoice(uow, c, "I-9", date(2026, 3, 1), date(2026, 3, 31), "8000.00")
        await uow.commit()
    notify_on = date(2026, 3, 31) + timedelta(days=60)
    # when the daily job runs a week before the notification deadline, twice
    for _ in range(2):
        async with uow_for(runtime, tenants["acme"]) as uow:
            result = await insurance_clock.sweep(uow, notify_on - timedelta(days=7))
            await uow.commit()
    # then the second run found nothing new
    assert result.notices == {} and result.warnings_raised == 0
    async with uow_for(runtime, tenants["acme"]) as uow:
        kinds = set((await uow.conn.execute(sa.select(warnings.c.kind, warnings.c.level))).all())
    assert kinds == {
        ("INSURANCE_NOTIFICATION_DUE", "MEDIUM"),
        ("INSURANCE_STOP_DELIVERY", "SEVERE"),
    }
    # when nobody tells the insurer and the deadline passes
    async with uow_for(runtime, tenants["acme"]) as uow:
        lapsed = await insurance_clock.sweep(uow, notify_on + timedelta(days=1))
        await uow.commit()
    assert lapsed.notices == {"NOTIFICATION:MISSED": 1}
    session = ReadSession(runtime.engine, tenants["acme"])
    try:
        (status,) = await insurance_clock.invoice_insurance(
            session, [inv], notify_on + timedelta(days=1)
        )
        amounts = await insurance_clock.insured_open_amounts(session, [c], notify_on)
        after = await insurance_clock.insured_open_amounts(
            session, [c], notify_on + timedelta(days=1)
        )
        parts = await insurance_clock.insured_parts(session, [c], notify_on)
    finally:
        await session.close()
    assert status is not None and status.reason is Reason.NOTIFICATION_MISSED
    assert amounts == {c: {"CNY": 800_000}} and after == {}
    assert parts == {c: {"CNY": 720_000}}  # the waterfall's insured layer: 90%, no deductible
    async with uow_for(runtime, tenants["acme"]) as uow:
        evidence = await uow.conn.scalar(
            sa.select(warnings.c.evidence).where(warnings.c.kind == "INSURANCE_LAPSED")
        )
    assert evidence["invoices"][0]["number"] == "I-9"
    assert evidence["invoices"][0]["reason"] == "NOTIFICATION_MISSED"


async def _generate(uow, rng: random.Random) -> None:
    """A tenant with two policies, covers with decision histories, invoices, payments,
    notifications and claims, all at random but reproducibly."""
    p_ids = []
    for n, (start, end) in enumerate(
        ((date(2025, 1, 1), date(2025, 12, 31)), (date(2026, 1, 1), date(2026, 12, 31)))
    ):
        p_ids.append(
            await policy(
                uow,
                f"P-{n}",
                starts_on=start,
                ends_on=end,
                notification_days=rng.choice([30, 45, 60]),
                max_extension_days=rng.choice([0, 20, 30]),
                claim_filing_days=rng.choice([60, 90]),
            )
        )
    for k in range(30):
        c = await customer(uow, f"G-{k}")
        for p in p_ids:
            if rng.random() < 0.3:
                continue
            cover_id = uuid4()
            await uow.conn.execute(
                buyer_covers.insert().values(
                    tenant_id=uow.tenant_id,
                    id=cover_id,
                    policy_id=p,
                    customer_id=c,
                    status="GRANTED",
                    requested_minor=1,
                    effective_on=date(2025, 1, 1),
                    created_by="gen",
                )
            )
            day = date(2025, 1, 1) + timedelta(days=rng.randint(0, 300))
            for _ in range(rng.randint(1, 4)):
                status = rng.choice(["GRANTED", "REDUCED", "CANCELLED", "REQUESTED", "GRANTED"])
                await uow.conn.execute(
                    cover_decisions.insert().values(
                        tenant_id=uow.tenant_id,
                        cover_id=cover_id,
                        status=status,
                        amount_minor=rng.randint(1, 40) * 100_000 if status != "CANCELLED" else 0,
                        effective_on=day,
                        created_by="gen",
                    )
                )
                day += timedelta(days=rng.randint(0, 200))
        for m in range(rng.randint(5, 20)):
            issue = date(2025, 1, 1) + timedelta(days=rng.randint(0, 700))
            due = issue + timedelta(days=rng.choice([0, 30, 45, 60, 75]))
            amount = rng.randint(1, 50) * 10_000
            inv_id = uuid4()
            currency = "USD" if rng.random() < 0.1 else "CNY"
            await uow.conn.execute(
                invoices.insert().values(
                    tenant_id=uow.tenant_id,
                    id=inv_id,
                    number=f"G-{k}-{m}",
                    customer_id=c,
                    issue_date=issue,
                    due_date=due,
                    currency=currency,
                    amount_minor=amount,
                    open_minor=amount,
                    fingerprint="gen",
                    created_by="gen",
                )
            )
            paid = 0
            if rng.random() < 0.4:
                paid = amount if rng.random() < 0.5 else amount // 2
                on = issue + timedelta(days=rng.randint(0, 200))
                pay_id = uuid4()
                await uow.conn.execute(
                    payments.insert().values(
                        tenant_id=uow.tenant_id,
                        id=pay_id,
                        customer_id=c,
                        received_on=on,
                        currency=currency,
                        amount_minor=paid,
                        unallocated_minor=0,
                        method="BANK_TRANSFER",
                        fingerprint="gen",
                        created_by="gen",
                    )
                )
                await uow.conn.execute(
                    allocations.insert().values(
                        tenant_id=uow.tenant_id,
                        invoice_id=inv_id,
                        currency=currency,
                        kind="PAYMENT",
                        payment_id=pay_id,
                        amount_minor=paid,
                        effective_on=on,
                        created_by="gen",
                    )
                )
                await uow.conn.execute(
                    invoices.update()
                    .where(invoices.c.id == inv_id)
                    .values(open_minor=amount - paid)
                )
            policy_id = p_ids[0] if issue.year == 2025 else p_ids[1]
            if rng.random() < 0.3:
                n_id = uuid4()
                await uow.conn.execute(
                    insurer_notifications.insert().values(
                        tenant_id=uow.tenant_id,
                        id=n_id,
                        policy_id=policy_id,
                        customer_id=c,
                        notified_on=due + timedelta(days=rng.randint(0, 90)),
                        currency=currency,
                        total_minor=amount,
                        created_by="gen",
                    )
                )
                await uow.conn.execute(
                    insurer_notification_lines.insert().values(
                        tenant_id=uow.tenant_id,
                        notification_id=n_id,
                        invoice_id=inv_id,
                        open_minor=amount,
                    )
                )
            if rng.random() < 0.2:
                c_id = uuid4()
                await uow.conn.execute(
                    insurance_claims.insert().values(
                        tenant_id=uow.tenant_id,
                        id=c_id,
                        policy_id=policy_id,
                        customer_id=c,
                        currency=currency,
                        filed_on=due + timedelta(days=rng.randint(30, 120)),
                        open_minor=amount,
                        covered_loss_minor=0,
                        deductible_minor=0,
                        indemnity_percent=90,
                        cover_cap_minor=0,
                        indemnity_minor=0,
                        created_by="gen",
                    )
                )
                await uow.conn.execute(
                    claim_lines.insert().values(
                        tenant_id=uow.tenant_id,
                        claim_id=c_id,
                        invoice_id=inv_id,
                        open_minor=amount,
                        covered_minor=0,
                        released=rng.random() < 0.3,
                    )
                )


async def _twin(uow, as_of: date) -> tuple[dict, dict, dict]:
    """Notices, reasons and covered amounts by the pure rules from the same rows."""
    pol_rows = (await uow.conn.execute(sa.select(insurance_policies))).all()
    covers = {
        (r.policy_id, r.customer_id): r.id for r in await uow.conn.execute(sa.select(buyer_covers))
    }
    decisions: dict[UUID, list[CoverDecision]] = defaultdict(list)
    for r in await uow.conn.execute(sa.select(cover_decisions)):
        decisions[r.cover_id].append(
            CoverDecision(CoverStatus(r.status), r.amount_minor, r.effective_on, r.seq)
        )
    moves: dict[UUID, list] = defaultdict(list)
    for r in await uow.conn.execute(sa.select(allocations)):
        moves[r.invoice_id].append((r.effective_on, r.amount_minor))
    told: dict[UUID, date] = {}
    for r in await uow.conn.execute(
        sa.select(
            insurer_notification_lines.c.invoice_id, insurer_notifications.c.notified_on
        ).join(
            insurer_notifications,
            insurer_notifications.c.id == insurer_notification_lines.c.notification_id,
        )
    ):
        if r.notified_on <= as_of:
            told[r.invoice_id] = min(told.get(r.invoice_id, r.notified_on), r.notified_on)
    claimed: dict[UUID, date] = {}
    for r in await uow.conn.execute(
        sa.select(
            claim_lines.c.invoice_id, claim_lines.c.released, insurance_claims.c.filed_on
        ).join(insurance_claims, insurance_claims.c.id == claim_lines.c.claim_id)
    ):
        if not r.released and r.filed_on <= as_of:
            claimed[r.invoice_id] = min(claimed.get(r.invoice_id, r.filed_on), r.filed_on)
    insured: list[tuple] = []
    for r in await uow.conn.execute(sa.select(invoices).where(invoices.c.issue_date <= as_of)):
        pol = next(
            (
                p
                for p in pol_rows
                if p.currency.strip() == r.currency.strip()
                and p.starts_on <= r.issue_date <= p.ends_on
            ),
            None,
        )
        if pol is None:
            continue
        terms = terms_of(pol)
        cov = covers.get((pol.id, r.customer_id))
        limit = limit_on(decisions[cov], r.issue_date) if cov else None
        done = [(d, a) for d, a in moves[r.id] if d <= as_of]
        open_at = r.amount_minor - sum(a for _, a in done)
        facts = InvoiceFacts(
            str(r.id),
            str(r.customer_id),
            r.currency.strip(),
            r.issue_date,
            r.due_date,
            open_at,
            max(d for d, _ in done) if open_at <= 0 else None,
            told.get(r.id),
            claimed.get(r.id),
        )
        if rules.at_delivery(facts, terms, limit) is Reason.INSURED:
            insured.append((facts, terms, limit, pol.id))
    notices, reasons, covered = {}, {}, defaultdict(list)
    for facts, terms, limit, pol_id in insured:
        if facts.open_minor <= 0:
            continue
        stops = [
            (rules.clock(o.due_date, t).stop_delivery_on, o.paid_off_on)
            for o, t, _, p in insured
            if o.customer_id == facts.customer_id and p == pol_id
        ]
        after_stop = rules.delivered_after_stop(facts, stops)
        times = rules.clock(facts.due_date, terms)
        for n in rules.sweep_notices(facts, times, after_stop, as_of):
            notices[(UUID(n.invoice_id), n.deadline.value, n.stage)] = n.on
        reason = rules.status(facts, terms, limit, stops, as_of)
        reasons[UUID(facts.id)] = reason.value
        if reason is Reason.INSURED:
            covered[(facts.customer_id, pol_id)].append(
                (facts.id, facts.issue_date, facts.open_minor, limit)
            )
    amounts: dict = defaultdict(int)
    for (cust, _pol), items in covered.items():
        amounts[UUID(cust)] += sum(covered_amounts(items).values())
    return notices, reasons, {k: v for k, v in amounts.items() if v}


async def test_the_clock_sql_agrees_with_its_pure_twin_on_generated_data(runtime, tenants):
    rng = random.Random(11)
    async with uow_for(runtime, tenants["acme"]) as uow:
        await _generate(uow, rng)
        await uow.commit()
    async with uow_for(runtime, tenants["acme"]) as uow:
        checked = covered = 0
        kinds: set = set()
        for as_of in (date(2025, 2, 1) + timedelta(days=23 * n) for n in range(32)):
            notices, reasons, amounts = await _twin(uow, as_of)
            sql_notices = {
                (r.invoice_id, r.deadline, r.stage): r.due_on
                for r in await q.notices_on(uow.conn, as_of, rules.WARN_DAYS)
            }
            sql_reasons = {r.id: r.reason for r in await q.statuses(uow.conn, as_of, None)}
            sql_amounts: dict = defaultdict(int)
            for r in await q.covered(uow.conn, as_of, None):
                sql_amounts[r.customer_id] += int(r.covered_minor)
            assert sql_notices == notices, as_of
            assert sql_reasons == reasons, as_of
            assert {k: v for k, v in sql_amounts.items() if v} == amounts, as_of
            checked += len(reasons)
            covered += len(amounts)
            kinds |= {k[1:] for k in notices}
        assert checked > 100 and covered > 10
        assert len(kinds) == 7  # warned and missed deadlines of each kind
        customers_seen = await uow.conn.scalar(sa.select(sa.func.count()).select_from(customers))
        assert customers_seen == 30
