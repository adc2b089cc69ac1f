"""A signed agreement binds from its first day: reads, signing, the review and expiry sweeps,
and their SQL against the pure rule (domain.credit.credit_agreements.status_on) on generated
data."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from domain.credit import credit_agreements as rules
from services.credit import agreements, review_schedule
from services.read_session import ReadSession
from services.uow import Actor, UnitOfWork
from tests.services.credit_applications_helpers import MANAGER, TODAY, terms
from tests.services.credit_limits_helpers import customer
from tests.services.test_credit_applications_reviews import _agreement, _create, _run

STATUS = "SELECT status FROM credit_agreements WHERE id = %s"
STATUSES = "SELECT id, status FROM credit_agreements"
LEAD = rules.DEFAULT_REVIEW_LEAD_DAYS
GRID = 15  #: days between the generated dates
CUSTOMERS = 30  #: among whom they are spread (a few each, so successors meet)


async def _listed(runtime: Any, tenant: UUID, cid: UUID, as_of: date) -> dict[UUID, str]:
    session = ReadSession(runtime.engine, tenant)
    try:
        return {a.id: a.status for a in await agreements.for_customer(session, cid, as_of)}
    finally:
        await session.close()


async def test_a_renewal_signed_ahead_binds_from_its_first_day(runtime, tenants, database):
    tenant = tenants["acme"]
    await terms(runtime, tenant)
    cid = await customer(runtime, tenant, "NF-1", rating="A")
    # given: the agreement in force ends in 20 days; its renewal starts in 10
    current = await _create(
        runtime, tenant,
        _agreement(cid, signed_on=TODAY - timedelta(days=300), valid_to=TODAY + timedelta(days=20)),
    )  # fmt: skip
    starts = TODAY + timedelta(days=10)
    renewal = await _create(runtime, tenant, _agreement(cid, valid_from=starts, valid_to=None))
    # when the renewal is signed today
    async with UnitOfWork(runtime.engine, tenant, MANAGER) as uow:
        signed = await agreements.sign(uow, renewal.id, TODAY, "dms://sa-9", TODAY)
        await uow.commit()
    # then it is signed but not yet in force; the current one still is, and both are stored
    # as signed (nothing superseded yet)
    assert (signed.status, signed.signed_on) == ("NOT_YET_IN_FORCE", TODAY)
    assert database.query(STATUS, renewal.id) == [("ACTIVE",)]
    assert database.query(STATUS, current.id) == [("ACTIVE",)]
    today = await _listed(runtime, tenant, cid, TODAY)
    assert today == {current.id: "ACTIVE", renewal.id: "NOT_YET_IN_FORCE"}
    eve = await _listed(runtime, tenant, cid, starts - timedelta(days=1))
    assert eve == {current.id: "ACTIVE", renewal.id: "NOT_YET_IN_FORCE"}
    first_day = await _listed(runtime, tenant, cid, starts)
    assert first_day == {current.id: "SUPERSEDED", renewal.id: "ACTIVE"}
    # the review sweep opens no expiry review for an agreement whose renewal is signed
    await _run(runtime, tenant, review_schedule.open_event_reviews, TODAY)
    assert database.query("SELECT count(*) FROM credit_reviews") == [(0,)]
    # the sweep changes nothing before the renewal starts, then supersedes the current once
    for day in (TODAY, starts - timedelta(days=1)):
        assert await _run(runtime, tenant, agreements.expire_agreements, day) == 0
        assert database.query(STATUS, current.id) == [("ACTIVE",)]
    for _ in "ab":
        assert await _run(runtime, tenant, agreements.expire_agreements, starts) == 0
    assert database.query(STATUS, current.id) == [("SUPERSEDED",)]
    assert database.query(STATUS, renewal.id) == [("ACTIVE",)]
    assert database.query(
        "SELECT changes->'status'->>'after' FROM audit_log WHERE entity_id = %s"
        " AND action = 'EXPIRE_CREDIT_AGREEMENT'", current.id,
    ) == [("SUPERSEDED",)]  # fmt: skip
    assert database.query(
        "SELECT payload->>'change' FROM events WHERE topic = %s AND payload->>'agreementId' = %s"
        " ORDER BY seq", agreements.TOPIC, str(current.id),
    ) == [("SIGNED",), ("SUPERSEDED",)]  # fmt: skip


async def test_signing_a_second_one_ahead_replaces_the_pending_one_at_once(
    runtime, tenants, database
):
    tenant = tenants["acme"]
    await terms(runtime, tenant)
    cid = await customer(runtime, tenant, "NF-2")
    # given: one in force and a renewal signed to start in 10 days
    current = await _create(runtime, tenant, _agreement(cid, signed_on=TODAY))
    later = TODAY + timedelta(days=10)
    pending = await _create(runtime, tenant, _agreement(cid, valid_from=later, signed_on=TODAY))
    assert pending.status == "NOT_YET_IN_FORCE"
    # when another starting in 20 days is signed: the pending one never comes into force
    other = await _create(
        runtime, tenant, _agreement(cid, valid_from=later + timedelta(days=10), signed_on=TODAY)
    )
    assert database.query(STATUS, pending.id) == [("SUPERSEDED",)]
    assert database.query(STATUS, current.id) == [("ACTIVE",)]
    assert await _listed(runtime, tenant, cid, later) == {
        current.id: "ACTIVE", pending.id: "SUPERSEDED", other.id: "NOT_YET_IN_FORCE",
    }  # fmt: skip
    # when one starting today is signed, everything else is superseded at once
    now = await _create(runtime, tenant, _agreement(cid, valid_from=TODAY, signed_on=TODAY))
    assert now.status == "ACTIVE"
    assert database.query(
        "SELECT count(*) FROM credit_agreements WHERE status = 'ACTIVE'"
    ) == [(1,)]  # fmt: skip


async def test_an_agreement_not_yet_in_force_opens_its_expiry_review_once_it_binds(
    runtime, tenants, database
):
    tenant = tenants["acme"]
    await terms(runtime, tenant)
    cid = await customer(runtime, tenant, "NF-3")
    # given: a short agreement signed today, from day 5 to day 20
    short = _agreement(
        cid,
        signed_on=TODAY,
        valid_from=TODAY + timedelta(days=5),
        valid_to=TODAY + timedelta(days=20),
    )
    made = await _create(runtime, tenant, short)
    # when / then: no review while it is not in force, one on its first day
    async with UnitOfWork(runtime.engine, tenant, Actor("job")) as uow:
        assert await agreements.ending_soon(uow, TODAY, LEAD) == []
        soon = await agreements.ending_soon(uow, TODAY + timedelta(days=5), LEAD)
    assert [(e.id, e.valid_to) for e in soon] == [(made.id, TODAY + timedelta(days=20))]


def _seed(database: Any, tenant: UUID, ids: list[UUID], rng: random.Random) -> list[Any]:
    """Stored agreements of every status, a few per customer, each starting with the one
    before, on its last day, the day after or later; on a 15-day grid, so first days, last
    days, the days asked and the review lead (30 days) meet: the boundaries are where a twin
    drifts. The invariant signing keeps is not assumed: the SQL must agree with the pure
    rule on any stored data."""
    rows = []
    for cid in ids:
        start = TODAY + timedelta(days=GRID * rng.randint(-27, 4) + rng.choice([0, 1]))
        for _ in range(rng.randint(1, 4)):
            status = rng.choice(["ACTIVE"] * 5 + ["DRAFT", "EXPIRED", "SUPERSEDED"])
            spans = rng.choice([rng.randint(0, 3), rng.randint(0, 26)])
            end = start + timedelta(days=max(0, GRID * spans - rng.choice([0, 1])))
            signed = None if status == "DRAFT" else start - timedelta(days=rng.randint(0, 60))
            (aid,) = database.query(
                "INSERT INTO credit_agreements (tenant_id, customer_id, status, currency,"
                " limit_minor, terms_code, late_interest_daily_rate, dispute_venue, venue_name,"
                " signed_on, valid_from, valid_to, created_by) VALUES (%s, %s, %s, 'CNY', 100,"
                " 'NET30', 0.0005, 'COURT', 'court', %s, %s, %s, 't') RETURNING id",
                tenant, cid, status, signed, start, end,
            )[0]  # fmt: skip
            rows.append((aid, cid, rules.AgreementStatus(status), start, end))
            later = start + timedelta(days=GRID * rng.randint(1, 12))
            start = rng.choice([start, end, end + timedelta(days=1), later])
    return rows


def _expected(rows: list[Any], as_of: date) -> tuple[dict[UUID, str], set[UUID]]:
    """Each agreement's status and the reviews due on `as_of`, by the pure rules."""
    statuses, ending = {}, set()
    for aid, cid, recorded, start, end in rows:
        others = [
            r[3] for r in rows
            if r[1] == cid and r[0] != aid and r[2] is rules.AgreementStatus.ACTIVE
        ]  # fmt: skip
        replaced = rules.replaced_from(start, end, others)
        statuses[aid] = rules.status_on(recorded, start, end, replaced, as_of).value
        signed = recorded is rules.AgreementStatus.ACTIVE
        if signed and rules.expiring(start, end, others, as_of, LEAD):
            ending.add(aid)
    return statuses, ending


