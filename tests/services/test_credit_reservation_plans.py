"""A check reads its own customer's live reservations, whatever the statistics last saw.

Statistics taken while no reservation was live made the partial indexes on ACTIVE look one
row big, and the check's generic plan read every live reservation of the tenant through the
order-ref index (migration 0026). Here the table is analyzed with only closed reservations,
then another customer's live ones arrive; the generic plans must still keep to their keys.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import psycopg

from dbschema.engine import native_sql
from dbschema.queries.credit_exposure import FACTS_SQL
from domain.credit import class_policy as policy_rules
from tests.services.credit_limits_helpers import TODAY, customer

CLOSED, LIVE = 3000, 600


#: `n` reservations of one customer in one status, each with the decision it came from
SEED = """
WITH d AS (
    INSERT INTO credit_decisions (tenant_id, id, kind, subject_id, customer_id, snapshot,
                                  outcome, versions, decided_by)
    SELECT %(t)s, gen_random_uuid(), 'CREDIT_CHECK', %(c)s, %(c)s, '{}',
           '{"outcome": "APPROVED"}', '{}', 'test'
      FROM generate_series(1, %(n)s)
    RETURNING id)
INSERT INTO credit_reservations (tenant_id, customer_id, order_ref, currency, amount_minor,
                                 expires_at, status, decision_id, closed_at, created_by)
SELECT %(t)s, %(c)s, %(s)s || '-' || row_number() OVER (), 'CNY', 100,
       now() + interval '1 hour', %(s)s, id, CASE WHEN %(s)s <> 'ACTIVE' THEN now() END, 'test'
  FROM d"""


def _reservations(database: Any, tenant: UUID, customer_id: UUID, status: str, n: int) -> None:
    with psycopg.connect(database.owner_url, autocommit=True) as conn:
        conn.execute(SEED, {"t": tenant, "c": customer_id, "s": status, "n": n})


def _generic_plan(database: Any, tenant: UUID, sql: str, args: list[str]) -> dict[str, Any]:
    """EXPLAIN ANALYZE of `sql`'s generic plan, as the app role sees the tenant."""
    with psycopg.connect(database.app_url) as conn:
        conn.execute("SELECT set_config('app.tenant_id', %s, false)", (str(tenant),))
        conn.execute("SET plan_cache_mode = force_generic_plan")
        conn.execute(f"PREPARE q AS {sql}")
        plan = conn.execute(
            f"EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE q({', '.join(args)})"
        ).fetchone()
        conn.rollback()
    assert plan is not None
    return plan[0][0]["Plan"]  # type: ignore[no-any-return]


def _reservation_reads(node: dict[str, Any]) -> list[dict[str, Any]]:
    """The plan's scans of credit_reservations."""
    scan = node.get("Node Type", "").endswith("Scan")
    found = [node] if scan and node.get("Relation Name") == "credit_reservations" else []
    for child in node.get("Plans", []):
        found += _reservation_reads(child)
    return found


async def test_a_checks_reads_keep_to_their_keys_after_statistics_saw_none_live(
    runtime, tenants, database
):
    # given a tenant whose reservations were all closed when the table was analyzed
    tenant = tenants["acme"]
    mine = await customer(runtime, tenant, "PLAN-1")
    busy = await customer(runtime, tenant, "PLAN-2")
    _reservations(database, tenant, busy, "RELEASED", CLOSED)
    database.query("ANALYZE credit_reservations")
    # when another customer's live reservations arrive
    _reservations(database, tenant, busy, "ACTIVE", LIVE)

    # then the check's read of its customer's reservations reads none of them
    statement, names = native_sql(str(FACTS_SQL))
    values = {
        "tenant": f"'{tenant}'::uuid", "customer": f"'{mine}'::uuid",
        "as_of": f"'{TODAY.isoformat()}'::date", "exclude_ref": "'SO-9'",
        "default_kinds": "ARRAY[" + ", ".join(
            f"'{k}'" for k in policy_rules.DEFAULT_GROUP_KINDS) + "]::text[]",
        "commit_mode": "NULL", "currency": "'CNY'", "base_currency": "'CNY'",
    }  # fmt: skip
    reads = _reservation_reads(
        _generic_plan(database, tenant, statement, [values[n] for n in names])
    )
    assert reads, "the facts statement reads reservations"
    # a customer's by its key; whether another customer holds the checked reference, by it
    by_ref = [r for r in reads if "order_ref" in r.get("Index Cond", "")]
    assert [r.get("Index Name") for r in by_ref] == ["uq_credit_reservations_active_ref"]
    for read in reads:
        if read not in by_ref:
            assert read.get("Index Name") == "ix_credit_reservations_active", read
        assert read.get("Rows Removed by Filter", 0) == 0, read
        assert read["Actual Rows"] == 0, read

    # and closing an order's live reservation (the customer's own) finds it by its reference
    release = (
        "UPDATE credit_reservations SET status = 'RELEASED', closed_at = now() "
        "WHERE tenant_id = $1 AND status = 'ACTIVE' AND order_ref = $2 "
        "AND (customer_id = $3 OR expires_at <= now()) RETURNING id"
    )
    reads = _reservation_reads(_generic_plan(
        database, tenant, release, [f"'{tenant}'::uuid", "'ACTIVE-7'", f"'{busy}'::uuid"]
    ))  # fmt: skip
    assert [r.get("Index Name") for r in reads] == ["uq_credit_reservations_active_ref"]
    assert reads[0]["Actual Rows"] == 1 and reads[0].get("Rows Removed by Filter", 0) == 0
