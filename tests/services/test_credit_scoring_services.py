"""Scoring, classes, overrides, scorecard versions, simulation and back-test through services."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from domain.credit.classes import RatingClass
from domain.credit.financials import LineIn, StatementIn
from domain.credit.scorecard_json import to_json
from domain.errors import DomainError, ValidationFailed
from services.credit import overrides, scorecards, scoring
from services.credit.classes import ClassChangeIn, set_class, set_classes
from services.credit.external_data import ExternalRow, import_external
from services.credit.financial_statements import record_statement
from services.credit.simulation import simulate
from services.read_session import ReadSession
from services.uow import Actor, UnitOfWork
from tests.services.test_credit_analysis_behaviour_sql import TODAY

MIA = Actor("mia", frozenset({"credit_manager"}))
MAX = Actor("max", frozenset({"credit_manager"}))


def add_customer(database, tenant, code="C-1", rating=None, **kw) -> uuid.UUID:
    cid = uuid.uuid4()
    database.query(
        "INSERT INTO customers (tenant_id, id, code, legal_name, country, industry, founded_on, "
        "registered_capital_minor, registered_capital_currency, annual_sales_minor, "
        "annual_sales_currency, rating_class) "
        "VALUES (%s, %s, %s, %s, 'CN', 'Machinery', %s, %s, %s, %s, %s, %s)",
        tenant,
        cid,
        code,
        f"客户 {code}",
        kw.get("founded_on", date(2010, 5, 1)),
        kw.get("capital", 5_000_000_000),
        "CNY",
        kw.get("sales", 30_000_000_000),
        "CNY",
        rating,
    )
    return cid


def healthy_statement() -> StatementIn:
    lines = {
        "TOTAL_ASSETS": "1000",
        "TOTAL_LIABILITIES": "400",
        "EQUITY": "600",
        "CURRENT_ASSETS": "700",
        "CURRENT_LIABILITIES": "300",
        "RETAINED_EARNINGS": "300",
        "EBIT": "150",
        "REVENUE": "3000",
    }
    return StatementIn(
        date(2025, 1, 1),
        date(2025, 12, 31),
        "ANNUAL",
        "AUDITED",
        "CNY",
        "TEN_THOUSAND",
        tuple(LineIn(k, v) for k, v in lines.items()),
    )


async def run(runtime, tenant, actor, fn):
    async with UnitOfWork(runtime.engine, tenant, actor) as uow:
        result = await fn(uow)
        await uow.commit()
    return result


async def test_score_a_customer_applies_its_class_through_set_class(database, tenants, runtime):
    # given: a sound customer with a statement, no ledger history, no legal check
    cid = add_customer(database, tenants["acme"], rating="C")
    await run(
        runtime,
        tenants["acme"],
        MIA,
        lambda u: record_statement(u, cid, healthy_statement(), TODAY),
    )
    # when
    outcome = await run(
        runtime, tenants["acme"], MIA, lambda u: scoring.score_customer(u, cid, TODAY)
    )
    # then: default card installed as version 1; neutral for what nobody measured
    assert database.query("SELECT number, status, created_by FROM scorecard_versions") == [
        (1, "ACTIVE", "system:default-scorecard")
    ]
    # 10 years' trading, capital, Z'' safe, current ratio, industry at full marks; sales and
    # debt ratio 75; payment and legal neutral (50); a new relationship 30: 76.50, class B
    result = outcome.result
    assert str(result.score) == "76.50"
    assert result.rating_class.value == "B"
    [(score, klass, inputs, factors, reasons, missing)] = database.query(
        "SELECT score, rating_class, inputs, factors, reason_codes, missing_inputs "
        "FROM credit_scores"
    )
    assert (str(score), klass) == ("76.50", "B")
    assert inputs["values"]["ALTMAN_ZONE"] == {"value": "SAFE", "missing": None}
    assert inputs["values"]["LEGAL_STATUS"] == {"value": None, "missing": "NOT_CHECKED"}
    assert inputs["values"]["PAYMENT_DAYS_LATE"] == {"value": None, "missing": "NO_HISTORY"}
    assert inputs["values"]["ANNUAL_SALES"]["value"] == "30000000.00"  # from the statement
    assert inputs["context"]["periodEnd"] == "2025-12-31"
    assert {"PAYMENT_DAYS_LATE", "LEGAL_STATUS"} <= set(missing)
    assert "PAYMENT_DAYS_LATE_MISSING" in reasons
    assert {f["input"] for f in factors} >= {"YEARS_TRADING", "ALTMAN_ZONE"}
    # the class moved C -> B through set_class: customer, history, audit, event
    assert database.query("SELECT rating_class, version FROM customers") == [("B", 2)]
    [(frm, to, way, source, terms)] = database.query(
        "SELECT from_class, to_class, direction, source, proposed_terms FROM credit_class_history"
    )
    assert (frm, to, way, source) == ("C", "B", "UPGRADE", "SCORE")
    assert terms["netDays"] == 30  # class B's default terms, proposed
    [(topic, payload)] = database.query("SELECT topic, payload FROM events")
    assert topic == "credit.class_changed"
    assert payload["downgrade"] is False and payload["scoreId"] == str(outcome.score_id)
    assert database.query("SELECT action FROM audit_log WHERE entity_type = 'Customer'") == [
        ("CHANGE_CREDIT_CLASS",)
    ]


async def test_an_enforcement_knocks_the_class_down_to_d(database, tenants, runtime):
    cid = add_customer(database, tenants["acme"], rating="A")
    await run(
        runtime,
        tenants["acme"],
        MIA,
        lambda u: record_statement(u, cid, healthy_statement(), TODAY),
    )
    row = ExternalRow(
        "C-1",
        "LEGAL_RECORD",
        "court-db",
        "E-1",
        "2026-05-01",
        "doc",
        legal_kind="ENFORCEMENT",
        role="DEFENDANT",
        case_number="E-1",
        court="法院",
        status="OPEN",
        filed_on="2026-04-01",
    )
    await run(runtime, tenants["acme"], MIA, lambda u: import_external(u, [row], TODAY))
    outcome = await run(
        runtime, tenants["acme"], MIA, lambda u: scoring.score_customer(u, cid, TODAY)
    )
    assert outcome.result.knock_outs == ("ENFORCEMENT_OR_DISHONEST_DEBTOR",)
    assert outcome.result.rating_class.value == "D"
    assert outcome.class_change is not None and outcome.class_change.direction.value == "DOWNGRADE"
    [(payload,)] = database.query("SELECT payload FROM events")
    assert payload["downgrade"] is True and payload["proposedTerms"]["netDays"] == 0


async def test_rescore_changed_skips_customers_whose_inputs_did_not_change(
    database, tenants, runtime
):
    first, second = (add_customer(database, tenants["acme"], f"C-{n}") for n in (1, 2))
    one = await run(runtime, tenants["acme"], MIA, lambda u: scoring.rescore_changed(u, TODAY))
    again = await run(runtime, tenants["acme"], MIA, lambda u: scoring.rescore_changed(u, TODAY))
    await run(
        runtime,
        tenants["acme"],
        MIA,
        lambda u: record_statement(u, second, healthy_statement(), TODAY),
    )
    third = await run(runtime, tenants["acme"], MIA, lambda u: scoring.rescore_changed(u, TODAY))
    assert (one.scored, again.scored, third.scored) == (2, 0, 1)
    assert third.unchanged == 1
    assert database.query("SELECT rating_class FROM customers ORDER BY code") == [(None,), (None,)]
    applied = await run(
        runtime, tenants["acme"], MIA, lambda u: scoring.rescore_all(u, TODAY, apply=True)
    )
    again_all = await run(
        runtime, tenants["acme"], MIA, lambda u: scoring.rescore_all(u, TODAY, apply=True)
    )
    # the reclassification applies today's scores; run again for the same date, it adds nothing
    assert (applied.class_changes, again_all.class_changes) == (2, 0)
    assert database.query("SELECT count(*) FROM credit_scores") == [(3,)]
    assert database.query("SELECT count(*) FROM credit_class_history") == [(2,)]
    assert first != second


async def test_overrides_need_four_eyes_to_upgrade(database, tenants, runtime):
    cid = add_customer(database, tenants["acme"], rating="C")
    acme = tenants["acme"]
    # a downgrade applies at once, with a reason, until the class's next review
    down = await run(
        runtime, acme, MIA, lambda u: overrides.request_override(u, cid, "D", "拖欠", None, TODAY)
    )
    assert down.override.status == "APPLIED"
    assert down.override.valid_until == date(2026, 7, 30)  # D: reviewed monthly
    # an override without a reason writes nothing
    with pytest.raises(ValidationFailed) as err:
        await run(
            runtime, acme, MIA, lambda u: overrides.request_override(u, cid, "B", " ", None, TODAY)
        )
    assert [e.code for e in err.value.errors] == ["REQUIRED"]
    # an upgrade waits; the requester cannot approve it; a second manager can
    up = await run(
        runtime,
        acme,
        MIA,
        lambda u: overrides.request_override(u, cid, "B", "paid up", None, TODAY),
    )
    assert up.override.status == "PENDING" and up.class_change is None
    with pytest.raises(DomainError) as own:
        await run(
            runtime,
            acme,
            MIA,
            lambda u: overrides.decide_override(u, up.override.id, True, None, TODAY),
        )
    assert own.value.code == "SELF_APPROVAL"
    with pytest.raises(DomainError) as twice:
        await run(
            runtime, acme, MAX, lambda u: overrides.request_override(u, cid, "A", "x", None, TODAY)
        )
    assert twice.value.code == "OVERRIDE_PENDING"
    done = await run(
        runtime,
        acme,
        MAX,
        lambda u: overrides.decide_override(u, up.override.id, True, "ok", TODAY),
    )
    assert done.override.status == "APPLIED" and done.override.decided_by == "max"
    assert database.query("SELECT rating_class FROM customers") == [("B",)]
    assert database.query(
        "SELECT source, from_class, to_class FROM credit_class_history ORDER BY seq"
    ) == [("OVERRIDE", "C", "D"), ("OVERRIDE", "D", "B")]
    # while the override holds, a score is recorded but the class stays
    held = await run(runtime, acme, MIA, lambda u: scoring.score_customer(u, cid, TODAY))
    assert held.held_by_override and held.class_change is None
    assert database.query("SELECT rating_class FROM customers") == [("B",)]


async def test_scorecard_versions_draft_activate_and_refusals(database, tenants, runtime):
    acme = tenants["acme"]
    draft = await run(runtime, acme, MIA, lambda u: scorecards.create_draft(u, None, None, "v2"))
    assert (draft.number, draft.status) == (1, "DRAFT")
    raw = to_json(draft.card)
    raw["thresholds"] = {"a": "85", "b": "60", "c": "40"}
    edited = await run(
        runtime, acme, MIA, lambda u: scorecards.update_draft(u, draft.id, raw, None)
    )
    assert str(edited.card.thresholds.a) == "85"
    active = await run(runtime, acme, MAX, lambda u: scorecards.activate(u, draft.id))
    assert (active.status, active.activated_by) == ("ACTIVE", "max")
    for fn, code in (
        (lambda u: scorecards.activate(u, draft.id), "ALREADY_ACTIVE"),
        (lambda u: scorecards.update_draft(u, draft.id, raw, None), "VERSION_NOT_DRAFT"),
    ):
        with pytest.raises(DomainError) as err:
            await run(runtime, acme, MIA, fn)
        assert err.value.code == code
    bad = to_json(draft.card)
    bad["factors"][0]["bands"][1]["lower"] = "3"  # gap: 2 .. 3
    with pytest.raises(ValidationFailed) as gap:
        await run(runtime, acme, MIA, lambda u: scorecards.create_draft(u, bad, None, None))
    assert [e.code for e in gap.value.errors] == ["BAND_GAP"]
    assert database.query("SELECT count(*) FROM scorecard_versions") == [(1,)]
    assert database.query(
        "SELECT action, actor FROM audit_log WHERE entity_type = 'ScorecardVersion' ORDER BY id"
    ) == [
        ("CREATE_SCORECARD_DRAFT", "mia"),
        ("UPDATE_SCORECARD_DRAFT", "mia"),
        ("ACTIVATE_SCORECARD_VERSION", "max"),
    ]


async def test_simulation_returns_the_migration_matrix(database, tenants, runtime):
    acme = tenants["acme"]
    for n in range(4):
        add_customer(database, acme, f"C-{n}", sales=n * 10_000_000_000)
    await run(runtime, acme, MIA, lambda u: scorecards.ensure_active(u))
    draft = await run(runtime, acme, MIA, lambda u: scorecards.create_draft(u, None, None, None))
    raw = to_json(draft.card)
    raw["thresholds"] = {"a": "95", "b": "50", "c": "45"}
    await run(runtime, acme, MIA, lambda u: scorecards.update_draft(u, draft.id, raw, None))
    session = ReadSession(runtime.engine, acme)
    try:
        sim = await simulate(session, draft.id, TODAY)
    finally:
        await session.close()
    assert sim.customers == 4
    assert sum(sum(row.values()) for row in sim.matrix.values()) == 4
    moved = sum(n for a, row in sim.matrix.items() for b, n in row.items() if a != b)
    assert moved == len(sim.movers) > 0
    assert [m.code for m in sim.movers] == sorted(m.code for m in sim.movers)
    assert database.query("SELECT count(*) FROM credit_scores") == [(0,)]
    # once scored, the stored inputs are simulated instead of fresh ones: the same answer
    await run(runtime, acme, MIA, lambda u: scoring.rescore_all(u, TODAY))
    session = ReadSession(runtime.engine, acme)
    try:
        stored = await simulate(session, draft.id, TODAY)
    finally:
        await session.close()
    assert stored.matrix == sim.matrix
    assert stored.movers == sim.movers
    # scores by a version no longer active: their inputs serve, the active card rescored them
    same = await run(runtime, acme, MIA, lambda u: scorecards.create_draft(u, raw, None, None))
    await run(runtime, acme, MAX, lambda u: scorecards.activate(u, same.id))
    session = ReadSession(runtime.engine, acme)
    try:
        again = await simulate(session, draft.id, TODAY)
    finally:
        await session.close()
    assert again.movers == []
    assert sum(again.matrix[c][c] for c in "ABCD") == 4


async def test_set_class_refuses_unknown_customers_and_blank_reasons(database, tenants, runtime):
    cid = add_customer(database, tenants["acme"])
    with pytest.raises(DomainError) as blank:
        await run(runtime, tenants["acme"], MIA, lambda u: set_class(u, cid, "B", "", "MANUAL"))
    with pytest.raises(DomainError) as missing:
        await run(
            runtime, tenants["acme"], MIA, lambda u: set_class(u, uuid.uuid4(), "B", "x", "MANUAL")
        )
    assert (blank.value.code, missing.value.code) == ("REQUIRED", "NOT_FOUND")
    same = await run(runtime, tenants["acme"], MIA, lambda u: set_class(u, cid, "B", "x", "MANUAL"))
    again = await run(
        runtime, tenants["acme"], MIA, lambda u: set_class(u, cid, "B", "y", "MANUAL")
    )
    assert (same.direction.value, again.changed) == ("INITIAL", False)
    assert database.query("SELECT count(*) FROM credit_class_history") == [(1,)]


async def test_many_class_changes_in_one_transaction_number_their_events_in_order(
    database, tenants, runtime
):
    # given: 300 customers without a class, and the outbox trigger's lookup of the last
    # number kept on its index (since migration 0024 in a function of its own)
    acme = tenants["acme"]
    ids = [add_customer(database, acme, f"M-{n:03d}") for n in range(300)]
    [(config,)] = database.query("SELECT proconfig FROM pg_proc WHERE proname = 'events_last_seq'")
    # when: one reclassification of all of them
    changes = [ClassChangeIn(i, RatingClass.B, "bulk", "SCORE") for i in ids]
    done = await run(runtime, acme, MIA, lambda u: set_classes(u, changes))
    # then
    assert config == ["enable_seqscan=off"]
    assert sum(c.changed for c in done) == 300
    assert database.query("SELECT min(seq), max(seq), count(*) FROM events") == [(1, 300, 300)]
    assert database.query("SELECT count(*) FROM credit_class_history") == [(300,)]
    assert database.query(
        "SELECT count(*) FROM audit_log WHERE action = 'CHANGE_CREDIT_CLASS'"
    ) == [(300,)]
