"""The scoring SQL that has a pure twin in domain/ (the back-test's bad rate, a legal
record's status), checked against it on generated data."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

import psycopg

from domain.credit.backtest import went_bad
from domain.credit.external import LegalFact, LegalKind, LegalStatus, PartyRole, RecordKind
from domain.credit.external import legal_status as legal_twin
from services.credit import scorecards
from services.credit.external_data import ExternalRow, import_external
from services.credit.scoring_facts import gather_inputs
from services.credit.simulation import backtest
from services.read_session import ReadSession
from services.uow import UnitOfWork
from tests.services.test_credit_analysis_behaviour_sql import TODAY, generate
from tests.services.test_credit_scoring_services import MIA, add_customer, run


async def test_backtest_sql_equals_its_pure_twin(database, tenants, runtime):
    # given: generated ledgers and a score per customer on one of several dates
    rng = random.Random(11)
    acme = tenants["acme"]
    with psycopg.connect(database.owner_url) as conn:
        ledgers = [generate(conn, acme, rng, n) for n in range(40)]
    version = await run(runtime, acme, MIA, lambda u: scorecards.ensure_active(u))
    scored_on = {}
    for led in ledgers:
        day = TODAY - timedelta(days=rng.choice([100, 250, 400]))
        klass = rng.choice("ABCD")
        scored_on[led.customer_id] = (day, klass)
        database.query(
            "INSERT INTO credit_scores (tenant_id, customer_id, version_id, as_of, score, "
            "score_class, rating_class, inputs, factors, reason_codes, knock_outs, "
            "missing_inputs, inputs_hash, trigger, created_by) VALUES (%s, %s, %s, %s, 50, %s, "
            "%s, '{}', '[]', '{}', '{}', '{}', 'h', 'RESCORE', 't')",
            acme,
            led.customer_id,
            version.id,
            day,
            klass,
            klass,
        )
    # when
    session = ReadSession(runtime.engine, acme)
    try:
        got = await backtest(session, None, TODAY - timedelta(days=500), TODAY, TODAY)
    finally:
        await session.close()
    # then
    expected = {c: [0, 0] for c in "ABCD"}
    for led in ledgers:
        day, klass = scored_on[led.customer_id]
        expected[klass][0] += 1
        expected[klass][1] += went_bad(day, TODAY, led.invoices, led.allocations)
    assert {o.rating_class: [o.scored, o.bad] for o in got.classes} == expected
    assert sum(o.bad for o in got.classes) > 0


async def test_legal_status_sql_equals_its_pure_twin(database, tenants, runtime):
    rng = random.Random(5)
    acme = tenants["acme"]
    facts: dict[uuid.UUID, list[LegalFact]] = {}
    # records may postdate the score date (scoring skips them): recorded ten days later
    recorded_by = TODAY + timedelta(days=10)
    rows = []
    for n in range(40):
        cid = add_customer(database, acme, f"L-{n}")
        facts[cid] = []
        for k in range(rng.randint(0, 3)):
            kind = rng.choice(list(RecordKind))
            on = TODAY - timedelta(days=rng.randint(-10, 500))
            legal = kind == RecordKind.LEGAL_RECORD
            lk = rng.choice(list(LegalKind)) if legal else None
            role = rng.choice(list(PartyRole)) if legal else None
            status = rng.choice(list(LegalStatus)) if legal else None
            facts[cid].append(LegalFact(kind, on, lk, role, status))
            rows.append(
                ExternalRow(
                    f"L-{n}",
                    kind.value,
                    "src",
                    f"{n}-{k}",
                    on.isoformat(),
                    "doc",
                    score="A" if kind == RecordKind.BUREAU_REPORT else None,
                    severity="LOW" if kind == RecordKind.NEGATIVE_NEWS else None,
                    assessment="NEUTRAL"
                    if kind in (RecordKind.SITE_VISIT, RecordKind.BANK_REFERENCE)
                    else None,
                    party="p"
                    if kind in (RecordKind.SITE_VISIT, RecordKind.BANK_REFERENCE)
                    else None,
                    legal_kind=lk and lk.value,
                    role=role and role.value,
                    case_number="c" if legal else None,
                    court="court" if legal else None,
                    status=status and status.value,
                    filed_on=on.isoformat() if legal else None,
                    closed_on=on.isoformat() if status == LegalStatus.CLOSED else None,
                )
            )
    results = await run(runtime, acme, MIA, lambda u: import_external(u, rows, recorded_by))
    assert all(r.status == "CREATED" for r in results), [r.errors for r in results if r.errors]
    async with UnitOfWork(runtime.engine, acme) as uow:
        people = await gather_inputs(uow.conn, TODAY, "CNY")
    for person in people:
        twin = legal_twin(facts[person.customer_id], TODAY)
        got = person.inputs["LEGAL_STATUS"]
        assert got.value == twin, (person.code, facts[person.customer_id])
        assert (got.missing_reason == "NOT_CHECKED") == (twin is None)