async def test_reads_and_sweeps_agree_with_the_pure_rule_on_generated_data(
    runtime, tenants, database
):
    tenant = tenants["acme"]
    ids = [await customer(runtime, tenant, f"NF-T{n}") for n in range(CUSTOMERS)]
    rows = _seed(database, tenant, ids, random.Random(7))
    due = 0
    for as_of in (TODAY + timedelta(days=d) for d in range(-195, 106, GRID)):
        statuses, ending = _expected(rows, as_of)
        due += len(ending)
        # the reads (each customer's list, and by id) show the pure rule's status
        session = ReadSession(runtime.engine, tenant)
        try:
            listed = [await agreements.for_customer(session, cid, as_of) for cid in ids]
            found = await agreements.by_ids(session, [r[0] for r in rows], as_of)
        finally:
            await session.close()
        assert {a.id: a.status for page in listed for a in page} == statuses
        assert {a.id: a.status for a in found if a} == statuses
        # the review sweep's set and the expiry sweep's writes too (rolled back after)
        async with UnitOfWork(runtime.engine, tenant, Actor("job")) as uow:
            assert {e.id for e in await agreements.ending_soon(uow, as_of, LEAD)} == ending
            expired = await agreements.expire_agreements(uow, as_of)
            stored = dict((await uow.conn.execute(sa.text(STATUSES))).all())
        binding = {"ACTIVE", "NOT_YET_IN_FORCE"}
        assert stored == {a: "ACTIVE" if s in binding else s for a, s in statuses.items()}
        signed = [r for r in rows if r[2] is rules.AgreementStatus.ACTIVE]
        assert expired == sum(statuses[r[0]] == "EXPIRED" for r in signed)
    assert due > 10  # the data reaches the review rule, not only its refusals
    assert database.query(
        "SELECT count(*) FROM audit_log WHERE entity_type = 'CreditAgreement'"
    ) == [(0,)]  # fmt: skip
