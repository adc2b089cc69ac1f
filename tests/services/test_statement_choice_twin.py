"""The statement scoring reads (STATEMENTS_SQL, set-wise) against its pure twin
(domain.credit.ratios.latest), which financialAnalysis.latest shows: on generated data, with
statements of periods ending after the day asked (stored before such periods were refused)."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

import sqlalchemy as sa

from domain.credit.financials import Line, PeriodKind, Statement, StatementSource, Unit
from domain.credit.ratios import latest
from services.credit.analysis import financial_analysis
from services.credit.financial_statements import save_statement
from services.credit.scoring_facts import STATEMENTS_SQL
from services.read_session import ReadSession
from services.uow import Actor, UnitOfWork
from tests.services.test_credit_analysis_services import customer

ANALYST = Actor("ana", frozenset({"credit_analyst"}))
LINES: dict[Line, int | None] = {
    Line.TOTAL_ASSETS: 1_000_000,
    Line.TOTAL_LIABILITIES: 600_000,
    Line.EQUITY: 400_000,
}
DAYS_ASKED = (date(2024, 12, 30), date(2025, 12, 31), date(2026, 12, 2), date(2028, 6, 30))


def generated(rng: random.Random) -> Statement:
    """A calendar year, a half-year or a quarter of 2023-2028, of any source."""
    year = rng.randint(2023, 2028)
    kind = rng.choice([PeriodKind.ANNUAL, PeriodKind.ANNUAL, PeriodKind.INTERIM])
    if kind == PeriodKind.ANNUAL:
        start, end = date(year, 1, 1), date(year, 12, 31)
    else:
        month = rng.choice([1, 4, 7, 10])
        start = date(year, month, 1)
        months = rng.choice([3, 6])
        end = date(year + (month + months > 12), (month + months - 1) % 12 + 1, 1)
        end -= timedelta(days=1)
    source = rng.choice(list(StatementSource))
    return Statement(start, end, kind, source, "CNY", Unit.YUAN, dict(LINES))


async def test_scoring_and_analysis_choose_the_same_statement(database, tenants, runtime):
    # given: twelve customers with up to eight statements each, some of future periods
    rng = random.Random(11)
    acme = tenants["acme"]
    held: dict[uuid.UUID, dict[tuple[object, ...], tuple[uuid.UUID, Statement]]] = {}
    async with UnitOfWork(runtime.engine, acme, ANALYST) as uow:
        for n in range(12):
            cid = customer(database, acme, f"TW-{n}")
            held[cid] = {}
            for _ in range(rng.randint(0, 8)):
                stmt = generated(rng)
                saved = await save_statement(uow, cid, stmt)
                key = (stmt.kind, stmt.period_start, stmt.period_end, stmt.source)
                held[cid][key] = (saved.id, stmt)
        await uow.commit()
    assert any(s.period_end > date(2026, 12, 2) for h in held.values() for _, s in h.values())
    for as_of in DAYS_ASKED:
        # when: the set-wise choice of scoring, and the analysis read, on that day
        async with UnitOfWork(runtime.engine, acme) as uow:
            rows = await uow.conn.execute(sa.text(STATEMENTS_SQL.format(one="")), {"as_of": as_of})
            sql = {r.customer_id: r.id for r in rows}
        session = ReadSession(runtime.engine, acme)
        try:
            shown = {cid: await financial_analysis(session, cid, as_of) for cid in held}
        finally:
            await session.close()
        # then: both are the pure rule's choice
        for cid, statements in held.items():
            chosen = latest([s for _, s in statements.values()], as_of)
            twin = next((i for i, s in statements.values() if s is chosen), None)
            assert sql.get(cid) == twin, (as_of, cid)
            assert shown[cid].latest_id == twin, (as_of, cid)
