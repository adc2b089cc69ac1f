"""SLAs: an open warning past its deadline moves one rung up the ladder in the nightly run;
an acknowledged one does not; and the flagged-industry rule with tenant settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.services.warning_rules_helpers import customer, run


async def test_a_breached_sla_escalates_one_rung_per_breach(runtime, tenants, database):
    # given: a light warning (an industry in downturn) for sales, and an acknowledged one
    tenant = tenants["acme"]
    database.query(
        "INSERT INTO warning_settings (tenant_id, downturn_industries, sla_hours, updated_by) "
        "VALUES (%s, '[\"Steel\"]', '{\"LIGHT\": 10}', 't')",
        tenant,
    )
    customer(database, tenant, "A", industry=" steel")
    customer(database, tenant, "B", industry="STEEL")
    customer(database, tenant, "C", industry="Food")
    await run(runtime, tenant)
    assert database.query("SELECT kind, level, owner_role FROM warnings ORDER BY 1") == [
        ("INDUSTRY_DOWNTURN", "LIGHT", "sales"),
        ("INDUSTRY_DOWNTURN", "LIGHT", "sales"),
    ]
    assert database.query(
        "SELECT count(*) FROM warnings WHERE sla_due_at - raised_at = interval '10 hours'"
    ) == [(2,)]
    database.query(
        "UPDATE warnings SET status = 'ACKNOWLEDGED' WHERE customer_id = "
        "(SELECT id FROM customers WHERE code = 'B')"
    )
    assert database.query("SELECT action, role FROM warning_responses") == [
        ("TASK", "sales"),
        ("TASK", "sales"),
    ]

    # when: the night after the deadline, and the night after the next one
    later = datetime.now(UTC) + timedelta(hours=11)
    first = await run(runtime, tenant, now=later)
    second = await run(runtime, tenant, now=later + timedelta(hours=11))

    # then: the open one went to the analyst, then the manager; the acknowledged one stayed
    assert (first.escalated, second.escalated) == (1, 1)
    assert database.query(
        "SELECT c.code, w.owner_role, w.escalated_at IS NOT NULL FROM warnings w "
        "JOIN customers c ON c.id = w.customer_id ORDER BY 1"
    ) == [("A", "credit_manager", True), ("B", "sales", False)]
    assert database.query(
        "SELECT payload->>'from', payload->>'to' FROM events WHERE topic = 'warning.escalated' "
        "ORDER BY seq"
    ) == [("sales", "credit_analyst"), ("credit_analyst", "credit_manager")]
