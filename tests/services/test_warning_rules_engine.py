"""The rules run against a real database: raising, dedupe, level raises, contagion,
responses (the credit hold) and a re-run that raises nothing new."""

from __future__ import annotations

from datetime import timedelta

from tests.services.warning_rules_helpers import AS_OF, customer, invoice, relate, run


async def test_a_run_raises_responds_and_a_rerun_raises_nothing(runtime, tenants, database):
    # given: a long-overdue parent, its subsidiary, a 失信 customer and one in a quiet state
    tenant = tenants["acme"]
    parent = customer(database, tenant, "P", salesperson="王伟")
    sub = customer(database, tenant, "S")
    shamed = customer(database, tenant, "D")
    quiet = customer(database, tenant, "Q")
    relate(database, tenant, sub, parent, "PARENT")
    invoice(database, tenant, parent, "I-1", AS_OF - timedelta(days=100))
    invoice(database, tenant, quiet, "I-2", AS_OF + timedelta(days=10))
    database.query(
        "INSERT INTO credit_external_records (tenant_id, customer_id, kind, source, source_ref, "
        "recorded_on, evidence, legal_kind, role, status, case_number, court, filed_on, "
        "fingerprint, created_by) VALUES (%s, %s, 'LEGAL_RECORD', 'court', 'r-1', %s, 'listing', "
        "'DISHONEST_DEBTOR', 'DEFENDANT', 'OPEN', '(2026)京01执1号', 'court', %s, 'f', 't')",
        tenant, shamed, AS_OF - timedelta(days=5), AS_OF - timedelta(days=5),
    )  # fmt: skip

    # when
    first = await run(runtime, tenant)

    # then: overdue severe on the parent, contagion on its subsidiary, 失信 severe
    assert database.query(
        "SELECT c.code, w.kind, w.level, w.status, w.window_key, w.owner_role FROM warnings w "
        "JOIN customers c ON c.id = w.customer_id ORDER BY 1, 2"
    ) == [
        ("D", "LEGAL_RECORD", "SEVERE", "OPEN", "2026-11", "credit_manager"),
        ("P", "OVERDUE", "SEVERE", "OPEN", "2026-11", "credit_manager"),
        ("S", "CONTAGION", "MEDIUM", "OPEN", "2026-11", "credit_manager"),
    ]
    (evidence,) = database.query("SELECT evidence FROM warnings WHERE kind = 'OVERDUE'")[0]
    assert evidence["daysOverdue"] == 100 and evidence["overdueMinor"] == {"CNY": 10000}
    (sources,) = database.query(
        "SELECT evidence->'sources' FROM warnings WHERE kind = 'CONTAGION'"
    )[0]
    assert sources == [{"customerId": str(parent), "link": "PARENT", "rules": ["OVERDUE"]}]
    assert (first.raised, first.level_raised, first.held) == (3, 0, 2)
    # severe: hold (applied) and legal told; medium: a proposal pending and the review forward
    assert database.query(
        "SELECT c.code, r.action, r.role, r.status FROM warning_responses r "
        "JOIN customers c ON c.id = r.customer_id ORDER BY 1, 2"
    ) == [
        ("D", "CREDIT_HOLD", "credit_manager", "DONE"),
        ("D", "NOTIFY_LEGAL", "legal", "OPEN"),
        ("P", "CREDIT_HOLD", "credit_manager", "DONE"),
        ("P", "NOTIFY_LEGAL", "legal", "OPEN"),
        ("S", "REVIEW_FORWARD", "credit_analyst", "OPEN"),
        ("S", "TERMS_PROPOSAL", "credit_manager", "PENDING"),
    ]
    assert database.query(
        "SELECT c.code, h.held, h.source FROM credit_holds h "
        "JOIN customers c ON c.id = h.customer_id ORDER BY 1"
    ) == [("D", True, "WARNING"), ("P", True, "WARNING")]
    events = database.query("SELECT topic, count(*) FROM events GROUP BY 1 ORDER BY 1")
    assert events == [("credit.limit_changed", 2), ("warning.raised", 3)]

    # when: the same night again
    again = await run(runtime, tenant)

    # then: nothing new anywhere
    assert (again.raised, again.level_raised, again.responses, again.held) == (0, 0, 0, 0)
    assert database.query("SELECT count(*) FROM warnings") == [(3,)]
    assert database.query("SELECT count(*) FROM events") == [(5,)]
    assert database.query("SELECT count(*) FROM warning_responses") == [(6,)]


async def test_a_higher_level_raises_the_open_warning(runtime, tenants, database):
    # given: a customer 40 days late (medium)
    tenant = tenants["acme"]
    late = customer(database, tenant, "L")
    invoice(database, tenant, late, "I-1", AS_OF - timedelta(days=40))
    await run(runtime, tenant)
    (before,) = database.query("SELECT id, level FROM warnings")

    # when: 60 days on, still unpaid (severe)
    tally = await run(runtime, tenant, AS_OF + timedelta(days=60))

    # then: the same warning, raised in level, with the facts that fired it now
    assert tally.level_raised == 1 and tally.raised == 0
    assert database.query("SELECT id, level, evidence->>'previousLevel' FROM warnings") == [
        (before[0], "SEVERE", "MEDIUM")
    ]
    assert database.query(
        "SELECT payload->>'level', payload->>'levelRaised' FROM events "
        "WHERE topic = 'warning.raised' ORDER BY seq"
    ) == [("MEDIUM", "false"), ("SEVERE", "true")]


async def test_a_dismissed_warning_stays_quiet_in_its_window_only(runtime, tenants, database):
    tenant = tenants["acme"]
    late = customer(database, tenant, "L")
    invoice(database, tenant, late, "I-1", AS_OF - timedelta(days=20))
    await run(runtime, tenant)
    database.query("UPDATE warnings SET status = 'DISMISSED', feedback = 'FALSE_ALARM'")

    assert (await run(runtime, tenant, AS_OF)).raised == 0
    next_month = await run(runtime, tenant, AS_OF + timedelta(days=5))
    assert next_month.raised == 1
    assert database.query("SELECT status, window_key FROM warnings ORDER BY raised_at") == [
        ("DISMISSED", "2026-11"),
        ("OPEN", "2026-12"),
    ]


async def test_limitation_clock_warns_per_customer_and_lapse_month(runtime, tenants, database):
    tenant = tenants["acme"]
    owed = customer(database, tenant, "O")
    lapse_soon = AS_OF.replace(year=AS_OF.year - 3) + timedelta(days=20)
    invoice(database, tenant, owed, "I-1", lapse_soon)
    database.query("UPDATE warning_settings SET disabled = '[\"OVERDUE\"]'")
    database.query(
        "INSERT INTO warning_settings (tenant_id, disabled, updated_by) VALUES "
        "(%s, '[\"OVERDUE\"]', 't')",
        tenant,
    )

    await run(runtime, tenant)

    assert database.query(
        "SELECT kind, level, window_key, evidence->'invoices'->0->>'startedBy' FROM warnings"
    ) == [("LIMITATION_LAPSING", "SEVERE", "2026-12", "DUE_DATE")]
